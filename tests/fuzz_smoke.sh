#!/bin/sh
# tests/fuzz_smoke.sh: a short fuzz run for the test suite. Builds every libFuzzer target with
# clang in its own build tree (build-fuzz-smoke) and runs each for 20 seconds from its seed
# corpus; fails when any target crashes. The work is bench/fuzz-long.sh's, with a short
# clock. Takes about 20 s per target plus the build. Without clang it cannot run and exits
# 77, which ctest reports as skipped (scripts/deps.sh test installs clang).
#   usage: tests/fuzz_smoke.sh [BUILD_DIR]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz_smoke: SKIPPED: clang is not installed (scripts/deps.sh test)" >&2
    exit 77
fi
FUZZ_BUILD_DIR=${1:-${FUZZ_BUILD_DIR:-$root/build-fuzz-smoke}}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
export FUZZ_BUILD_DIR FUZZ_SECONDS
exec "$root/bench/fuzz-long.sh"
