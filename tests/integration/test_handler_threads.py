"""test_handler_threads.py: a submission being stored holds up no other request
(daemon/http/handler_pool.h).

libmicrohttpd runs a request's handler on the polling thread that accepted its connection.
Storing a submission takes that thread for the whole transaction and the wait to read its
own write; every other connection of the thread, and with one thread every new connection,
waited as long. The submission routes now run on threads of their own.

With [server] threads = 1 and every update of the budget figures made 1.5 s slower (the
test hook LVHCMON_TEST_ROUND_DELAY_MS), a submission's answer waits about 1.5 s for the
figures to include it. Meanwhile, on other connections:
  - /healthz, /api/v1/status and /api/v1/declarations/{id} (a read from the database) are
    each answered within 0.5 s, while the submission is still unanswered;
  - a second submission, of another provider, is stored and answered too.
The first answer is then 201 with Lvhcmon-Read-Your-Writes: included, and the status read
after it includes both submissions.
"""

import os
import threading
import time
import unittest

import harness
import submissions

YEAR = submissions.YEAR
HOOKS = os.environ.get("LVHCMON_TEST_HOOKS") == "1"
ROUND_DELAY_MS = 1500
PROMPT_S = 0.5


@unittest.skipUnless(HOOKS, "this build has no test hooks (configure with "
                            "-DLVHCMON_SANITIZE=ON or -DLVHCMON_TEST_HOOKS=ON)")
class HandlerThreadsTest(harness.LvhcmonTestCase):
    def test_a_submission_in_progress_holds_up_no_other_request(self):
        d = self.daemon(settings={"server": {"threads": 1, "read_your_writes_timeout_ms": 10000},
                                  "budget": {"default_year": YEAR}},
                        env={"LVHCMON_TEST_ROUND_DELAY_MS": str(ROUND_DELAY_MS)})
        submissions.prepare_database(d)
        ingest, controller = d.make_token("ingest"), d.make_token("controller")
        providers = sorted({agb for agb, _ in submissions.SubmissionFactory(1).pairs})
        first = submissions.SubmissionFactory(31, providers={providers[0]})
        second = submissions.SubmissionFactory(32, providers={providers[1]})
        # One submission first, answered once its round is done: the start-up rounds are
        # then behind us and the next submission waits for one round of its own.
        warm = d.http("POST", "/api/v1/declarations", first.json_submission("ht-warm", 2),
                      token=ingest, timeout=60)
        self.assertEqual(warm.status, 201, warm.text)
        stored_id = warm.json()["id"]

        answers = {}

        def post(name, gen, reference):
            r = d.http("POST", "/api/v1/declarations", gen.json_submission(reference, 3),
                       token=ingest, timeout=60)
            answers[name] = (r, time.monotonic())

        slow = threading.Thread(target=post, args=("first", first, "ht-1"))
        started = time.monotonic()
        slow.start()
        time.sleep(0.3)  # stored by now, and waiting for the delayed round
        reads = [("/healthz", None), (f"/api/v1/status?year={YEAR}", controller),
                 (f"/api/v1/declarations/{stored_id}", controller)]
        for path, token in reads:
            t0 = time.monotonic()
            r = d.http("GET", path, token=token, timeout=30)
            took = time.monotonic() - t0
            self.assertEqual(r.status, 200, f"{path}: {r.text[:300]}")
            self.assertLess(took, PROMPT_S, f"{path} waited {took:.2f} s for the submission")
            self.assertNotIn("first", answers,
                             f"{path}: the submission was answered before it "
                             f"({time.monotonic() - started:.2f} s): nothing was shown")
        other = threading.Thread(target=post, args=("second", second, "ht-2"))
        other.start()
        slow.join(60)
        other.join(60)
        self.assertFalse(slow.is_alive() or other.is_alive(), "a submission hung")
        for name in ("first", "second"):
            r, _ = answers[name]
            self.assertEqual(r.status, 201, f"{name}: {r.text[:300]}")
            self.assertEqual(r.headers.get("lvhcmon-read-your-writes"), "included", name)
        waited = answers["first"][1] - started
        self.assertGreaterEqual(waited, ROUND_DELAY_MS / 1000 * 0.8,
                                "the first submission did not wait for its round: the reads "
                                "above proved nothing")
        status = d.http("GET", f"/api/v1/status?year={YEAR}", token=controller).json()
        mine = warm.json()["amount_cents"] + sum(answers[n][0].json()["amount_cents"]
                                                 for n in ("first", "second"))
        self.assertEqual(status["spent_cents"], mine)


if __name__ == "__main__":
    unittest.main()
