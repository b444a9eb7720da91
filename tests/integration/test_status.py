"""test_status.py: the budget status, groups, providers and /metrics against a tiny year
whose every figure is computed by hand below, plus `lvhcmon status`, the ETag/304 path,
the roles, a commit showing within a second, and the stale flag while PostgreSQL is down.

The data: tests/data/status/ (three providers, round tariffs, rates 10000 and 9550, a 2026
cap of EUR 10,000 with an extra cap of EUR 4,000 on KOR) and the six JSON submissions of
SUBMISSIONS below, posted through the HTTP API with an ingest token.

Hand-computed prices (pricing.h: minutes x tariff/h x rate / 600000, rounded once, plus
travel_cents on a time line at full value; a trip is units x tariff, rate_applies false):

  S1 41000001 (KOR, rate 100 %, EUR 120/h)
     CAKOR 2026-01-05  90 min                      90 x 12000 / 60 = 18000
     CAKOR 2026-01-12  60 min + travel_cents 1500   12000 + 1500   = 13500  (travel 1500)
     RTKOR 2026-01-12  2 trips x EUR 25                            =  5000  (travel 5000)
  S2 41000002 (rate 95.50 %: 12000 x 9550 / 600000 = 191 cents a minute)
     CAHUN 2026-01-07  45 min                       45 x 191       =  8595
     CANAH 2026-01-08  30 min                       30 x 191       =  5730
     CALBS 2026-01-09  rejected (LBS has no C&A): counts as declared, not as spend
  S3 41000001  CAKOR 2026-02-03 120 min                            = 24000
  S4 41000003 (GPP, EUR 60/h)  CAGPP 2026-02-10 100 min            = 10000
  S5 41000002  CAHUN 2026-03-04 61 min              61 x 191       = 11651
  S6 41000001  credit of S3's line (service month February)        = -24000 (-120 min)
               new debit CAKOR 2026-02-03 90 min                   = 18000

Per month (service month of date_from):
  January   36500 + 14325 = 50825, minutes 150 + 75 = 225, travel 6500
  February  24000 - 24000 + 18000 + 10000 = 28000, minutes 120 - 120 + 90 + 100 = 190
  March     11651, minutes 61
  cumulative 50825, 78825, 90476 and 90476 for every later month
Total spent 90476 of the cap 1000000: remaining 909524, ratio 0.090476; minutes 476,
travel 6500.
Per group: KOR 36500 + 18000 = 54500 (240 min), HUN 8595 + 11651 = 20246 (106 min),
GPP 10000 (100 min), NAHP 5730 (30 min), DZEP 0, MSP 0; the sum is 90476.
Extra cap KOR: 54500 of 400000, remaining 345500.
Zorgkantoren: 5501 (41000001) 54500, 5502 (41000002) 25976, 5503 (41000003) 10000.
Providers expected (designations): 41000001 all year; 41000002 all year; 41000003 until
2026-02-28 -> 3 in January and February, 2 from March on.
Providers declared: January 41000001, 41000002; February 41000001, 41000003 (S6's lines are
February's); March 41000002 -> 2, 2, 1.
Missing once complete: January 41000003, February 41000002, March 41000001 -> 1 each.
"""

import datetime
import json
import os
import re
import time
import unittest

import harness
from submissions import fixed_bsns

DATA_DIR = os.path.join(harness.SOURCE_DIR, "tests", "data", "status")
YEAR = 2026


B = fixed_bsns(20)


def line(ref, bsn, prestatie, day, minutes, travel=0, dc="D", corrects=None):
    return {"line_ref": ref, "client_bsn": bsn, "prestatie": prestatie, "date_from": day,
            "date_to": day, "minutes": minutes, "travel_cents": travel, "debit_credit": dc,
            "corrects_ref": corrects}


