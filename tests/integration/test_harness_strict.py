"""test_harness_strict.py: the suite fails when a program under test misbehaves, and says
why. Each case runs tests in a child process (through runner.py, as ctest does) with one of
the faults of daemon/test_hooks.h switched on, and checks that the child run failed and that
its output names the fault with the offending lines:

  - a daemon that leaks (LVHCMON_TEST_LEAK_AT_EXIT=1): LeakSanitizer's report at its exit
    fails the test that started it, though every assertion of the test passed; the same
    for a real integration module (test_readiness) and for a command line run;
  - a daemon that exits non-zero after SIGTERM (LVHCMON_TEST_EXIT_STATUS=3);
  - a daemon SIGKILLed without the test saying so fails; Daemon.kill() does not;
  - without a fault the same probes pass, so the failures above come from the faults.

The faults exist only in builds with LVHCMON_TEST_HOOKS (scripts/test.sh's sanitizer build);
elsewhere this module reports itself skipped. The leak cases also need LeakSanitizer.
"""

import os
import subprocess
import sys
import unittest

import harness

HERE = os.path.dirname(os.path.abspath(__file__))
HOOKS = os.environ.get("LVHCMON_TEST_HOOKS") == "1"


def run_child(module, *patterns, env=None):
    """Runs `runner.py module -k pattern...` with the extra environment; returns
    (exit status, its output)."""
    cmd = [sys.executable, os.path.join(HERE, "runner.py"), module]
    for p in patterns:
        cmd += ["-k", p]
    full_env = dict(os.environ)
    for name in ("LVHCMON_TEST_LEAK_AT_EXIT", "LVHCMON_TEST_EXIT_STATUS"):
        full_env.pop(name, None)
    full_env.update(env or {})
    res = subprocess.run(cmd, cwd=HERE, env=full_env, capture_output=True, text=True,
                         timeout=300)
    return res.returncode, res.stdout + res.stderr


@unittest.skipUnless(HOOKS, "this build has no test hooks (configure with "
                            "-DLVHCMON_SANITIZE=ON or -DLVHCMON_TEST_HOOKS=ON)")
class HarnessStrictTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Does this build report leaks at all? Ask the command line directly.
        res = subprocess.run([harness.binary("lvhcmon"), "version"], capture_output=True,
                             text=True, env=dict(os.environ, LVHCMON_TEST_LEAK_AT_EXIT="1"))
        cls.lsan = bool(harness.sanitizer_lines(res.stderr))

    def assertFailedWith(self, rc, out, *pieces):
        self.assertEqual(rc, 1, f"the child run should have failed:\n{out[-3000:]}")
        for piece in pieces:
            self.assertIn(piece, out, f"missing {piece!r} in:\n{out[-3000:]}")

    def needs_lsan(self):
        if not self.lsan:
            self.skipTest("this build has no LeakSanitizer (configure with "
                          "-DLVHCMON_SANITIZE=ON)")

    def test_control_without_faults_passes(self):
        rc, out = run_child("harness_probe", "DaemonProbe", "CliProbe", "DeclaredKill")
        self.assertEqual(rc, 0, out[-3000:])
        self.assertIn("Ran 3 tests", out)

    def test_daemon_leak_fails_the_test(self):
        self.needs_lsan()
        rc, out = run_child("harness_probe", "DaemonProbe",
                            env={"LVHCMON_TEST_LEAK_AT_EXIT": "1"})
        self.assertFailedWith(rc, out, "FAIL: test_daemon_serves_and_stops",
                              "harness: lvhcmond", "sanitizer report in its output",
                              "LeakSanitizer", "Direct leak of 4096 byte(s)")

    def test_daemon_leak_fails_a_real_module(self):
        self.needs_lsan()
        rc, out = run_child("test_readiness", env={"LVHCMON_TEST_LEAK_AT_EXIT": "1"})
        self.assertFailedWith(rc, out, "harness: lvhcmond", "LeakSanitizer",
                              "Direct leak of 4096 byte(s)")

    def test_cli_leak_fails_the_test(self):
        self.needs_lsan()
        rc, out = run_child("harness_probe", "CliProbe", env={"LVHCMON_TEST_LEAK_AT_EXIT": "1"})
        self.assertFailedWith(rc, out, "FAIL: test_cli_version", "harness: lvhcmon version",
                              "LeakSanitizer")

    def test_daemon_exit_status_fails_the_test(self):
        rc, out = run_child("harness_probe", "DaemonProbe", env={"LVHCMON_TEST_EXIT_STATUS": "3"})
        self.assertFailedWith(rc, out, "FAIL: test_daemon_serves_and_stops",
                              "harness: lvhcmond", "exited with status 3, expected 0")

    def test_cli_exit_status_outside_the_documented_ones_fails(self):
        rc, out = run_child("harness_probe", "CliProbe", env={"LVHCMON_TEST_EXIT_STATUS": "42"})
        self.assertFailedWith(rc, out, "FAIL: test_cli_version",
                              "exited with status 42, expected 0 or 1 or 2 or 3")

    def test_undeclared_kill_fails_the_test(self):
        rc, out = run_child("harness_probe", "UndeclaredKill")
        self.assertFailedWith(rc, out, "FAIL: test_kill_behind_the_harness",
                              "killed by signal 9, expected 0")


if __name__ == "__main__":
    unittest.main()
