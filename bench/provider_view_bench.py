#!/usr/bin/env python3
"""provider_view_bench.py: what a provider's view of the national picture costs, against the
shared document a dashboard reads, measured in the same run on the same daemon.

    LVHCMON_BUILD_DIR=build-rel bench/provider_view_bench.py   # a Release build is best

A provider's status and group documents are rendered per request (parsed from the shared
document, cut, serialised: daemon/snapshot/snapshot_provider_view.c), while a dashboard's are
served as they are. This prints, for GET /api/v1/status and /api/v1/groups/KOR, the
requests/s of each (wrk -t2 -c16, DURATION each, ROUNDS rounds alternating the two, the median
round) and their ratio provider / dashboard, for 200 answers and for 304 answers (the
polling case, If-None-Match). Then the CSV download of one provider's year: its size and
time, and the daemon's resident memory before and after it (the download is streamed a page
at a time, so the growth should not follow the file's size).

Data: the reference data and the demo year (tools/demogen, ~7000 lines) through
`lvhcmon import`, plus LINES extra lines (default 20000) for one provider, so that its
download spans many pages. Environment: DURATION (default 5s), ROUNDS (default 3), LINES.
Needs: wrk, PostgreSQL server binaries, the build's lvhcmond, lvhcmon and lvhcmon-demogen.
"""

import glob
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
import harness  # noqa: E402

DURATION = os.environ.get("DURATION", "5s")
ROUNDS = int(os.environ.get("ROUNDS", "3"))
LINES = int(os.environ.get("LINES", "20000"))
AGB = "41000001"  # KOR, CAKOR


def bsn(n):
    k = 30000000 + n * 7
    while True:
        head = f"{k:08d}"
        last = sum(int(d) * w for d, w in zip(head, range(9, 1, -1))) % 11
        if last < 10:
            return head + str(last)
        k += 1


def wrk(url, token, *headers):
    cmd = ["wrk", "-t2", "-c16", f"-d{DURATION}", "-H", f"Authorization: Bearer {token}"]
    for h in headers:
        cmd += ["-H", h]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"wrk: {non2xx.group(1)} error answers from {url}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def main():
    pg = harness.PgCluster()
    tmp = tempfile.mkdtemp(prefix="lvhcmon-pvb-")
    d = harness.Daemon(pg.conninfo(pg.fresh_database()),
                       settings={"budget": {"default_year": 2026}})
    try:
        d.start()
        print("provider_view_bench: loading the reference data and the demo year", flush=True)
        assert d.cli("reference", "load", os.path.join(harness.SOURCE_DIR, "reference")
                     ).returncode == 0
        harness.run_program([harness.binary("lvhcmon-demogen"), "--reference",
                             os.path.join(harness.SOURCE_DIR, "reference"), "--out", tmp])
        for f in sorted(glob.glob(os.path.join(tmp, "declarations-2026-*.csv"))):
            d.cli("import", f)
        rows = ["provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,"
                "minutes,travel_cents,debit_credit,corrects_ref"]
        for i in range(LINES):
            day = f"2026-{1 + i % 9:02d}-{1 + i % 28:02d}"
            rows.append(f"{AGB},PVB-{i // 2000},PVB-{i},{bsn(i)},CAKOR,{day},{day},"
                        f"{1 + i % 90},0,D,")
        big = os.path.join(tmp, "big.csv")
        with open(big, "w") as f:
            f.write("\n".join(rows) + "\n")
        d.cli("import", big)
        dash = d.make_token("dashboard")
        prov = d.make_token("provider", agb=AGB)
        time.sleep(1.0)  # the snapshot follows the imports

        results = {}
        for name, path in (("status", "/api/v1/status?year=2026"),
                           ("group", "/api/v1/groups/KOR?year=2026")):
            url = d.url(path)
            etags = {who: d.http("GET", path, token=tok).headers["etag"]
                     for who, tok in (("dashboard", dash), ("provider", prov))}
            wrk(url, dash)  # warm-up
            runs = {k: [] for k in ("dashboard", "provider", "dashboard304", "provider304")}
            for _ in range(ROUNDS):
                runs["dashboard"].append(wrk(url, dash))
                runs["provider"].append(wrk(url, prov))
                runs["dashboard304"].append(wrk(url, dash, f"If-None-Match: {etags['dashboard']}"))
                runs["provider304"].append(wrk(url, prov, f"If-None-Match: {etags['provider']}"))
            results[name] = {k: statistics.median(v) for k, v in runs.items()}

        print(f"wrk -t2 -c16 -d{DURATION}, {ROUNDS} rounds (median), the daemon's 2 threads")
        for name, r in results.items():
            print(f"  {name:6s} 200: dashboard {r['dashboard']:9.0f}/s  provider "
                  f"{r['provider']:9.0f}/s  ratio {r['provider'] / r['dashboard']:.2f}")
            print(f"  {name:6s} 304: dashboard {r['dashboard304']:9.0f}/s  provider "
                  f"{r['provider304']:9.0f}/s  ratio "
                  f"{r['provider304'] / r['dashboard304']:.2f}")

        pid = d.proc.pid
        before = rss_kb(pid)
        t0 = time.monotonic()
        r = d.http("GET", f"/api/v1/providers/{AGB}/declarations.csv?year=2026", token=prov,
                   timeout=300)
        took = time.monotonic() - t0
        after = rss_kb(pid)
        n = r.body.count(b"\r\n") - 1
        print(f"  declarations.csv: {n} lines, {len(r.body) / 1e6:.1f} MB in {took:.2f} s; "
              f"daemon RSS {before / 1024:.1f} -> {after / 1024:.1f} MiB "
              f"(growth {(after - before) / 1024:.1f} MiB = "
              f"{(after - before) * 1024 / max(len(r.body), 1):.2f} x the file)")
    finally:
        d.close()
        pg.close()
        subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
