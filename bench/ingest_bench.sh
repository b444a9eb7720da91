#!/usr/bin/env bash
# ingest_bench.sh: how fast declarations go in, compared with a plain COPY of the same rows.
#
#   BUILD_DIR=build bench/ingest_bench.sh          (from the repository root)
#
# Builds nothing: it runs $BUILD_DIR/daemon/lvhcmond and lvhcmon. It starts its own
# throwaway PostgreSQL cluster in a temporary folder (Unix socket only, removed at the end)
# and generates its data with bench/ingest_gen.py (deterministic; every line valid):
#
#   JSON  JSON_SUBS (100) submissions of LINES (1,000) lines POSTed to lvhcmond by
#         JSON_CLIENTS (1: one after another over one keep-alive connection) clients
#   CSV   one file of CSV_SUBS (1,000) submissions of LINES lines, `lvhcmon import`ed over
#         CSV_JOBS (2, the import's own default) connections
#   COPY  the rows those lines become in declaration_line (computed by the generator, not
#         taken from the database), loaded with one plain
#         `COPY declaration_line (...) FROM STDIN` through psql into a fresh database with
#         the same schema (same table, indexes, foreign key; the submission rows it points
#         to inserted beforehand, untimed): 100,000 rows for the JSON comparison and
#         1,000,000 for the CSV one.
#
# Each path gets a fresh database with the schema and reference data. It prints the time
# and lines/second of each, the ratios (targets: JSON >= 50 % and CSV >= 70 % of COPY's
# rate) and checks that what ingest stored equals the generated rows, column for column.
# Exit status: 0 targets met, 2 a target missed, 1 the run failed.
#
# Environment: BUILD_DIR (default build), JSON_SUBS, CSV_SUBS, LINES, JSON_CLIENTS, CSV_JOBS,
# REPEAT (default 1: run every measurement this many times, interleaved, and keep the
# fastest of each; use 3 or more on a shared machine),
# PG_BINDIR (default: newest /usr/lib/postgresql/*/bin; bench/lib.sh), PG_OPTS (extra
# server options),
# KEEP=1 keeps the temporary folder, PERF=1 runs the two ingest paths under `perf record -g`
# (profiles kept in the temporary folder, which is then kept too; PERF_CALL_GRAPH=dwarf
# follows calls through libraries built without frame pointers, at a larger cost).
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$SRC/bench/lib.sh"
BUILD_DIR=${BUILD_DIR:-build}
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$PWD/$BUILD_DIR ;; esac
LVHCMON=$BUILD_DIR/daemon/lvhcmon
LVHCMOND=$BUILD_DIR/daemon/lvhcmond
JSON_SUBS=${JSON_SUBS:-100}
CSV_SUBS=${CSV_SUBS:-1000}
LINES=${LINES:-1000}
JSON_CLIENTS=${JSON_CLIENTS:-1}
CSV_JOBS=${CSV_JOBS:-2}
REPEAT=${REPEAT:-1}
PG_OPTS=${PG_OPTS:-}
PERF=${PERF:-0}
PERF_CALL_GRAPH=${PERF_CALL_GRAPH:-fp}
[ "$PERF" = 1 ] && KEEP=1

for f in "$LVHCMON" "$LVHCMOND"; do
    [ -x "$f" ] || { echo "ingest_bench: $f not found; build first (BUILD_DIR=$BUILD_DIR)" >&2; exit 1; }
done
bench_init ingest_bench
DAEMON_PID=
bench_on_exit() {
    if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
        kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null || true
    fi
}
mkdir -p "$WORK/data"

rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }

echo "ingest_bench: PostgreSQL in $PGDIR"
# Server settings: PostgreSQL's defaults (fsync and synchronous_commit on, as in
# production) with room for a 1M-row load without forced checkpoints. The same for all paths.
bench_pg_start -c max_wal_size=8GB -c checkpoint_timeout=30min -c shared_buffers=256MB $PG_OPTS

# Key, configuration (the database is chosen per path with LVHCMON_DB).
HTTP_PORT=$(free_port)
bench_conf "$WORK/lvhcmon.conf" "$HTTP_PORT" postgres "threads = 4" "max_body_bytes = 256 MiB" \
    "max_lines_per_submission = 100000" "web_dir = $SRC/web"

lv() { LVHCMON_DB=$(conninfo "$1") "$LVHCMON" --config "$WORK/lvhcmon.conf" "${@:2}"; }
fresh_db() {   # name: a new database with the schema and the reference data
    psql_db postgres -c "CREATE DATABASE $1" >/dev/null
    lv "$1" migrate >/dev/null 2>> "$WORK/cli.log"
    lv "$1" reference load "$SRC/reference" >/dev/null 2>> "$WORK/cli.log"
}

