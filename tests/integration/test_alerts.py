"""test_alerts: the alert engine and the alert endpoints against a real daemon and database.

A small reference set (the repository's, with one designated provider and a national cap
of EUR 1,000.00 for 2026) makes a few lines cross the thresholds. Provider 41000001 declares
CAKOR at EUR 150.00 an hour at 95.50 %: 238.75 cents a minute, so

    200 min = 47750, 5 min = 1194 (rounded once per line), 15 min = 3581 cents.

The threshold 0.5 fires at 50000 cents and, with the 2 % hysteresis, resolves below 48000:

    a 200 + b 5 + c 5 min   50138  firing (50.1 %)
    credit c                48944  still firing: a correction just below 50 % (hysteresis)
    credit b                47750  resolved (below 48 %)
    d 15 min                51331  firing again: a new episode, acknowledgement cleared

Checked on the way: the Alertmanager shape of doc/api.md, history rows per transition, ETag/304,
acknowledgement (who, token, when, comment; validation naming the field; 404, 409), and the
roles (dashboard may read but not acknowledge, a provider reads the national alerts but may
not acknowledge).
"""

import os
import re
import shutil
import tempfile
import time
import unittest

import harness

YEAR = 2026
AGB = "41000001"
CAP_CENTS = 100000
THRESHOLD = "0.5"
FP_RE = re.compile(r"^[0-9a-f]{16}$")
ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def small_reference(cap_cents=CAP_CENTS, agb=AGB, caps=None):
    """A copy of reference/ with a national cap of @cap_cents for YEAR (or the caps of
    @caps, {year: cents}), no extra caps, and only @agb designated (fewer
    ProviderDeclarationMissing alerts to wade through)."""
    src = os.path.join(harness.SOURCE_DIR, "reference")
    dst = tempfile.mkdtemp(prefix="lvhcmon-ref-")
    for name in os.listdir(src):
        if name.endswith(".csv"):
            shutil.copy(os.path.join(src, name), dst)
    with open(os.path.join(dst, "budgets.csv"), "w") as f:
        f.write("year,scope,scope_key,cap_cents\n")
        for year, cents in sorted((caps or {YEAR: cap_cents}).items()):
            f.write(f"{year},national,,{cents}\n")
    with open(os.path.join(src, "designations.csv")) as f:
        lines = f.read().splitlines()
    with open(os.path.join(dst, "designations.csv"), "w") as f:
        f.write("\n".join([lines[0]] + [l for l in lines[1:] if l.startswith(agb + ",")])
                + "\n")
    return dst


def debit(ref, minutes, bsn, day):
    return {"line_ref": ref, "client_bsn": bsn, "prestatie": "CAKOR",
            "date_from": f"{YEAR}-10-{day:02d}", "date_to": f"{YEAR}-10-{day:02d}",
            "minutes": minutes, "travel_cents": 0, "debit_credit": "D", "corrects_ref": None}


def credit(ref, of):
    line = dict(of, line_ref=ref, debit_credit="C", corrects_ref=of["line_ref"])
    return line


LINE_A = debit("a", 200, "123456782", 1)
LINE_B = debit("b", 5, "111222333", 2)
LINE_C = debit("c", 5, "111222333", 3)
LINE_D = debit("d", 15, "123456782", 4)


