#!/usr/bin/env bash
# scale_bench.sh: lvhcmond on a ledger of 1,000,000 declaration lines (some 50 years of the
# national volume): how long its first budget snapshot takes to build and how much memory
# it holds, against the same daemon on the demo year and against PostgreSQL's own time for
# the aggregate the snapshot reads, measured in the same run.
#
#   bench/scale_bench.sh                          # builds a Release tree, runs, cleans up
#   LVHCMON_BUILD_DIR=build-rel bench/scale_bench.sh
#
# Two databases in one throwaway cluster, both with the schema and the reference data:
#   demo   the demo year (tools/demogen, ~7,000 lines of 2026, imported by lvhcmon)
#   scale  LINES (1,000,000) lines written by bench/scale_gen.sql straight into the ledger as
#          ingest stores them: YEARS (50) years up to last month, one submission a provider
#          a month (70 providers), rejected lines, credits, late lines; client hashes keyed
#          with the daemon's key. Then VACUUM ANALYZE, as a database that has lived has.
# Then, ROUNDS (3) times, alternating the two databases, lvhcmond is started afresh and
#   first status  the wall time from starting lvhcmond to the first 200 of GET
#                 /api/v1/status (dashboard token; polled every 10 ms)
#   build         the daemon's own time for its first snapshot round (the gauge
#                 lvhcmon_snapshot_round_seconds{kind="full"} on /metrics: reading the
#                 database, and in all)
#   RSS           VmRSS at the first status and VmHWM (the peak) SETTLE (3) seconds later,
#                 once the first alert evaluation is done, from /proc
# and the yardsticks: the demo database's figures, and the SQL the snapshot reads for the
# current year (snapshot_ledger's aggregate) timed in psql on the scale database, with the
# same aggregate over every year beside it (what a read of the whole ledger would cost).
# The median round of each figure is reported, with the targets: build under 1 s, RSS
# (peak) under 64 MiB on the scale database. Exit status: 0 targets met, 2 a target
# missed, 1 the run failed.
#
# Environment: LINES, YEARS, ROUNDS, SETTLE, CAPS (reference: the reference data's caps,
# 2025 and 2026; all: a national cap for every year from 2000 on too, so the alert engine
# evaluates and builds every year with lines), LVHCMON_BUILD_DIR (a Release build to use),
# BENCH_DIR, KEEP=1, PG_BINDIR, JOBS (bench/lib.sh).
# Needs: cmake, cc, python3, curl, PostgreSQL server binaries; as root, the postgres user.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$SRC/bench/lib.sh"
LINES=${LINES:-1000000}
YEARS=${YEARS:-50}
ROUNDS=${ROUNDS:-3}
SETTLE=${SETTLE:-3}
CAPS=${CAPS:-reference}
TARGET_BUILD_S=1
TARGET_RSS_MIB=64
command -v curl >/dev/null || { echo "scale_bench: curl not found" >&2; exit 1; }
bench_init scale_bench

# --- build -----------------------------------------------------------------------------------
bench_programs lvhcmond lvhcmon lvhcmon-demogen

# --- the two databases ---------------------------------------------------------------------
bench_pg_start -c fsync=off -c synchronous_commit=off -c max_wal_size=4GB
PORT=$(free_port)
for db in demo scale; do
    psql_db postgres -c "CREATE DATABASE $db" >/dev/null
    LOG_LEVEL=info bench_conf "$WORK/$db.conf" "$PORT" "$db" "threads = 2"
    bench_schema "$WORK/$db.conf"
done
echo "scale_bench: loading the demo year"
bench_demo "$BUILD" "$LVHCMON" "$WORK/demo.conf"

# The months: YEARS years up to the last complete month.
read -r THIS_YEAR THIS_MONTH < <(date -u '+%Y %-m')
if [ "$THIS_MONTH" = 1 ]; then LAST_YEAR=$((THIS_YEAR - 1)) LAST_MONTH=12
else LAST_YEAR=$THIS_YEAR LAST_MONTH=$((THIS_MONTH - 1)); fi
FIRST_YEAR=$((LAST_YEAR - YEARS + 1))
echo "scale_bench: generating $LINES lines, $FIRST_YEAR-01 to $LAST_YEAR-$LAST_MONTH"
t0=$(now)
# The clients' keyed hashes, as ingest computes them (HMAC-SHA256 of the BSN under the
# client hash key): 300 clients a provider, each a BSN that passes the 11-test.
python3 - "$BENCH_KEY" >"$WORK/clients.tsv" <<'PY'
import hashlib, hmac, sys
key = open(sys.argv[1], "rb").read().rstrip(b"\r\n")
for n in range(100 * 300):
    for t in range(10):
        first8 = f"{10000000 + n * 10 + t:08d}"
        check = sum(int(d) * w for d, w in zip(first8, range(9, 1, -1))) % 11
        if check < 10:
            bsn = first8 + str(check)
            break
    print(f"{n}\t{hmac.new(key, bsn.encode(), hashlib.sha256).hexdigest()}")
