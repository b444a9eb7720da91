"""test_snapshot_coalescing.py: how commits reach the budget snapshots when nobody waits for
them, and when many come at once (doc/api.md, "Read your own writes").

  - `lvhcmon import` against a running daemon: the daemon shows each imported submission
    within 100 ms of its commit (here, where the suite shares the machine and runs under
    AddressSanitizer: the median; none later than 1 s). The commit time is PostgreSQL's own
    (track_commit_timestamp, switched on for this test's cluster); the daemon is polled
    every 2 ms from before the import starts, so a figure here is at most 2 ms (plus one
    request) above the true delay. 20 imports, each of one submission, on the small
    reference set of tests/data/status (three providers): the bound is the mechanism's
    (NOTIFY, one round), measured here under AddressSanitizer; bench/bulk_bench.sh measures
    it on a real year with an optimised build.
  - Coalescing: with every computation of the year's figures made 250 ms slower (the test
    hook LVHCMON_TEST_ROUND_DELAY_MS, as a far larger year would):
      * two `lvhcmon import` runs at once, 50 submissions each, committing one after the
        other without waiting: 100 commits cost at most 20 updates of the figures and 20
        alert evaluations (/metrics), commits that land during a round being taken in
        together by the next one;
      * 8 writers post 10 submissions each at once over HTTP. Every answer says
        Lvhcmon-Read-Your-Writes: included and the writer's next read of its provider
        shows its own spend exactly; yet the 80 commits cost clearly fewer updates and
        evaluations than commits (a writer waits for its round, so fewer commits share one
        than with imports).
"""

import os
import random
import shutil
import statistics
import tempfile
import threading
import time
import unittest

import harness
import submissions

YEAR = submissions.YEAR
HOOKS = os.environ.get("LVHCMON_TEST_HOOKS") == "1"
IMPORTS = 20
IMPORT_BOUND_S = 0.100
WRITERS, PER_WRITER = 8, 10
IMPORTERS, PER_IMPORT = 2, 50
ROUND_DELAY_MS = 250
STATUS_DATA = os.path.join(harness.SOURCE_DIR, "tests", "data", "status")
IMPORT_AGB, IMPORT_CODE = "41000001", "CAKOR"  # designated for KOR all year there
CSV_HEADER = ("provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,minutes,"
              "travel_cents,debit_credit,corrects_ref")


