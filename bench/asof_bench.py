#!/usr/bin/env python3
"""asof_bench.py: what the figures as of a day and the month-end workbook cost, against the
live status measured in the same run.

    bench/asof_bench.py                              # builds/updates a Release tree in build-rel
    LVHCMON_BUILD_DIR=build bench/asof_bench.py      # or uses the build given

A throwaway PostgreSQL cluster (tests/integration/harness.py) with the reference data and the
demo year (tools/demogen, ~7000 lines, one file per arrival day, each imported as received
that day), one lvhcmond, and then, one request at a time over a fresh connection each (the
cost of an answer, not of a busy server):

  live       GET /api/v1/status?year=2026                 the in-memory snapshot (reference)
  cached     GET /api/v1/status?year=2026&as_of=D         the same D again: the version query
                                                          and the cached document
  uncached   GET /api/v1/status?year=2026&as_of=D_i       a different day each time, more
                                                          days than the cache holds: a build
  report     GET /api/v1/report.xlsx?year=2026&as_of=D    the workbook of a cached day

A live request goes before every other one, so that the reference sees the same machine
as the rest (a shared host is noisy); the median of each kind is printed with its p90 and
as a multiple of the live median. The daemon's resident memory is read once the live
figures are in and again once the as_of cache is full (SNAPSHOT_ASOF_SLOTS days).

Environment: SAMPLES (default 200; the uncached and report runs take a fifth of it, at
least 20 and 10), LVHCMON_BUILD_DIR (a build to use instead of build-rel).
Needs: cmake, cc, python3, PostgreSQL server binaries (scripts/deps.sh test); as root, the
postgres user.
"""

import datetime
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
YEAR = 2026
DAY = "2026-09-30"  # the cached as_of day
CACHE_SLOTS = 16    # SNAPSHOT_ASOF_SLOTS (daemon/snapshot/snapshot_asof.h)
SAMPLES = int(os.environ.get("SAMPLES", "200"))


def release_build():
    """The build to measure: LVHCMON_BUILD_DIR, or a Release tree in build-rel, configured
    and brought up to date here (only the three programs the bench runs)."""
    if os.environ.get("LVHCMON_BUILD_DIR"):
        return os.environ["LVHCMON_BUILD_DIR"]
    build = os.path.join(SOURCE, "build-rel")
    if not os.path.isfile(os.path.join(build, "CMakeCache.txt")):
        print(f"asof_bench: configuring a Release tree in {build}", file=sys.stderr)
        # GCC's -O2-only flow warnings (false positives so far) must not stop a bench build,
        # as in bench/status_bench.sh.
        subprocess.run(["cmake", "-S", SOURCE, "-B", build, "-DCMAKE_BUILD_TYPE=Release",
                        "-DBUILD_TESTING=OFF",
                        "-DCMAKE_C_FLAGS=-Wno-maybe-uninitialized -Wno-format-truncation "
                        "-Wno-stringop-truncation -Wno-stringop-overflow"],
                       check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build, "-j2", "--target", "lvhcmond", "lvhcmon",
                    "lvhcmon-demogen"], check=True, stdout=subprocess.DEVNULL)
    return build


os.environ["LVHCMON_BUILD_DIR"] = release_build()
sys.path.insert(0, os.path.join(SOURCE, "tests", "integration"))
import harness  # noqa: E402  (reads LVHCMON_BUILD_DIR when imported)


def timed(d, path, token):
    start = time.perf_counter()
    r = d.http("GET", path, token=token, timeout=120)
    elapsed = (time.perf_counter() - start) * 1000
    if r.status != 200:
        raise RuntimeError(f"{path}: {r.status} {r.text[:200]}")
    return elapsed


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def summary(name, samples, reference=None):
    med = statistics.median(samples)
    p90 = sorted(samples)[max(int(len(samples) * 0.9) - 1, 0)]
    ratio = f"  {med / reference:7.1f} x live" if reference else ""
    print(f"{name:10s} median {med:8.2f} ms   p90 {p90:8.2f} ms   n={len(samples):4d}{ratio}")
    return med


