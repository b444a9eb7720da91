#!/usr/bin/env bash
# status_callgrind.sh: the instructions lvhcmond spends per GET /api/v1/status, against the
# same count for bench/minimal_mhd.c, both under valgrind's callgrind. Instruction counts do
# not depend on what else the host runs, so this ratio holds on a busy machine where
# status_bench.sh's requests/s do not; it is also where the profile lines come from.
#
#   bench/status_callgrind.sh        # builds a Release tree under $BENCH_DIR, runs, cleans up
#
# Each server runs under callgrind with collection off; a client sends WARMUP requests
# over one keep-alive connection, then instrumentation is switched on for REQUESTS more and
# off again, and the total is divided by REQUESTS. The 200 path and the 304 path
# (If-None-Match) are counted separately. With KEEP=1 the callgrind files stay in the
# bench folder for callgrind_annotate (the lvhcmond-200 file is the request path).
#
# Environment: REQUESTS (default 4000), WARMUP (default 300), THREADS (default 2),
# LVHCMON_BUILD_DIR, BENCH_DIR, KEEP, PG_BINDIR, JOBS (bench/lib.sh).
# Needs: valgrind, cmake, cc, python3, PostgreSQL server binaries.
set -eu

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REQUESTS=${REQUESTS:-4000}
WARMUP=${WARMUP:-300}
THREADS=${THREADS:-2}
. "$SRC/bench/lib.sh"
bench_init status_callgrind
command -v valgrind >/dev/null || { echo "status_callgrind: valgrind not found" >&2; exit 1; }

bench_programs lvhcmond lvhcmon lvhcmon-demogen
cc -O2 -g -o "$WORK/minimal_mhd" "$SRC/bench/minimal_mhd.c" \
    $(pkg-config --cflags --libs libmicrohttpd) -lpthread

bench_pg_start -c fsync=off -c synchronous_commit=off
psql_db postgres -c "CREATE DATABASE lvhcmon" >/dev/null
PORT=$(free_port)
MINPORT=$(free_port)
CONF=$WORK/lvhcmon.conf
bench_conf "$CONF" "$PORT" lvhcmon "threads = $THREADS"
echo "status_callgrind: loading the reference data and the demo year"
bench_schema "$CONF"
bench_demo "$BUILD" "$LVHCMON" "$CONF"
DASH=$("$LVHCMON" --config "$CONF" token add --role dashboard 2>/dev/null)

# The client: COUNT requests over one keep-alive connection, each checked for its status.
client() { # port, count, expected status, extra header "Name: value" or ""
    python3 - "$@" <<'EOF'
import http.client, sys
port, count, expect, extra = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
headers = {"Authorization": "Bearer " + __import__("os").environ["DASH"]}
if extra:
    name, value = extra.split(": ", 1)
    headers[name] = value
c = http.client.HTTPConnection("127.0.0.1", port)
for _ in range(count):
    c.request("GET", "/api/v1/status", headers=headers)
    r = c.getresponse()
    r.read()
    if r.status != expect:
        sys.exit(f"status_callgrind: answer {r.status}, expected {expect}")
EOF
}
export DASH

# Runs one server under callgrind and counts REQUESTS of each kind; prints
# "<200 instructions per request> <304 instructions per request>".
measure() { # name, port, command...
    local name=$1 port=$2 pid etag
    shift 2
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$WORK/callgrind.$name.%p" \
        "$@" >/dev/null 2>"$WORK/valgrind-$name.log" &
    pid=$!
    PIDS+=($pid)
    for _ in $(seq 600); do
        curl -sf -o /dev/null -H "Authorization: Bearer $DASH" "http://127.0.0.1:$port/api/v1/status" && break
        sleep 0.2
    done
    etag=$(curl -sf -D - -o /dev/null -H "Authorization: Bearer $DASH" \
        "http://127.0.0.1:$port/api/v1/status" | tr -d '\r' | awk 'tolower($1)=="etag:" {print $2}')
    local kind ir=()
    for kind in 200 304; do
        local extra="" expect=200
        [ "$kind" = 304 ] && extra="If-None-Match: $etag" && expect=304
        client "$port" "$WARMUP" "$expect" "$extra"
        callgrind_control --instr=on "$pid" >/dev/null 2>&1
        client "$port" "$REQUESTS" "$expect" "$extra"
        callgrind_control --instr=off "$pid" >/dev/null 2>&1
        callgrind_control --dump="$name-$kind" "$pid" >/dev/null 2>&1
        callgrind_control --zero "$pid" >/dev/null 2>&1
    done
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    for kind in 200 304; do
        local f
        f=$(grep -l "^desc: Trigger: dump $name-$kind" "$WORK"/callgrind."$name".* | head -n 1)
        [ -n "$f" ] || { echo "status_callgrind: no dump for $name-$kind" >&2; exit 1; }
        cp "$f" "$WORK/$name-$kind.callgrind"
        ir+=("$(awk -v n="$REQUESTS" '/^totals:/ { printf "%.0f", $2 / n }' "$f")")
    done
    echo "${ir[@]}"
}

# The body size the yardstick must send: read off lvhcmond running on its own.
"$LVHCMOND" --config "$CONF" >/dev/null 2>"$WORK/lvhcmond.log" &
LPID=$!
BODY_BYTES=
for _ in $(seq 100); do
    BODY_BYTES=$(curl -sf -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $DASH" \
        "http://127.0.0.1:$PORT/api/v1/status" 2>/dev/null) && break
    sleep 0.1
done
kill -TERM "$LPID"
wait "$LPID" || { echo "status_callgrind: lvhcmond exited with an error" >&2; exit 1; }
[ -n "$BODY_BYTES" ] || { echo "status_callgrind: lvhcmond did not answer" >&2; exit 1; }

echo "status_callgrind: lvhcmond ($REQUESTS requests of each kind after $WARMUP)"
read -r L200 L304 < <(measure lvhcmond "$PORT" "$LVHCMOND" --config "$CONF")
echo "status_callgrind: minimal_mhd (body $BODY_BYTES bytes)"
read -r M200 M304 < <(measure minimal "$MINPORT" "$WORK/minimal_mhd" "$MINPORT" "$BODY_BYTES" "$THREADS")

cat <<EOF

status_callgrind results ($(date -u +%Y-%m-%dT%H:%M:%SZ), $REQUESTS requests of each kind, body $BODY_BYTES bytes)
  instructions per request   lvhcmond   minimal_mhd   ratio
  200                        $L200      $M200        $(awk -v a="$L200" -v b="$M200" 'BEGIN { printf "%.3f", a / b }')
  304 (If-None-Match)        $L304      $M304        $(awk -v a="$L304" -v b="$M304" 'BEGIN { printf "%.3f", a / b }')
EOF
[ "${KEEP:-0}" = 1 ] && echo "profiles: $WORK/lvhcmond-200.callgrind, $WORK/minimal-200.callgrind (callgrind_annotate)"
exit 0
