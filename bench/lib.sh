# bench/lib.sh: the setup every bench script shares (sourced, never run): where the
# PostgreSQL binaries are, a temporary folder, a throwaway PostgreSQL cluster on a Unix
# socket inside it, a Release build of the programs, the demo year, free ports, and the
# clean-up of all of that however the script ends.
#
#   SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
#   . "$SRC/bench/lib.sh"
#   bench_init NAME                      WORK (BENCH_DIR, or a new /tmp/lvhcmon-NAME.XXXXXX),
#                                        PG_BINDIR, PGUSER_NAME, as_pg, the exit trap
#   bench_build SRC BUILD TARGET...      a Release build of SRC in BUILD
#   bench_programs TARGET...             BUILD: LVHCMON_BUILD_DIR, else a Release build of
#                                        the targets in $WORK/build; LVHCMOND, LVHCMON in it
#   bench_pg_start [SERVER_OPTION...]    initdb and start a cluster in PGDIR ($WORK/pg),
#                                        listening on a socket there only (port PGPORT)
#   psql_db DB [PSQL_ARG...]             psql on that cluster (stops at the first error)
#   conninfo DB                          a libpq conninfo for it
#   bench_key FILE                       a random client hash key (hex, mode 600)
#   bench_conf FILE PORT DB [LINE...]    a lvhcmond configuration: listening on PORT, on
#                                        database DB, with the key BENCH_KEY (made on first
#                                        use), log level LOG_LEVEL (warning); LINEs are more
#                                        [server] settings, and from the first "[section]"
#                                        line on they go at the end as they are
#   bench_schema CONF [LVHCMON]          migrations and the reference data into CONF's
#                                        database
#   bench_demo BUILD LVHCMON CONF        the demo year (tools/demogen, ~7,000 lines of 2026)
#                                        generated once into $WORK/demo and imported into
#                                        the database CONF names (LVHCMON_DB overrides it)
#   free_port, now, elapsed A B, median V...
#
# On exit the trap calls the script's bench_on_exit when it defines one, sends SIGTERM to
# every pid in PIDS and waits for them, stops the cluster, and removes WORK unless KEEP=1.
#
# Environment read here: BENCH_DIR, KEEP, LVHCMON_BUILD_DIR, PG_BINDIR (or LVHCMON_PG_BINDIR; default the
# newest /usr/lib/postgresql/*/bin), JOBS (parallel build jobs, default 2).

bench_init() {   # name
    BENCH_NAME=$1
    PG_BINDIR=${PG_BINDIR:-${LVHCMON_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}}
    [ -x "$PG_BINDIR/initdb" ] ||
        { echo "$BENCH_NAME: no initdb in '$PG_BINDIR' (set PG_BINDIR)" >&2; exit 1; }
    WORK=${BENCH_DIR:-$(mktemp -d "/tmp/lvhcmon-$BENCH_NAME.XXXXXX")}
    mkdir -p "$WORK"
    chmod 711 "$WORK" # the postgres user reaches its folder inside
    PGDIR=$WORK/pg
    BENCH_KEY=$WORK/client_hash.key
    PIDS=()
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

# initdb refuses to run as root: the cluster then belongs to postgres.
if [ "$(id -u)" = 0 ]; then
    PGUSER_NAME=postgres
    as_pg() { runuser -u postgres -- "$@"; }
else
    PGUSER_NAME=$(id -un)
    as_pg() { "$@"; }
fi

bench_cleanup() {
    if declare -F bench_on_exit >/dev/null; then bench_on_exit || true; fi
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ -d "$PGDIR/data" ]; then
        as_pg "$PG_BINDIR/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ "${KEEP:-0}" = 1 ]; then echo "$BENCH_NAME: kept $WORK" >&2; else rm -rf "$WORK"; fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

bench_build() {   # source dir, build dir, target...
    # GCC's -O2-only flow warnings (false positives so far) must not stop a bench build.
    cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
        "-DCMAKE_C_FLAGS=-Wno-maybe-uninitialized -Wno-format-truncation -Wno-stringop-truncation -Wno-stringop-overflow" \
        >/dev/null
    make -C "$2" -j"${JOBS:-2}" "${@:3}" >/dev/null
}

bench_programs() {   # target...
    if [ -n "${LVHCMON_BUILD_DIR:-}" ]; then
        BUILD=$(cd "$LVHCMON_BUILD_DIR" && pwd)
    else
        BUILD=$WORK/build
        echo "$BENCH_NAME: building a Release tree in $BUILD"
        bench_build "$SRC" "$BUILD" "$@"
    fi
    LVHCMOND=$BUILD/daemon/lvhcmond
    LVHCMON=$BUILD/daemon/lvhcmon
}

bench_pg_start() {   # server option... (each a word of postgres's command line, e.g. -c x=y)
    PGPORT=$(free_port)
    mkdir -p "$PGDIR"
    [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
    chmod 700 "$PGDIR"
    as_pg "$PG_BINDIR/initdb" -D "$PGDIR/data" -A trust -U "$PGUSER_NAME" -E UTF8 --locale=C \
        --no-sync >/dev/null
    as_pg "$PG_BINDIR/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/postgres.log" -w -t 60 \
        -o "-k $PGDIR -p $PGPORT -c listen_addresses='' $*" start >/dev/null
}

conninfo() { echo "host=$PGDIR port=$PGPORT user=$PGUSER_NAME dbname=$1"; }
psql_db() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGDIR" -p "$PGPORT" -U "$PGUSER_NAME" -d "$1" "${@:2}"; }

bench_key() {   # file
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$1"
    chmod 600 "$1"
}

bench_conf() {   # file, port, database, line...
    local file=$1 port=$2 db=$3 line
    shift 3
    local server=() sections=()
    for line in "$@"; do
        if [ ${#sections[@]} -gt 0 ] || [[ $line == \[* ]]; then
            sections+=("$line")
        else
            server+=("$line")
        fi
    done
    [ -f "$BENCH_KEY" ] || bench_key "$BENCH_KEY"
    {
        printf '[server]\nlisten = 127.0.0.1:%s\n' "$port"
        [ ${#server[@]} -eq 0 ] || printf '%s\n' "${server[@]}"
        printf '[database]\nconninfo = %s\nsql_dir = %s\n' "$(conninfo "$db")" "$SRC/sql"
        printf '[privacy]\nclient_hash_key_file = %s\n' "$BENCH_KEY"
        printf '[log]\nlevel = %s\n' "${LOG_LEVEL:-warning}"
        [ ${#sections[@]} -eq 0 ] || printf '%s\n' "${sections[@]}"
    } >"$file"
}

bench_schema() {   # configuration, lvhcmon (default LVHCMON)
    local lv=${2:-$LVHCMON}
    "$lv" --config "$1" migrate >/dev/null
    "$lv" --config "$1" reference load "$SRC/reference" >/dev/null
}

bench_demo() {   # build dir, lvhcmon, configuration
    if [ ! -d "$WORK/demo" ]; then
        "$1/tools/demogen/lvhcmon-demogen" --reference "$SRC/reference" --out "$WORK/demo" \
            >/dev/null 2>&1
    fi
    local f
    for f in "$WORK"/demo/declarations-2026-*.csv; do
        "$2" --config "$3" import "$f" >>"$WORK/demo-import.log" 2>&1 || {
            tail -n 5 "$WORK/demo-import.log" >&2
            echo "$BENCH_NAME: importing the demo file $f failed" >&2
            return 1
        }
    done
}