PY
{
    echo "CREATE TEMP TABLE gen_client (n int PRIMARY KEY, hash text NOT NULL);"
    echo "\\copy gen_client FROM '$WORK/clients.tsv'"
    echo "\\i $SRC/bench/scale_gen.sql"
} | psql_db scale -v first_year="$FIRST_YEAR" -v last_year="$LAST_YEAR" \
    -v last_month="$LAST_MONTH" -v lines="$LINES" -v ref_year=2026 >/dev/null
if [ "$CAPS" = all ]; then
    # A national cap for every year the schema allows: the alert engine then evaluates
    # every year with lines, and builds their snapshots, at start and every interval.
    psql_db scale -c "INSERT INTO budget (year, scope, scope_key, cap_cents)
        SELECT y, 'national', '', 450000000
          FROM generate_series(greatest($FIRST_YEAR, 2000), $LAST_YEAR) y
        ON CONFLICT DO NOTHING" >/dev/null
fi
psql_db scale -c "VACUUM (ANALYZE)" >/dev/null
psql_db scale -c "CHECKPOINT" >/dev/null
echo "scale_bench: generated and vacuumed in $(elapsed "$t0" "$(now)") s"

# What was written holds together: the count, each submission's totals against its lines,
# every credit against the debit it names.
CHECK=$(psql_db scale -A -t -F ' ' -c "
    SELECT (SELECT count(*) FROM declaration_line),
           (SELECT count(*) FROM submission s LEFT JOIN
               (SELECT submission_id, count(*) FILTER (WHERE accepted) AS a,
                       count(*) FILTER (WHERE NOT accepted) AS r,
                       coalesce(sum(amount_cents) FILTER (WHERE accepted), 0) AS cents
                  FROM declaration_line GROUP BY 1) l ON l.submission_id = s.id
             WHERE (s.accepted, s.rejected, s.amount_cents) IS DISTINCT FROM (l.a, l.r, l.cents)),
           (SELECT count(*) FROM declaration_line c WHERE c.debit_credit = 'C' AND NOT EXISTS
               (SELECT 1 FROM declaration_line d WHERE d.provider_agb = c.provider_agb
                   AND d.line_ref = c.corrects_ref AND d.accepted AND d.debit_credit = 'D'
                   AND d.amount_cents = -c.amount_cents AND d.client_hash = c.client_hash)),
           (SELECT count(*) FROM submission),
           (SELECT count(*) FILTER (WHERE NOT accepted) FROM declaration_line),
           (SELECT count(*) FILTER (WHERE debit_credit = 'C') FROM declaration_line),
           (SELECT count(*) FILTER (WHERE late) FROM declaration_line),
           (SELECT count(*) FROM declaration_line WHERE service_month >= make_date($LAST_YEAR, 1, 1)),
           pg_size_pretty(pg_database_size('scale'))")
read -r N_LINES BAD_SUBS BAD_CREDITS N_SUBS N_REJ N_CRED N_LATE N_THIS DB_SIZE <<<"$CHECK"
echo "scale_bench: $N_LINES lines in $N_SUBS submissions ($N_REJ rejected, $N_CRED credits," \
    "$N_LATE late; $N_THIS in $LAST_YEAR), database $DB_SIZE"
if [ "$N_LINES" != "$LINES" ] || [ "$BAD_SUBS" != 0 ] || [ "$BAD_CREDITS" != 0 ]; then
    echo "scale_bench: the generated ledger does not hold together: $N_LINES lines," \
        "$BAD_SUBS submissions whose totals differ, $BAD_CREDITS credits without their debit" >&2
    exit 1
fi

# --- the yardstick in SQL --------------------------------------------------------------------
# snapshot_ledger (daemon/db/queries_snapshot.c) for the current year, and over every year.
LEDGER_SUMS="SELECT service_month - DATE '1970-01-01' AS month_day,
       coalesce(target_group, '') AS target_group, provider_agb,
       coalesce(zorgkantoor, '') AS zorgkantoor, accepted,
       sum(amount_cents)::bigint AS amount_cents, sum(minutes)::bigint AS minutes,
       sum(travel_cents)::bigint AS travel_cents, count(*) FILTER (WHERE late) AS late_lines
  FROM declaration_line"
sql_ms() {   # where clause: the median of 5 runs of the aggregate, in ms (psql's \timing)
    { echo "\\timing on"; for _ in 1 2 3 4 5 6; do
        echo "$LEDGER_SUMS $1 GROUP BY 1, 2, 3, 4, 5 \\g /dev/null"; done; } |
        psql_db scale 2>&1 | awk '/^Time:/ { print $2 }' | tail -n 5 | sort -g | sed -n 3p
}
YEAR_WHERE="WHERE service_month >= make_date($THIS_YEAR, 1, 1) AND service_month < make_date($THIS_YEAR + 1, 1, 1)"
SQL_YEAR_MS=$(sql_ms "$YEAR_WHERE")
SQL_ALL_MS=$(sql_ms "")

# --- the daemon ------------------------------------------------------------------------------
DASH=$("$LVHCMON" --config "$WORK/demo.conf" token add --role dashboard 2>/dev/null)
DASH_SCALE=$("$LVHCMON" --config "$WORK/scale.conf" token add --role dashboard 2>/dev/null)
proc_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
gauge() { awk -v m="$2" '$1 == m { print $2 }' "$1"; }
measure() {   # database, round: leaves $WORK/<db>-<round>.result "first_s read_s total_s rss_kib hwm_kib"
    local db=$1 token=$DASH t0 pid code
    [ "$db" = scale ] && token=$DASH_SCALE
    t0=$(now)
    "$LVHCMOND" --config "$WORK/$db.conf" 2>"$WORK/$db-$2.log" &
    pid=$!
    PIDS+=("$pid")
    for _ in $(seq 3000); do
        code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
            "http://127.0.0.1:$PORT/api/v1/status" || true)
        [ "$code" = 200 ] && break
        kill -0 "$pid" 2>/dev/null || { cat "$WORK/$db-$2.log" >&2; exit 1; }
        sleep 0.01
    done
    [ "$code" = 200 ] || { echo "scale_bench: no status from lvhcmond on $db" >&2; exit 1; }
    local first rss
    first=$(elapsed "$t0" "$(now)")
    rss=$(proc_kib "$pid" VmRSS)
    sleep "$SETTLE"
    curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/metrics" >"$WORK/$db-$2.metrics"
    echo "$first $(gauge "$WORK/$db-$2.metrics" 'lvhcmon_snapshot_round_seconds{kind="full",phase="read"}')" \
        "$(gauge "$WORK/$db-$2.metrics" 'lvhcmon_snapshot_round_seconds{kind="full",phase="total"}')" \
        "$rss $(proc_kib "$pid" VmHWM)" >"$WORK/$db-$2.result"
    kill -TERM "$pid"
    wait "$pid" || { echo "scale_bench: lvhcmond on $db did not exit 0" >&2; exit 1; }
    unset 'PIDS[-1]'
}
for r in $(seq "$ROUNDS"); do
    for db in demo scale; do
        echo "scale_bench: round $r: $db"
        measure "$db" "$r"
    done
