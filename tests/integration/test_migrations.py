"""test_migrations.py: the schema migrator of lvhcmond and `lvhcmon migrate` against a real
PostgreSQL: two migrators at once apply each file exactly once and both succeed; a changed or
missing file is refused; a new file is applied on the next start; a failing file leaves
nothing behind."""

import glob
import hashlib
import os
import shutil
import subprocess
import tempfile

import harness


def sql_files():
    return sorted(os.path.basename(p)
                  for p in glob.glob(os.path.join(harness.SOURCE_DIR, "sql", "[0-9]*.sql")))


class MigrationsTest(harness.LvhcmonTestCase):
    def migrate_cmd(self, config_path):
        return [harness.binary("lvhcmon"), "--config", config_path, "migrate"]

    def recorded(self, db):
        return self.pg.sql("SELECT version, name, sha256 FROM schema_migrations ORDER BY version",
                           dbname=db)

    def copy_sql_dir(self):
        d = tempfile.mkdtemp(prefix="lvhcmon-sql-")
        self.addCleanup(shutil.rmtree, d, True)
        for name in sql_files():
            shutil.copy(os.path.join(harness.SOURCE_DIR, "sql", name), d)
        return d

    def test_two_cli_migrators_at_once(self):
        db = self.fresh_db()
        d = self.daemon(dbname=db, start=False)
        procs = [subprocess.Popen(self.migrate_cmd(d.config_path), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        for p, (out, err) in zip(procs, outs):
            harness.check_program("lvhcmon migrate", p.returncode, err, harness.CLI_EXIT_CODES)
            self.assertEqual(p.returncode, 0, err)
        n = len(sql_files())
        applied = sorted(int(out.split("(")[1].split()[0]) for out, _ in outs)
        self.assertEqual(applied, [0, n], outs)
        rows = self.recorded(db)
        self.assertEqual([r[1] for r in rows], sql_files())
        for version, name, sha in rows:
            path = os.path.join(harness.SOURCE_DIR, "sql", name)
            self.assertEqual(int(version), int(name[:4]))
            with open(path, "rb") as f:
                self.assertEqual(sha, hashlib.sha256(f.read()).hexdigest())
        # and again: nothing to do
        res = d.cli("migrate")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("(0 migrations applied)", res.stdout)

    def test_two_daemons_start_at_once(self):
        db = self.fresh_db()
        a = self.daemon(dbname=db, start=False)
        b = self.daemon(dbname=db, start=False)
        a.start(wait=False)
        b.start(wait=False)
        a.wait_ready()
        b.wait_ready()
        applied = sorted(d.wait_log("database schema current")["fields"]["applied"]
                         for d in (a, b))
        self.assertEqual(applied, [0, len(sql_files())])
        self.assertEqual(len(self.recorded(db)), len(sql_files()))
        token = a.make_token("dashboard")  # /readyz tells its schema version to a token only
        for d in (a, b):
            r = d.http("GET", "/readyz", token=token)
            self.assertEqual(r.status, 200, r.text)
            self.assertEqual(r.json()["schema_version"], int(sql_files()[-1][:4]))

    def test_changed_file_is_refused(self):
        db = self.fresh_db()
        d = self.daemon(dbname=db, start=False)
        self.assertEqual(d.cli("migrate").returncode, 0)
        self.pg.sql("UPDATE schema_migrations SET sha256 = repeat('0', 64) WHERE version = 1",
                    dbname=db)
        res = d.cli("migrate")
        self.assertEqual(res.returncode, 1)
        self.assertIn("changed after it was applied", res.stderr)
        self.assertIn(sql_files()[0], res.stderr)
        d.start(wait=False, expect_exit=1)
        self.assertEqual(d.wait(60), 1)
        entry = d.wait_log("database schema refused")
        self.assertIn("changed after it was applied", entry["fields"]["error"])
        # the other commands refuse too: the schema is not what this build knows
        res = d.cli("token", "add", "--role", "controller")
        self.assertEqual(res.returncode, 1)

    def test_missing_file_is_refused(self):
        db = self.fresh_db()
        d = self.daemon(dbname=db, start=False)
        self.assertEqual(d.cli("migrate").returncode, 0)
        self.pg.sql("INSERT INTO schema_migrations (version, name, sha256) "
                    "VALUES (9999, '9999_from_the_future.sql', repeat('a', 64))", dbname=db)
        res = d.cli("migrate")
        self.assertEqual(res.returncode, 1)
        self.assertIn("records migration 9999 (9999_from_the_future.sql) but its file is "
                      "missing", res.stderr)
        d.start(wait=False, expect_exit=1)
        self.assertEqual(d.wait(60), 1)

    def test_new_file_applied_on_next_start(self):
        db = self.fresh_db()
        sql_dir = self.copy_sql_dir()
        d = self.daemon(dbname=db, settings={"database": {"sql_dir": sql_dir}})
        self.assertEqual(d.stop(), 0)
        with open(os.path.join(sql_dir, "9000_probe.sql"), "w") as f:
            f.write("CREATE TABLE migration_probe (x integer);\n"
                    "INSERT INTO migration_probe VALUES (1), (2);\n")
        d.start()
        self.assertEqual(d.wait_log("database schema current")["fields"],
                         {"version": 9000, "applied": 1})
        self.assertEqual(d.http("GET", "/readyz", token=d.make_token("dashboard")).json()
                         ["schema_version"], 9000)
        self.assertEqual(self.pg.sql("SELECT count(*) FROM migration_probe", dbname=db),
                         [("2",)])
        # A build without that file must not run against this database.
        old = self.daemon(dbname=db, start=False)
        old.start(wait=False, expect_exit=1)
        self.assertEqual(old.wait(60), 1)
        self.assertIn("9000", old.wait_log("database schema refused")["fields"]["error"])

    def test_failing_file_leaves_nothing(self):
        db = self.fresh_db()
        sql_dir = self.copy_sql_dir()
        with open(os.path.join(sql_dir, "9000_broken.sql"), "w") as f:
            f.write("CREATE TABLE fine (x integer);\nCREATE TABLE broken (x nosuchtype);\n")
        d = self.daemon(dbname=db, settings={"database": {"sql_dir": sql_dir}}, start=False)
        res = d.cli("migrate")
        self.assertEqual(res.returncode, 1)
        self.assertIn("migration 9000_broken.sql failed", res.stderr)
        self.assertIn("nosuchtype", res.stderr)
        # one transaction: not even the earlier files nor the bookkeeping table remain
        self.assertEqual(self.pg.sql("SELECT to_regclass('schema_migrations'), "
                                     "to_regclass('fine'), to_regclass('api_token')",
                                     dbname=db), [(None, None, None)])

    def test_badly_named_file_is_refused(self):
        sql_dir = self.copy_sql_dir()
        with open(os.path.join(sql_dir, "extra.sql"), "w") as f:
            f.write("SELECT 1;\n")
        d = self.daemon(settings={"database": {"sql_dir": sql_dir}}, start=False)
        res = d.cli("migrate")
        self.assertEqual(res.returncode, 1)
        self.assertIn("extra.sql: a migration file must be named NNNN_name.sql", res.stderr)

    def test_unreachable_database(self):
        d = self.daemon(start=False, runtime_role=False, settings={"database": {
            "conninfo": f"host={self.pg.dir} port=1 dbname=x user={self.pg.user}"}})
        res = d.cli("migrate")
        self.assertEqual(res.returncode, 1)
        self.assertIn("cannot connect to the database", res.stderr)
        d.start(wait=False, expect_exit=1)
        self.assertEqual(d.wait(60), 1)
        d.wait_log("database unreachable")

    def test_lvhcmon_db_overrides_conninfo(self):
        db = self.fresh_db()
        d = self.daemon(start=False, runtime_role=False,
                        settings={"database": {"conninfo": "dbname=nowhere"}},
                        env={"LVHCMON_DB": self.pg.conninfo(db)})
        res = d.cli("migrate", env={"LVHCMON_DB": self.pg.conninfo(db)})
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(len(self.recorded(db)), len(sql_files()))
        d.start()
        self.assertEqual(d.http("GET", "/readyz").status, 200)
