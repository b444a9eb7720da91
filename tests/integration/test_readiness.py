"""test_readiness.py: /healthz and /readyz. readyz turns 503 while PostgreSQL is down and
200 again by itself once it is back, without restarting the daemon; healthz stays 200 all
along. A database whose schema is behind the build is not ready either. Without a token
readyz says only "ready" or "not ready" (libpq's message names hosts and users); the
reason and the schema version go to a caller with a valid token."""

import time

import harness


class ReadinessTest(harness.LvhcmonTestCase):
    def test_healthz(self):
        d = self.daemon()
        r = d.http("GET", "/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json(), {"status": "ok"})
        self.assertEqual(r.headers["content-type"], "application/json")
        self.assertEqual(r.headers["cache-control"], "no-store")
        self.assertEqual(d.http("HEAD", "/healthz").status, 200)

    def test_readyz_follows_postgres_outage(self):
        d = self.daemon()
        token = d.make_token("dashboard")
        pid = d.proc.pid
        r = d.http("GET", "/readyz")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json(), {"status": "ready"})
        self.assertEqual(r.headers["cache-control"], "no-store")
        r = d.http("GET", "/readyz", token=token)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["status"], "ready")
        self.assertIn("schema_version", r.json())
        self.assertEqual(r.headers["cache-control"], "private, no-cache")

        self.pg.stop("fast")
        try:
            for _ in range(3):
                r = d.http("GET", "/readyz")
                err = self.assertError(r, 503, "unavailable")
                self.assertEqual(err["message"], "not ready")
                self.assertNotIn(self.pg.dir, r.text)
                # a token (cached from before the outage) gets the reason
                err = self.assertError(d.http("GET", "/readyz", token=token), 503, "unavailable")
                self.assertIn("database", err["message"])
                self.assertEqual(d.http("GET", "/healthz").status, 200)
        finally:
            self.pg.start()

        started = time.monotonic()
        while True:
            r = d.http("GET", "/readyz")
            if r.status == 200:
                break
            self.assertLess(time.monotonic() - started, 5, r.text)
            time.sleep(0.1)
        self.assertEqual(r.json()["status"], "ready")
        self.assertIsNone(d.proc.poll())
        self.assertEqual(d.proc.pid, pid)
        # every pooled connection recovered, not only the one that answered
        for _ in range(10):
            self.assertEqual(d.http("GET", "/readyz").status, 200)
        d.wait_log("database connection lost")

    def test_schema_behind_is_not_ready(self):
        db = self.fresh_db()
        d = self.daemon(dbname=db)
        token = d.make_token("controller")
        newest = self.pg.sql("SELECT max(version) FROM schema_migrations", dbname=db)[0][0]
        row = self.pg.sql(f"SELECT name, sha256 FROM schema_migrations WHERE version = {newest}",
                          dbname=db)[0]
        self.pg.sql(f"DELETE FROM schema_migrations WHERE version = {newest}", dbname=db)
        err = self.assertError(d.http("GET", "/readyz"), 503, "unavailable")
        self.assertEqual(err["message"], "not ready")
        err = self.assertError(d.http("GET", "/readyz", token=token), 503, "unavailable")
        self.assertIn(f"this build expects {newest}", err["message"])
        err = self.assertError(d.http("GET", "/readyz", token="lvh_" + "0" * 64), 503,
                               "unavailable")
        self.assertEqual(err["message"], "not ready")  # an unknown token: no details
        self.assertEqual(d.http("GET", "/healthz").status, 200)
        self.pg.sql(f"INSERT INTO schema_migrations (version, name, sha256) "
                    f"VALUES ({newest}, '{row[0]}', '{row[1]}')", dbname=db)
        self.assertEqual(d.http("GET", "/readyz").status, 200)
