#!/bin/sh
# bench/crash_soak.sh: the long crash-safety run. Runs tests/integration/test_crash_safety.py
# with many more SIGKILLs than the test suite does (200 instead of 50): four clients keep
# submitting while lvhcmond is killed and restarted, then the ledger is checked line by line
# (see the test's header). Takes about 4 minutes; prints the figures of the run.
#
#   usage: bench/crash_soak.sh [BUILD_DIR]      (default: build/ in the repository)
#
# Settings (environment): CRASH_KILLS (200), CRASH_SEED (any integer; the default is the
# test's fixed seed), CRASH_CLIENTS (4). A sanitizer build (-DLVHCMON_SANITIZE=ON) also
# reports memory errors the kills might expose.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
[ -x "$build/daemon/lvhcmond" ] || { echo "crash_soak: no lvhcmond in $build/daemon" >&2; exit 2; }

LVHCMON_BUILD_DIR=$build
LVHCMON_SOURCE_DIR=$root
LVHCMON_CRASH_KILLS=${CRASH_KILLS:-200}
LVHCMON_CRASH_CLIENTS=${CRASH_CLIENTS:-4}
export LVHCMON_BUILD_DIR LVHCMON_SOURCE_DIR LVHCMON_CRASH_KILLS LVHCMON_CRASH_CLIENTS
if [ -n "${CRASH_SEED:-}" ]; then
    LVHCMON_CRASH_SEED=$CRASH_SEED
    export LVHCMON_CRASH_SEED
fi
cd "$root/tests/integration"
exec python3 -m unittest -v test_crash_safety
