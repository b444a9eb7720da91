"""test_crash_safety.py: lvhcmond killed with SIGKILL at random moments, again and again,
while four clients keep submitting, loses nothing and stores nothing twice or half.

Four client threads send distinct JSON submissions (5-20 valid lines each, unique
references) and retry each one until it is answered: after a connection error (the daemon
died under them) or a 503. Now and then a client sends an answered submission once more, as
a client would that lost its answer (a replay). Meanwhile the test kills the daemon with
SIGKILL every 0.4-1.2 s (seeded), restarts it at once on the same port and waits for
/healthz. Afterwards, in the database and over HTTP:

  - every submission that got a 2xx answer is stored exactly once, with exactly the lines
    sent (accepted + rejected = lines stored = lines sent) and the totals of its answer;
  - sending each submission again answers 200 "replayed" with the same id and totals (or
    201 if it was never stored, only possible for one cut off when the clients stopped);
  - no submission lacks a line, no line lacks its submission, and each submission's amount
    is the sum of its accepted lines;
  - the year's spend in GET /api/v1/status (or in SQL while that endpoint is not built)
    equals the sum of the accepted lines.

Settings (environment): LVHCMON_CRASH_KILLS (50; bench/crash_soak.sh runs 200),
LVHCMON_CRASH_SEED (a fixed default, so a failure can be replayed), LVHCMON_CRASH_CLIENTS (4).
"""

import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import harness
import submissions

KILLS = int(os.environ.get("LVHCMON_CRASH_KILLS", "50"))
SEED = int(os.environ.get("LVHCMON_CRASH_SEED", "20261123"))
CLIENTS = int(os.environ.get("LVHCMON_CRASH_CLIENTS", "4"))
KILL_EVERY = (0.4, 1.2)        # seconds between two kills (uniform)
REPLAY_CHANCE = 0.15           # a client resends an answered submission
SUBMISSION_PATIENCE = 60       # seconds one submission may take through restarts


class Sent:
    """One submission a client sent, with what became of it."""

    def __init__(self, body):
        self.body = body
        self.n_lines = len(body["lines"])
        self.first = None     # the first answer that was not 503 (harness.Response)
        self.retries = 0
        self.replays = []     # answers to deliberate resends after an answer


