"""test_db_outage.py: PostgreSQL stops for a while under a light load; lvhcmond stays up,
says so, stores nothing, and is whole again within 5 s of the database's return.

Load: one thread posts a new submission every ~100 ms (never retrying: each reference is
sent once, so what its answer said can be checked against the database afterwards), one
thread reads GET /api/v1/status. The test stops PostgreSQL (pg_ctl stop -m fast) for
LVHCMON_OUTAGE_SECONDS (default 30) and, all through the outage, checks:

  - the daemon keeps running and /healthz answers 200;
  - /readyz answers 503;
  - status reads keep answering 200 with the last snapshot, unchanged, marked "stale": true
    (when this build serves /api/v1/status; otherwise only that reads fail with 503 at worst);
  - writes answer 503 with a Retry-After header, and nothing of them is stored.

The default outage outlasts the daemon's 30 s token cache (AUTH_CACHE_TTL_S), so the last
seconds also prove that tokens known before the outage keep working while the database
cannot be asked (reads stay served, writes get their 503).

After PostgreSQL starts again it measures, polling every 50 ms, how long until /readyz is
200, a write is 201 and the status is no longer stale; each must happen within 5 s. No
answer at any time may be a 500, and no submission answered anything but 201 may be
stored.
"""

import os
import threading
import time

import harness
import submissions

OUTAGE_SECONDS = float(os.environ.get("LVHCMON_OUTAGE_SECONDS", "30"))
RECOVERY_LIMIT = 5.0
SEED = 4242


class Record:
    def __init__(self, began, ended, ref, response, error=None):
        self.began, self.ended, self.ref = began, ended, ref
        self.response, self.error = response, error


