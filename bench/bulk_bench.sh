#!/usr/bin/env bash
# bulk_bench.sh: a bulk load through two instances: how fast it goes in, how soon each
# submission shows on the other instance, and how many snapshot updates and alert
# evaluations it costs, against yardsticks measured in the same run.
#
#   bench/bulk_bench.sh                        # the working tree (a Release build in $WORK)
#   BEFORE_REF=fb1cca8 bench/bulk_bench.sh     # and the same load on an earlier commit
#
# The load: CLIENTS (4) clients, each POSTing SUBS (100) JSON submissions of LINES (100)
# lines for a provider of its own to instance A, one after another over a keep-alive
# connection (bench/ingest_gen.py --providers, bench/bulk_load.py post). Instance B, on the
# same database, is polled meanwhile (GET /api/v1/providers with If-None-Match, as fast as
# it answers). The database holds the reference data and the demo year (tools/demogen,
# ~7,000 lines) first, so the snapshots have a real year to keep current.
#
# What is measured, per build:
#   lines/s         lines accepted / seconds from the first POST to the last answer
#   commit->visible from the commit time PostgreSQL records (track_commit_timestamp) to the
#                   first answer of B that includes the submission; p50 and p99
#   commit->answer  from the commit to the writer's answer from A (with read-your-writes,
#                   A answers once its own reads include the submission)
#   updates         B's snapshot rounds and A's alert evaluations during the load, from
#                   /metrics (builds that count them)
# and the yardsticks, in the same run:
#   COPY            the same rows in the same shape (CLIENTS concurrent psql sessions, each
#                   SUBS transactions of one COPY of LINES rows into declaration_line):
#                   what storing them costs PostgreSQL alone. lines/s is reported as a
#                   ratio to it.
#   NOTIFY          when each ledger notification reaches a bare listener (bench/
#                   notify_probe.c) during the load: no instance can show a commit it
#                   learns of through NOTIFY sooner. commit->visible is reported against it.
# The machine may be shared: with REPEAT > 1 every build and COPY run REPEAT times,
# interleaved, and the median of each figure counts.
#
# Environment: BUILD_DIR (use this build of the working tree instead of making one),
# BEFORE_REF (a git ref of this repository to measure too, built from `git archive`),
# CLIENTS, SUBS, LINES, REPEAT (1), PG_BINDIR and JOBS (bench/lib.sh),
# LOG_LEVEL (warning; debug logs every snapshot round with its timings), KEEP=1 keeps the
# temporary folder (with the daemons' logs).
# Needs: cmake, cc, python3, curl, PostgreSQL server binaries; as root, the postgres user.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$SRC/bench/lib.sh"
CLIENTS=${CLIENTS:-4}
SUBS=${SUBS:-100}
LINES=${LINES:-100}
REPEAT=${REPEAT:-1}
BEFORE_REF=${BEFORE_REF:-}
LOG_LEVEL=${LOG_LEVEL:-warning}
command -v curl >/dev/null || { echo "bulk_bench: curl not found" >&2; exit 1; }

bench_init bulk_bench

