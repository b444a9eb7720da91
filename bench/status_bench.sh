#!/usr/bin/env bash
# status_bench.sh: how fast lvhcmond answers GET /api/v1/status, against the least a
# libmicrohttpd server can do (bench/minimal_mhd.c, same thread mode, same body size), and
# how soon a committed submission shows in the status.
#
#   bench/status_bench.sh            # builds a Release tree under $BENCH_DIR, runs, cleans up
#
# Steps: a throwaway PostgreSQL cluster (Unix socket only) with the reference data and the
# demo year (tools/demogen, January-October 2026, ~7000 lines); lvhcmond and minimal_mhd
# with THREADS worker threads each; then
#   1. wrk -t2 -c64 -d10s --latency  GET /api/v1/status  (dashboard token)  vs minimal_mhd
#   2. the same with If-None-Match: the 304 path
#   (each ROUNDS times, alternating the servers; the median round of each is reported)
#   3. commit-to-visible: post a submission, poll the status until spent changes; SAMPLES
#      times; median and max in ms
# and prints, each against minimal_mhd's figure from the same run: requests/s (target at
# least 0.9 of it), p99 at 64 connections (at most 1.25 times its p99), the server's CPU
# time per request (within 10 % of its), the 304 path's requests/s; and the
# commit-to-visible figures (target < 100 ms).
#
# Environment: BENCH_DIR (default a new temporary folder), LVHCMON_BUILD_DIR (use this build
# instead of making a Release one), THREADS (default 2), DURATION (default 10s),
# CONNECTIONS (default 64), ROUNDS (default 5), SAMPLES (default 20), KEEP=1 to keep the
# folder, PG_BINDIR and JOBS (bench/lib.sh), NICE (e.g. -10, as root: run the servers and
# wrk at that niceness, so that other work on a shared host disturbs the comparison less;
# default: unchanged).
# Needs: cmake, cc, wrk, python3, PostgreSQL server binaries; as root, the postgres user.
set -eu

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
SAMPLES=${SAMPLES:-20}
ROUNDS=${ROUNDS:-5}
NICE=${NICE:-}
# The prefix that runs a command at the NICE niceness (nice execs the command, so $! of a
# background job is the server itself).
AT_NICE=()
[ -n "$NICE" ] && AT_NICE=(nice -n "$NICE")
. "$SRC/bench/lib.sh"
bench_init status_bench
BENCH_DIR=$WORK
command -v wrk >/dev/null || { echo "status_bench: wrk not found" >&2; exit 1; }

# --- build ---------------------------------------------------------------------------------
bench_programs lvhcmond lvhcmon lvhcmon-demogen
cc -O2 -o "$BENCH_DIR/minimal_mhd" "$SRC/bench/minimal_mhd.c" \
    $(pkg-config --cflags --libs libmicrohttpd) -lpthread

# --- database --------------------------------------------------------------------------------
bench_pg_start -c fsync=off -c synchronous_commit=off
psql_db postgres -c "CREATE DATABASE lvhcmon" >/dev/null

PORT=$(free_port)
MINPORT=$(free_port)
CONF=$BENCH_DIR/lvhcmon.conf
# wrk's connections all come from 127.0.0.1: above the default of 32 from one address
# lvhcmond would close the rest at once (minimal_mhd has no such limit).
bench_conf "$CONF" "$PORT" lvhcmon "threads = $THREADS" "connection_limit = 1024" \
    "per_ip_connection_limit = 1024"

echo "status_bench: loading the reference data and the demo year"
bench_schema "$CONF"
bench_demo "$BUILD" "$LVHCMON" "$CONF"
DASH=$("$LVHCMON" --config "$CONF" token add --role dashboard 2>/dev/null)
INGEST=$("$LVHCMON" --config "$CONF" token add --role ingest 2>/dev/null)

"${AT_NICE[@]}" "$LVHCMOND" --config "$CONF" >/dev/null 2>"$BENCH_DIR/lvhcmond.log" &
LPID=$!
PIDS+=($LPID)
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
STATUS_URL="http://127.0.0.1:$PORT/api/v1/status"
curl -sf -H "Authorization: Bearer $DASH" -D "$BENCH_DIR/headers" -o "$BENCH_DIR/status.json" \
    "$STATUS_URL"
BODY_BYTES=$(stat -c %s "$BENCH_DIR/status.json")
ETAG=$(tr -d '\r' <"$BENCH_DIR/headers" | awk 'tolower($1)=="etag:" {print $2}')

"${AT_NICE[@]}" "$BENCH_DIR/minimal_mhd" "$MINPORT" "$BODY_BYTES" "$THREADS" >/dev/null &
MPID=$!
PIDS+=($MPID)
sleep 0.3