SUBMISSIONS = [
    {"provider_agb": "41000001", "reference": "S1", "lines": [
        line("S1-1", B[0], "CAKOR", "2026-01-05", 90),
        line("S1-2", B[1], "CAKOR", "2026-01-12", 60, travel=1500),
        line("S1-3", B[1], "RTKOR", "2026-01-12", 2)]},
    {"provider_agb": "41000002", "reference": "S2", "lines": [
        line("S2-1", B[2], "CAHUN", "2026-01-07", 45),
        line("S2-2", B[3], "CANAH", "2026-01-08", 30),
        line("S2-3", B[4], "CALBS", "2026-01-09", 30)]},
    {"provider_agb": "41000001", "reference": "S3", "lines": [
        line("S3-1", B[5], "CAKOR", "2026-02-03", 120)]},
    {"provider_agb": "41000003", "reference": "S4", "lines": [
        line("S4-1", B[6], "CAGPP", "2026-02-10", 100)]},
    {"provider_agb": "41000002", "reference": "S5", "lines": [
        line("S5-1", B[7], "CAHUN", "2026-03-04", 61)]},
    {"provider_agb": "41000001", "reference": "S6", "lines": [
        line("S6-1", B[5], "CAKOR", "2026-02-03", 120, dc="C", corrects="S3-1"),
        line("S6-2", B[5], "CAKOR", "2026-02-03", 90)]},
]

MONTH_SPENT = [50825, 28000, 11651] + [0] * 9
CUMULATIVE = [50825, 78825] + [90476] * 10
MONTH_MINUTES = [225, 190, 61] + [0] * 9
DECLARED = [2, 2, 1] + [0] * 9
EXPECTED = [3, 3] + [2] * 10
GROUPS = [("KOR", 54500, 240), ("HUN", 20246, 106), ("GPP", 10000, 100),
          ("DZEP", 0, 0), ("NAHP", 5730, 30), ("MSP", 0, 0)]


def load_year(d):
    """Loads the reference data and posts SUBMISSIONS; returns the tokens."""
    res = d.cli("reference", "load", DATA_DIR)
    if res.returncode != 0:
        raise RuntimeError(f"reference load failed: {res.stderr}")
    tokens = {role: d.make_token(role) for role in ("controller", "dashboard", "ingest")}
    tokens["provider"] = d.make_token("provider", agb="41000001")
    for body in SUBMISSIONS:
        r = d.http("POST", "/api/v1/declarations", body, token=tokens["ingest"])
        if r.status != 201:
            raise RuntimeError(f"{body['reference']}: {r.status} {r.text}")
    return tokens


