"""test_lifecycle.py: the daemon's life and the token command. SIGTERM lets a slow request
in flight finish and exits 0 without accepting new connections; SIGHUP applies a changed log
level, keeps restart-only settings with a warning, and keeps the old configuration when the
new one is bad; `lvhcmon token add` prints the token alone and stores only its hash; the
generic HTTP answers (401, 404, 405, 413)."""

import http.client
import signal
import socket
import subprocess
import threading
import time

import harness


class LifecycleTest(harness.LvhcmonTestCase):
    def wait_until(self, predicate, timeout=10, what="condition"):
        deadline = time.monotonic() + timeout
        while not predicate():
            self.assertLess(time.monotonic(), deadline, f"timed out waiting for {what}")
            time.sleep(0.05)

    def test_sigterm_finishes_request_in_flight(self):
        db = self.fresh_db()
        d = self.daemon(dbname=db)
        # Warm up: the pooled connection /readyz will use is open and prepared, so below it
        # waits on the lock executing, not while connecting.
        self.assertEqual(d.http("GET", "/readyz").status, 200)
        # Make /readyz slow without any test hook: hold a lock on the table it reads.
        locker = subprocess.Popen(self.pg.psql_args(db) + [
            "-c", "BEGIN; LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE; "
                  "SELECT pg_sleep(3); COMMIT;"], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        self.addCleanup(locker.wait, 30)
        self.wait_until(lambda: self.pg.sql(
            "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' "
            "AND relation = 'schema_migrations'::regclass", dbname=db) == [("1",)],
            what="the lock")

        def waiting():
            return int(self.pg.sql(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lvhcmon' "
                "AND wait_event_type = 'Lock'", dbname=db)[0][0])

        # (the daemon's background threads could be waiting on the lock too)
        before = waiting()
        result = {}

        def slow_request():
            try:
                result["response"] = d.http("GET", "/readyz", timeout=30)
            except Exception as e:  # reported by the assertion below
                result["error"] = e

        t = threading.Thread(target=slow_request)
        t.start()
        self.wait_until(lambda: waiting() > before, what="the request to wait on the lock")
        d.send_signal(signal.SIGTERM)
        d.wait_log("stopping: finishing requests in flight")
        # no new connections once stopping
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", d.port), timeout=2).close()
        t.join(30)
        self.assertNotIn("error", result)
        self.assertEqual(result["response"].status, 200, result["response"].text)
        self.assertEqual(result["response"].headers.get("connection"), "close")
        self.assertEqual(d.wait(30), 0)
        d.wait_log("stopped")

    def test_sigint_exits_zero(self):
        d = self.daemon()
        self.assertEqual(d.stop(signal.SIGINT), 0)
        self.assertEqual(d.find_logs("stop signal received")[0]["fields"]["signal"], "SIGINT")

    def test_sighup_applies_log_level(self):
        d = self.daemon()
        d.http("GET", "/healthz")
        self.assertEqual(d.find_logs("request"), [])  # debug lines are off at info
        d.write_config({"log": {"level": "debug"}})
        entry = d.reload()
        self.assertEqual(entry["message"], "configuration reloaded")
        self.assertEqual(entry["fields"]["log_level"], "debug")
        d.http("GET", "/healthz")
        line = d.wait_log("request", predicate=lambda e: e["fields"]["path"] == "/healthz")
        self.assertEqual(line["level"], "debug")
        self.assertEqual(line["fields"]["status"], 200)

    def test_sighup_bad_config_keeps_the_old_one(self):
        d = self.daemon(settings={"log": {"level": "debug"}})
        with open(d.config_path) as f:
            d.write_config(text=f.read() + "[alerts]\nevaluation_interval_s = lots\n")
        entry = d.reload()
        self.assertEqual(entry["level"], "error")
        self.assertIn("[alerts] evaluation_interval_s: expected a whole number",
                      entry["fields"]["error"])
        self.assertRegex(entry["fields"]["error"], r"line \d+: ")
        self.assertEqual(d.http("GET", "/healthz").status, 200)
        d.wait_log("request")  # still at debug: the old configuration holds
        self.assertIsNone(d.proc.poll())

    def test_sighup_restart_only_setting_warns(self):
        d = self.daemon()
        port = d.port
        d.write_config({"server": {"listen": "127.0.0.1:1", "threads": 3},
                        "budget": {"thresholds": "0.8, 1.0"}})
        entry = d.reload()
        self.assertEqual(entry["message"], "configuration reloaded")
        self.assertEqual(entry["fields"]["restart_needed"], 2)
        keys = {e["fields"]["key"] for e in d.find_logs(
            "setting changed but only a restart applies it; keeping the running value")}
        self.assertEqual(keys, {"[server] listen", "[server] threads"})
        self.assertEqual(d.port, port)
        self.assertEqual(d.http("GET", "/healthz").status, 200)

    def test_token_add(self):
        db = self.fresh_db()
        d = self.daemon(dbname=db)
        res = d.cli("token", "add", "--role", "controller", "--label", "ops laptop")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertRegex(res.stdout, r"\Alvh_[0-9a-f]{64}\n\Z")
        token = res.stdout.strip()
        self.assertNotIn(token, res.stderr)
        rows = self.pg.sql("SELECT token_hash, role, provider_agb, label FROM api_token",
                           dbname=db)
        self.assertEqual(rows, [(harness.sha256_hex(token), "controller", None, "ops laptop")])
        dump = self.pg.sql("SELECT string_agg(t::text, '') FROM api_token t", dbname=db)[0][0]
        self.assertNotIn(token[4:], dump)

        r = d.http("GET", "/api/v1/whoami", token=token)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["role"], "controller")
        self.assertIsNone(r.json()["provider_agb"])
        self.assertEqual(r.json()["label"], "ops laptop")
        err = self.assertError(d.http("GET", "/api/v1/whoami"), 401, "unauthorized")
        self.assertIsNone(err["field"])
        self.assertEqual(d.http("GET", "/api/v1/whoami").headers["www-authenticate"], "Bearer")
        self.assertError(d.http("GET", "/api/v1/whoami", token="lvh_" + "0" * 64), 401)
        self.assertError(d.http("GET", "/api/v1/whoami",
                                headers={"Authorization": "Basic dXNlcjpwdw=="}), 401)
        # a second token differs
        self.assertNotEqual(d.make_token("dashboard"), token)

    def test_token_add_provider(self):
        db = self.fresh_db()
        d = self.daemon(dbname=db)
        res = d.cli("token", "add", "--role", "provider", "--provider", "41000001")
        self.assertEqual(res.returncode, 1)
        self.assertIn("no provider with AGB 41000001", res.stderr)
        self.assertEqual(res.stdout, "")
        self.assertEqual(self.pg.sql("SELECT count(*) FROM api_token", dbname=db), [("0",)])
        self.pg.sql("INSERT INTO provider (agb, name, zorgkantoor) "
                    "VALUES ('41000001', 'Test Zorg', '5501')", dbname=db)
        token = d.make_token("provider", agb="41000001")
        r = d.http("GET", "/api/v1/whoami", token=token)
        self.assertEqual(r.json()["role"], "provider")
        self.assertEqual(r.json()["provider_agb"], "41000001")
        for args, want in ((["--role", "provider"], "--provider AGB is required"),
                           (["--role", "provider", "--provider", "4100000x"], "8 digits"),
                           (["--role", "ingest", "--provider", "41000001"], "only for role"),
                           (["--role", "admin"], "unknown role 'admin'")):
            with self.subTest(args=args):
                res = d.cli("token", "add", *args)
                self.assertEqual(res.returncode, 2)
                self.assertIn(want, res.stderr)

    def test_token_add_needs_a_migrated_database(self):
        d = self.daemon(start=False)
        res = d.cli("token", "add", "--role", "controller")
        self.assertEqual(res.returncode, 1)
        self.assertIn("run `lvhcmon migrate`", res.stderr)
        self.assertEqual(res.stdout, "")

    def test_http_errors(self):
        d = self.daemon()
        err = self.assertError(d.http("GET", "/no/such/thing"), 404, "not_found")
        r = d.http("POST", "/healthz", body="x")
        self.assertError(r, 405, "method_not_allowed")
        self.assertEqual(r.headers["allow"], "GET, HEAD")
        self.assertIsNone(err["field"])

    def test_body_limit(self):
        """413 for bodies over [server] max_body_bytes: at once when Content-Length says
        so, after the body for chunked uploads; a body under the limit reaches the handler."""
        db = self.fresh_db()
        d = self.daemon(dbname=db, settings={"server": {"max_body_bytes": "4 KiB"}})
        token = d.make_token("ingest")
        # Under the limit the route answers for itself: an empty object is not a submission.
        small = d.http("POST", "/api/v1/declarations", body={}, token=token)
        self.assertEqual(small.status, 422, small.text)
        self.assertIn("provider_agb", small.text)
        big = b"{" + b" " * 8192 + b"}"
        self.assertError(d.http("POST", "/api/v1/declarations", body=big, token=token,
                                headers={"Content-Type": "application/json"}),
                         413, "payload_too_large")

        def chunked():
            yield b"{"
            for _ in range(8):
                yield b" " * 1024
            yield b"}"
        conn = http.client.HTTPConnection("127.0.0.1", d.port, timeout=15)
        conn.request("POST", "/api/v1/declarations", body=chunked(), encode_chunked=True,
                     headers={"Authorization": f"Bearer {token}",
                              "Content-Type": "application/json"})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 413)
        conn.close()
