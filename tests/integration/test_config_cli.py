"""test_config_cli.py: the command lines of lvhcmond and lvhcmon without a database:
--check-config on good and bad files (exit status, and messages naming file, line and key),
relative key files, --version, --help, and usage errors (exit status 2)."""

import json
import os
import shutil
import tempfile
import unittest

import harness

KEY = "0123456789abcdef0123456789abcdef0123456789abcdef"


def lvhcmond(*args, env=None, cwd=None):
    """Runs lvhcmond to its end (--check-config, --version, usage errors); the harness fails
    the test on a sanitizer report or an exit status other than 0, 1 (refused) or 2 (usage)."""
    return harness.run_program([harness.binary("lvhcmond")] + list(args), env=env, timeout=60,
                               allowed=(0, 1, 2), cwd=cwd)


class CheckConfigTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lvhcmon-cfg-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.sql_dir = os.path.join(harness.SOURCE_DIR, "sql")

    def write(self, text, name="lvhcmon.conf"):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def check(self, text):
        return lvhcmond("--config", self.write(text), "--check-config")

    def test_good_file(self):
        res = self.check(f"[server]\nlisten = 127.0.0.1:8080\n[privacy]\nclient_hash_key = {KEY}\n"
                         f"[database]\nsql_dir = {self.sql_dir}\n")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(res.stdout, "configuration ok\n")

    def test_shipped_example_is_valid(self):
        # config/lvhcmon.conf documents every key; with a key file next to it, it must pass.
        with open(os.path.join(harness.SOURCE_DIR, "config", "lvhcmon.conf")) as f:
            text = f.read()
        os.makedirs(os.path.join(self.dir, "config"))
        os.makedirs(os.path.join(self.dir, "var"))
        os.symlink(self.sql_dir, os.path.join(self.dir, "sql"))
        os.symlink(os.path.join(harness.SOURCE_DIR, "web"), os.path.join(self.dir, "web"))
        with open(os.path.join(self.dir, "var", "client_hash.key"), "w") as f:
            f.write(KEY + "\n")
        res = lvhcmond("--config", self.write(text, "config/lvhcmon.conf"), "--check-config")
        self.assertEqual(res.returncode, 0, res.stderr)

    def test_key_file_relative_to_config_folder(self):
        os.makedirs(os.path.join(self.dir, "secrets"))
        with open(os.path.join(self.dir, "secrets", "key"), "w") as f:
            f.write(KEY + "\n")
        path = self.write(f"[privacy]\nclient_hash_key_file = secrets/key\n"
                          f"[database]\nsql_dir = {self.sql_dir}\n")
        # from another working directory: the path is the config file's folder, not cwd
        res = lvhcmond("--config", path, "--check-config", cwd="/")
        self.assertEqual(res.returncode, 0, res.stderr)

    def test_bad_files(self):
        sql = f"[database]\nsql_dir = {self.sql_dir}\n"
        key = f"[privacy]\nclient_hash_key = {KEY}\n"
        cases = [
            # (text, expected piece of the message)
            ("[server]\nlisten = abc\n" + key,
             "line 2: [server] listen: expected host:port"),
            (key + "[server]\nthreads = many\n",
             "line 4: [server] threads: expected a whole number from 1 to 256, got 'many'"),
            (key + "[server]\nlistn = 127.0.0.1:80\n", "line 4: [server] listn: unknown key"),
            (key + "[srever]\nthreads = 2\n", "line 3: unknown section [srever]"),
            (key + "[server]\nthreads = 2\nthreads = 3\n",
             "line 5: [server] threads: set twice (first on line 4)"),
            (key + "[server]\nlisten =\n", "line 4: [server] listen: a value is required"),
            (key + "[budget]\nthresholds = 0.9, 0.5\n",
             "line 4: [budget] thresholds: values must be strictly increasing"),
            (key + "[alerts]\nalertmanager_url = am:9093\n",
             "line 4: [alerts] alertmanager_url: expected a URL starting with http://"),
            (key + "[server\n", "line 3: expected ']'"),
            ("[privacy]\nclient_hash_key = too-short\n",
             "line 2: [privacy] client_hash_key: must be at least 32 characters (got 9)"),
            ("[log]\nlevel = info\n",
             "[privacy] client_hash_key: required: set client_hash_key or client_hash_key_file"),
            ("[privacy]\nclient_hash_key_file = missing.key\n",
             "[privacy] client_hash_key_file: cannot read"),
            (key + "[database]\nsql_dir = /nonexistent/sql\n",
             "cannot open the migrations folder '/nonexistent/sql'"),
        ]
        for text, want in cases:
            with self.subTest(want=want):
                if "sql_dir" not in text:
                    text += sql
                res = self.check(text)
                self.assertEqual(res.returncode, 1, res.stdout + res.stderr)
                self.assertIn(want, res.stderr)
                self.assertTrue(res.stderr.startswith("lvhcmond: "), res.stderr)
                self.assertEqual(res.stdout, "")
                self.assertNotIn("too-short", res.stderr)  # a key is never echoed

    def test_message_names_the_file(self):
        path = self.write("[server]\nthreads = 0\n")
        res = lvhcmond("--config", path, "--check-config")
        self.assertEqual(res.returncode, 1)
        self.assertIn(f"{path}: line 2: [server] threads:", res.stderr)

    def test_key_file_short(self):
        with open(os.path.join(self.dir, "k"), "w") as f:
            f.write("short\n")
        res = self.check(f"[privacy]\nclient_hash_key_file = k\n[database]\nsql_dir = {self.sql_dir}\n")
        self.assertEqual(res.returncode, 1)
        self.assertIn("must be at least 32 characters (got 5)", res.stderr)

    def test_missing_config_file(self):
        res = lvhcmond("--config", os.path.join(self.dir, "nope.conf"), "--check-config")
        self.assertEqual(res.returncode, 1)
        self.assertIn("cannot read", res.stderr)
        self.assertIn("nope.conf", res.stderr)

    def test_missing_config_file_at_start_logs_json(self):
        res = lvhcmond("--config", os.path.join(self.dir, "nope.conf"))
        self.assertEqual(res.returncode, 1)
        entry = json.loads(res.stderr.splitlines()[0])
        self.assertEqual(entry["level"], "error")
        self.assertIn("nope.conf", entry["fields"]["error"])


