"""test_alertmanager: the daemon pushes its alerts to a real Prometheus Alertmanager.

Uses Debian's prometheus-alertmanager (installed with apt-get when missing and running as
root; the tests are skipped, saying why, only when it cannot be installed). Each test starts
its own Alertmanager on a free loopback port with a minimal configuration (one receiver that
does nothing), its storage in a temporary folder and clustering off, and points the
daemon's [alerts] alertmanager_url at it. What Alertmanager holds is read back through its
own API (GET /api/v2/alerts, which lists active alerts only).

  - a firing alert arrives with its labels, annotations, startsAt and generatorURL; it is
    resent while it fires (Alertmanager's updatedAt moves on); once it resolves it is sent
    once more with endsAt and is no longer active there; pushed_state records each step;
  - while Alertmanager is down the push fails, is logged and retried, and ingest is not
    held up; once it is up the alert arrives;
  - two daemons on one database: one is the leader, the alert arrives, history is written
    once.
"""

import datetime
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

import harness
import submissions
from test_alerts import (AlertTestBase, LINE_A, LINE_B, LINE_C, THRESHOLD, YEAR, credit,
                         wait_for)

AM_CONFIG = """\
route:
  receiver: 'null'
receivers:
  - name: 'null'
"""


def alertmanager_binary():
    """The Alertmanager program, installed with apt-get when missing (as root). Returns
    (path, None) or (None, why not)."""
    for name in ("prometheus-alertmanager", "alertmanager"):
        path = shutil.which(name)
        if path:
            return path, None
    if os.geteuid() != 0:
        return None, "prometheus-alertmanager is not installed and we are not root"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log = ""
    for cmd in (["apt-get", "install", "-y", "--no-install-recommends",
                 "prometheus-alertmanager"],
                ["apt-get", "update"],
                ["apt-get", "install", "-y", "--no-install-recommends",
                 "prometheus-alertmanager"]):
        res = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
        log += res.stdout[-2000:] + res.stderr[-2000:]
        path = shutil.which("prometheus-alertmanager")
        if path:
            return path, None
    return None, "prometheus-alertmanager could not be installed:\n" + log[-1500:]


class Alertmanager:
    """One Alertmanager process on loopback, storage in a temporary folder."""

    def __init__(self, binary, port=None):
        self.binary = binary
        self.port = port or submissions.free_port()
        self.dir = tempfile.mkdtemp(prefix="lvhcmon-am-")
        self.config = os.path.join(self.dir, "alertmanager.yml")
        with open(self.config, "w") as f:
            f.write(AM_CONFIG)
        self.log_path = os.path.join(self.dir, "alertmanager.log")
        self.proc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [self.binary, f"--config.file={self.config}",
             f"--storage.path={os.path.join(self.dir, 'data')}",
             f"--web.listen-address=127.0.0.1:{self.port}", "--cluster.listen-address="],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if harness.http_request(self.url + "/-/ready", timeout=2).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"Alertmanager did not start:\n{self.log_text()}")

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()[-4000:]

    def alerts(self):
        """The active alerts Alertmanager holds (its API lists no resolved ones)."""
        r = harness.http_request(self.url + "/api/v2/alerts", timeout=5)
        if r.status != 200:
            raise AssertionError(f"GET /api/v2/alerts: {r.status} {r.text}")
        return r.json()

    def find(self, alertname, **labels):
        for a in self.alerts():
            if a["labels"].get("alertname") == alertname and all(
                    a["labels"].get(k) == v for k, v in labels.items()):
                return a
        return None

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc is not None:
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def parse_time(text):
    """RFC 3339 as Alertmanager and the API write it, to an aware datetime."""
    text = re.sub(r"\.\d+", "", text).replace("Z", "+00:00")
    return datetime.datetime.fromisoformat(text)


