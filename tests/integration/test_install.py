"""test_install.py: `cmake --install` of this build and the programs' default folders.

The programs find sql/ and web/ without a setting (daemon/data_dir.h): from the build folder
the source tree's, installed the installation's share/lvhcmon/. This module installs the
build into a temporary prefix and checks the layout (GNUInstallDirs: bin/,
share/lvhcmon/{sql,web,reference}, etc/lvhcmon/lvhcmon.conf, share/doc/lvhcmon/), that the
installed daemon with no sql_dir or web_dir applies the installed migrations and serves the
installed dashboard, that the same holds for the installation moved elsewhere and for the
build-tree daemon with the source tree's folders, that a reinstall keeps an edited
configuration, and that DESTDIR staging puts the configuration under /etc for the prefix
/usr.
"""

import filecmp
import glob
import os
import shutil
import subprocess
import tempfile
import unittest

import harness

SQL_FILES = sorted(os.path.basename(p) for p in
                   glob.glob(os.path.join(harness.SOURCE_DIR, "sql", "[0-9]*.sql")))
NEWEST = int(SQL_FILES[-1][:4])
# Settings that leave both folders to the defaults.
DEFAULT_FOLDERS = {"database": {"sql_dir": None}, "server": {"web_dir": None}}


def cmake_install(prefix, destdir=None):
    """Installs this build; returns the CompletedProcess (fails the test when cmake does)."""
    env = dict(os.environ)
    env.pop("DESTDIR", None)
    if destdir is not None:
        env["DESTDIR"] = destdir
    res = subprocess.run(["cmake", "--install", harness.BUILD_DIR, "--prefix", prefix],
                         capture_output=True, text=True, env=env, timeout=300)
    if res.returncode != 0:
        raise AssertionError(f"cmake --install failed ({res.returncode}):\n"
                             f"{res.stdout}{res.stderr}")
    return res


class InstallTest(harness.LvhcmonTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="lvhcmon-install-")
        cls.prefix = os.path.join(cls.tmp, "prefix")
        cmake_install(cls.prefix)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        super().tearDownClass()

    def check_serves_shipped_files(self, d, web_dir):
        """The daemon applied every migration and serves the dashboard of web_dir."""
        entry = d.wait_log("database schema current")
        self.assertEqual(entry["fields"], {"version": NEWEST, "applied": len(SQL_FILES)})
        r = d.http("GET", "/readyz", token=d.make_token("dashboard"))  # details need a token
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["schema_version"], NEWEST)
        r = d.http("GET", "/")
        self.assertEqual(r.status, 200, r.text)
        with open(os.path.join(web_dir, "index.html"), "rb") as f:
            self.assertEqual(r.body, f.read())
        self.assertEqual(d.http("GET", "/app.js").status, 200)

    def test_layout(self):
        p = self.prefix
        for rel in ("bin/lvhcmond", "bin/lvhcmon"):
            self.assertTrue(os.access(os.path.join(p, rel), os.X_OK), rel)
        for name in SQL_FILES:
            self.assertTrue(filecmp.cmp(os.path.join(p, "share/lvhcmon/sql", name),
                                        os.path.join(harness.SOURCE_DIR, "sql", name),
                                        shallow=False), name)
        self.assertEqual(sorted(os.listdir(os.path.join(p, "share/lvhcmon/sql"))), SQL_FILES)
        self.assertEqual(sorted(os.listdir(os.path.join(p, "share/lvhcmon/web"))),
                         sorted(os.listdir(os.path.join(harness.SOURCE_DIR, "web"))))
        for name in os.listdir(os.path.join(harness.SOURCE_DIR, "reference")):
            self.assertTrue(os.path.isfile(os.path.join(p, "share/lvhcmon/reference", name)),
                            name)
        self.assertTrue(filecmp.cmp(os.path.join(p, "etc/lvhcmon/lvhcmon.conf"),
                                    os.path.join(harness.SOURCE_DIR, "config/lvhcmon.conf"),
                                    shallow=False))
        for name in ("README.md", "domain.md", "api.md", "lvhcmon.conf.example",
                     "lvhcmond.service"):
            self.assertTrue(os.path.isfile(os.path.join(p, "share/doc/lvhcmon", name)), name)

    def test_installed_daemon_finds_its_folders(self):
        d = self.daemon(settings=DEFAULT_FOLDERS,
                        program=os.path.join(self.prefix, "bin", "lvhcmond"))
        self.check_serves_shipped_files(d, os.path.join(self.prefix, "share/lvhcmon/web"))

    def test_installed_command_line_finds_sql(self):
        d = self.daemon(settings=DEFAULT_FOLDERS, start=False)
        res = harness.run_program([os.path.join(self.prefix, "bin", "lvhcmon"), "--config",
                                   d.config_path, "migrate"], allowed=harness.CLI_EXIT_CODES)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn(f"({len(SQL_FILES)} migrations applied)", res.stdout)

    def test_moved_installation_still_finds_its_folders(self):
        moved = os.path.join(self.tmp, "moved")
        shutil.copytree(self.prefix, moved, symlinks=True)
        self.addCleanup(shutil.rmtree, moved, True)
        # the original is out of reach: the moved copy must not be reading it
        os.rename(self.prefix, self.prefix + ".away")
        self.addCleanup(os.rename, self.prefix + ".away", self.prefix)
        d = self.daemon(settings=DEFAULT_FOLDERS, program=os.path.join(moved, "bin", "lvhcmond"))
        self.check_serves_shipped_files(d, os.path.join(moved, "share/lvhcmon/web"))

    def test_build_tree_daemon_uses_the_source_tree(self):
        d = self.daemon(settings=DEFAULT_FOLDERS)
        self.check_serves_shipped_files(d, os.path.join(harness.SOURCE_DIR, "web"))

    def test_reinstall_keeps_the_configuration(self):
        conf = os.path.join(self.prefix, "etc/lvhcmon/lvhcmon.conf")
        with open(conf, "a") as f:
            f.write("# edited by the operator\n")
        res = cmake_install(self.prefix)
        self.assertIn("Keeping: " + conf, res.stdout)
        with open(conf) as f:
            self.assertTrue(f.read().endswith("# edited by the operator\n"))

    def test_destdir_staging(self):
        for prefix, conf in (("/usr/local", "usr/local/etc/lvhcmon/lvhcmon.conf"),
                             ("/usr", "etc/lvhcmon/lvhcmon.conf")):
            with self.subTest(prefix=prefix):
                stage = tempfile.mkdtemp(prefix="lvhcmon-stage-", dir=self.tmp)
                cmake_install(prefix, destdir=stage)
                self.assertTrue(os.path.isfile(os.path.join(stage, conf)), conf)
                bindir = os.path.join(stage, prefix.lstrip("/"), "bin")
                self.assertTrue(os.path.isfile(os.path.join(bindir, "lvhcmond")))
                self.assertTrue(os.path.isfile(os.path.join(
                    stage, prefix.lstrip("/"), "share/lvhcmon/sql", SQL_FILES[0])))


if __name__ == "__main__":
    unittest.main()