class UsageTest(unittest.TestCase):
    def test_version(self):
        res = lvhcmond("--version")
        self.assertEqual(res.returncode, 0)
        self.assertRegex(res.stdout, r"^lvhcmond \d+\.\d+\.\d+\n$")
        res = harness.cli("version")
        self.assertEqual(res.returncode, 0)
        self.assertRegex(res.stdout, r"^lvhcmon \d+\.\d+\.\d+\n$")

    def test_help(self):
        res = lvhcmond("--help")
        self.assertEqual(res.returncode, 0)
        self.assertIn("--check-config", res.stdout)
        res = harness.cli("--help")
        self.assertEqual(res.returncode, 0)
        self.assertIn("token add", res.stdout)

    def test_daemon_usage_errors(self):
        for args in (["--bogus"], ["-x"], ["extra"], ["--config"], ["--check-config", "x"]):
            with self.subTest(args=args):
                res = lvhcmond(*args)
                self.assertEqual(res.returncode, 2, res.stderr)
                self.assertIn("usage: lvhcmond", res.stderr)
                self.assertEqual(res.stdout, "")

    def test_cli_usage_errors(self):
        for args in ([], ["--bogus", "version"], ["bogus"], ["--config"], ["version", "x"],
                     ["token"], ["token", "remove"], ["token", "add", "--bogus"],
                     ["token", "add", "--role"], ["token", "add", "--role", "wizard"],
                     ["token", "add", "--role", "controller", "--role", "ingest"],
                     ["token", "add", "--role", "provider"],
                     ["token", "add", "--role", "provider", "--provider", "123"],
                     ["token", "add", "--role", "controller", "--provider", "41000001"],
                     ["migrate", "now"]):
            with self.subTest(args=args):
                res = harness.cli(*args)
                self.assertEqual(res.returncode, 2, res.stderr)
                self.assertIn("usage: lvhcmon", res.stderr)
                self.assertEqual(res.stdout, "")

    def test_cli_missing_config(self):
        res = harness.cli("migrate", config="/nonexistent/lvhcmon.conf")
        self.assertEqual(res.returncode, 1)
        self.assertIn("cannot read '/nonexistent/lvhcmon.conf'", res.stderr)


if __name__ == "__main__":
    unittest.main()
