#!/bin/sh
# test.sh: the whole test suite, as CI runs it. Installs what is missing (scripts/deps.sh
# test), builds a Debug tree with AddressSanitizer and UndefinedBehaviorSanitizer in
# build-asan/, and runs the tests through ctest. Integration tests start their own
# PostgreSQL clusters in temporary folders; nothing outside the tree is touched.
#
#   ./scripts/test.sh                 everything: unit, integration (the browser test
#                                     included), fuzz smoke, valgrind, format check
#   ./scripts/test.sh --quick         unit and integration tests only: no fuzzing, no
#                                     valgrind, no browser, no format check
#   ./scripts/test.sh -R integration  extra arguments go to ctest (after --quick, too)
#
# A test that cannot run here (a tool missing) is reported by ctest as skipped, never as
# passed; ctest's summary lists it.
set -eu

cd "$(dirname "$0")/.."

quick=0
if [ "${1:-}" = "--quick" ]; then
    quick=1
    shift
fi

./scripts/deps.sh test

# Leak checking stays on. abort_on_error=0 keeps sanitizer reports as readable exit codes;
# UBSan stops at the first finding. Callers may add their own options.
ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS UBSAN_OPTIONS

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build-asan -DLVHCMON_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j2
cd build-asan
if [ "$quick" -eq 1 ]; then
    exec ctest --output-on-failure -j"$jobs" -L '^(unit|integration)$' -LE '^browser$' "$@"
fi
exec ctest --output-on-failure -j"$jobs" "$@"
