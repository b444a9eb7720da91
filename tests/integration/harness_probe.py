"""harness_probe.py: small tests that test_harness_strict.py runs in a child process, some
with a fault of daemon/test_hooks.h switched on, to prove that the harness fails a test when
a program it started misbehaves. Some probes are meant to fail: the suite never runs this
module on its own (its name does not match test_*.py).

  DaemonProbe       a daemon that serves a request and is stopped by the harness
  CliProbe          `lvhcmon version`
  DeclaredKill      a daemon SIGKILLed through Daemon.kill(): not a failure
  UndeclaredKill    a daemon SIGKILLed behind the harness's back: must fail
"""

import signal
import unittest

import harness


class DaemonProbe(harness.LvhcmonTestCase):
    def test_daemon_serves_and_stops(self):
        d = self.daemon()
        self.assertEqual(d.http("GET", "/healthz").status, 200)


class CliProbe(unittest.TestCase):
    def test_cli_version(self):
        r = harness.cli("version")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("lvhcmon "), r.stdout)


class DeclaredKill(harness.LvhcmonTestCase):
    def test_kill_is_expected(self):
        d = self.daemon()
        self.assertEqual(d.kill(), -signal.SIGKILL)


class UndeclaredKill(harness.LvhcmonTestCase):
    def test_kill_behind_the_harness(self):
        d = self.daemon()
        d.proc.send_signal(signal.SIGKILL)
        d.proc.wait(30)


if __name__ == "__main__":
    unittest.main()