class AlertmanagerTest(AlertTestBase):

    @classmethod
    def setUpClass(cls):
        cls.am_binary, why = alertmanager_binary()
        if cls.am_binary is None:
            raise unittest.SkipTest(why)
        super().setUpClass()

    def alertmanager(self, port=None, start=True):
        am = Alertmanager(self.am_binary, port)
        self.addCleanup(am.close)
        return am.start() if start else am

    def settings(self, am):
        return {"alerts": {"alertmanager_url": am.url + "/", "evaluation_interval_s": 1}}

    def test_firing_resend_and_resolved(self):
        am = self.alertmanager()
        d = self.start_daemon(self.settings(am))
        self.tokens(d)
        self.submit(d, "s1", LINE_A, LINE_B, LINE_C)
        ours = self.wait_threshold(d, "the alert to fire",
                                   lambda a: a["status"]["state"] == "firing")
        fp = ours["fingerprint"]

        got = wait_for("the alert in Alertmanager", lambda: am.find(
            "BudgetThresholdReached", threshold=THRESHOLD))
        self.assertEqual(got["labels"], ours["labels"])
        self.assertEqual(got["labels"]["year"], str(YEAR))
        self.assertEqual(got["labels"]["severity"], "warning")
        self.assertEqual(got["annotations"]["summary"], ours["annotations"]["summary"])
        self.assertEqual(got["annotations"]["description"],
                         ours["annotations"]["description"])
        self.assertEqual(parse_time(got["startsAt"]), parse_time(ours["startsAt"]))
        self.assertEqual(got["status"]["state"], "active")
        self.assertTrue(got["generatorURL"].startswith("http://127.0.0.1:"), got)
        self.assertTrue(got["generatorURL"].endswith(f"/api/v1/alerts/{fp}"), got)
        self.assertEqual(got["receivers"][0]["name"], "null")
        wait_for("pushed_state firing", lambda: self.db(
            d, f"SELECT pushed_state, pushed_at IS NOT NULL FROM alert "
               f"WHERE fingerprint = '{fp}'") == [("firing", "t")])

        # Resent while it fires, so Alertmanager does not let it expire.
        first_update = parse_time(got["updatedAt"])
        wait_for("a resend (updatedAt moving on)", lambda: parse_time(am.find(
            "BudgetThresholdReached", threshold=THRESHOLD)["updatedAt"]) > first_update,
            timeout=15)

        # Resolved: sent once with endsAt, no longer active in Alertmanager.
        self.submit(d, "s2", credit("c-cr", LINE_C), credit("b-cr", LINE_B))
        self.wait_threshold(d, "the alert to resolve",
                            lambda a: a["status"]["state"] == "resolved")
        wait_for("the alert to leave Alertmanager's active alerts",
                 lambda: am.find("BudgetThresholdReached", threshold=THRESHOLD) is None)
        wait_for("pushed_state resolved", lambda: self.db(
            d, f"SELECT pushed_state FROM alert WHERE fingerprint = '{fp}'") == [("resolved",)])
        # The other firing alerts (missing declarations) are still there.
        self.assertTrue(am.find("ProviderDeclarationMissing"), am.alerts())
        self.assertFalse(d.find_logs(
            "alert push to Alertmanager failed; retrying at the next evaluation"))

    def test_generator_url_from_public_url(self):
        """[server] public_url makes generatorURL: how users reach the service, not the
        address the daemon listens on."""
        am = self.alertmanager()
        settings = self.settings(am)
        settings["server"] = {"public_url": "https://lvhcmon.example.nl/monitor/"}
        d = self.start_daemon(settings)
        self.tokens(d)
        self.submit(d, "s1", LINE_A, LINE_B, LINE_C)
        fp = self.wait_threshold(d, "the alert to fire",
                                 lambda a: a["status"]["state"] == "firing")["fingerprint"]
        got = wait_for("the alert in Alertmanager", lambda: am.find(
            "BudgetThresholdReached", threshold=THRESHOLD))
        self.assertEqual(got["generatorURL"],
                         f"https://lvhcmon.example.nl/monitor/api/v1/alerts/{fp}")

    def test_push_retried_while_alertmanager_is_down(self):
        am = self.alertmanager(start=False)  # nothing listens on its port yet
        d = self.start_daemon(self.settings(am))
        self.tokens(d)
        began = time.monotonic()
        self.submit(d, "s1", LINE_A, LINE_B, LINE_C)
        self.assertLess(time.monotonic() - began, 5, "ingest waited for the push")
        self.wait_threshold(d, "the alert to fire", lambda a: a["status"]["state"] == "firing")
        d.wait_log("alert push to Alertmanager failed; retrying at the next evaluation",
                   timeout=30)
        fp = self.threshold_alert(d)["fingerprint"]
        self.assertEqual(self.db(d, f"SELECT pushed_state FROM alert WHERE fingerprint = "
                                    f"'{fp}'"), [(None,)])
        am.start()
        wait_for("the alert in Alertmanager after it came up", lambda: am.find(
            "BudgetThresholdReached", threshold=THRESHOLD), timeout=30)
        wait_for("pushed_state firing", lambda: self.db(
            d, f"SELECT pushed_state FROM alert WHERE fingerprint = '{fp}'") == [("firing",)])

    def test_two_instances_push_once(self):
        am = self.alertmanager()
        first = self.start_daemon(self.settings(am))
        dbname = re.search(r"dbname=(\S+)", first.conninfo).group(1)
        second = self.daemon(settings=dict(self.settings(am), budget={"default_year": YEAR}),
                             dbname=dbname)
        self.tokens(first)
        wait_for("a leader", lambda: first.find_logs("alert leader")
                 or second.find_logs("alert leader"))
        self.submit(second, "s1", LINE_A, LINE_B, LINE_C)
        got = wait_for("the alert in Alertmanager", lambda: am.find(
            "BudgetThresholdReached", threshold=THRESHOLD))
        time.sleep(2.5)  # several evaluations on both
        ours = self.threshold_alert(first)
        self.assertEqual(got["labels"], ours["labels"])
        self.assertEqual(self.db(first, f"SELECT state FROM alert_history WHERE fingerprint = "
                                        f"'{ours['fingerprint']}'"), [("firing",)])
        self.assertEqual(self.db(first, "SELECT fingerprint FROM alert_history "
                                        "GROUP BY fingerprint, state HAVING count(*) > 1"), [])
        leaders = [d for d in (first, second) if d.find_logs("alert leader")]
        self.assertEqual(len(leaders), 1, [d.log_text() for d in (first, second)])


if __name__ == "__main__":
    unittest.main()