done

# --- report ------------------------------------------------------------------------------------
col() {   # database, column (1-5): the median over the rounds
    local vals=() r
    for r in $(seq "$ROUNDS"); do vals+=("$(awk -v c="$2" '{ print $c }' "$WORK/$1-$r.result")"); done
    median "${vals[@]}"
}
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.2f" : "n/a"), (b > 0 ? a / b : 0) }'; }
D_FIRST=$(col demo 1) D_READ=$(col demo 2) D_TOTAL=$(col demo 3) D_RSS=$(col demo 4) D_HWM=$(col demo 5)
S_FIRST=$(col scale 1) S_READ=$(col scale 2) S_TOTAL=$(col scale 3) S_RSS=$(col scale 4) S_HWM=$(col scale 5)
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v < t) ? "met" : "MISSED" }'; }
V_BUILD=$(verdict "$S_TOTAL" "$TARGET_BUILD_S")
V_RSS=$(verdict "$(mib "$S_HWM")" "$TARGET_RSS_MIB")
cat <<EOF

scale_bench results ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}'), median of $ROUNDS)
  scale database: $N_LINES lines, $N_SUBS submissions, $FIRST_YEAR-$LAST_YEAR, $N_THIS lines in $LAST_YEAR, $DB_SIZE, caps: $CAPS
                      demo (yardstick)   scale          scale / demo
  first status        $(ms "$D_FIRST") ms  $(ms "$S_FIRST") ms   x$(ratio "$S_FIRST" "$D_FIRST")
  snapshot read       $(ms "$D_READ") ms  $(ms "$S_READ") ms   x$(ratio "$S_READ" "$D_READ")
  snapshot build      $(ms "$D_TOTAL") ms  $(ms "$S_TOTAL") ms   x$(ratio "$S_TOTAL" "$D_TOTAL")   (target < ${TARGET_BUILD_S} s: $V_BUILD)
  RSS at first status $(mib "$D_RSS") MiB  $(mib "$S_RSS") MiB   x$(ratio "$S_RSS" "$D_RSS")
  RSS peak (VmHWM)    $(mib "$D_HWM") MiB  $(mib "$S_HWM") MiB   x$(ratio "$S_HWM" "$D_HWM")   (target < $TARGET_RSS_MIB MiB: $V_RSS)
  SQL yardstick on the scale database (psql, median of 5):
    the year's aggregate ($THIS_YEAR)   $SQL_YEAR_MS ms: snapshot read = x$(ratio "$(ms "$S_READ")" "$SQL_YEAR_MS") of it
    every year's aggregate    $SQL_ALL_MS ms
EOF
[ "$V_BUILD" = met ] && [ "$V_RSS" = met ] || exit 2
