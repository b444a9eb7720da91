"""test_two_instances.py: two lvhcmond on one database behave as one service.

  - A submission posted to A shows in B's GET /api/v1/status within 1 s (B hears the commit
    through LISTEN/NOTIFY; the test polls B every 50 ms and records the delay).
  - A submission stored through A and sent again to B answers 200 "replayed", with A's id
    and totals.
  - The same submission sent to A and B at the same moment is stored exactly once: one 201,
    one 200 replay, never a 409 or a 500 (the per-provider advisory lock serialises them).
  - The alert engine runs on one instance only (advisory-lock leadership). Killing the
    leader with SIGKILL makes the other take over: it logs "alert leader" and the pushes
    to Alertmanager (a stub here; generatorURL names the sender) come from it from then on.

Both daemons share the client hash key, as instances of one deployment must: with different
keys the same BSN would hash differently and a replay through the other instance would be a
conflict.
"""

import http.server
import json
import os
import statistics
import threading
import time

import harness
import submissions

VISIBLE_WITHIN = 1.0
RACES = 20
TAKEOVER_WITHIN = 10.0


class AlertmanagerStub:
    """Records the alerts pushed to POST /api/v2/alerts: (monotonic time, payload)."""

    def __init__(self):
        pushes = self.pushes = []
        lock = self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with lock:
                    pushes.append((time.monotonic(), json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def senders(self, since=0.0):
        """The generatorURL ports of the alerts pushed after @since."""
        with self.lock:
            ports = set()
            for t, payload in self.pushes:
                if t < since:
                    continue
                for alert in payload:
                    url = alert.get("generatorURL", "")
                    ports.add(int(url.split(":")[2].split("/")[0]))
            return ports

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class TwoInstancesTest(harness.LvhcmonTestCase):
    def setUp(self):
        self.dbname = self.fresh_db()
        self.key = os.urandom(32).hex()
        self.am = AlertmanagerStub()
        self.addCleanup(self.am.close)
        self.a = self.instance("A")
        submissions.prepare_database(self.a)
        self.b = self.instance("B")
        self.ingest = self.a.make_token("ingest")
        self.reader = self.a.make_token("dashboard")
        self.gen = submissions.SubmissionFactory(2222)

    def instance(self, name):
        # Evaluating every second makes the failover quick to see; elsewhere the default
        # interval keeps the periodic full reloads out of the delays being measured.
        interval = 1 if self._testMethodName == "test_alert_leader_failover" else 60
        port = submissions.free_port()
        d = harness.Daemon(self.pg.conninfo(self.dbname), name=f"lvhcmond-{name}", settings={
            "server": {"listen": f"127.0.0.1:{port}", "threads": 4},
            "privacy": {"client_hash_key_file": None, "client_hash_key": self.key},
            "alerts": {"alertmanager_url": f"http://127.0.0.1:{self.am.port}",
                       "evaluation_interval_s": interval}})
        self.addCleanup(d.close)
        d.fixed_port = port
        return d.start()

    def spent(self, d):
        r = d.http("GET", "/api/v1/status?year=2026", token=self.reader)
        self.assertEqual(r.status, 200, r.text)
        return r.json()["spent_cents"]

    def visible_after(self, d, expected, since):
        """Seconds from @since until @d's status shows @expected, polling every 50 ms."""
        while True:
            spent = self.spent(d)
            delay = time.monotonic() - since
            if spent == expected:
                return delay
            self.assertLess(delay, VISIBLE_WITHIN + 2, f"{d.name} shows {spent}, not {expected}")
            time.sleep(0.05)

    def test_submission_on_a_shows_on_b_within_a_second(self):
        delays = {"A": [], "B": []}
        for i in range(10):
            before = self.spent(self.b)
            self.assertEqual(self.spent(self.a), before)
            r = self.a.http("POST", "/api/v1/declarations",
                            self.gen.json_submission(f"vis-{i:03d}", 5), token=self.ingest)
            self.assertEqual(r.status, 201, r.text)
            answered = time.monotonic()
            expected = before + r.json()["amount_cents"]
            delays["B"].append(self.visible_after(self.b, expected, answered))
            delays["A"].append(self.visible_after(self.a, expected, answered))
        self.assertLess(max(delays["B"]), VISIBLE_WITHIN, delays)
        self.assertLess(max(delays["A"]), VISIBLE_WITHIN, delays)
        print(f"\ntwo instances: a submission to A shows in the status of B after "
              f"median {statistics.median(delays['B']) * 1000:.0f} ms, "
              f"max {max(delays['B']) * 1000:.0f} ms (A itself: max "
              f"{max(delays['A']) * 1000:.0f} ms) over {len(delays['B'])} submissions "
              f"(limit {VISIBLE_WITHIN * 1000:.0f} ms, polled every 50 ms)", flush=True)

    def test_replay_through_the_other_instance(self):
        body = self.gen.json_submission("replay-1", 7)
        first = self.a.http("POST", "/api/v1/declarations", body, token=self.ingest)
        self.assertEqual(first.status, 201, first.text)
        again = self.b.http("POST", "/api/v1/declarations", body, token=self.ingest)
        self.assertEqual(again.status, 200, again.text)
        doc, orig = again.json(), first.json()
        self.assertIs(doc["replayed"], True)
        for key in ("id", "accepted", "rejected", "amount_cents", "lines"):
            self.assertEqual(doc[key], orig[key], key)
        changed = json.loads(json.dumps(body))
        changed["lines"][0]["minutes"] += 15
        conflict = self.b.http("POST", "/api/v1/declarations", changed, token=self.ingest)
        self.assertEqual(conflict.status, 409, conflict.text)
        self.assertEqual(self.pg.sql("SELECT count(*) FROM submission WHERE reference = "
                                     "'replay-1'", dbname=self.dbname), [("1",)])

    def test_same_submission_to_both_at_once(self):
        outcomes = []
        for i in range(RACES):
            body = self.gen.json_submission(f"race-{i:03d}", 10)
            barrier = threading.Barrier(2)
            answers = {}

            def send(name, d):
                barrier.wait()
                answers[name] = d.http("POST", "/api/v1/declarations", body,
                                       token=self.ingest, timeout=30)

            threads = [threading.Thread(target=send, args=(n, d))
                       for n, d in (("A", self.a), ("B", self.b))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            statuses = sorted(r.status for r in answers.values())
            self.assertEqual(statuses, [200, 201],
                             {n: (r.status, r.text[:200]) for n, r in answers.items()})
            created = next(r for r in answers.values() if r.status == 201).json()
            replayed = next(r for r in answers.values() if r.status == 200).json()
            self.assertIs(replayed["replayed"], True)
            self.assertEqual(replayed["id"], created["id"])
            self.assertEqual(replayed["amount_cents"], created["amount_cents"])
            outcomes.append(next(n for n, r in answers.items() if r.status == 201))
        rows = self.pg.sql("SELECT count(*), count(DISTINCT reference) FROM submission "
                           "WHERE reference LIKE 'race-%'", dbname=self.dbname)
        self.assertEqual(rows, [(str(RACES), str(RACES))])
        self.assertEqual(submissions.ledger_inconsistencies(self.pg, self.dbname), [])
        print(f"\ntwo instances: {RACES} simultaneous pairs -> {RACES} stored once "
              f"(A won {outcomes.count('A')}, B won {outcomes.count('B')}), "
              f"{RACES} replays, no 409/500", flush=True)

    def test_alert_leader_failover(self):
        # Spend in the year so that there is something to alert on (not strictly needed:
        # missing declarations alert too).
        r = self.a.http("POST", "/api/v1/declarations", self.gen.json_submission("al-1", 5),
                        token=self.ingest)
        self.assertEqual(r.status, 201, r.text)
        deadline = time.monotonic() + 30
        leader = standby = None
        while leader is None:
            for d, other in ((self.a, self.b), (self.b, self.a)):
                if d.find_logs("alert leader"):
                    leader, standby = d, other
            self.assertLess(time.monotonic(), deadline, "no instance became alert leader")
            time.sleep(0.05)
        time.sleep(1.5)  # a few evaluations: the other must stay standby
        self.assertEqual(standby.find_logs("alert leader"), [], "two alert leaders at once")
        self.assertTrue(standby.find_logs("alert standby: another instance is the alert "
                                          "leader"))
        leader_port, standby_port = leader.fixed_port, standby.fixed_port
        pushed_before = self.am.senders()
        self.assertNotIn(standby_port, pushed_before)

        leader.kill()
        killed = time.monotonic()
        entry = standby.wait_log("alert leader", timeout=TAKEOVER_WITHIN)
        took_over = time.monotonic() - killed
        pushes_after = set()
        if pushed_before:
            # Alerts are resent at least every evaluation interval: the survivor's turn.
            push_deadline = time.monotonic() + TAKEOVER_WITHIN
            while standby_port not in pushes_after and time.monotonic() < push_deadline:
                time.sleep(0.1)
                pushes_after = self.am.senders(since=killed)
            self.assertIn(standby_port, pushes_after)
            self.assertNotIn(leader_port, self.am.senders(since=killed + 0.5))
        self.assertIsNone(standby.proc.poll())
        print(f"\ntwo instances: alert leader (port {leader_port}) killed; the standby "
              f"(port {standby_port}) took over after {took_over:.2f} s "
              f"(backend {entry['fields'].get('backend_pid')}); Alertmanager pushes before "
              f"from {sorted(pushed_before)}, after from {sorted(pushes_after)}", flush=True)