echo "ingest_bench: generating $JSON_SUBS + $CSV_SUBS submissions of $LINES lines"
t0=$(now)
python3 "$SRC/bench/ingest_gen.py" --reference "$SRC/reference" --out "$WORK/data" \
    --key-file "$BENCH_KEY" --json-subs "$JSON_SUBS" --csv-subs "$CSV_SUBS" --lines "$LINES"
echo "ingest_bench: generated in $(elapsed "$t0" "$(now)") s"
COLUMNS_LIST=$(cat "$WORK/data/copy_columns")
JSON_LINES=$((JSON_SUBS * LINES))
CSV_LINES=$((CSV_SUBS * LINES))

perf_wrap() {   # name command...: runs the command, under perf record when PERF=1
    local name=$1; shift
    if [ "$PERF" = 1 ]; then
        perf record -q --call-graph "$PERF_CALL_GRAPH" -o "$WORK/$name.perf.data" -- "$@"
    else
        "$@"
    fi
}
PERF_PID=

# ---- the four measurements --------------------------------------------------------------
# Each sets T to its seconds and leaves its database for the row check. (Not run in $(...):
# a subshell would hide the daemon's pid from the cleanup and ignore failures.)

run_json() {   # JSON over HTTP into database bench_json
    fresh_db bench_json
    LVHCMON_DB=$(conninfo bench_json) "$LVHCMOND" --config "$WORK/lvhcmon.conf" \
        2> "$WORK/lvhcmond.log" &
    DAEMON_PID=$!
    local token t0
    token=$(lv bench_json token add --role ingest 2>/dev/null)
    python3 - "$HTTP_PORT" <<'PY'
import http.client, sys, time
port = int(sys.argv[1])
deadline = time.time() + 60
while True:
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        c.request("GET", "/healthz")
        if c.getresponse().status == 200:
            break
    except OSError:
        pass
    if time.time() > deadline:
        sys.exit("ingest_bench: lvhcmond did not come up")
    time.sleep(0.1)
PY
    if [ "$PERF" = 1 ]; then
        perf record -q --call-graph "$PERF_CALL_GRAPH" -p "$DAEMON_PID" -o "$WORK/json.perf.data" 2>/dev/null &
        PERF_PID=$!
        sleep 1
    fi
    t0=$(now)
    python3 - "$HTTP_PORT" "$token" "$WORK/data/json" "$JSON_CLIENTS" "$LINES" <<'PY'
import http.client, os, re, sys, threading
port, token, folder = int(sys.argv[1]), sys.argv[2], sys.argv[3]
clients, lines = int(sys.argv[4]), int(sys.argv[5])
files = sorted(os.path.join(folder, f) for f in os.listdir(folder))
bodies = [open(f, "rb").read() for f in files]
errors = []

def worker(k):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    for body in bodies[k::clients]:
        conn.request("POST", "/api/v1/declarations", body,
                     {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        resp = conn.getresponse()
        text = resp.read()
        # The answer's head holds the count ("accepted" comes before the lines); decoding
        # all of its 240 KB in Python took a millisecond of the two cores the server has.
        # The rows themselves are compared with the generated ones at the end.
        accepted = re.search(rb'"accepted":(\d+)', text[:1024])
        if resp.status != 201 or accepted is None or int(accepted.group(1)) != lines:
            errors.append(f"{resp.status} {text[:300]!r}")
            return

threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
if errors:
    sys.exit("ingest_bench: JSON submission failed: " + errors[0])
PY
    T=$(elapsed "$t0" "$(now)")
    if [ -n "$PERF_PID" ]; then kill -INT "$PERF_PID"; wait "$PERF_PID" || true; PERF_PID=; fi
    kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" || true
    DAEMON_PID=
}

run_csv() {   # lvhcmon import of the CSV file into database bench_csv
    fresh_db bench_csv
    local t0
    t0=$(now)
    local rc=0
    LVHCMON_DB=$(conninfo bench_csv) perf_wrap csv "$LVHCMON" --config "$WORK/lvhcmon.conf" \
        import --jobs "$CSV_JOBS" "$WORK/data/decl.csv" > "$WORK/import.out" 2> "$WORK/import.err" || rc=$?
    T=$(elapsed "$t0" "$(now)")
    if [ "$rc" != 0 ] || ! grep -q "$CSV_SUBS stored" "$WORK/import.out"; then
        cat "$WORK/import.out" >&2
        grep -v '"level":"info"' "$WORK/import.err" | tail -n 20 >&2
        echo "ingest_bench: import failed (exit status $rc) or did not store everything" >&2
        exit 1
    fi
}

run_copy() {   # db, copy file, submissions: one plain COPY of the generated rows
    fresh_db "$1"
    psql_db "$1" -c "INSERT INTO submission (id, provider_agb, reference, source, content_sha256,
                        canonical, response, accepted, rejected, amount_cents)
                     SELECT g, '41000001', 'R' || g, 'csv', '', '{}', '{}', 0, 0, 0
                       FROM generate_series(1, $3) g" >/dev/null
    local t0
    t0=$(now)
    psql_db "$1" -c "COPY declaration_line ($COLUMNS_LIST) FROM STDIN" < "$2"
    T=$(elapsed "$t0" "$(now)")
}

drop_dbs() { for db in "$@"; do psql_db postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null; done; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'; }

# The machine may be shared: each measurement runs REPEAT times, interleaved (JSON, its
# COPY, CSV, its COPY), and the fastest run of each counts.
t_json= t_copy_small= t_csv= t_copy_big=
pairs_json=() pairs_csv=()
for round in $(seq 1 "$REPEAT"); do
    [ "$round" = 1 ] || drop_dbs bench_json bench_copy_json bench_csv bench_copy_csv
    run_json
    T_JSON_ROUND=$T
    t_json=$(best "$T" "$t_json")
    echo "ingest_bench: round $round: JSON  $JSON_LINES lines in $T s"
    run_copy bench_copy_json "$WORK/data/json.copy" "$JSON_SUBS"
    T_COPY_SMALL_ROUND=$T
    t_copy_small=$(best "$T" "$t_copy_small")
    echo "ingest_bench: round $round: COPY  $JSON_LINES rows in $T s"
    run_csv
    T_CSV_ROUND=$T
    t_csv=$(best "$T" "$t_csv")
    echo "ingest_bench: round $round: CSV   $CSV_LINES lines in $T s"
    run_copy bench_copy_csv "$WORK/data/csv.copy" "$CSV_SUBS"
    t_copy_big=$(best "$T" "$t_copy_big")
    echo "ingest_bench: round $round: COPY  $CSV_LINES rows in $T s"
    # Each round's own ratios (its ingest against the COPY measured right after it).
    pairs_json+=("$(awk -v i="$T_JSON_ROUND" -v c="$T_COPY_SMALL_ROUND" 'BEGIN { printf "%.1f", 100 * c / i }')")
    pairs_csv+=("$(awk -v i="$T_CSV_ROUND" -v c="$T" 'BEGIN { printf "%.1f", 100 * c / i }')")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
cat "$WORK/import.out"

# ---- what ingest stored is what the generator computed ------------------------------------
# Every column but submission_id, in line_ref order (line references are unique here).
COMPARE_COLUMNS=${COLUMNS_LIST#submission_id, }
digest() { psql_db "$1" -c "COPY (SELECT $COMPARE_COLUMNS FROM declaration_line ORDER BY line_ref) TO STDOUT" | md5sum | cut -d' ' -f1; }
problems=()
[ "$(digest bench_json)" = "$(digest bench_copy_json)" ] || problems+=("JSON rows differ.")
[ "$(digest bench_csv)" = "$(digest bench_copy_csv)" ] || problems+=("CSV rows differ.")
check=${problems[*]:-ok}

# ---- report -------------------------------------------------------------------------------
r_json=$(rate "$JSON_LINES" "$t_json")
r_csv=$(rate "$CSV_LINES" "$t_csv")
r_copy_small=$(rate "$JSON_LINES" "$t_copy_small")
r_copy_big=$(rate "$CSV_LINES" "$t_copy_big")
ratio_json=$(awk -v a="$r_json" -v b="$r_copy_small" 'BEGIN { printf "%.1f", 100 * a / b }')
ratio_csv=$(awk -v a="$r_csv" -v b="$r_copy_big" 'BEGIN { printf "%.1f", 100 * a / b }')
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t ? "met" : "MISSED") }'; }
v_json=$(verdict "$ratio_json" 50)
v_csv=$(verdict "$ratio_csv" 70)
cat <<EOF

ingest_bench results ($(nproc) CPUs, PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}'), best of $REPEAT)
  JSON  POST $JSON_SUBS x $LINES lines, $JSON_CLIENTS client(s)  $t_json s  $r_json lines/s
  COPY  $JSON_LINES rows                        $t_copy_small s  $r_copy_small lines/s
        JSON / COPY = $ratio_json %  (target >= 50 %: $v_json); per round: ${pairs_json[*]} (median $(median "${pairs_json[@]}") %)
  CSV   lvhcmon import --jobs $CSV_JOBS $CSV_SUBS x $LINES lines    $t_csv s  $r_csv lines/s
  COPY  $CSV_LINES rows                      $t_copy_big s  $r_copy_big lines/s
        CSV / COPY = $ratio_csv %  (target >= 70 %: $v_csv); per round: ${pairs_csv[*]} (median $(median "${pairs_csv[@]}") %)
  stored rows equal the generated rows: $check
EOF
[ "$check" = ok ] || exit 1
[ "$v_json" = met ] && [ "$v_csv" = met ] || exit 2