def wait_for(predicate, timeout, interval=0.01):
    """Polls predicate() until it returns a true value or the time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


class StatusFiguresTest(harness.LvhcmonTestCase):
    """Read-only checks against one daemon and one loaded year."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        dbname = cls.pg.fresh_database()
        cls.d = harness.Daemon(cls.pg.conninfo(dbname),
                               settings={"budget": {"default_year": YEAR}})
        try:
            cls.d.start()
            cls.tokens = load_year(cls.d)
            # The submissions above notified the snapshot thread: wait until the status
            # holds all of them (each answer is committed before it is sent).
            cls.status = wait_for(lambda: cls._status_if(90476), 5)
        except BaseException:
            cls.d.close()
            super().tearDownClass()
            raise

    @classmethod
    def _status_if(cls, spent):
        r = cls.d.http("GET", f"/api/v1/status?year={YEAR}", token=cls.tokens["dashboard"])
        return r.json() if r.status == 200 and r.json()["spent_cents"] == spent else None

    @classmethod
    def tearDownClass(cls):
        cls.d.close()
        super().tearDownClass()

    def get(self, path, role="controller", headers=None):
        token = self.tokens[role] if role else None
        return self.d.http("GET", path, token=token, headers=headers)

    # -- the status document -----------------------------------------------------------

    def test_status_totals(self):
        s = self.status
        self.assertIsNotNone(s, "the status never reached the expected spend")
        self.assertEqual(s["year"], 2026)
        self.assertEqual(s["currency"], "EUR")
        self.assertEqual(s["cap_cents"], 1000000)
        self.assertEqual(s["spent_cents"], 90476)
        self.assertEqual(s["remaining_cents"], 909524)
        self.assertIsInstance(s["spent_ratio"], float)
        self.assertAlmostEqual(s["spent_ratio"], 0.090476, places=9)
        self.assertEqual(s["minutes"], 476)
        self.assertEqual(s["travel_cents"], 6500)
        self.assertIs(s["stale"], False)
        for key in ("profile_ytd_cents", "complete_months", "spent_complete_cents",
                    "profile_through", "alerts_firing", "extra_caps", "zorgkantoren"):
            self.assertIn(key, s)
        iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertRegex(s["data_as_of"], iso)
        self.assertRegex(s["generated_at"], iso)
        fc = s["forecast"]
        for key in ("year_end_cents", "low_cents", "high_cents", "cap_reached_on", "method"):
            self.assertIn(key, fc)
        self.assertLessEqual(fc["low_cents"], fc["year_end_cents"])
        self.assertLessEqual(fc["year_end_cents"], fc["high_cents"])
        self.assertGreaterEqual(fc["year_end_cents"], 90476)
        # A forecast far below the cap: the cap is not reached within the year.
        self.assertIsNone(fc["cap_reached_on"])

    def test_status_months(self):
        months = self.status["months"]
        self.assertEqual([m["month"] for m in months], [f"2026-{m:02d}" for m in range(1, 13)])
        self.assertEqual([m["spent_cents"] for m in months], MONTH_SPENT)
        self.assertEqual([m["cumulative_cents"] for m in months], CUMULATIVE)
        self.assertEqual([m["minutes"] for m in months], MONTH_MINUTES)
        self.assertEqual([m["travel_cents"] for m in months], [6500] + [0] * 11)
        self.assertEqual([m["providers_declared"] for m in months], DECLARED)
        self.assertEqual([m["providers_expected"] for m in months], EXPECTED)
        # January to March are long past their deadline on any day this suite runs.
        if datetime.date.today() > datetime.date(2026, 5, 1):
            self.assertEqual([m["complete"] for m in months[:3]], [True] * 3)
            self.assertEqual([m["providers_missing"] for m in months[:3]], [1, 1, 1])
            self.assertGreaterEqual(self.status["complete_months"], 3)
        complete = self.status["complete_months"]
        self.assertEqual(self.status["spent_complete_cents"],
                         CUMULATIVE[complete - 1] if complete else 0)

    def test_status_groups(self):
        groups = self.status["groups"]
        self.assertEqual([(g["code"], g["spent_cents"], g["minutes"]) for g in groups], GROUPS)
        self.assertEqual(groups[0]["name"], "Korsakov")
        self.assertEqual(sum(g["spent_cents"] for g in groups), self.status["spent_cents"])
        self.assertAlmostEqual(groups[0]["share_ratio"], 54500 / 90476, places=9)
        self.assertAlmostEqual(sum(g["share_ratio"] for g in groups), 1.0, places=9)
        for g in groups:
            self.assertIsInstance(g["share_ratio"], float)

    def test_status_extra_caps_and_zorgkantoren(self):
        caps = self.status["extra_caps"]
        self.assertEqual(len(caps), 1)
        self.assertEqual((caps[0]["scope"], caps[0]["key"], caps[0]["cap_cents"],
                          caps[0]["spent_cents"], caps[0]["remaining_cents"]),
                         ("target_group", "KOR", 400000, 54500, 345500))
        zks = {z["code"]: z["spent_cents"] for z in self.status["zorgkantoren"]}
        self.assertEqual(zks, {"5501": 54500, "5502": 25976, "5503": 10000})

    def test_default_year_and_bad_year(self):
        r = self.get("/api/v1/status", role="dashboard")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["year"], 2026)
        for bad in ("abc", "1999", "2101", "2026x"):
            r = self.get(f"/api/v1/status?year={bad}", role="dashboard")
            err = self.assertError(r, 400)
            self.assertEqual(err["field"], "year")
        # Another year: empty, with the fallback cap of 2025? No: 2025 has no budget row in
        # this data set, so the cap falls back to EUR 4.5M and nothing is spent.
        r = self.get("/api/v1/status?year=2025", role="dashboard")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual((r.json()["spent_cents"], r.json()["cap_cents"]), (0, 450000000))
        self.assertEqual(len(r.json()["groups"]), 6)

    # -- ETag and 304 ---------------------------------------------------------------------

    def test_etag_304(self):
        for path in ("/api/v1/status", "/api/v1/groups/KOR", "/api/v1/providers",
                     "/api/v1/providers/41000001"):
            with self.subTest(path=path):
                r = self.get(path)
                self.assertEqual(r.status, 200, r.text)
                etag = r.headers.get("etag")
                self.assertRegex(etag or "", r'^"[0-9a-f]{16}"$')
                self.assertEqual(r.headers.get("cache-control"), "private, no-cache")
                r2 = self.get(path, headers={"If-None-Match": etag})
                self.assertEqual(r2.status, 304)
                self.assertEqual(r2.body, b"")
                self.assertEqual(r2.headers.get("etag"), etag)
                r3 = self.get(path, headers={"If-None-Match": '"0000000000000000"'})
                self.assertEqual(r3.status, 200)
                self.assertEqual(r3.body, r.body)

    # -- groups and providers ---------------------------------------------------------------

    def test_group(self):
        r = self.get("/api/v1/groups/KOR", role="dashboard")
        self.assertEqual(r.status, 200, r.text)
        g = r.json()
        self.assertEqual((g["code"], g["name"], g["spent_cents"], g["minutes"],
                          g["travel_cents"]), ("KOR", "Korsakov", 54500, 240, 6500))
        self.assertEqual([m["spent_cents"] for m in g["months"]][:3], [36500, 18000, 0])
        self.assertEqual([(p["agb"], p["spent_cents"]) for p in g["providers"]],
                         [("41000001", 54500)])
        self.assertEqual(g["extra_cap"]["remaining_cents"], 345500)
        self.assertError(self.get("/api/v1/groups/XYZ", role="dashboard"), 404)
        r = self.get("/api/v1/groups/MSP", role="dashboard")
        self.assertEqual((r.status, r.json()["spent_cents"], r.json()["providers"]),
                         (200, 0, []))

    def test_providers_list(self):
        r = self.get("/api/v1/providers?year=2026")
        self.assertEqual(r.status, 200, r.text)
        provs = {p["agb"]: p for p in r.json()["providers"]}
        self.assertEqual(sorted(provs), ["41000001", "41000002", "41000003"])
        p1, p2, p3 = provs["41000001"], provs["41000002"], provs["41000003"]
        self.assertEqual((p1["name"], p1["zorgkantoor"], p1["spent_cents"], p1["minutes"]),
                         ("Test Korsakov Noord", "5501", 54500, 240))
        self.assertEqual((p2["spent_cents"], p2["minutes"]), (25976, 136))
        self.assertEqual((p3["spent_cents"], p3["minutes"]), (10000, 100))
        self.assertEqual(p1["last_month_declared"], "2026-02")
        self.assertEqual(p2["last_month_declared"], "2026-03")
        self.assertEqual(p3["last_month_declared"], "2026-02")
        self.assertEqual(p1["months_declared"], ["2026-01", "2026-02"])
        self.assertEqual(p2["months_declared"], ["2026-01", "2026-03"])
        if datetime.date.today() > datetime.date(2026, 5, 1):
            self.assertIn("2026-03", p1["missing_months"])
            self.assertEqual(p2["missing_months"][0], "2026-02")
            # 41000003 is designated until February only: January is its one missing month.
            self.assertEqual(p3["missing_months"], ["2026-01"])

    def test_provider_one(self):
        r = self.get("/api/v1/providers/41000002")
        self.assertEqual(r.status, 200, r.text)
        p = r.json()
        self.assertEqual((p["agb"], p["spent_cents"]), ("41000002", 25976))
        self.assertEqual([m["spent_cents"] for m in p["months"]][:3], [14325, 0, 11651])
        self.assertEqual({g["code"]: g["spent_cents"] for g in p["groups"]},
                         {"HUN": 20246, "NAHP": 5730})
        self.assertError(self.get("/api/v1/providers/99999999"), 404)

    # -- roles --------------------------------------------------------------------------

    def test_roles(self):
        cases = [
            ("dashboard", "/api/v1/status", 200),
            ("dashboard", "/api/v1/groups/HUN", 200),
            ("dashboard", "/api/v1/providers", 403),
            ("dashboard", "/api/v1/providers/41000001", 403),
            ("controller", "/api/v1/providers", 200),
            ("provider", "/api/v1/providers/41000001", 200),
            ("provider", "/api/v1/providers/41000002", 404),
            ("provider", "/api/v1/providers/99999999", 404),
            ("provider", "/api/v1/providers", 403),
            ("provider", "/api/v1/status", 200),
            ("provider", "/api/v1/groups/HUN", 200),
            ("ingest", "/api/v1/status", 403),
            (None, "/api/v1/status", 401),
            (None, "/api/v1/providers", 401),
            (None, "/api/v1/groups/KOR", 401),
        ]
        for role, path, status in cases:
            with self.subTest(role=role, path=path):
                r = self.get(path, role=role)
                if status == 200:
                    self.assertEqual(r.status, 200, r.text)
                else:
                    self.assertError(r, status)
        # Another provider's 404 looks exactly like an unknown AGB's.
        a = self.get("/api/v1/providers/41000002", role="provider").json()
        b = self.get("/api/v1/providers/99999999", role="provider").json()
        self.assertEqual(a, b)

    # -- /metrics -----------------------------------------------------------------------

    def test_metrics(self):
        r = self.d.http("GET", "/metrics")
        self.assertEqual(r.status, 200, r.text)
        self.assertTrue(r.headers["content-type"].startswith("text/plain; version=0.0.4"))
        samples = {}
        types = {}
        sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (\S+)$')
        for text in r.text.splitlines():
            if text.startswith("# TYPE "):
                _, _, name, kind = text.split(" ", 3)
                types[name] = kind
                continue
            if text.startswith("#") or not text:
                continue
            m = sample.match(text)
            self.assertIsNotNone(m, f"not a sample line: {text!r}")
            labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(3) or ""))
            samples[(m.group(1), tuple(sorted(labels.items())))] = float(m.group(4))

        def value(name, **labels):
            return samples[(name, tuple(sorted(labels.items())))]

        y = "2026"
        self.assertEqual(value("lvhcmon_budget_cap_cents", year=y), 1000000)
        self.assertEqual(value("lvhcmon_budget_spent_cents", year=y), 90476)
        self.assertAlmostEqual(value("lvhcmon_budget_spent_ratio", year=y), 0.090476, places=6)
        for bound in ("central", "low", "high"):
            self.assertGreaterEqual(value("lvhcmon_budget_forecast_cents", year=y, bound=bound),
                                    90476)
        self.assertEqual(value("lvhcmon_group_spent_cents", year=y, target_group="KOR"), 54500)
        self.assertAlmostEqual(value("lvhcmon_group_spent_ratio", year=y, target_group="KOR"),
                               0.0545, places=6)
        self.assertEqual(value("lvhcmon_snapshot_stale"), 0)
        self.assertGreater(value("lvhcmon_last_ingest_timestamp_seconds"), 1.7e9)
        self.assertIn(("lvhcmon_alerts_firing", (("year", y),)), samples)
        self.assertEqual(value("lvhcmon_ingest_submissions_total", result="stored"), 6)
        self.assertEqual(value("lvhcmon_ingest_lines_total", status="accepted"), 10)
        self.assertEqual(value("lvhcmon_ingest_lines_total", status="rejected"), 1)
        self.assertEqual(types["lvhcmon_http_request_duration_seconds"], "histogram")
        self.assertEqual(types["lvhcmon_ingest_submissions_total"], "counter")
        self.assertEqual(types["lvhcmon_budget_spent_cents"], "gauge")
        count = value("lvhcmon_http_request_duration_seconds_count")
        self.assertGreater(count, 0)
        self.assertEqual(value("lvhcmon_http_request_duration_seconds_bucket", le="+Inf"), count)

    # -- the command line ---------------------------------------------------------------

    def test_cli_status_table(self):
        res = self.d.cli("status", "--year", "2026")
        self.assertEqual(res.returncode, 0, res.stderr)
        out = res.stdout
        self.assertIn("Budget status 2026", out)
        self.assertRegex(out, r"Cap\s+10,000\.00 EUR")
        self.assertRegex(out, r"Spent\s+904\.76 EUR\s+9\.05 %")
        self.assertRegex(out, r"Remaining\s+9,095\.24 EUR")
        self.assertRegex(out, r"KOR\s+Korsakov\s+545\.00")
        self.assertRegex(out, r"2026-02\s+280\.00\s+788\.25\s+190\s+2/3")
        self.assertRegex(out, r"2026-03\s+116\.51\s+904\.76\s+61\s+1/2")
        self.assertIn("Forecast year end", out)

    def test_cli_status_json_is_the_document(self):
        res = self.d.cli("status", "--json")
        self.assertEqual(res.returncode, 0, res.stderr)
        doc = json.loads(res.stdout)
        api = self.get("/api/v1/status").json()
        for key in ("spent_cents", "groups", "months", "forecast", "extra_caps"):
            self.assertEqual(doc[key], api[key], key)
        res = self.d.cli("status", "--year", "19")
        self.assertEqual(res.returncode, 2, res.stdout)