class DbOutageTest(harness.LvhcmonTestCase):
    def setUp(self):
        self.dbname = self.fresh_db()
        self.d = self.daemon(dbname=self.dbname)
        submissions.prepare_database(self.d)
        self.token = self.d.make_token("ingest")
        self.reader_token = self.d.make_token("dashboard")
        self.gen = submissions.SubmissionFactory(SEED)
        self.gen_lock = threading.Lock()
        self.counter = 0

    def new_submission(self, prefix):
        with self.gen_lock:
            self.counter += 1
            return self.gen.json_submission(f"{prefix}-{self.counter:05d}", 5)

    def post(self, body):
        began = time.monotonic()
        try:
            r = self.d.http("POST", "/api/v1/declarations", body, token=self.token, timeout=20)
            return Record(began, time.monotonic(), body["reference"], r)
        except submissions.NO_ANSWER as e:
            return Record(began, time.monotonic(), body["reference"], None, e)

    def read_status(self):
        began = time.monotonic()
        try:
            r = self.d.http("GET", "/api/v1/status?year=2026", token=self.reader_token,
                            timeout=20)
            return Record(began, time.monotonic(), None, r)
        except submissions.NO_ANSWER as e:
            return Record(began, time.monotonic(), None, None, e)

    def test_outage_and_recovery(self):
        first = self.post(self.new_submission("pre"))
        self.assertEqual(first.response.status, 201, first.response.text)
        status_before = self.read_status().response
        has_status = status_before.status != 404
        if has_status:
            self.assertEqual(status_before.status, 200, status_before.text)
            self.assertFalse(status_before.json().get("stale", False))
            self.wait_for(lambda: self.status_doc()["spent_cents"] ==
                          first.response.json()["amount_cents"], "the first submission "
                          "in the status")
            status_before = self.read_status().response

        stop = threading.Event()
        writes, reads = [], []

        def poster():
            while not stop.is_set():
                writes.append(self.post(self.new_submission("load")))
                stop.wait(0.1)

        def reader():
            while not stop.is_set():
                reads.append(self.read_status())
                stop.wait(0.1)

        threads = [threading.Thread(target=poster, daemon=True),
                   threading.Thread(target=reader, daemon=True)]
        for t in threads:
            t.start()
        time.sleep(0.5)  # some load before the outage

        pid = self.d.proc.pid
        self.pg.stop("fast")
        down_at = time.monotonic()
        if has_status:
            # The snapshot thread notices the lost connection by itself, a moment later.
            self.wait_for(lambda: self.status_doc().get("stale") is True,
                          "the status to turn stale", timeout=2)
            spent_in_outage = self.status_doc()["spent_cents"]
        stale_at = time.monotonic()
        probes = 0
        try:
            while time.monotonic() - down_at < OUTAGE_SECONDS:
                probes += 1
                self.assertIsNone(self.d.proc.poll(), "lvhcmond died in the outage")
                self.assertEqual(self.d.http("GET", "/healthz").status, 200)
                r = self.d.http("GET", "/readyz")
                self.assertEqual(r.status, 503, r.text)
                w = self.post(self.new_submission("out"))
                writes.append(w)
                self.assertIsNotNone(w.response, f"write in the outage: {w.error}")
                self.assertEqual(w.response.status, 503, w.response.text)
                self.assertEqual(w.response.json()["error"]["code"], "unavailable")
                self.assertTrue(w.response.headers.get("retry-after", "").isdigit(),
                                f"503 without Retry-After: {w.response.headers}")
                if has_status:
                    s = self.read_status().response
                    self.assertEqual(s.status, 200, s.text)
                    doc = s.json()
                    self.assertIs(doc.get("stale"), True, doc)
                    self.assertEqual(doc["spent_cents"], spent_in_outage)
                time.sleep(0.5)
        finally:
            up_requested = time.monotonic()
            self.pg.start()
        up_at = time.monotonic()

        # Recovery, measured from the moment PostgreSQL accepts connections again.
        def write_recovered():
            w = self.post(self.new_submission("rec"))
            writes.append(w)
            return w.response is not None and w.response.status == 201

        ready_after = self.time_until(lambda: self.d.http("GET", "/readyz").status == 200,
                                      up_at)
        write_after = self.time_until(write_recovered, up_at)
        fresh_after = (self.time_until(lambda: not self.status_doc().get("stale", False),
                                       up_at) if has_status else 0.0)
        recovery = max(ready_after, write_after, fresh_after)
        stop.set()
        for t in threads:
            t.join(30)
        self.assertEqual(self.d.proc.pid, pid)
        self.assertIsNone(self.d.proc.poll())

        # Every answer, to every request at any time: never a 500, never a lost connection.
        for rec in writes + reads:
            self.assertIsNone(rec.error, f"no answer: {rec.error}")
            self.assertNotEqual(rec.response.status, 500, rec.response.text)
            self.assertIn(rec.response.status, (200, 201, 503), rec.response.text)
        # Writes made wholly inside the outage were 503 with Retry-After.
        inside = [w for w in writes if w.began > down_at and w.ended < up_requested]
        self.assertTrue(inside)
        for w in inside:
            self.assertEqual(w.response.status, 503, w.response.text)
            self.assertIn("retry-after", w.response.headers)
        # Reads made wholly inside the outage: the stale snapshot.
        if has_status:
            for r in (r for r in reads if r.began > stale_at and r.ended < up_requested):
                self.assertEqual(r.response.status, 200, r.response.text)
                self.assertIs(r.response.json().get("stale"), True)

        # What the database holds: exactly the submissions answered 201.
        created = {w.ref for w in writes if w.response.status == 201} | {first.ref}
        refused = {w.ref for w in writes if w.response.status == 503}
        stored = {ref for (ref,) in self.pg.sql("SELECT reference FROM submission",
                                                dbname=self.dbname)}
        self.assertEqual(stored, created)
        self.assertFalse(stored & refused)
        self.assertEqual(submissions.ledger_inconsistencies(self.pg, self.dbname), [])

        self.assertLess(ready_after, RECOVERY_LIMIT)
        self.assertLess(write_after, RECOVERY_LIMIT)
        self.assertLess(fresh_after, RECOVERY_LIMIT)
        print(f"\ndb outage: {OUTAGE_SECONDS:.0f} s down, {probes} probes; "
              f"{len(inside)} writes in the outage all 503 with Retry-After, "
              f"{len(writes)} writes and {len(reads)} status reads in all; "
              f"stale {stale_at - down_at:.3f} s after the stop; "
              f"pg start took {up_at - up_requested:.2f} s; recovery after start: "
              f"readyz {ready_after:.2f} s, write {write_after:.2f} s, "
              f"status fresh {'n/a' if not has_status else f'{fresh_after:.2f} s'} "
              f"-> {recovery:.2f} s (limit {RECOVERY_LIMIT:.0f} s)", flush=True)

    # -- helpers ---------------------------------------------------------------------------

    def status_doc(self):
        r = self.read_status().response
        self.assertEqual(r.status, 200, r.text)
        return r.json()

    def wait_for(self, predicate, what, timeout=10):
        deadline = time.monotonic() + timeout
        while not predicate():
            self.assertLess(time.monotonic(), deadline, f"timed out waiting for {what}")
            time.sleep(0.05)

    def time_until(self, predicate, since, limit=30):
        """Seconds from @since (monotonic) until predicate() holds, polling every 50 ms
        (fails after @limit)."""
        while True:
            try:
                if predicate():
                    return time.monotonic() - since
            except submissions.NO_ANSWER:
                pass
            self.assertLess(time.monotonic() - since, limit, "never recovered")
            time.sleep(0.05)