def metric(d, name):
    """The value of one line of /metrics (name with its labels), as a number."""
    for line in d.http("GET", "/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"/metrics has no {name}")


ROUNDS = 'lvhcmon_snapshot_updates_total{kind="catch_up"}'
APPLIED = "lvhcmon_snapshot_submissions_applied_total"
EVALUATIONS = 'lvhcmon_alert_evaluations_total{result="saved"}'


class ImportVisibilityTest(harness.LvhcmonTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pg.sql("ALTER SYSTEM SET track_commit_timestamp = on", dbname="postgres")
        cls.pg.stop()
        cls.pg.start()

    def test_import_shows_within_100_ms_of_commit(self):
        d = self.daemon(settings={"budget": {"default_year": YEAR}})
        res = d.cli("reference", "load", STATUS_DATA)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        token = d.make_token("controller")
        rng = random.Random(404)
        agb = IMPORT_AGB
        folder = tempfile.mkdtemp(prefix="lvhcmon-imp-")
        self.addCleanup(shutil.rmtree, folder, True)
        delays = []
        for i in range(IMPORTS):
            spent = self.spent(d, token, agb)
            path = os.path.join(folder, f"imp-{i:03d}.csv")
            with open(path, "w") as f:
                f.write(CSV_HEADER + "\n")
                for n in range(3):
                    day = f"{YEAR}-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}"
                    f.write(f"{agb},imp-{i:03d},imp-{i:03d}-{n},{submissions.random_bsn(rng)},"
                            f"{IMPORT_CODE},{day},{day},{rng.randint(1, 16) * 15},0,D,\n")
            seen = {}
            stop = threading.Event()

            def poll():
                while not stop.is_set():
                    value = self.spent(d, token, agb)
                    if value != spent:
                        seen["at"], seen["spent"] = time.time(), value
                        return
                    stop.wait(0.002)

            poller = threading.Thread(target=poll)
            poller.start()
            res = d.cli("import", path)
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
            poller.join(5)
            stop.set()
            poller.join()
            self.assertIn("at", seen, f"import {i} never showed")
            committed = float(self.pg.sql(
                "SELECT extract(epoch FROM pg_xact_commit_timestamp(xmin)) FROM submission "
                f"WHERE reference = 'imp-{i:03d}'", dbname=self.db_of(d))[0][0])
            amount = int(self.pg.sql(f"SELECT amount_cents FROM submission WHERE reference = "
                                     f"'imp-{i:03d}'", dbname=self.db_of(d))[0][0])
            self.assertEqual(seen["spent"], spent + amount)
            delays.append(seen["at"] - committed)
        shown = [f"{x * 1000:.1f} ms" for x in delays]
        ordered = sorted(delays)
        p90 = ordered[int(0.9 * len(ordered)) - 1]
        # Here the suite shares the machine and runs under AddressSanitizer: the median
        # must keep the bound, and none may take the second the API once allowed.
        # bench/bulk_bench.sh measures the tail on an optimised build.
        self.assertLess(statistics.median(delays), IMPORT_BOUND_S, shown)
        self.assertLess(max(delays), 1.0, shown)
        print(f"\nlvhcmon import against a running daemon: shown "
              f"{statistics.median(delays) * 1000:.1f} ms (median), {p90 * 1000:.1f} ms (90th "
              f"percentile), at most {max(delays) * 1000:.1f} ms after the commit, over "
              f"{IMPORTS} imports (bound {IMPORT_BOUND_S * 1000:.0f} ms)", flush=True)

    @staticmethod
    def spent(d, token, agb):
        r = d.http("GET", f"/api/v1/providers/{agb}?year={YEAR}", token=token)
        if r.status != 200:
            raise AssertionError(r.text)
        return r.json()["spent_cents"]

    @staticmethod
    def db_of(d):
        return d.conninfo.split("dbname=")[1].split()[0]


@unittest.skipUnless(HOOKS, "this build has no test hooks (configure with "
                            "-DLVHCMON_SANITIZE=ON or -DLVHCMON_TEST_HOOKS=ON)")
class CoalescingTest(harness.LvhcmonTestCase):
    def test_round_durations_are_reported(self):
        # The first round after start is a full one; with the figures made ROUND_DELAY_MS
        # slower to compute, its total time holds that delay and its read time does not.
        d = self.daemon(settings={"budget": {"default_year": YEAR}},
                        env={"LVHCMON_TEST_ROUND_DELAY_MS": str(ROUND_DELAY_MS)})
        total = 'lvhcmon_snapshot_round_seconds{kind="full",phase="total"}'
        read = 'lvhcmon_snapshot_round_seconds{kind="full",phase="read"}'
        deadline = time.monotonic() + 30
        while metric(d, total) == 0:
            self.assertLess(time.monotonic(), deadline, "no full round reported")
            time.sleep(0.05)
        self.assertGreaterEqual(metric(d, total), ROUND_DELAY_MS / 1000)
        self.assertGreater(metric(d, read), 0)
        self.assertLess(metric(d, read), metric(d, total))
        self.assertEqual(metric(d, 'lvhcmon_snapshot_round_seconds{kind="catch_up",'
                                   'phase="total"}'), 0)

    def test_rapid_commits_share_rounds_and_evaluations(self):
        d = self.daemon(settings={"server": {"threads": WRITERS},
                                  "budget": {"default_year": YEAR}},
                        env={"LVHCMON_TEST_ROUND_DELAY_MS": str(ROUND_DELAY_MS)})
        submissions.prepare_database(d)
        ingest, controller = d.make_token("ingest"), d.make_token("controller")
        pairs = submissions.SubmissionFactory(1).pairs
        providers = sorted({agb for agb, _ in pairs})[:WRITERS]
        self.assertEqual(len(providers), WRITERS)
        time.sleep(1)  # the first rounds and evaluation are behind us
        before = {m: metric(d, m) for m in (ROUNDS, APPLIED, EVALUATIONS)}
        misses, errors = [], []
        barrier = threading.Barrier(WRITERS)

        def writer(k):
            agb = providers[k]
            gen = submissions.SubmissionFactory(700 + k, providers={agb})
            spent = None
            try:
                barrier.wait()
                for i in range(PER_WRITER):
                    r = d.http("POST", "/api/v1/declarations",
                               gen.json_submission(f"co-{k}-{i:02d}", 5), token=ingest,
                               timeout=60)
                    if r.status != 201:
                        errors.append(f"writer {k}: {r.status} {r.text[:200]}")
                        return
                    if r.headers.get("lvhcmon-read-your-writes") != "included":
                        misses.append(f"writer {k}/{i}: header {r.headers}")
                    doc = d.http("GET", f"/api/v1/providers/{agb}?year={YEAR}",
                                 token=controller).json()
                    if spent is None:
                        spent = doc["spent_cents"] - r.json()["amount_cents"]
                    spent += r.json()["amount_cents"]
                    if doc["spent_cents"] != spent:
                        misses.append(f"writer {k}/{i}: shows {doc['spent_cents']}, not {spent}")
            except Exception as e:  # reported below, with the others
                errors.append(f"writer {k}: {e!r}")

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(WRITERS)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        took = time.monotonic() - started
        self.assertEqual(errors, [])
        self.assertEqual(misses, [])
        after = {m: metric(d, m) for m in (ROUNDS, APPLIED, EVALUATIONS)}
        commits = WRITERS * PER_WRITER
        rounds = after[ROUNDS] - before[ROUNDS]
        evaluations = after[EVALUATIONS] - before[EVALUATIONS]
        self.assertEqual(after[APPLIED] - before[APPLIED], commits)
        # Without coalescing there would be a round, and an evaluation, per commit.
        self.assertLessEqual(rounds, commits / 1.5, (rounds, commits))
        self.assertLessEqual(evaluations, commits / 1.5, (evaluations, commits))
        self.assertGreater(evaluations, 0)
        print(f"\ncoalescing: {commits} commits by {WRITERS} HTTP writers at once in {took:.1f} s "
              f"(figures {ROUND_DELAY_MS} ms slower to compute): {rounds:.0f} updates of the "
              f"figures, {evaluations:.0f} alert evaluations, every writer reading its own "
              f"write", flush=True)
        self.imports_at_once(d)

    def imports_at_once(self, d):
        folder = tempfile.mkdtemp(prefix="lvhcmon-bulk-")
        self.addCleanup(shutil.rmtree, folder, True)
        paths = []
        for k in range(IMPORTERS):
            gen = submissions.SubmissionFactory(900 + k)
            path = os.path.join(folder, f"bulk-{k}.csv")
            with open(path, "w") as f:
                f.write(CSV_HEADER + "\n")
                for i in range(PER_IMPORT):
                    body = gen.json_submission(f"imp-{k}-{i:03d}", 2)
                    for l in body["lines"]:
                        f.write(f"{body['provider_agb']},{body['reference']},{l['line_ref']},"
                                f"{l['client_bsn']},{l['prestatie']},{l['date_from']},"
                                f"{l['date_to']},{l['minutes']},0,D,\n")
            paths.append(path)
        before = {m: metric(d, m) for m in (ROUNDS, APPLIED, EVALUATIONS)}
        results = [None] * IMPORTERS
        threads = [threading.Thread(target=lambda k=k: results.__setitem__(
            k, d.cli("import", paths[k]))) for k in range(IMPORTERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        for res in results:
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        commits = IMPORTERS * PER_IMPORT
        deadline = time.monotonic() + 30
        while metric(d, APPLIED) - before[APPLIED] < commits:
            self.assertLess(time.monotonic(), deadline, "the imports never all showed")
            time.sleep(0.1)
        time.sleep(1)  # the last evaluation
        rounds = metric(d, ROUNDS) - before[ROUNDS]
        evaluations = metric(d, EVALUATIONS) - before[EVALUATIONS]
        self.assertEqual(metric(d, APPLIED) - before[APPLIED], commits)
        self.assertLessEqual(rounds, commits / 5, (rounds, commits))
        self.assertLessEqual(evaluations, commits / 5, (evaluations, commits))
        self.assertGreater(evaluations, 0)
        print(f"coalescing: {commits} commits by {IMPORTERS} imports at once: {rounds:.0f} "
              f"updates of the figures, {evaluations:.0f} alert evaluations", flush=True)


if __name__ == "__main__":
    unittest.main()