class StatusLiveTest(harness.LvhcmonTestCase):
    """Changes while the daemon runs: a commit shows at once, an outage marks it stale."""

    def setUp(self):
        # A reload of the figures every second (the periodic one follows the evaluations).
        self.d = self.daemon(settings={"budget": {"default_year": YEAR},
                                       "alerts": {"evaluation_interval_s": 1}})
        self.tokens = load_year(self.d)
        self.assertTrue(wait_for(lambda: self.spent() == 90476, 5), "initial status")

    def status(self):
        return self.d.http("GET", "/api/v1/status", token=self.tokens["dashboard"])

    def spent(self):
        r = self.status()
        return r.json()["spent_cents"] if r.status == 200 else None

    def test_new_submission_visible_within_one_second(self):
        etag = self.status().headers["etag"]
        body = {"provider_agb": "41000003", "reference": "S7", "lines": [
            line("S7-1", B[8], "CAGPP", "2026-01-20", 30)]}  # 30 x 6000 / 60 = 3000
        r = self.d.http("POST", "/api/v1/declarations", body, token=self.tokens["ingest"])
        self.assertEqual(r.status, 201, r.text)
        t0 = time.monotonic()
        self.assertTrue(wait_for(lambda: self.spent() == 93476, 1.0),
                        "the new submission did not show within 1 s")
        took = time.monotonic() - t0
        self.assertLess(took, 1.0)
        # The old ETag no longer matches.
        r = self.d.http("GET", "/api/v1/status", token=self.tokens["dashboard"],
                        headers={"If-None-Match": etag})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["months"][0]["providers_declared"], 3)

    def test_kept_answers_on_one_connection_follow_the_figures(self):
        """Many polls on one keep-alive connection (one HTTP thread, its kept responses):
        the same headers as a fresh connection gets, 304 on the ETag, and the new figures
        and ETag as soon as a submission shows, never the previous answer again."""
        import http.client
        token = self.tokens["dashboard"]
        conn = http.client.HTTPConnection("127.0.0.1", self.d.port, timeout=10)

        def get(etag=None):
            headers = {"Authorization": "Bearer " + token}
            if etag:
                headers["If-None-Match"] = etag
            conn.request("GET", "/api/v1/status", headers=headers)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()

        fresh = self.status()
        try:
            for _ in range(50):
                status, headers, body = get()
                self.assertEqual(status, 200)
                self.assertEqual(body, fresh.body)
            for name in ("etag", "cache-control", "content-type", "x-content-type-options",
                         "content-length"):
                self.assertEqual(headers.get(name), fresh.headers.get(name), name)
            etag = headers["etag"]
            for _ in range(20):
                status, headers304, body = get(etag)
                self.assertEqual((status, body), (304, b""))
                self.assertEqual(headers304.get("etag"), etag)
                self.assertEqual(headers304.get("cache-control"), "private, no-cache")
            spent = json.loads(fresh.body)["spent_cents"]
            body = {"provider_agb": "41000003", "reference": "S9", "lines": [
                line("S9-1", B[9], "CAGPP", "2026-01-22", 30)]}  # 3000
            r = self.d.http("POST", "/api/v1/declarations", body, token=self.tokens["ingest"])
            self.assertEqual(r.status, 201, r.text)
            # The writer reads its own write: the next answer on the old connection is new.
            status, headers, new_body = get(etag)
            self.assertEqual(status, 200)
            self.assertNotEqual(headers["etag"], etag)
            self.assertEqual(json.loads(new_body)["spent_cents"], spent + 3000)
            self.assertEqual(new_body, self.status().body)
            for _ in range(20):
                self.assertEqual(get(headers["etag"])[0], 304)
                self.assertEqual(get()[2], new_body)
        finally:
            conn.close()

    def full_reloads(self):
        for text in self.d.http("GET", "/metrics").text.splitlines():
            if text.startswith('lvhcmon_snapshot_updates_total{kind="full"} '):
                return int(float(text.rsplit(" ", 1)[1]))
        self.fail("/metrics has no full snapshot updates")

    def test_reload_that_changes_nothing_keeps_the_etag(self):
        """A dashboard polling with If-None-Match keeps getting 304 while nothing changes,
        however often the figures are read again."""
        before = self.status()
        reloads = self.full_reloads()
        self.assertTrue(wait_for(lambda: self.full_reloads() >= reloads + 3, 10),
                        "the figures were not reloaded three times within 10 s")
        r = self.d.http("GET", "/api/v1/status", token=self.tokens["dashboard"],
                        headers={"If-None-Match": before.headers["etag"]})
        self.assertEqual(r.status, 304, r.text)
        self.assertEqual(self.status().json()["generated_at"], before.json()["generated_at"])
        # A change still makes a new document at once.
        body = {"provider_agb": "41000003", "reference": "S8", "lines": [
            line("S8-1", B[8], "CAGPP", "2026-01-21", 30)]}
        self.assertEqual(self.d.http("POST", "/api/v1/declarations", body,
                                     token=self.tokens["ingest"]).status, 201)
        r = self.d.http("GET", "/api/v1/status", token=self.tokens["dashboard"],
                        headers={"If-None-Match": before.headers["etag"]})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["spent_cents"], 93476)

    def test_stale_while_database_down(self):
        self.assertIs(self.status().json()["stale"], False)
        self.pg.stop()
        try:
            # The snapshot thread notices the closed connection at once.
            stale = wait_for(lambda: self.status().status == 200
                             and self.status().json()["stale"] is True, 10, 0.05)
            self.assertTrue(stale, "the status never said stale while PostgreSQL was down")
            r = self.status()
            self.assertEqual(r.status, 200, r.text)
            self.assertEqual(r.json()["spent_cents"], 90476)  # the last figures, kept
            r = self.d.http("GET", "/metrics")
            self.assertIn("lvhcmon_snapshot_stale 1", r.text)
        finally:
            self.pg.start()
        fresh = wait_for(lambda: self.status().status == 200
                         and self.status().json()["stale"] is False, 15, 0.05)
        self.assertTrue(fresh, "the status stayed stale after PostgreSQL came back")
        # And it follows the ledger again. (The first write after the restart may meet a
        # pool connection that died with the server: 503 with Retry-After, nothing stored.)
        body = {"provider_agb": "41000003", "reference": "S8", "lines": [
            line("S8-1", B[9], "CAGPP", "2026-01-21", 60)]}  # 6000
        r = wait_for(lambda: (lambda r: r if r.status != 503 else None)(
            self.d.http("POST", "/api/v1/declarations", body, token=self.tokens["ingest"])),
            5, 0.1)
        self.assertIsNotNone(r, "writes kept failing with 503 after the restart")
        self.assertEqual(r.status, 201, r.text)
        self.assertTrue(wait_for(lambda: self.spent() == 96476, 2), "no update after restart")


if __name__ == "__main__":
    unittest.main()
