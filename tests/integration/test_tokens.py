"""test_tokens.py: the life of an API token, across two instances of the daemon.

  - `lvhcmon token list [--json]` shows id, role, provider, label, created, expires, last
    used and revoked of every token, never the token nor its hash;
  - a token revoked with `lvhcmon token revoke ID` is refused (401 token_revoked) by both
    instances within 5 s, although each had it in its cache;
  - a token past its expiry (`token add --expires-days N`; here the expiry is moved to a
    few seconds ahead) is refused (401 token_expired) by both within 5 s of the moment;
  - last_used_at is written, but not once per request: a hundred requests cost at most one
    write per instance;
  - usage errors (an unknown id, --expires-days 0) exit as documented;
  - every answer to an authenticated request says Cache-Control: private, no-cache; public
    answers keep theirs.
"""

import json
import time

import harness
import submissions

REFUSED_WITHIN = 5.0


class TokensTest(harness.LvhcmonTestCase):
    def two_daemons(self):
        dbname = self.fresh_db()
        key = "k" * 40
        settings = {"privacy": {"client_hash_key_file": None, "client_hash_key": key}}
        a = self.daemon(dbname=dbname, settings=settings)
        b = self.daemon(dbname=dbname, settings=settings)
        return dbname, a, b

    def wait_refused(self, daemons, token, code, since):
        """Polls every daemon until each answers 401 `code`; returns the seconds each took
        from `since`."""
        took = {}
        deadline = since + REFUSED_WITHIN + 5
        while len(took) < len(daemons) and time.monotonic() < deadline:
            for i, d in enumerate(daemons):
                if i in took:
                    continue
                r = d.http("GET", "/api/v1/whoami", token=token)
                if r.status == 401:
                    self.assertEqual(r.json()["error"]["code"], code, r.text)
                    took[i] = time.monotonic() - since
                else:
                    self.assertEqual(r.status, 200, r.text)
            time.sleep(0.1)
        self.assertEqual(len(took), len(daemons), f"refused by {len(took)} of {len(daemons)}")
        for seconds in took.values():
            self.assertLess(seconds, REFUSED_WITHIN)
        return [took[i] for i in range(len(daemons))]

    def test_revoked_token_refused_everywhere(self):
        dbname, a, b = self.two_daemons()
        token = a.make_token("controller", label="to be revoked")
        other = a.make_token("dashboard", label="stays")
        for d in (a, b):  # both have it cached now
            for _ in range(3):
                self.assertEqual(d.http("GET", "/api/v1/whoami", token=token).status, 200)
        listed = json.loads(a.cli("token", "list", "--json").stdout)["tokens"]
        ids = {t["label"]: t["id"] for t in listed}
        res = a.cli("token", "revoke", str(ids["to be revoked"]))
        self.assertEqual(res.returncode, 0, res.stderr)
        revoked = time.monotonic()
        self.assertIn("revoked", res.stderr)
        took = self.wait_refused([a, b], token, "token_revoked", revoked)
        # The other token is untouched.
        for d in (a, b):
            self.assertEqual(d.http("GET", "/api/v1/whoami", token=other).status, 200)
        # Revoking again changes nothing; an unknown id is an error.
        again = a.cli("token", "revoke", str(ids["to be revoked"]))
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("already revoked", again.stderr)
        self.assertEqual(a.cli("token", "revoke", "999999").returncode, 1)
        self.assertEqual(a.cli("token", "revoke", "abc").returncode, 2)
        listed = {t["id"]: t for t in json.loads(a.cli("token", "list", "--json").stdout)
                  ["tokens"]}
        self.assertEqual(listed[ids["to be revoked"]]["state"], "revoked")
        self.assertIsNotNone(listed[ids["to be revoked"]]["revoked_at"])
        print(f"\nrevocation refused by the two instances after "
              f"{', '.join(f'{t:.2f} s' for t in took)}", flush=True)

    def test_expired_token_refused_everywhere(self):
        dbname, a, b = self.two_daemons()
        res = a.cli("token", "add", "--role", "dashboard", "--label", "expiring",
                    "--expires-days", "1")
        self.assertEqual(res.returncode, 0, res.stderr)
        token = res.stdout.strip()
        row = self.pg.sql("SELECT id, expires_at > now() + interval '23 hours', "
                          "expires_at < now() + interval '25 hours' FROM api_token "
                          "WHERE label = 'expiring'", dbname=dbname)[0]
        self.assertEqual(row[1:], ("t", "t"))
        for d in (a, b):
            self.assertEqual(d.http("GET", "/api/v1/whoami", token=token).status, 200)
        # Bring the expiry to three seconds from now, and keep using the token until then.
        self.pg.sql("UPDATE api_token SET expires_at = now() + interval '3 seconds' "
                    f"WHERE id = {row[0]}", dbname=dbname)
        # The expiry is kept to the millisecond: the token works until 0.1 s before it
        # (the margin covers the UPDATE's own round trip), where an expiry rounded to the
        # second would refuse it up to 0.5 s early.
        expires = time.monotonic() + 3
        while time.monotonic() < expires - 0.1:
            for d in (a, b):
                if time.monotonic() < expires - 0.1:
                    self.assertEqual(d.http("GET", "/api/v1/whoami", token=token).status, 200)
            time.sleep(0.05)
        while time.monotonic() < expires:
            time.sleep(0.05)
        took = self.wait_refused([a, b], token, "token_expired", expires)
        listed = [t for t in json.loads(a.cli("token", "list", "--json").stdout)["tokens"]
                  if t["label"] == "expiring"]
        self.assertEqual(listed[0]["state"], "expired")
        print(f"\nexpiry refused by the two instances after "
              f"{', '.join(f'{t:.2f} s' for t in took)}", flush=True)

    def test_list_never_shows_the_token(self):
        dbname, a, b = self.two_daemons()
        submissions.prepare_database(a)
        tokens = [a.make_token("controller", label="ctl"),
                  a.make_token("provider", agb="41000001", label="prov")]
        res = a.cli("token", "add", "--role", "ingest", "--expires-days", "30")
        self.assertEqual(res.returncode, 0, res.stderr)
        tokens.append(res.stdout.strip())
        self.assertEqual(a.http("GET", "/api/v1/whoami", token=tokens[0]).status, 200)
        table = a.cli("token", "list")
        doc = a.cli("token", "list", "--json")
        for res in (table, doc):
            self.assertEqual(res.returncode, 0, res.stderr)
            for t in tokens:
                self.assertNotIn(t, res.stdout)
                self.assertNotIn(t[4:], res.stdout)
                self.assertNotIn(harness.sha256_hex(t), res.stdout)
        listed = json.loads(doc.stdout)["tokens"]
        self.assertEqual(len(listed), 3)
        self.assertEqual(set(listed[0]),
                         {"id", "role", "provider_agb", "label", "created_at", "expires_at",
                          "last_used_at", "revoked_at", "state"})
        by_label = {t["label"]: t for t in listed}
        self.assertEqual(by_label["prov"]["provider_agb"], "41000001")
        self.assertIsNotNone(by_label["ctl"]["last_used_at"])  # used above
        self.assertIsNone(by_label["prov"]["last_used_at"])
        self.assertIsNotNone(by_label[""]["expires_at"])
        self.assertEqual({t["state"] for t in listed}, {"active"})
        self.assertIn("LAST USED", table.stdout)
        # Usage errors.
        bad = a.cli("token", "add", "--role", "dashboard", "--expires-days", "0")
        self.assertEqual(bad.returncode, 2)
        self.assertIn("--expires-days", bad.stderr)
        self.assertEqual(a.cli("token", "list", "--yaml").returncode, 2)

    def test_last_used_is_not_a_write_per_request(self):
        dbname, a, b = self.two_daemons()
        token = a.make_token("dashboard")

        def updates():
            self.pg.sql("SELECT pg_stat_clear_snapshot()", dbname=dbname)
            return int(self.pg.sql("SELECT n_tup_upd FROM pg_stat_user_tables "
                                   "WHERE relname = 'api_token'", dbname=dbname)[0][0])

        before = self.pg.sql("SELECT last_used_at FROM api_token", dbname=dbname)[0][0]
        self.assertIsNone(before)
        start = updates()
        for _ in range(50):
            for d in (a, b):
                self.assertEqual(d.http("GET", "/api/v1/whoami", token=token).status, 200)
        # Statistics reach the view with a delay: wait for the first write to show.
        deadline = time.monotonic() + 10
        while updates() == start and time.monotonic() < deadline:
            time.sleep(0.2)
        writes = updates() - start
        self.assertGreaterEqual(writes, 1)
        self.assertLessEqual(writes, 2)  # one per instance at most, not one per request
        self.assertIsNotNone(self.pg.sql("SELECT last_used_at FROM api_token",
                                         dbname=dbname)[0][0])

    def test_cache_control(self):
        d = self.daemon()
        token = d.make_token("controller")
        for path in ("/api/v1/whoami", "/api/v1/status", "/api/v1/alerts", "/readyz"):
            r = d.http("GET", path, token=token)
            self.assertEqual(r.status, 200, (path, r.text))
            self.assertEqual(r.headers["cache-control"], "private, no-cache", path)
        r = d.http("GET", "/api/v1/whoami", token="lvh_" + "0" * 64)
        self.assertEqual(r.status, 401)
        self.assertEqual(r.headers["cache-control"], "no-store")
        self.assertEqual(d.http("GET", "/healthz").headers["cache-control"], "no-store")
        static = d.http("GET", "/")
        self.assertEqual(static.status, 200)
        self.assertNotIn("private", static.headers.get("cache-control", ""))