class CrashSafetyTest(harness.LvhcmonTestCase):
    def setUp(self):
        self.port = submissions.free_port()
        self.dbname = self.fresh_db()
        self.d = self.daemon(settings={"server": {"listen": f"127.0.0.1:{self.port}",
                                                  "threads": 4}}, dbname=self.dbname)
        submissions.prepare_database(self.d)
        self.token = self.d.make_token("ingest")
        self.controller = self.d.make_token("controller")

    # -- the load --------------------------------------------------------------------------

    def client(self, index, stop, sent, lock):
        gen = submissions.SubmissionFactory(SEED * 100 + index)
        rng = random.Random(SEED * 1000 + index)
        n = 0
        while not stop.is_set():
            n += 1
            s = Sent(gen.json_submission(f"cr{index}-{n:06d}", rng.randint(5, 20)))
            with lock:
                sent.append(s)
            out = submissions.post_until_answered(
                self.d, s.body, self.token, time.monotonic() + SUBMISSION_PATIENCE)
            s.first, s.retries = out.response, out.retries
            if s.first is None or s.first.status >= 300:
                continue
            if rng.random() < REPLAY_CHANCE:
                again = submissions.post_until_answered(
                    self.d, s.body, self.token, time.monotonic() + SUBMISSION_PATIENCE)
                s.retries += again.retries
                s.replays.append(again.response)

    def restart(self):
        """SIGKILL, then start again on the same port and wait for /healthz. The harness
        fails the test on any sanitizer line the killed process wrote before it died."""
        self.d.kill()
        started = time.monotonic()
        self.d.start(timeout=60)
        return time.monotonic() - started

    # -- the test --------------------------------------------------------------------------

    def test_sigkill_loses_nothing_and_duplicates_nothing(self):
        rng = random.Random(SEED)
        stop = threading.Event()
        lock = threading.Lock()
        sent = []
        threads = [threading.Thread(target=self.client, args=(i, stop, sent, lock),
                                    daemon=True) for i in range(CLIENTS)]
        began = time.monotonic()
        for t in threads:
            t.start()
        restart_times = []
        try:
            for _ in range(KILLS):
                time.sleep(rng.uniform(*KILL_EVERY))
                restart_times.append(self.restart())
        finally:
            stop.set()
            for t in threads:
                t.join(SUBMISSION_PATIENCE + 30)
        load_seconds = time.monotonic() - began
        self.assertFalse(any(t.is_alive() for t in threads), "a client never finished")

        answered = [s for s in sent if s.first is not None and s.first.status < 300]
        unanswered = [s for s in sent if s.first is None]
        refused = [s for s in sent if s.first is not None and s.first.status >= 300]
        self.assertEqual(refused and [(s.body["reference"], s.first.status, s.first.text)
                                      for s in refused[:5]], [],
                         "valid submissions refused")
        self.assertEqual(unanswered and [s.body["reference"] for s in unanswered], [],
                         f"submissions unanswered after {SUBMISSION_PATIENCE} s of retries")

        stored = {ref: (int(sid), int(acc), int(rej), int(amount), int(lines))
                  for ref, sid, acc, rej, amount, lines in self.d_sql(
                      "SELECT s.reference, s.id, s.accepted, s.rejected, s.amount_cents, "
                      "(SELECT count(*) FROM declaration_line l WHERE l.submission_id = s.id) "
                      "FROM submission s")}
        # Each answered submission: stored once, with its lines and its answer's totals.
        lines_sent = 0
        for s in answered:
            ref = s.body["reference"]
            self.assertIn(ref, stored, f"{ref} answered {s.first.status} but not stored")
            sid, acc, rej, amount, lines = stored[ref]
            doc = s.first.json()
            self.assertEqual(lines, s.n_lines, ref)
            self.assertEqual(acc + rej, s.n_lines, ref)
            self.assertEqual((doc["id"], doc["accepted"], doc["rejected"], doc["amount_cents"]),
                             (sid, acc, rej, amount), ref)
            self.assertEqual(len(doc["lines"]), s.n_lines, ref)
            lines_sent += s.n_lines
            for r in s.replays:
                self.assertIsNotNone(r, f"{ref}: replay unanswered")
                self.assertEqual(r.status, 200, f"{ref}: {r.text}")
                self.assertTrue(r.json()["replayed"], ref)
        # Nothing stored that was not sent (a reference is stored at most once: UNIQUE).
        sent_refs = {s.body["reference"] for s in sent}
        self.assertEqual(set(stored) - sent_refs, set())
        self.assertEqual(self.d_sql("SELECT count(*) FROM (SELECT provider_agb, reference "
                                    "FROM submission GROUP BY 1, 2 HAVING count(*) > 1) d"),
                         [("0",)])
        self.assertEqual(submissions.ledger_inconsistencies(self.pg, self.dbname), [])

        # Every submission sent once more: the first answer again.
        def resend(s):
            out = submissions.post_until_answered(self.d, s.body, self.token,
                                                  time.monotonic() + 30)
            return s, out.response

        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(resend, sent))
        for s, r in results:
            ref = s.body["reference"]
            self.assertIsNotNone(r, ref)
            self.assertEqual(r.status, 200, f"{ref}: {r.text}")
            doc, first = r.json(), s.first.json()
            self.assertTrue(doc["replayed"], ref)
            for key in ("id", "accepted", "rejected", "amount_cents"):
                self.assertEqual(doc[key], first[key], f"{ref}: {key}")

        # Totals: submissions, lines and the status document agree.
        total_submissions, total_lines = (int(v) for v in self.d_sql(
            "SELECT (SELECT coalesce(sum(amount_cents), 0) FROM submission), "
            "(SELECT coalesce(sum(amount_cents), 0) FROM declaration_line WHERE accepted)")[0])
        self.assertEqual(total_submissions, total_lines)
        spent_sql = int(self.d_sql(
            "SELECT coalesce(sum(amount_cents), 0) FROM declaration_line "
            f"WHERE accepted AND date_from >= '{submissions.YEAR}-01-01' "
            f"AND date_from < '{submissions.YEAR + 1}-01-01'")[0][0])
        spent_status = self.status_spent_settled(spent_sql)
        self.assertEqual(spent_status if spent_status is not None else spent_sql, spent_sql)

        self.assertEqual(self.d.proc.poll(), None)
        retries = sum(s.retries for s in sent)
        lost_answers = sum(1 for s in answered if s.first.status == 200)
        replays = sum(len(s.replays) for s in sent) + len(results) + lost_answers
        print(f"\ncrash safety: {KILLS} SIGKILLs survived in {load_seconds:.1f} s "
              f"(restart {min(restart_times):.2f}-{max(restart_times):.2f} s, "
              f"mean {sum(restart_times) / len(restart_times):.2f} s); "
              f"{len(sent)} submissions sent, {len(stored)} stored, {lines_sent} lines; "
              f"{retries} retries; {replays} replays "
              f"({lost_answers} after a lost answer); "
              f"spent {total_lines} cents (status: "
              f"{'n/a' if spent_status is None else spent_status}); seed {SEED}", flush=True)

    # -- helpers ---------------------------------------------------------------------------

    def d_sql(self, query):
        return self.pg.sql(query, dbname=self.dbname)

    def status_spent_settled(self, expected, timeout=5):
        """spent_cents of GET /api/v1/status once it reaches @expected (the snapshot is
        rebuilt asynchronously), or the last value seen; None without that endpoint."""
        deadline = time.monotonic() + timeout
        while True:
            spent, _ = submissions.status_spent(self.d, self.controller)
            if spent is None or spent == expected or time.monotonic() > deadline:
                return spent
            time.sleep(0.05)