# --- throughput ------------------------------------------------------------------------------
# wrk prints "Requests/sec: N" and, with --latency, "99% Xus|ms|s".
# CPU time (user + system, clock ticks) a process used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
run_wrk() { # name, server pid, url, extra header...
    local name=$1 pid=$2 url=$3 before
    shift 3
    before=$(cpu_ticks "$pid")
    "${AT_NICE[@]}" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$BENCH_DIR/wrk-$name.txt"
    # The server's CPU time per request: what it costs, whatever else runs on the host.
    awk -v t="$(( $(cpu_ticks "$pid") - before ))" -v hz="$(getconf CLK_TCK)" \
        '/requests in/ { printf "%.2f\n", t * 1e6 / hz / $1 }' \
        "$BENCH_DIR/wrk-$name.txt" >"$BENCH_DIR/cpu-$name.txt"
}
cpu_us() { cat "$BENCH_DIR/cpu-$1.txt"; }
rps() { awk '/^Requests\/sec/ {print $2}' "$BENCH_DIR/wrk-$1.txt"; }
p99_ms() {
    awk '$1=="99%" { v=$2; u=v; gsub(/[0-9.]/,"",u); sub(/[a-z]+$/,"",v);
          if (u=="us") v/=1000; else if (u=="s") v*=1000; printf "%.2f", v }' \
        "$BENCH_DIR/wrk-$1.txt"
}

