#!/bin/sh
# bench/valgrind_e2e.sh: memory safety of the real programs, end to end, under valgrind.
#
# Builds a Debug tree without sanitizers (valgrind and ASan do not mix), starts a throwaway
# PostgreSQL cluster, and runs lvhcmond under
#   valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99
#            --track-origins=yes
# through a short scenario that touches every endpoint: reference load and imports (the
# command line runs under valgrind too), JSON and AW319 submissions, a replay, a 409, a file
# rejected whole, reads of every endpoint (with an If-None-Match 304), alert
# acknowledgement, the generic errors (401, 404, 405, 413, 415), SIGHUP with a changed
# configuration, SIGTERM. Fails (exit 1) on any valgrind error or leak, on a wrong HTTP
# status, or when the daemon does not exit 0. Takes about a minute.
#
#   usage: bench/valgrind_e2e.sh [BUILD_DIR]   (default: build-valgrind in the repository)
#
# Settings (environment): VALGRIND_KEEP=1 keeps the work folder (logs) after a success.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-valgrind}
# Without its tools it cannot run: exit 77, which ctest reports as skipped.
for tool in valgrind curl; do
    command -v $tool >/dev/null ||
        { echo "valgrind_e2e: SKIPPED: $tool is not installed (scripts/deps.sh test)" >&2; exit 77; }
done

# -- build ---------------------------------------------------------------------------------
mkdir -p "$build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DLVHCMON_SANITIZE=OFF \
      -DBUILD_TESTING=OFF >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log" >&2; exit 2; }
cmake --build "$build" --target lvhcmond lvhcmon -j "$(nproc 2>/dev/null || echo 2)" \
    >"$build/build.log" 2>&1 || { tail -n 40 "$build/build.log" >&2; exit 2; }
daemon=$build/daemon/lvhcmond
cli=$build/daemon/lvhcmon

