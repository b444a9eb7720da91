#!/bin/sh
# tests/fuzz_smoke.sh: a short fuzz run for the test suite. Builds every libFuzzer target with
# clang in its own build tree (build-fuzz-smoke) and runs each for 20 seconds from its seed
# corpus; fails when any target crashes. The work is bench/fuzz-long.sh's, with a short
# clock. Takes about 20 s per target plus the build.
#   usage: tests/fuzz_smoke.sh [BUILD_DIR]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
FUZZ_BUILD_DIR=${1:-${FUZZ_BUILD_DIR:-$root/build-fuzz-smoke}}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
export FUZZ_BUILD_DIR FUZZ_SECONDS
exec "$root/bench/fuzz-long.sh"
