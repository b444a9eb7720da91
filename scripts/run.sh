#!/bin/sh
# run.sh: build lvhcmon and run it locally with a private PostgreSQL, in the foreground.
#
# First run: installs missing packages, builds build/ (Release), creates a PostgreSQL
# cluster in ./var/pg listening only on a Unix socket in ./var/run (port number 5433, no
# TCP), creates the database lvhcmon and the two roles of a deployment (the cluster's
# superuser owns the schema and runs the migrations; lvhcmond, a member of lvhcmon_runtime,
# is what the daemon connects as), generates the client hash key ./var/client_hash.key
# (mode 600), writes ./var/lvhcmon.conf, applies the migrations, loads the reference and
# demo data when scripts/demo-load.sh is there, and starts lvhcmond on 127.0.0.1:8080.
# Later runs reuse the cluster, the key and the data. Ctrl-C stops the daemon gracefully,
# then the cluster.
#
# Environment: LVHCMON_LISTEN (default 127.0.0.1:8080), LVHCMON_PG_PORT (default 5433).
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
LISTEN=${LVHCMON_LISTEN:-127.0.0.1:8080}
PG_PORT=${LVHCMON_PG_PORT:-5433}
VAR=$ROOT/var
PGDATA=$VAR/pg
SOCK=$VAR/run
CONF=$VAR/lvhcmon.conf
BIN=$ROOT/build/daemon

say() { echo "run: $*" >&2; }
die() {
    say "$*"
    exit 1
}

./scripts/deps.sh run
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" >/dev/null

PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[ -x "$PG_BIN/initdb" ] || PG_BIN=$(dirname "$(command -v initdb || echo /nonexistent/initdb)")
[ -x "$PG_BIN/initdb" ] || die "PostgreSQL's initdb not found (install postgresql)"

# initdb refuses to run as root: as root, the cluster belongs to the postgres user.
if [ "$(id -u)" -eq 0 ]; then
    DB_USER=postgres
    as_pg() { runuser -u postgres -- "$@"; }
else
    DB_USER=$(id -un)
    as_pg() { "$@"; }
fi

mkdir -p "$VAR" "$SOCK" "$VAR/log"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$SOCK" "$VAR/log"
    as_pg test -w "$SOCK" ||
        die "the postgres user cannot reach $VAR (a parent folder closed to other users?)"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    say "creating the PostgreSQL cluster in $PGDATA"
    mkdir -p "$PGDATA"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    as_pg "$PG_BIN/initdb" -D "$PGDATA" -A trust -U "$DB_USER" -E UTF8 --locale=C \
        >"$VAR/log/initdb.log" 2>&1 || die "initdb failed; see $VAR/log/initdb.log"
fi

if ! as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$VAR/log/postgres.log" -w -t 60 \
        -o "-k $SOCK -p $PG_PORT -c listen_addresses=''" start >/dev/null ||
        die "PostgreSQL did not start; see $VAR/log/postgres.log"
fi

stop_pg() {
    if as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1; then
        say "PostgreSQL stopped"
    fi
}

psql_pg() {
    "$PG_BIN/psql" -X -q -h "$SOCK" -p "$PG_PORT" -U "$DB_USER" "$@"
}
if ! psql_pg -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'lvhcmon'" |
    grep -q 1; then
    psql_pg -d postgres -c "CREATE DATABASE lvhcmon" || {
        stop_pg
        die "cannot create the database"
    }
fi

# The daemon's role (README, "Security"): it may read, append to the ledger and keep the
# alert state, nothing more; the grants come with the migrations (sql/0006_runtime_role.sql).
# Trust authentication over the cluster's private socket, as for the owner.
psql_pg -d postgres -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || {
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lvhcmon_runtime') THEN
        CREATE ROLE lvhcmon_runtime NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lvhcmond') THEN
        CREATE ROLE lvhcmond LOGIN IN ROLE lvhcmon_runtime;
    END IF;
END $$;
SQL
    stop_pg
    die "cannot create the database roles"
}

if [ ! -s "$VAR/client_hash.key" ]; then
    (
        umask 077
        od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$VAR/client_hash.key"
        echo >>"$VAR/client_hash.key"
    )
    say "generated the client hash key $VAR/client_hash.key"
fi
chmod 600 "$VAR/client_hash.key"

cat >"$CONF" <<CONF
# Written by scripts/run.sh at every start: edit scripts/run.sh (or set LVHCMON_LISTEN,
# LVHCMON_PG_PORT) rather than this file. config/lvhcmon.conf documents every key.
[server]
listen = $LISTEN
web_dir = ../web

[database]
conninfo = host=$SOCK port=$PG_PORT dbname=lvhcmon user=lvhcmond
migrate_conninfo = host=$SOCK port=$PG_PORT dbname=lvhcmon user=$DB_USER
sql_dir = ../sql

[privacy]
client_hash_key_file = client_hash.key
CONF

"$BIN/lvhcmon" --config "$CONF" migrate || {
    stop_pg
    die "migrations failed"
}

if [ -x scripts/demo-load.sh ]; then
    LVHCMON_BIN_DIR=$ROOT/build LVHCMON_CONFIG=$CONF ./scripts/demo-load.sh ||
        say "demo data not loaded (see above); starting without it"
elif ls reference/*.csv >/dev/null 2>&1; then
    "$BIN/lvhcmon" --config "$CONF" reference load reference ||
        say "reference data not loaded (see above); starting without it"
fi

# A controller token for the dashboard, created once and kept (mode 600) next to the
# cluster, so the page can be opened right away. Only its hash is in the database.
TOKEN_FILE=$VAR/controller.token
if [ ! -s "$TOKEN_FILE" ]; then
    (umask 077 && "$BIN/lvhcmon" --config "$CONF" token add --role controller \
        --label "run.sh demo controller" >"$TOKEN_FILE") ||
        say "no controller token created (see above)"
fi

DAEMON_PID=""
cleanup() {
    trap - INT TERM
    if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
        kill -TERM "$DAEMON_PID" 2>/dev/null || true
        wait "$DAEMON_PID" 2>/dev/null || true
    fi
    stop_pg
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

"$BIN/lvhcmond" --config "$CONF" &
DAEMON_PID=$!

tries=0
until curl -fs "http://$LISTEN/healthz" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if ! kill -0 "$DAEMON_PID" 2>/dev/null || [ "$tries" -gt 300 ]; then
        cleanup
        die "lvhcmond did not start (see its log above)"
    fi
    sleep 0.1
done

cat >&2 <<EOT

  lvhcmon is running: open http://$LISTEN/
  dashboard token (controller): $(cat "$TOKEN_FILE" 2>/dev/null)   (kept in $TOKEN_FILE)
  readiness:  curl http://$LISTEN/readyz
  more tokens: $BIN/lvhcmon --config $CONF token add --role controller|dashboard|ingest|provider
  then:       curl -H "Authorization: Bearer TOKEN" http://$LISTEN/api/v1/whoami
  Ctrl-C stops the daemon and PostgreSQL.

EOT

rc=0
wait "$DAEMON_PID" || rc=$?
DAEMON_PID=""
cleanup
exit "$rc"