# -- PostgreSQL ----------------------------------------------------------------------------
pgbin=$(dirname "$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
[ -x "$pgbin/initdb" ] || pgbin=$(dirname "$(command -v initdb)")
work=$(mktemp -d /tmp/lvhcmon-valgrind.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pguser=$(id -un)
if [ "$(id -u)" = 0 ]; then chown postgres "$work"; pguser=postgres; fi
port=$(( 20000 + $$ % 30000 ))
pid=""
cleanup() {
    status=$?
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    as_pg "$pgbin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
    if [ "$status" -eq 0 ] && [ "${VALGRIND_KEEP:-0}" != 1 ]; then
        rm -rf "$work"
    else
        echo "valgrind_e2e: logs kept in $work" >&2
    fi
}
trap cleanup EXIT INT TERM
as_pg "$pgbin/initdb" -D "$work/data" -A trust -U "$pguser" -E UTF8 --locale=C --no-sync \
    >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 2; }
as_pg "$pgbin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w \
    -o "-k $work -p $port -c listen_addresses='' -c fsync=off" start >/dev/null
as_pg "$pgbin/psql" -X -q -h "$work" -p "$port" -U "$pguser" -d postgres \
    -c "CREATE DATABASE lvhcmon" >/dev/null

# -- configuration -------------------------------------------------------------------------
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/client_hash.key"
write_config() { # $1: log level
    cat >"$work/lvhcmon.conf" <<EOF
[server]
listen = 127.0.0.1:$http_port
threads = 2
connection_timeout_s = 5
max_body_bytes = 1 MiB
web_dir = $root/web
[database]
conninfo = host=$work port=$port dbname=lvhcmon user=$pguser
sql_dir = $root/sql
[privacy]
client_hash_key_file = client_hash.key
[budget]
default_year = 2026
[alerts]
evaluation_interval_s = 2
[log]
level = $1
EOF
}
write_config info

vg="valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect --error-exitcode=99 --track-origins=yes \
    --num-callers=30"
failures=0
fail() { echo "valgrind_e2e: FAIL: $*" >&2; failures=$((failures + 1)); }

# The command line under valgrind too: reference load, token creation, imports.
vg_cli() { # $1: name of the log; the rest: lvhcmon arguments
    name=$1
    shift
    # shellcheck disable=SC2086 # $vg is a list of words
    $vg --log-file="$work/vg-cli-$name.log" "$cli" --config "$work/lvhcmon.conf" "$@" \
        2>>"$work/cli.log"
}
"$cli" --config "$work/lvhcmon.conf" migrate >/dev/null
vg_cli reference reference load "$root/reference" >/dev/null || fail "reference load"
ingest=$(vg_cli token-ingest token add --role ingest) || fail "token add"
controller=$("$cli" --config "$work/lvhcmon.conf" token add --role controller 2>/dev/null)
dashboard=$("$cli" --config "$work/lvhcmon.conf" token add --role dashboard 2>/dev/null)
provider=$("$cli" --config "$work/lvhcmon.conf" token add --role provider \
    --provider 41000001 2>/dev/null)

# -- the daemon ----------------------------------------------------------------------------
# shellcheck disable=SC2086
$vg --log-file="$work/vg-daemon.log" "$daemon" --config "$work/lvhcmon.conf" \
    >"$work/daemon.out" 2>"$work/daemon.log" &
pid=$!
started=$(date +%s)
until curl -fsS -o /dev/null "http://127.0.0.1:$http_port/healthz" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/daemon.log" >&2; fail "lvhcmond exited"; exit 1; }
    [ $(( $(date +%s) - started )) -lt 120 ] || { fail "lvhcmond did not start"; exit 1; }
    sleep 0.5
done

base="http://127.0.0.1:$http_port"
requests=0
# expect STATUS METHOD PATH [TOKEN [BODY_FILE [CONTENT_TYPE [EXTRA_HEADER]]]]
expect() {
    want=$1 method=$2 path=$3 token=${4:-} body=${5:-} type=${6:-application/json}
    extra=${7:-}
    set -- -sS -o "$work/last.body" -w '%{http_code}' -X "$method" --max-time 120
    [ -n "$token" ] && set -- "$@" -H "Authorization: Bearer $token"
    [ -n "$body" ] && set -- "$@" -H "Content-Type: $type" --data-binary "@$body"
    [ -n "$extra" ] && set -- "$@" -H "$extra"
    got=$(curl "$@" "$base$path") || got="no answer"
    requests=$((requests + 1))
    if [ "$got" != "$want" ]; then
        fail "$method $path: $got, expected $want: $(head -c 300 "$work/last.body")"
    fi
}
json_field() { # $1: python expression over `d` (the last body as JSON)
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$work/last.body"
}

cat >"$work/sub.json" <<'EOF'
{"provider_agb": "41000001", "reference": "vg-1", "lines": [
 {"line_ref": "vg-1-1", "client_bsn": "123456782", "prestatie": "CAKOR",
  "date_from": "2026-09-01", "date_to": "2026-09-30", "minutes": 210,
  "travel_cents": 0, "debit_credit": "D", "corrects_ref": null},
 {"line_ref": "vg-1-2", "client_bsn": "111222333", "prestatie": "CAKOR",
  "date_from": "2026-09-03", "date_to": "2026-09-03", "minutes": 60,
  "travel_cents": 1250, "debit_credit": "D", "corrects_ref": null},
 {"line_ref": "vg-1-3", "client_bsn": "123456789", "prestatie": "CAKOR",
  "date_from": "2026-09-04", "date_to": "2026-09-04", "minutes": 30,
  "travel_cents": 0, "debit_credit": "D", "corrects_ref": null}]}
EOF
sed 's/"minutes": 210/"minutes": 225/' "$work/sub.json" >"$work/conflict.json"
printf '{"provider_agb": "41000001", "reference": "vg-2", "lines": [' >"$work/broken.json"
printf '{"by": "valgrind", "comment": "seen"}' >"$work/ack.json"
head -c 2000000 /dev/zero | tr '\0' ' ' >"$work/big.json"
aw=$root/tests/data/aw319

expect 200 GET /healthz
expect 200 GET /readyz
expect 200 GET /metrics
expect 200 GET /api/v1/whoami "$controller"
expect 201 POST /api/v1/declarations "$ingest" "$work/sub.json"
id=$(json_field 'd["id"]')
expect 200 POST /api/v1/declarations "$ingest" "$work/sub.json"
expect 409 POST /api/v1/declarations "$ingest" "$work/conflict.json"
expect 422 POST /api/v1/declarations "$ingest" "$work/broken.json"
expect 415 POST /api/v1/declarations "$ingest" "$work/sub.json" text/plain
expect 413 POST /api/v1/declarations "$ingest" "$work/big.json"
expect 201 POST /api/v1/declarations/aw319 "$provider" "$aw/valid.aw319" text/plain
expect 422 POST /api/v1/declarations/aw319 "$ingest" "$aw/trailer_total_wrong.aw319" text/plain
expect 422 POST /api/v1/declarations/aw319 "$ingest" "$aw/short_record.aw319" text/plain
expect 200 GET "/api/v1/declarations/$id" "$controller"
expect 200 GET "/api/v1/declarations/$id" "$provider"
expect 200 GET "/api/v1/providers/41000001/declarations?year=2026&month=9" "$controller"
expect 200 GET "/api/v1/providers/41000001/declarations?status=rejected" "$provider"
expect 200 GET "/api/v1/status?year=2026" "$dashboard"
# The status document is rebuilt at least every evaluation_interval_s (its generated_at
# moves on), which under valgrind can fall between the two requests: up to three tries.
for try in 1 2 3; do
    etag=$(curl -sS -D - -o /dev/null -H "Authorization: Bearer $dashboard" \
        "$base/api/v1/status?year=2026" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
    code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $dashboard" \
        -H "If-None-Match: $etag" "$base/api/v1/status?year=2026") || code="no answer"
    requests=$((requests + 2))
    [ "$code" = 304 ] && break
    echo "valgrind_e2e: If-None-Match try $try: $code (the document was rebuilt in between)"
done
[ "$code" = 304 ] || fail "GET /api/v1/status?year=2026 with If-None-Match: $code, expected 304"
expect 200 GET "/api/v1/status" "$controller"
expect 200 GET "/api/v1/groups/KOR?year=2026" "$dashboard"
expect 200 GET "/api/v1/providers?year=2026" "$controller"
expect 200 GET "/api/v1/providers/41000001?year=2026" "$provider"
expect 200 GET "/api/v1/alerts?state=all" "$dashboard"
# Alerts come from the engine's first evaluation. Its year is 2026 ([budget] default_year),
# whose months are complete, so designated providers without declarations fire
# ProviderDeclarationMissing whatever today's date: an alert to acknowledge is certain.
tries=0
fingerprint=""
while [ -z "$fingerprint" ] && [ $tries -lt 30 ]; do
    expect 200 GET "/api/v1/alerts?state=firing" "$controller"
    fingerprint=$(json_field 'd["alerts"][0]["fingerprint"] if d["alerts"] else ""')
    tries=$((tries + 1))
    [ -n "$fingerprint" ] || sleep 1
done
if [ -n "$fingerprint" ]; then
    expect 200 GET "/api/v1/alerts/$fingerprint" "$controller"
    expect 200 POST "/api/v1/alerts/$fingerprint/ack" "$controller" "$work/ack.json"
else
    fail "no alert fired within 30 s: the acknowledgement was not exercised"
fi
expect 404 POST "/api/v1/alerts/0000000000000000/ack" "$controller" "$work/ack.json"
expect 200 GET /
expect 200 GET /app.js
expect 404 GET /nothing-here
expect 404 GET /api/v1/declarations/999999 "$controller"
expect 401 GET "/api/v1/status?year=2026"
expect 403 GET "/api/v1/providers?year=2026" "$dashboard"
expect 405 DELETE /api/v1/declarations "$ingest"
expect 400 GET "/api/v1/status?year=abc" "$dashboard"

# SIGHUP with a changed configuration, then more traffic under the new one.
write_config debug
kill -HUP "$pid"
tries=0
until grep -q '"configuration reloaded"' "$work/daemon.log" || [ $tries -ge 60 ]; do
    sleep 0.5
    tries=$((tries + 1))
done
grep -q '"configuration reloaded"' "$work/daemon.log" || fail "no reload after SIGHUP"
sed 's/vg-1/vg-3/g' "$work/sub.json" >"$work/sub3.json"
expect 201 POST /api/v1/declarations "$ingest" "$work/sub3.json"
expect 200 GET "/api/v1/status?year=2026" "$dashboard"

# The command line imports the same way (and under valgrind).
sed 's/vg-1/vg-4/g' "$work/sub.json" >"$work/sub4.json"
vg_cli import-json import "$work/sub4.json" --format json >/dev/null || fail "import json"
printf 'provider_agb,reference\n"41000001,x\n' >"$work/open_quote.csv"
vg_cli import-csv import "$work/open_quote.csv" --format csv >/dev/null && \
    fail "import of a broken CSV succeeded"

# SIGTERM: a clean exit, and valgrind's verdict.
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
pid=""
[ "$code" -eq 0 ] || fail "lvhcmond exited $code (99: valgrind found errors)"

for log in "$work"/vg-*.log; do
    name=$(basename "$log" .log)
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -n 1)
    lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -n 1)
    indirect=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -n 1)
    printf '%-18s errors %s, definitely lost %s bytes, indirectly lost %s bytes\n' \
        "$name" "${errors:-?}" "${lost:-0}" "${indirect:-0}"
    if [ "${errors:-1}" != 0 ]; then
        fail "$name: valgrind errors"
        grep -m 40 -E '^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|[0-9,]+ bytes in|   (at|by) )' \
            "$log" >&2 || true
    fi
done
elapsed=$(( $(date +%s) - started ))
if [ "$failures" -ne 0 ]; then
    echo "valgrind_e2e: $failures failure(s) in $requests requests (${elapsed}s)" >&2
    exit 1
fi
echo "valgrind_e2e: ok: $requests requests (an alert acknowledged), every answer as expected, no valgrind" \
     "errors, no definite or indirect leaks, clean exit (${elapsed}s)"
