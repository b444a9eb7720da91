#!/bin/sh
# bench/fuzz-long.sh: builds the libFuzzer targets with clang (fuzz/CMakeLists.txt) and runs
# every fuzz_* binary it finds, one after the other, each for FUZZ_SECONDS (default 600),
# starting from its seed corpus fuzz/corpus/<name>/ (fuzz_aw319 -> fuzz/corpus/aw319/), with
# the dictionary fuzz/<name>.dict when there is one.
# New inputs libFuzzer finds go to the build tree, never into the committed corpus; a crash
# leaves its input in <build>/fuzz-work/<name>/ and makes the script exit 1.
#
# Settings (environment):
#   FUZZ_SECONDS    run time per target (600)
#   FUZZ_BUILD_DIR  build tree (build-fuzz in the repository root)
#   FUZZ_ARGS       extra libFuzzer flags, e.g. "-max_len=65536 -rss_limit_mb=4096"
# tests/fuzz_smoke.sh runs this same script for 20 seconds a target.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-600}

command -v clang >/dev/null || { echo "fuzz: clang is needed" >&2; exit 2; }
mkdir -p "$build"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DLVHCMON_FUZZ=ON \
      -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log" >&2; exit 2; }
cmake --build "$build" --target fuzzers -j "$(nproc 2>/dev/null || echo 2)" >"$build/build.log" 2>&1 ||
    { tail -n 40 "$build/build.log" >&2; exit 2; }

failed=0
found=0
for bin in "$build"/fuzz/fuzz_*; do
    if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
        continue
    fi
    found=$((found + 1))
    name=$(basename "$bin")
    short=${name#fuzz_}
    work="$build/fuzz-work/$short"
    rm -rf "$work/corpus"
    mkdir -p "$work/corpus" "$work/crashes"
    seeds="$root/fuzz/corpus/$short"
    [ -d "$seeds" ] || seeds=""
    dict=""
    [ -f "$root/fuzz/$short.dict" ] && dict="-dict=$root/fuzz/$short.dict"
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
    if "$bin" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$work/crashes/" $dict ${FUZZ_ARGS:-} "$work/corpus" $seeds \
        >"$work/log" 2>&1; then
        result=ok
    else
        result="CRASH (input and log in $work)"
        failed=1
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -n 1)
    units=$(find "$work/corpus" -type f | wc -l)
    printf '%-18s %12s execs in %ss  %8s exec/s  corpus %5s  %s\n' \
        "$name" "${execs:-?}" "$seconds" "${rate:-?}" "$units" "$result"
    if [ "$result" != ok ]; then
        grep -m 5 -E 'ERROR|SUMMARY|runtime error|deadly signal' "$work/log" >&2 || true
    fi
done

if [ "$found" -eq 0 ]; then
    echo "fuzz: no fuzz_* binaries in $build/fuzz" >&2
    exit 2
fi
exit "$failed"