def wait_for(what, probe, timeout=30, interval=0.1):
    """Polls probe() until it returns a true value; returns it, or fails with @what."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


class AlertTestBase(harness.LvhcmonTestCase):
    """A daemon on a fresh database with the small reference set and tokens."""

    def start_daemon(self, settings=None, dbname=None, caps=None):
        ref = small_reference(caps=caps)
        self.addCleanup(shutil.rmtree, ref, True)
        merged = {"budget": {"default_year": YEAR}, "alerts": {"evaluation_interval_s": 1}}
        for section, keys in (settings or {}).items():
            merged.setdefault(section, {}).update(keys)
        d = self.daemon(settings=merged, dbname=dbname)
        res = d.cli("reference", "load", ref)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        return d

    def tokens(self, d):
        self.ingest = d.make_token("ingest")
        self.controller = d.make_token("controller", label="controller-1")
        self.dashboard = d.make_token("dashboard")
        self.provider = d.make_token("provider", agb=AGB)

    def submit(self, d, reference, *lines):
        r = d.http("POST", "/api/v1/declarations",
                   {"provider_agb": AGB, "reference": reference, "lines": list(lines)},
                   token=self.ingest)
        self.assertIn(r.status, (200, 201), r.text)
        doc = r.json()
        self.assertEqual(doc["rejected"], 0, doc)
        return doc

    def alerts(self, d, state="all", token=None, year=YEAR):
        r = d.http("GET", f"/api/v1/alerts?state={state}&year={year}",
                   token=token or self.controller)
        self.assertEqual(r.status, 200, r.text)
        return r.json()

    def threshold_alert(self, d, state="all", threshold=THRESHOLD, year=YEAR):
        for a in self.alerts(d, state, year=year)["alerts"]:
            labels = a["labels"]
            if (labels.get("alertname") == "BudgetThresholdReached"
                    and labels.get("threshold") == threshold):
                return a
        return None

    def wait_threshold(self, d, what, predicate, threshold=THRESHOLD, timeout=30, year=YEAR):
        def probe():
            a = self.threshold_alert(d, threshold=threshold, year=year)
            return a if a is not None and predicate(a) else None
        return wait_for(what, probe, timeout)

    def db(self, d, query):
        dbname = re.search(r"dbname=(\S+)", d.conninfo).group(1)
        return self.pg.sql(query, dbname=dbname)


class AlertLifecycleTest(AlertTestBase):

    def assert_alert_shape(self, a):
        self.assertTrue({"fingerprint", "labels", "annotations", "startsAt", "endsAt",
                         "status", "acknowledged_by", "acknowledged_at"} <= set(a), a)
        self.assertRegex(a["fingerprint"], FP_RE)
        for key in ("alertname", "year", "severity"):
            self.assertIsInstance(a["labels"].get(key), str, a["labels"])
        self.assertEqual(a["labels"]["year"], str(YEAR))
        self.assertTrue(a["annotations"]["summary"], a)
        self.assertTrue(a["annotations"]["description"], a)
        # the same texts in Dutch beside them
        self.assertEqual(set(a["annotations_nl"]), {"summary", "description"}, a)
        self.assertTrue(a["annotations_nl"]["summary"], a)
        self.assertNotEqual(a["annotations_nl"]["summary"], a["annotations"]["summary"])
        self.assertIn(a["status"]["state"], ("pending", "firing", "resolved"))
        if a["status"]["state"] == "firing":
            self.assertRegex(a["startsAt"], ISO_RE)
            self.assertIsNone(a["endsAt"])
        if a["status"]["state"] == "resolved":
            self.assertRegex(a["endsAt"], ISO_RE)

    def history(self, d, fp):
        r = d.http("GET", f"/api/v1/alerts/{fp}", token=self.controller)
        self.assertEqual(r.status, 200, r.text)
        return r.json()

    def test_threshold_hysteresis_ack_and_refire(self):
        d = self.start_daemon()
        self.tokens(d)

        # Nothing spent: no threshold alert, and the list is well-formed.
        doc = self.alerts(d)
        self.assertEqual(set(doc), {"alerts", "data_as_of"})
        self.assertIsNone(self.threshold_alert(d))

        # 1. 50138 of 100000: the 0.5 threshold fires, 0.75 does not.
        self.submit(d, "s1", LINE_A, LINE_B, LINE_C)
        a = self.wait_threshold(d, "the 0.5 threshold alert firing",
                                lambda a: a["status"]["state"] == "firing")
        self.assert_alert_shape(a)
        fp, first_start = a["fingerprint"], a["startsAt"]
        self.assertEqual(a["labels"]["severity"], "warning")
        self.assertAlmostEqual(a["value"], 0.50138, places=5)
        self.assertIn("501.38 EUR spent", a["annotations"]["description"])
        self.assertEqual(a["annotations_nl"]["summary"],
                         "C&A-uitgaven 2026 hebben 50 % van het plafond bereikt")
        self.assertIn("\u20ac 501,38 besteed van het plafond 2026 van \u20ac 1.000,00 (50,1 %)",
                      a["annotations_nl"]["description"])
        self.assertIsNone(a["acknowledged_by"])
        self.assertIsNone(self.threshold_alert(d, threshold="0.75"))
        self.assertIn(fp, [x["fingerprint"] for x in self.alerts(d, "firing")["alerts"]])
        self.assertNotIn(fp, [x["fingerprint"] for x in self.alerts(d, "resolved")["alerts"]])
        self.assertRegex(self.alerts(d)["data_as_of"], ISO_RE)
        for x in self.alerts(d)["alerts"]:
            self.assert_alert_shape(x)

        # The status document's alerts_firing follows (NOTIFY lvhcmon_alerts).
        n_firing = len(self.alerts(d, "firing")["alerts"])
        wait_for("status.alerts_firing to count the firing alerts", lambda: d.http(
            "GET", f"/api/v1/status?year={YEAR}", token=self.dashboard).json()
            .get("alerts_firing") == n_firing)

        # ETag and 304 for pollers; the dashboard may read.
        r = d.http("GET", f"/api/v1/alerts?state=firing&year={YEAR}", token=self.dashboard)
        self.assertEqual(r.status, 200, r.text)
        etag = r.headers.get("etag")
        self.assertTrue(etag and etag.startswith('"'), r.headers)
        r2 = d.http("GET", f"/api/v1/alerts?state=firing&year={YEAR}", token=self.dashboard,
                    headers={"If-None-Match": etag})
        self.assertEqual(r2.status, 304, r2.text)
        self.assertEqual(r2.body, b"")

        # 2. Credit c: 48944, just below 50 % but within the hysteresis: still firing.
        self.submit(d, "s2", credit("c-cr", LINE_C))
        a = self.wait_threshold(d, "the alert to see 48944",
                                lambda a: abs(a["value"] - 0.48944) < 1e-9)
        self.assertEqual(a["status"]["state"], "firing", a)
        self.assertEqual(a["fingerprint"], fp)
        self.assertEqual(a["startsAt"], first_start)
        self.assertEqual([h["state"] for h in self.history(d, fp)["history"]], ["firing"])

        # Acknowledgement: roles, validation, then a controller acknowledges.
        ack = f"/api/v1/alerts/{fp}/ack"
        self.assertError(d.http("POST", ack, {"by": "x"}, token=self.dashboard), 403)
        self.assertError(d.http("POST", ack, {"by": "x"}, token=self.provider), 403)
        # A national alert (no provider label) is one a provider may read.
        self.assertEqual(d.http("GET", f"/api/v1/alerts/{fp}", token=self.provider).status, 200)
        listed = d.http("GET", f"/api/v1/alerts?year={YEAR}", token=self.provider).json()
        self.assertIn(fp, [a["fingerprint"] for a in listed["alerts"]])
        self.assertError(d.http("POST", ack, {"by": "x"}), 401)
        for body, field in (({"by": ""}, "by"), ({"by": "   "}, "by"), ({"by": "x" * 101}, "by"),
                            ({"by": 7}, "by"), ({"by": "a\nb"}, "by"),
                            ({"comment": "c" * 501}, "comment"), ({"who": "x"}, "who")):
            err = self.assertError(d.http("POST", ack, body, token=self.controller), 400)
            self.assertEqual(err["field"], field, (body, err))
        self.assertError(d.http("POST", ack, "[1]", token=self.controller,
                                headers={"Content-Type": "application/json"}), 400)
        self.assertError(d.http("POST", "/api/v1/alerts/0123456789abcdef/ack", {},
                                token=self.controller), 404, "alert_not_found")
        self.assertError(d.http("POST", "/api/v1/alerts/nothex/ack", {},
                                token=self.controller), 404, "alert_not_found")
        self.assertError(d.http("GET", "/api/v1/alerts/0123456789abcdef",
                                token=self.controller), 404)
        self.assertError(d.http("GET", "/api/v1/alerts?state=bogus", token=self.controller),
                         400)

        r = d.http("POST", ack, {"by": "J. Jansen", "comment": "bekend: correctie volgt"},
                   token=self.controller)
        self.assertEqual(r.status, 200, r.text)
        acked = r.json()
        self.assert_alert_shape(acked)
        self.assertEqual(acked["acknowledged_by"], "J. Jansen")
        self.assertRegex(acked["acknowledged_at"], ISO_RE)
        # Without a body, the name is the token's label.
        r = d.http("POST", ack, None, token=self.controller)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["acknowledged_by"], "controller-1")
        rows = self.db(d, f"SELECT k.acknowledged_by, k.comment, t.label, k.at IS NOT NULL "
                          f"FROM alert_ack k JOIN api_token t ON t.id = k.token_id "
                          f"WHERE k.fingerprint = '{fp}' ORDER BY k.id")
        self.assertEqual(rows, [("J. Jansen", "bekend: correctie volgt", "controller-1", "t"),
                                ("controller-1", "", "controller-1", "t")])
        view = self.history(d, fp)
        self.assertEqual([(k["by"], k["comment"]) for k in view["acknowledgements"]],
                         [("J. Jansen", "bekend: correctie volgt"), ("controller-1", "")])

        # 3. Credit b: 47750, below 48 %: resolved. The acknowledgement stays visible.
        self.submit(d, "s3", credit("b-cr", LINE_B))
        a = self.wait_threshold(d, "the alert to resolve",
                                lambda a: a["status"]["state"] == "resolved")
        self.assert_alert_shape(a)
        self.assertEqual(a["startsAt"], first_start)
        self.assertEqual(a["acknowledged_by"], "controller-1")
        self.assertNotIn(fp, [x["fingerprint"] for x in self.alerts(d, "firing")["alerts"]])
        self.assertIn(fp, [x["fingerprint"] for x in self.alerts(d, "resolved")["alerts"]])
        self.assertError(d.http("POST", ack, {}, token=self.controller), 409,
                         "alert_already_resolved")

        # 4. Debit d: 51331, the same alert fires again: a new episode, no acknowledgement.
        time.sleep(1.1)  # startsAt has whole seconds: make the new episode's differ
        self.submit(d, "s4", LINE_D)
        a = self.wait_threshold(d, "the alert to fire again",
                                lambda a: a["status"]["state"] == "firing")
        self.assertEqual(a["fingerprint"], fp)
        self.assertGreater(a["startsAt"], first_start)
        self.assertIsNone(a["endsAt"])
        self.assertIsNone(a["acknowledged_by"])
        self.assertIsNone(a["acknowledged_at"])

        hist = self.history(d, fp)["history"]
        self.assertEqual([h["state"] for h in hist], ["firing", "resolved", "firing"], hist)
        for h in hist:
            self.assertRegex(h["at"], ISO_RE)
            self.assertTrue(h["summary"])
        self.assertEqual(self.db(d, f"SELECT state FROM alert_history WHERE fingerprint = "
                                    f"'{fp}' ORDER BY id"),
                         [("firing",), ("resolved",), ("firing",)])

        # Evaluations without new data change nothing (no duplicate history).
        time.sleep(2.5)
        self.assertEqual(len(self.history(d, fp)["history"]), 3)

    def test_thresholds_from_configuration(self):
        """[budget] thresholds is read: a single 0.4 threshold fires at 50138."""
        d = self.start_daemon({"budget": {"thresholds": "0.4"}})
        self.tokens(d)
        self.submit(d, "s1", LINE_A, LINE_B, LINE_C)
        a = self.wait_threshold(d, "the 0.4 threshold alert",
                                lambda a: a["status"]["state"] == "firing", threshold="0.4")
        self.assertEqual(a["labels"]["threshold"], "0.4")
        self.assertIsNone(self.threshold_alert(d, threshold="0.5"))


def closed_year_line(ref, minutes, bsn, day):
    """A line of October of the year before YEAR: 2025's KOR tariff is EUR 145.00 an hour,
    at 95.50 % 230.79 cents a minute: 200 min = 46158, 10 min = 2308 cents."""
    return dict(debit(ref, minutes, bsn, day), date_from=f"{YEAR - 1}-10-{day:02d}",
                date_to=f"{YEAR - 1}-10-{day:02d}")


class AlertClosedYearTest(AlertTestBase):
    """The alerts of a year other than the current one ([budget] default_year = YEAR) are
    evaluated too, by the same rules, as long as that year has a national cap."""

    def test_closed_year_fires_stays_and_resolves(self):
        closed = YEAR - 1
        d = self.start_daemon(caps={closed: CAP_CENTS, YEAR: 100 * CAP_CENTS})
        self.tokens(d)
        a = closed_year_line("y-a", 200, "123456782", 1)
        b = closed_year_line("y-b", 10, "111222333", 2)
        c = closed_year_line("y-c", 10, "111222333", 3)

        # 50774 of 100000 in the closed year: its 0.5 threshold fires.
        self.submit(d, "y1", a, b, c)
        alert = self.wait_threshold(d, "the closed year's alert firing",
                                    lambda x: x["status"]["state"] == "firing", year=closed)
        self.assertEqual(alert["labels"]["year"], str(closed))
        self.assertAlmostEqual(alert["value"], 0.50774, places=5)
        fp = alert["fingerprint"]
        # The current year (cap 100 times larger) has no threshold alert.
        self.assertIsNone(self.threshold_alert(d, year=YEAR))

        # A credit to 48466: within the hysteresis, it stays firing.
        self.submit(d, "y2", credit("y-c-cr", c))
        alert = self.wait_threshold(d, "the closed year's alert to see 48466",
                                    lambda x: abs(x["value"] - 0.48466) < 1e-9, year=closed)
        self.assertEqual(alert["status"]["state"], "firing")
        self.assertEqual(alert["fingerprint"], fp)

        # A credit to 46158: below 48 %, it resolves, as a current year's alert would.
        self.submit(d, "y3", credit("y-b-cr", b))
        alert = self.wait_threshold(d, "the closed year's alert to resolve",
                                    lambda x: x["status"]["state"] == "resolved", year=closed)
        self.assertEqual(alert["fingerprint"], fp)
        self.assertEqual(self.db(d, f"SELECT state FROM alert_history WHERE fingerprint = "
                                    f"'{fp}' ORDER BY id"), [("firing",), ("resolved",)])

    def test_capped_year_without_declarations_is_left_alone(self):
        """A year with a cap but neither declarations nor alerts (the monitor did not run
        then) raises nothing, not even a missing month."""
        closed = YEAR - 1
        d = self.start_daemon(caps={closed: CAP_CENTS, YEAR: CAP_CENTS})
        self.tokens(d)
        self.submit(d, "s1", LINE_A, LINE_B, LINE_C)
        self.wait_threshold(d, "the current year's alert",
                            lambda x: x["status"]["state"] == "firing")
        time.sleep(2.5)  # several evaluations
        self.assertEqual(self.alerts(d, year=closed)["alerts"], [])

    def test_year_without_cap_is_not_evaluated(self):
        closed = YEAR - 1
        d = self.start_daemon(caps={YEAR: CAP_CENTS})
        self.tokens(d)
        self.submit(d, "y1", closed_year_line("y-a", 200, "123456782", 1),
                    closed_year_line("y-b", 100, "111222333", 2))
        self.submit(d, "s1", LINE_A, LINE_B, LINE_C)
        self.wait_threshold(d, "the current year's alert",
                            lambda x: x["status"]["state"] == "firing")
        time.sleep(2.5)
        self.assertEqual(self.alerts(d, year=closed)["alerts"], [])


class AlertLeadershipTest(AlertTestBase):

    def test_two_instances_one_leader(self):
        """Two daemons on one database: one leads, the history is written once, and the
        standby takes over when the leader stops."""
        first = self.start_daemon()
        dbname = re.search(r"dbname=(\S+)", first.conninfo).group(1)
        second = self.daemon(settings={"budget": {"default_year": YEAR},
                                       "alerts": {"evaluation_interval_s": 1}}, dbname=dbname)
        self.tokens(first)
        wait_for("one instance to lead", lambda: first.find_logs("alert leader")
                 or second.find_logs("alert leader"))
        time.sleep(2)  # both have evaluated a few times
        leaders = [d for d in (first, second) if d.find_logs("alert leader")]
        self.assertEqual(len(leaders), 1, [d.log_text() for d in (first, second)])
        leader = leaders[0]
        standby = second if leader is first else first
        self.assertTrue(standby.find_logs("alert standby: another instance is the alert leader"))

        self.submit(standby, "s1", LINE_A, LINE_B, LINE_C)
        a = self.wait_threshold(standby, "the alert to fire",
                                lambda a: a["status"]["state"] == "firing")
        time.sleep(2.5)  # more evaluations on both instances
        fp = a["fingerprint"]
        self.assertEqual(self.db(first, f"SELECT state FROM alert_history "
                                        f"WHERE fingerprint = '{fp}'"), [("firing",)])
        self.assertEqual(self.db(first, "SELECT fingerprint, state, count(*) FROM alert_history "
                                        "GROUP BY 1, 2 HAVING count(*) > 1"), [])

        # The leader stops: its session ends, the standby takes over and carries on.
        leader.stop()
        standby.wait_log("alert leader", timeout=30)
        self.submit(standby, "s2", credit("c-cr", LINE_C), credit("b-cr", LINE_B))
        self.wait_threshold(standby, "the alert to resolve on the new leader",
                            lambda a: a["status"]["state"] == "resolved")
        self.assertEqual(self.db(standby, f"SELECT state FROM alert_history WHERE fingerprint"
                                          f" = '{fp}' ORDER BY id"),
                         [("firing",), ("resolved",)])


if __name__ == "__main__":
    unittest.main()