def load_demo_year(d, tmp):
    """The demo year, each arrival day's file imported as received that day (up to today)."""
    ref = os.path.join(harness.SOURCE_DIR, "reference")
    harness.run_program([harness.binary("lvhcmon-demogen"), "--reference", ref, "--out", tmp])
    res = d.cli("reference", "load", ref)
    if res.returncode != 0:
        raise RuntimeError(f"reference load: {res.stderr}")
    today = datetime.date.today().isoformat()
    files = 0
    for path in sorted(glob.glob(os.path.join(tmp, "declarations-*.csv"))):
        day = os.path.basename(path)[len("declarations-"):-len(".csv")]
        if day > today:
            continue
        res = d.cli("import", path, "--received-on", day)
        if res.returncode != 0:
            raise RuntimeError(f"import {path}: {res.stderr}")
        files += 1
    return files


def wait_settled(d, token, timeout=60):
    """Waits until the live snapshot holds every import: its spend equals that of the
    figures as of today, which are computed from the database on request."""
    today = datetime.date.today().isoformat()
    deadline = time.monotonic() + timeout
    while True:
        live = d.http("GET", f"/api/v1/status?year={YEAR}", token=token).json()
        now = d.http("GET", f"/api/v1/status?year={YEAR}&as_of={today}", token=token).json()
        if live["spent_cents"] == now["spent_cents"]:
            return live
        if time.monotonic() > deadline:
            raise RuntimeError("the live status did not catch up with the imports")
        time.sleep(0.2)


def main():
    if datetime.date.today() < datetime.date(YEAR, 10, 31):
        sys.exit(f"asof_bench: the as_of days of {YEAR} it asks for lie in the future")
    with harness.PgCluster() as pg, tempfile.TemporaryDirectory(prefix="asof-bench-") as tmp:
        dbname = pg.fresh_database()
        with harness.Daemon(pg.conninfo(dbname), settings={"budget": {"default_year": YEAR}}) as d:
            d.start()
            files = load_demo_year(d, tmp)
            token = d.make_token("controller")
            status = wait_settled(d, token)

            live_path = f"/api/v1/status?year={YEAR}"
            cached_path = f"/api/v1/status?year={YEAR}&as_of={DAY}"
            report_path = f"/api/v1/report.xlsx?year={YEAR}&as_of={DAY}"
            timed(d, live_path, token)  # warm: connection set-up, first pages touched
            rss_live = rss_kib(d.proc.pid)
            timed(d, cached_path, token)

            live, cached, uncached, report = [], [], [], []
            for _ in range(SAMPLES):
                live.append(timed(d, live_path, token))
                cached.append(timed(d, cached_path, token))
            # every day once, more days than the cache holds: each one is built
            n_days = max(SAMPLES // 5, 20, CACHE_SLOTS + 4)
            for i in range(n_days):
                day = (datetime.date(YEAR, 2, 1) + datetime.timedelta(days=i)).isoformat()
                live.append(timed(d, live_path, token))
                uncached.append(timed(d, f"/api/v1/status?year={YEAR}&as_of={day}", token))
            rss_full = rss_kib(d.proc.pid)
            timed(d, report_path, token)
            for _ in range(max(SAMPLES // 5, 10)):
                live.append(timed(d, live_path, token))
                report.append(timed(d, report_path, token))
            size = len(d.http("GET", report_path, token=token, timeout=120).body)

            print(f"lvhcmond {harness.binary('lvhcmond')}")
            print(f"demo year {YEAR}: {files} arrival days imported, spent "
                  f"{status['spent_cents'] / 100:,.2f} EUR, {len(status['months'])} months; "
                  f"as_of day {DAY}; workbook {size / 1024:.1f} KiB")
            ref_ms = summary("live", live)
            summary("cached", cached, ref_ms)
            summary("uncached", uncached, ref_ms)
            summary("report", report, ref_ms)
            print(f"resident memory: {rss_live / 1024:.1f} MiB with the live figures, "
                  f"{rss_full / 1024:.1f} MiB with {CACHE_SLOTS} days cached "
                  f"({rss_full / rss_live:.2f} x)")


if __name__ == "__main__":
    main()
