"""test_db_roles.py: the daemon's database role, and the limits of its statements.

  - The daemon runs as a role (harness.RUNTIME_ROLE, a member of lvhcmon_runtime) that may
    only SELECT and INSERT on the ledger: TRUNCATE, UPDATE and DELETE of declaration_line
    fail as that role, and so do writes to reference data and tokens and any DDL; what it
    may UPDATE is listed in sql/0006_runtime_role.sql (alert state, token last use). The
    whole suite runs the daemon as that role, so every test proves the grants suffice;
    here the daemon's own sessions are seen to use it.
  - The append-only triggers refuse TRUNCATE of the ledger to the owner as well, and
    UPDATE, DELETE and TRUNCATE of the audit trail.
  - Migrations run as the owner ([database] migrate_conninfo): a daemon given only the
    runtime role for them cannot migrate, and says why.
  - [database] statement_timeout_ms: a read blocked behind a lock answers 503
    query_timeout with Retry-After once the timeout passes, instead of holding its worker.
  - [database] pool_wait_ms: with every connection of the pool busy, another request waits
    that long and answers 503 busy with Retry-After.
"""

import os
import subprocess
import threading
import time

import harness
import submissions


class LockHolder:
    """A psql session that holds a lock until release()."""

    def __init__(self, pg, dbname, statement):
        self.proc = subprocess.Popen(pg.psql_args(dbname) + ["-v", "ON_ERROR_STOP=1"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.proc.stdin.write(f"BEGIN;\n{statement};\n\\echo locked\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if line.strip() != "locked":
            raise RuntimeError(f"could not take the lock: {line}{self.proc.stderr.read()}")

    def release(self):
        if self.proc.poll() is None:
            self.proc.communicate("ROLLBACK;\n", timeout=30)


class DbRolesTest(harness.LvhcmonTestCase):
    def setUp(self):
        self.dbname = self.fresh_db()

    def as_runtime(self, query):
        return self.pg.sql(query, dbname=self.dbname, user=harness.RUNTIME_ROLE)

    def assert_refused(self, query, user, words):
        with self.assertRaises(RuntimeError) as caught:
            self.pg.sql(query, dbname=self.dbname, user=user)
        self.assertIn(words, str(caught.exception), query)

    def test_runtime_role_may_only_read_and_append(self):
        d = self.daemon(dbname=self.dbname)
        submissions.prepare_database(d)
        token = d.make_token("ingest")
        body = submissions.SubmissionFactory(31).json_submission("roles-1", 3)
        r = d.http("POST", "/api/v1/declarations", body=body, token=token)
        self.assertEqual(r.status, 201, r.text)
        # The daemon's sessions are the runtime role's.
        users = {u for (u,) in self.pg.sql(
            "SELECT DISTINCT usename FROM pg_stat_activity WHERE application_name = 'lvhcmon' "
            f"AND datname = '{self.dbname}'", dbname=self.dbname)}
        self.assertEqual(users, {harness.RUNTIME_ROLE})

        runtime = harness.RUNTIME_ROLE
        denied = "permission denied"
        self.assert_refused("TRUNCATE declaration_line", runtime, denied)
        self.assert_refused("TRUNCATE submission CASCADE", runtime, denied)
        self.assert_refused("UPDATE declaration_line SET amount_cents = 0", runtime, denied)
        self.assert_refused("DELETE FROM declaration_line", runtime, denied)
        self.assert_refused("DELETE FROM submission", runtime, denied)
        self.assert_refused("UPDATE prestatie SET tariff_cents = 1", runtime, denied)
        self.assert_refused("DELETE FROM provider_rate", runtime, denied)
        self.assert_refused("INSERT INTO api_token (token_hash, role) VALUES ('x', 'controller')",
                            runtime, denied)
        self.assert_refused("UPDATE api_token SET revoked_at = NULL", runtime, denied)
        self.assert_refused("UPDATE audit_log SET actor = 'cli:nobody'", runtime, denied)
        self.assert_refused("DELETE FROM audit_log", runtime, denied)
        self.assert_refused("TRUNCATE audit_log", runtime, denied)
        self.assert_refused("CREATE TABLE intruder (x int)", runtime, denied)
        self.assert_refused("DROP TABLE declaration_line", runtime, "must be owner")
        # What it may do: read everything, and the one column of a token it keeps.
        self.assertEqual(self.as_runtime("SELECT count(*) FROM declaration_line"), [("3",)])
        self.as_runtime("UPDATE api_token SET last_used_at = now()")
        # The ledger is untouched by all of the above.
        self.assertEqual(self.pg.sql("SELECT count(*), sum(amount_cents) > 0 FROM "
                                     "declaration_line", dbname=self.dbname), [("3", "t")])

    def test_append_only_for_the_owner_too(self):
        d = self.daemon(dbname=self.dbname)
        submissions.prepare_database(d)
        body = submissions.SubmissionFactory(32).json_submission("roles-2", 2)
        r = d.http("POST", "/api/v1/declarations", body=body, token=d.make_token("ingest"))
        self.assertEqual(r.status, 201, r.text)
        owner = self.pg.user
        for table in ("declaration_line", "submission"):
            self.assert_refused(f"TRUNCATE {table} CASCADE", owner, "append-only")
            self.assert_refused(f"UPDATE {table} SET id = id", owner, "append-only")
        self.pg.sql("INSERT INTO audit_log (actor, actor_role, action, object, outcome) "
                    "VALUES ('cli:test', 'cli', 'reference.load', 'reference:x', 'ok')",
                    dbname=self.dbname)
        self.assert_refused("TRUNCATE audit_log", owner, "the audit trail is append-only")
        self.assert_refused("UPDATE audit_log SET outcome = 'no'", owner, "append-only")
        self.assert_refused("DELETE FROM audit_log", owner, "append-only")
        self.assertGreaterEqual(
            int(self.pg.sql("SELECT count(*) FROM audit_log", dbname=self.dbname)[0][0]), 2)

    def test_migrations_need_the_owner(self):
        d = self.daemon(dbname=self.dbname, start=False, settings={"database": {
            "migrate_conninfo": harness.with_user(self.pg.conninfo(self.dbname),
                                                  harness.RUNTIME_ROLE)}})
        res = d.cli("migrate")
        self.assertEqual(res.returncode, 1)
        self.assertIn("permission denied", res.stderr)
        d.start(wait=False, expect_exit=1)
        self.assertEqual(d.wait(60), 1)
        self.assertIn("permission denied",
                      d.wait_log("database schema refused")["fields"]["error"])

    def test_statement_timeout(self):
        d = self.daemon(dbname=self.dbname,
                        settings={"database": {"statement_timeout_ms": 1000}})
        submissions.prepare_database(d)
        token = d.make_token("controller")
        self.assertEqual(d.http("GET", "/api/v1/providers/41000001/declarations",
                                token=token).status, 200)
        lock = LockHolder(self.pg, self.dbname,
                          "LOCK TABLE declaration_line IN ACCESS EXCLUSIVE MODE")
        try:
            began = time.monotonic()
            r = d.http("GET", "/api/v1/providers/41000001/declarations", token=token)
            took = time.monotonic() - began
        finally:
            lock.release()
        err = self.assertError(r, 503, "query_timeout")
        self.assertIn("statement_timeout_ms", err["message"])
        self.assertEqual(r.headers["retry-after"], "5")
        self.assertGreater(took, 0.9)
        self.assertLess(took, 4)
        d.wait_log("database statement cancelled: it ran past statement_timeout_ms")
        # The connection is fine afterwards: the next request is served at once.
        self.assertEqual(d.http("GET", "/api/v1/providers/41000001/declarations",
                                token=token).status, 200)

    def test_pool_wait(self):
        d = self.daemon(dbname=self.dbname, settings={
            "server": {"threads": 4},
            "database": {"pool_size": 1, "pool_wait_ms": 300, "statement_timeout_ms": 20000}})
        submissions.prepare_database(d)
        token = d.make_token("controller")
        path = "/api/v1/providers/41000001/declarations"
        self.assertEqual(d.http("GET", path, token=token).status, 200)
        lock = LockHolder(self.pg, self.dbname,
                          "LOCK TABLE declaration_line IN ACCESS EXCLUSIVE MODE")
        blocked = {}

        def hold_the_pool():
            blocked["r"] = d.http("GET", path, token=token, timeout=60)

        holder = threading.Thread(target=hold_the_pool)
        try:
            holder.start()
            time.sleep(1)  # it has the pool's one connection, waiting on the lock
            self.assertTrue(holder.is_alive())
            began = time.monotonic()
            r = d.http("GET", "/api/v1/declarations/1", token=token)  # token still cached
            took = time.monotonic() - began
        finally:
            lock.release()
            holder.join(60)
        err = self.assertError(r, 503, "busy")
        self.assertIn("300 ms", err["message"])
        self.assertEqual(r.headers["retry-after"], "5")
        self.assertLess(took, 2)
        self.assertEqual(blocked["r"].status, 200, blocked["r"].text)
