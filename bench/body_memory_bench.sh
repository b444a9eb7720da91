#!/usr/bin/env bash
# body_memory_bench.sh: how much memory one large JSON submission costs lvhcmond, against the
# daemon's own idle size measured in the same run.
#
#   bench/body_memory_bench.sh        # builds a Release tree under $BENCH_DIR, runs, cleans up
#
# Before the shape check of lib/json_shape.h, an 8 MiB body of {"lines":[{},{},...]} (2.8
# million empty lines) was parsed whole by jansson before the line limit applied: some
# 600 MiB for one request. Now it is refused from its text. The bench starts the daemon
# (a throwaway PostgreSQL with the reference data) afresh for each body, waits until it is
# idle, and reads its resident size (VmRSS: the reference, measured in the same run). Then
# it resets the kernel's peak-RSS counter (echo 5 > /proc/PID/clear_refs), posts the body,
# and reads the peak (VmHWM) once the answer is in:
#
#   hostile        8 MiB of {"lines":[{},{},...]}: refused from its text (413, 9207)
#                  -> limit: LIMIT_MIB above idle
#   hostile-shape  8 MiB of ~67,000 lines that have every line field, each a number: the
#                  most a body can make jansson build once it passes the shape check (every
#                  name known, single values, within max_lines); refused by the decoder (422)
#   valid          8 MiB of valid lines (~41,000), validated, priced and stored (201)
#
# and prints, for each, the peak growth above idle in MiB. It fails (exit 1) when the
# hostile body's growth is above LIMIT_MIB (default 64). The other figures are reported,
# not judged: they are the cost of a submission within the limits (hostile-shape parses
# as much as a valid body of that many lines does), which a submitting token may send.
#
# Environment: BENCH_DIR (default a new temporary folder), LVHCMON_BUILD_DIR (use this build
# instead of making a Release one; not a sanitizer build, whose allocator keeps freed
# memory), LIMIT_MIB, KEEP=1 to keep the folder; PG_BINDIR and JOBS (bench/lib.sh).
# Needs: cmake, cc, python3, PostgreSQL server binaries; root (for clear_refs of the
# daemon, and to run PostgreSQL as the postgres user) or the daemon's own user.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$SRC/bench/lib.sh"
LIMIT_MIB=${LIMIT_MIB:-64}
bench_init body_memory_bench

# --- build ---------------------------------------------------------------------------------
bench_programs lvhcmond lvhcmon

# --- database and daemon -------------------------------------------------------------------
bench_pg_start -c fsync=off -c synchronous_commit=off
psql_db postgres -c "CREATE DATABASE lvhcmon" >/dev/null

PORT=$(free_port)
CONF=$WORK/lvhcmon.conf
bench_conf "$CONF" "$PORT" lvhcmon "threads = 2"
bench_schema "$CONF"
INGEST=$("$LVHCMON" --config "$CONF" token add --role ingest 2>/dev/null)

# --- the bodies, the measurements ----------------------------------------------------------
# python3 runs the daemon itself, afresh for each body (argv: lvhcmond, its configuration).
python3 - "$PORT" "$INGEST" "$LVHCMOND" "$CONF" "$LIMIT_MIB" "$WORK/lvhcmond.log" <<'EOF'
import http.client, json, random, signal, subprocess, sys, time

port, token, lvhcmond, conf = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
limit_mib, log = int(sys.argv[5]), open(sys.argv[6], "ab")
MIB = 1024 * 1024
pid = None
SIZE = 8 * MIB - 1024  # within the default max_body_bytes of 8 MiB