# --- builds ----------------------------------------------------------------------------------
if [ -n "${BUILD_DIR:-}" ]; then
    case $BUILD_DIR in /*) ;; *) BUILD_DIR=$PWD/$BUILD_DIR ;; esac
    AFTER_BUILD=$BUILD_DIR
    make -C "$AFTER_BUILD" -j2 lvhcmond lvhcmon lvhcmon-demogen notify_probe >/dev/null
else
    AFTER_BUILD=$WORK/build-after
    echo "bulk_bench: building the working tree (Release) in $AFTER_BUILD"
    bench_build "$SRC" "$AFTER_BUILD" lvhcmond lvhcmon lvhcmon-demogen notify_probe
fi
VARIANTS=(after)
declare -A VSRC VBUILD
VSRC[after]=$SRC
VBUILD[after]=$AFTER_BUILD
if [ -n "$BEFORE_REF" ]; then
    echo "bulk_bench: building $BEFORE_REF (Release)"
    mkdir -p "$WORK/src-before"
    git -C "$SRC" archive "$BEFORE_REF" | tar -x -C "$WORK/src-before"
    bench_build "$WORK/src-before" "$WORK/build-before" lvhcmond lvhcmon
    VARIANTS=(before after)
    VSRC[before]=$WORK/src-before
    VBUILD[before]=$WORK/build-before
fi
PROBE=$AFTER_BUILD/bench/notify_probe

# --- database, key, data ---------------------------------------------------------------------
# PostgreSQL's defaults (fsync on, as in production), room for the load without forced
# checkpoints, and commit times recorded (the start of every commit->visible figure).
bench_pg_start -c max_wal_size=8GB -c checkpoint_timeout=30min -c shared_buffers=256MB \
    -c track_commit_timestamp=on
bench_key "$WORK/key"
N_SUBS=$((CLIENTS * SUBS))
echo "bulk_bench: generating $CLIENTS x $SUBS submissions of $LINES lines"
python3 "$SRC/bench/ingest_gen.py" --reference "$SRC/reference" --out "$WORK/data" \
    --key-file "$WORK/key" --json-subs "$N_SUBS" --csv-subs 0 --lines "$LINES" \
    --providers "$CLIENTS" >/dev/null
AGBS=$(python3 -c "
import json, os, sys
d = sys.argv[1]
files = sorted(os.listdir(d))[:int(sys.argv[2])]
print(','.join(json.load(open(os.path.join(d, f)))['provider_agb'] for f in files))" \
    "$WORK/data/json" "$CLIENTS")

# --- one load through one build ---------------------------------------------------------------
metric() {   # file, metric with labels: its value, or "" when the build has no such counter
    awk -v m="$2" '$1 == m { print $2; exit }' "$1"
}
delta() {    # before file, after file, metric
    local a b
    a=$(metric "$1" "$3")
    b=$(metric "$2" "$3")
    if [ -z "$a" ] || [ -z "$b" ]; then echo "n/a"; else awk -v a="$a" -v b="$b" 'BEGIN { printf "%d", b - a }'; fi
}
run_load() {   # variant, round: leaves $WORK/<variant>-<round>.result (one JSON object)
    local v=$1 r=$2 db="bulk_${1}_$2" out="$WORK/$1-$2"
    local lv="${VBUILD[$v]}/daemon/lvhcmon" lvd="${VBUILD[$v]}/daemon/lvhcmond"
    mkdir -p "$out"
    psql_db postgres -c "CREATE DATABASE $db" >/dev/null
    local port_a port_b
    port_a=$(free_port)
    port_b=$(free_port)
    for name in a b; do
        local port=$port_a
        [ "$name" = b ] && port=$port_b
        cat >"$out/$name.conf" <<EOF
[server]
listen = 127.0.0.1:$port
threads = 4
max_body_bytes = 64 MiB
[database]
conninfo = $(conninfo "$db")
sql_dir = ${VSRC[$v]}/sql
[privacy]
client_hash_key_file = $WORK/key
[budget]
default_year = 2026
[log]
level = $LOG_LEVEL
EOF
    done
    "$lv" --config "$out/a.conf" migrate >/dev/null 2>>"$out/cli.log"
    "$lv" --config "$out/a.conf" reference load "$SRC/reference" >/dev/null 2>>"$out/cli.log"
    bench_demo "$AFTER_BUILD" "$lv" "$out/a.conf"
    local ingest controller
    ingest=$("$lv" --config "$out/a.conf" token add --role ingest 2>/dev/null)
    controller=$("$lv" --config "$out/a.conf" token add --role controller 2>/dev/null)
    "$lvd" --config "$out/a.conf" 2>"$out/a.log" &
    local pid_a=$!
    PIDS+=("$pid_a")
    sleep 0.5 # A leads the alerts: it starts first
    "$lvd" --config "$out/b.conf" 2>"$out/b.log" &
    local pid_b=$!
    PIDS+=("$pid_b")
    for port in $port_a $port_b; do
        for _ in $(seq 100); do
            curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
            sleep 0.1
        done
    done
    sleep 1 # the first rounds and evaluations are done
    curl -s "http://127.0.0.1:$port_a/metrics" >"$out/a.metrics0"
    curl -s "http://127.0.0.1:$port_b/metrics" >"$out/b.metrics0"

    # The bare listener and the observer of B run until their standard input closes.
    mkfifo "$out/probe.in" "$out/observe.in"
    "$PROBE" "$(conninfo "$db")" <"$out/probe.in" >"$out/notifies" 2>"$out/probe.err" &
    local pid_probe=$!
    exec 7>"$out/probe.in"
    python3 "$SRC/bench/bulk_load.py" observe --port "$port_b" --token "$controller" \
        --agbs "$AGBS" --out "$out/samples" <"$out/observe.in" >"$out/observe.out" &
    local pid_obs=$!
    exec 8>"$out/observe.in"
    for _ in $(seq 200); do
        grep -q ready "$out/probe.err" 2>/dev/null && grep -q ready "$out/observe.out" 2>/dev/null && break
        sleep 0.05
    done
    local seconds
    seconds=$(python3 "$SRC/bench/bulk_load.py" post --port "$port_a" --token "$ingest" \
        --folder "$WORK/data/json" --clients "$CLIENTS" --out "$out/posts")
    sleep 2 # B catches up with the last commits
    exec 7>&- 8>&-
    wait "$pid_probe" "$pid_obs"
    curl -s "http://127.0.0.1:$port_a/metrics" >"$out/a.metrics1"
    curl -s "http://127.0.0.1:$port_b/metrics" >"$out/b.metrics1"
    kill -TERM "$pid_a" "$pid_b"
    wait "$pid_a" "$pid_b" || true
    psql_db "$db" -A -t -c "SELECT id, reference, provider_agb,
            extract(epoch FROM pg_xact_commit_timestamp(xmin)) FROM submission
            WHERE reference LIKE 'BJ-%'" >"$out/commits"
    python3 "$SRC/bench/bulk_load.py" report --posts "$out/posts" --samples "$out/samples" \
        --commits "$out/commits" --notifies "$out/notifies" >"$out/report"
    python3 - "$out/report" "$seconds" \
        "$(delta "$out/b.metrics0" "$out/b.metrics1" 'lvhcmon_snapshot_updates_total{kind="catch_up"}')" \
        "$(delta "$out/b.metrics0" "$out/b.metrics1" 'lvhcmon_snapshot_updates_total{kind="full"}')" \
        "$(delta "$out/a.metrics0" "$out/a.metrics1" 'lvhcmon_alert_evaluations_total{result="saved"}')" \
        "$(delta "$out/a.metrics0" "$out/a.metrics1" 'lvhcmon_snapshot_updates_total{kind="catch_up"}')" \
        >"$WORK/$v-$r.result" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["seconds"] = float(sys.argv[2])
doc["lines_per_s"] = doc["lines_accepted"] / doc["seconds"]
doc["b_rounds"], doc["b_full"], doc["a_evaluations"], doc["a_rounds"] = sys.argv[3:7]
print(json.dumps(doc))
PY
    psql_db postgres -c "DROP DATABASE $db" >/dev/null
}

# --- the yardstick: the same rows with plain COPY ----------------------------------------------
COLUMNS_LIST=$(cat "$WORK/data/copy_columns")
python3 - "$WORK/data/json.copy" "$WORK/copy" "$CLIENTS" "$COLUMNS_LIST" <<'PY'
import collections, os, sys
rows, out, clients, columns = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
os.makedirs(out, exist_ok=True)
by_sub = collections.OrderedDict()
for line in open(rows):
    by_sub.setdefault(int(line.split("\t", 1)[0]), []).append(line)
files = [open(os.path.join(out, f"client{c}.sql"), "w") for c in range(clients)]
for sid, lines in by_sub.items():
    f = files[(sid - 1) % clients]
    f.write(f"BEGIN;\nCOPY declaration_line ({columns}) FROM STDIN;\n")
    f.writelines(lines)
    f.write("\\.\nCOMMIT;\n")
for f in files:
    f.close()
PY
run_copy() {   # round: leaves $WORK/copy-<round>.result (seconds)
    local db="bulk_copy_$1"
    psql_db postgres -c "CREATE DATABASE $db" >/dev/null
    LVHCMON_DB=$(conninfo "$db") "$AFTER_BUILD/daemon/lvhcmon" --config "$WORK/after-1/a.conf" \
        migrate >/dev/null 2>>"$WORK/cli.log"
    LVHCMON_DB=$(conninfo "$db") "$AFTER_BUILD/daemon/lvhcmon" --config "$WORK/after-1/a.conf" \
        reference load "$SRC/reference" >/dev/null 2>>"$WORK/cli.log"
    psql_db "$db" -c "INSERT INTO submission (id, provider_agb, reference, source, content_sha256,
                        canonical, response, accepted, rejected, amount_cents)
                      SELECT g, '41000001', 'R' || g, 'json', '', '{}', '{}', 0, 0, 0
                        FROM generate_series(1, $N_SUBS) g" >/dev/null
    local t0 pids=()
    t0=$(now)
    for c in $(seq 0 $((CLIENTS - 1))); do
        psql_db "$db" -f "$WORK/copy/client$c.sql" >/dev/null &
        pids+=($!)
    done
    wait "${pids[@]}"
    echo "$(elapsed "$t0" "$(now)")" >"$WORK/copy-$1.result"
    psql_db postgres -c "DROP DATABASE $db" >/dev/null
}

for r in $(seq 1 "$REPEAT"); do
    for v in "${VARIANTS[@]}"; do
        echo "bulk_bench: round $r: $v"
        run_load "$v" "$r"
    done
    echo "bulk_bench: round $r: COPY"
    run_copy "$r"
done

# --- report ------------------------------------------------------------------------------------
N_LINES=$((N_SUBS * LINES))
copies=()
for f in "$WORK"/copy-*.result; do copies+=("$(cat "$f")"); done
copy_s=$(median "${copies[@]}")
copy_rate=$(awk -v n="$N_LINES" -v t="$copy_s" 'BEGIN { printf "%.0f", n / t }')
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, d))" "$1" "$2"; }
fmt() { awk -v x="$1" 'BEGIN { printf "%.1f", x }'; }
echo
echo "bulk_bench results ($(nproc) CPUs, PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}'), $CLIENTS clients x $SUBS submissions x $LINES lines, median of $REPEAT)"
echo "  COPY (yardstick)  $N_LINES rows in $copy_s s: $copy_rate lines/s (rounds: ${copies[*]} s)"
for v in "${VARIANTS[@]}"; do
    rates=() vis50=() vis99=() ans50=() ans99=() not50=() not99=() rounds=() evals=() full=() never=()
    for r in $(seq 1 "$REPEAT"); do
        f=$WORK/$v-$r.result
        rates+=("$(field "$f" lines_per_s)")
        vis50+=("$(field "$f" 'visible["p50_ms"]')")
        vis99+=("$(field "$f" 'visible["p99_ms"]')")
        ans50+=("$(field "$f" 'answered["p50_ms"]')")
        ans99+=("$(field "$f" 'answered["p99_ms"]')")
        not50+=("$(field "$f" 'notified["p50_ms"]')")
        not99+=("$(field "$f" 'notified["p99_ms"]')")
        rounds+=("$(field "$f" b_rounds)")
        full+=("$(field "$f" b_full)")
        evals+=("$(field "$f" a_evaluations)")
        never+=("$(field "$f" never_seen)")
        headers=$(field "$f" '",".join(headers)')
    done
    rate=$(median "${rates[@]}")
    v50=$(median "${vis50[@]}") v99=$(median "${vis99[@]}")
    n50=$(median "${not50[@]}") n99=$(median "${not99[@]}")
    cat <<EOF
  $v
    lines/s            $(fmt "$rate")  = $(awk -v a="$rate" -v b="$copy_rate" 'BEGIN { printf "%.3f", a / b }') x COPY
    commit->visible B  p50 $(fmt "$v50") ms, p99 $(fmt "$v99") ms   (NOTIFY yardstick p50 $(fmt "$n50") ms, p99 $(fmt "$n99") ms: x$(awk -v a="$v50" -v b="$n50" 'BEGIN { printf "%.1f", a / b }') and x$(awk -v a="$v99" -v b="$n99" 'BEGIN { printf "%.1f", a / b }'))
    commit->answer A   p50 $(fmt "$(median "${ans50[@]}")") ms, p99 $(fmt "$(median "${ans99[@]}")") ms   (Lvhcmon-Read-Your-Writes: $headers)
    updates            B: ${rounds[*]} catch-up rounds, ${full[*]} full reloads; A: ${evals[*]} alert evaluations saved, for $N_SUBS commits
    never seen on B    ${never[*]}
EOF
done