# The host may be shared: each comparison runs ROUNDS times, alternating the two servers so
# that a noisy minute hurts both, and the median round of each is reported. The order turns
# every round (lvhcmond first in odd rounds, minimal_mhd first in even ones): a host that
# speeds up or slows down over the run then favours neither.
median() { grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
over_rounds() { # what (rps|p99_ms|cpu_us), run name
    for r in $(seq "$ROUNDS"); do "$1" "$2-$r"; echo; done | median
}
echo "status_bench: wrk -t2 -c$CONNECTIONS -d$DURATION x $ROUNDS rounds, $THREADS server threads, body $BODY_BYTES bytes"
wrk -t2 -c"$CONNECTIONS" -d2s -H "Authorization: Bearer $DASH" "$STATUS_URL" >/dev/null # warm-up
wrk -t2 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$MINPORT/api/v1/status" >/dev/null
round_of() { # round, server (lvhcmond|minimal): the 200 run and the 304 run of one server
    if [ "$2" = lvhcmond ]; then
        run_wrk "lvhcmond-$1" "$LPID" "$STATUS_URL" -H "Authorization: Bearer $DASH"
        run_wrk "lvhcmond304-$1" "$LPID" "$STATUS_URL" -H "Authorization: Bearer $DASH" \
            -H "If-None-Match: $ETAG"
    else
        run_wrk "minimal-$1" "$MPID" "http://127.0.0.1:$MINPORT/api/v1/status" \
            -H "Authorization: Bearer $DASH"
        run_wrk "minimal304-$1" "$MPID" "http://127.0.0.1:$MINPORT/api/v1/status" \
            -H "Authorization: Bearer $DASH" -H 'If-None-Match: "0123456789abcdef"'
    fi
}
for r in $(seq "$ROUNDS"); do
    if [ $((r % 2)) = 1 ]; then
        round_of "$r" lvhcmond
        round_of "$r" minimal
    else
        round_of "$r" minimal
        round_of "$r" lvhcmond
    fi
done

# --- commit to visible ----------------------------------------------------------------------
python3 - "$PORT" "$INGEST" "$DASH" "$SAMPLES" >"$BENCH_DIR/commit.txt" <<'EOF'
import json, random, sys, time, urllib.request
port, ingest, dash, samples = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
base = f"http://127.0.0.1:{port}"
def spent():
    req = urllib.request.Request(base + "/api/v1/status", headers={"Authorization": "Bearer " + dash})
    with urllib.request.urlopen(req) as r:
        return json.load(r)["spent_cents"]
def bsn(rng):
    while True:
        n = rng.randrange(10000000, 99999999)
        last = sum(int(d) * w for d, w in zip(f"{n:08d}", range(9, 1, -1))) % 11
        if last < 10:
            return f"{n:08d}{last}"
rng = random.Random(time.time())
tag = f"bench{int(time.time())}"
lat = []
for i in range(samples):
    before = spent()
    body = {"provider_agb": "41000001", "reference": f"{tag}-{i}", "lines": [
        {"line_ref": f"{tag}-{i}", "client_bsn": bsn(rng), "prestatie": "CAKOR",
         "date_from": "2026-10-05", "date_to": "2026-10-05", "minutes": 30 + i,
         "travel_cents": 0, "debit_credit": "D", "corrects_ref": None}]}
    req = urllib.request.Request(base + "/api/v1/declarations", data=json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + ingest, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        answer = json.load(r)
    t0 = time.monotonic()  # the answer is sent after the commit
    if answer.get("accepted") != 1:
        sys.exit(f"submission not accepted: {answer}")
    while spent() == before:
        if time.monotonic() - t0 > 10:
            sys.exit("the submission never showed in the status")
        time.sleep(0.0005)
    lat.append((time.monotonic() - t0) * 1000)
    time.sleep(0.05)
lat.sort()
print(f"{lat[len(lat) // 2]:.1f} {lat[-1]:.1f}")
EOF
read -r C2V_MEDIAN C2V_MAX <"$BENCH_DIR/commit.txt"

# --- report ------------------------------------------------------------------------------------
echo "status_bench: each round (req/s, p99 ms, CPU us/request)"
for r in $(seq "$ROUNDS"); do
    printf '  round %s: lvhcmond %s %s %s | minimal_mhd %s %s %s\n' "$r" \
        "$(rps "lvhcmond-$r")" "$(p99_ms "lvhcmond-$r")" "$(cpu_us "lvhcmond-$r")" \
        "$(rps "minimal-$r")" "$(p99_ms "minimal-$r")" "$(cpu_us "minimal-$r")"
done
L_RPS=$(over_rounds rps lvhcmond); M_RPS=$(over_rounds rps minimal)
L304=$(over_rounds rps lvhcmond304); M304=$(over_rounds rps minimal304)
L_P99=$(over_rounds p99_ms lvhcmond); M_P99=$(over_rounds p99_ms minimal)
L304_P99=$(over_rounds p99_ms lvhcmond304)
L_CPU=$(over_rounds cpu_us lvhcmond); M_CPU=$(over_rounds cpu_us minimal)
CPU_RATIO=$(awk -v a="$L_CPU" -v b="$M_CPU" 'BEGIN { printf "%.3f", a / b }')
P99_RATIO=$(awk -v a="$L_P99" -v b="$M_P99" 'BEGIN { printf "%.3f", a / b }')
ERRORS=$(cat "$BENCH_DIR"/wrk-lvhcmond*.txt | awk '/Non-2xx or 3xx/ { n += $5 } END { print n + 0 }')
# Connections the server closed or refused (a limit hit) would make the figures meaningless.
SOCKET_ERRORS=$(cat "$BENCH_DIR"/wrk-*.txt |
    awk '/Socket errors/ { for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i } END { print n + 0 }')
RATIO=$(awk -v a="$L_RPS" -v b="$M_RPS" 'BEGIN { printf "%.3f", a / b }')
RATIO304=$(awk -v a="$L304" -v b="$M304" 'BEGIN { printf "%.3f", a / b }')
verdict() { awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { ok = (op == ">=") ? v >= t : (op == "<=") ? v <= t : v < t;
                                                      print ok ? "ok" : "MISSED" }'; }
cat <<EOF

status_bench results ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)${NICE:+, nice $NICE})
  GET /api/v1/status, 200, $BODY_BYTES bytes, $CONNECTIONS connections, $THREADS threads,
  the median of $ROUNDS alternating rounds of $DURATION
    lvhcmond     $L_RPS req/s   p99 $L_P99 ms   CPU $L_CPU us/request   (non-2xx answers in all rounds: $ERRORS; socket errors of both servers: $SOCKET_ERRORS)
    minimal_mhd  $M_RPS req/s   p99 $M_P99 ms   CPU $M_CPU us/request
    requests/s   x$RATIO minimal_mhd's   (target >= 0.9: $(verdict "$RATIO" ">=" 0.9))
    p99          x$P99_RATIO minimal_mhd's   (target <= 1.25: $(verdict "$P99_RATIO" "<=" 1.25))
    CPU/request  x$CPU_RATIO minimal_mhd's   (target <= 1.10: $(verdict "$CPU_RATIO" "<=" 1.10))
                 (the server's own CPU time per answer; unlike req/s it hardly depends on
                 what else the host runs)
  304 path (If-None-Match)
    lvhcmond     $L304 req/s   p99 $L304_P99 ms
    minimal_mhd  $M304 req/s   x$RATIO304
  commit-to-visible ($SAMPLES samples)
    median $C2V_MEDIAN ms, max $C2V_MAX ms   (target < 100 ms: $(verdict "$C2V_MAX" "<" 100))
EOF