def status_line(key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024  # kB
    raise RuntimeError(f"{key} not in /proc/{pid}/status")

def post(body, timeout=600):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("POST", "/api/v1/declarations", body=body,
                 headers={"Content-Type": "application/json",
                          "Authorization": f"Bearer {token}"})
    r = conn.getresponse()
    text = r.read()
    conn.close()
    return r.status, text

def start_daemon():
    proc = subprocess.Popen([lvhcmond, "--config", conf], stdout=subprocess.DEVNULL,
                            stderr=log)
    deadline = time.monotonic() + 30
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            sys.exit("body_memory_bench: the daemon did not start")
        time.sleep(0.1)
    time.sleep(3)  # the first snapshot and alert evaluation done: idle
    return proc

def hostile():
    parts, size = ['{"lines":[{}'], 13
    while size + 3 < SIZE:
        parts.append(",{}")
        size += 3
    parts.append("]}")
    return "".join(parts).encode()

def hostile_shape():
    # Every line field, each a number: names known, single values, so the shape check lets
    # it through; as many lines as fit (fewer than max_lines_per_submission). The decoder
    # refuses the first line_ref that is not a string, after jansson built the tree.
    names = ["line_ref", "client_bsn", "prestatie", "date_from", "date_to", "minutes",
             "travel_cents", "debit_credit", "corrects_ref"]
    line = "{" + ",".join(f'"{n}":1' for n in names) + "}"
    head = '{"provider_agb":"41000001","reference":"hs","lines":['
    n = min(100000, (SIZE - len(head) - 2) // (len(line) + 1))
    body = head + ",".join([line] * n) + "]}"
    assert len(body) <= SIZE, len(body)
    return body.encode()

def valid():
    rng = random.Random(5)
    def bsn():
        while True:
            head = f"{rng.randrange(10**7, 10**8):08d}"
            last = sum(int(d) * w for d, w in zip(head, range(9, 1, -1))) % 11
            if last < 10:
                return head + str(last)
    lines, size, i = [], 80, 0
    while True:
        month = rng.randint(1, 9)
        day = rng.randint(1, 28)
        text = json.dumps({"line_ref": f"mem-{i}", "client_bsn": bsn(), "prestatie": "CAKOR",
                           "date_from": f"2026-{month:02d}-{day:02d}",
                           "date_to": f"2026-{month:02d}-{day:02d}", "minutes": 15 + i % 100,
                           "travel_cents": 0, "debit_credit": "D", "corrects_ref": None})
        if size + len(text) + 1 > SIZE:
            break
        lines.append(text)
        size += len(text) + 1
        i += 1
    body = '{"provider_agb":"41000001","reference":"mem-valid","lines":[' + \
        ",".join(lines) + "]}"
    return body.encode(), len(lines)

valid_body, valid_lines = valid()
bodies = [("hostile", hostile(), (413,)), ("hostile-shape", hostile_shape(), (422,)),
          ("valid", valid_body, (201,))]
results = {}
for name, body, want in bodies:
    proc = start_daemon()
    pid = proc.pid
    idle = status_line("VmRSS")
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")  # reset VmHWM to the current VmRSS
    began = time.monotonic()
    status, text = post(body)
    took = time.monotonic() - began
    peak = status_line("VmHWM")
    proc.send_signal(signal.SIGTERM)
    proc.wait(60)
    if status not in want:
        sys.exit(f"body_memory_bench: {name}: HTTP {status}, expected {want}: {text[:300]!r}")
    growth = (peak - idle) / MIB
    results[name] = growth
    extra = f", {valid_lines} lines stored" if name == "valid" else ""
    print(f"  {name:14s} {len(body) / MIB:5.2f} MiB body -> HTTP {status} in {took:5.2f} s; "
          f"idle {idle / MIB:5.1f} MiB, peak {peak / MIB:6.1f} MiB: {growth:6.1f} MiB above "
          f"idle{extra}", flush=True)
ok = results["hostile"] <= limit_mib
print(f"body_memory_bench: hostile body: {results['hostile']:.1f} MiB above idle "
      f"(limit {limit_mib} MiB): {'ok' if ok else 'TOO MUCH'}; valid body: "
      f"{results['valid']:.1f} MiB above idle")
sys.exit(0 if ok else 1)
EOF
