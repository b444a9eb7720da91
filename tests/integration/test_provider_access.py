"""test_provider_access: what a provider token may read of the national picture, and that
nothing of another provider reaches it, by count or by name (doc/api.md §5, role provider).

Fixture (reference/ copied, then cut down): two designated providers only, both KOR,
    A = 41000001 (Expertisecentrum Korsakov Noord, rate 95.50 %, 238.75 cents a minute)
    B = 73412303 (Expertisecentrum Korsakov Zuid, rate 90.00 %, 225 cents a minute),
a national cap of EUR 1,000.00 for 2026 and an extra cap per provider: A's EUR 5,000.00 (not
reached), B's EUR 135.79 (reached by B's lines: an ExtraCapReached alert with B's label).
Both declare October 2026, A more than B, so every national figure is a sum of both and none
is B's alone:
    A  211 min  = 50376 cents      B  137 min = 30825 cents, plus one rejected line
national 81201 cents: the 0.5 and 0.75 thresholds fire (national alerts). Months January to
September are past their deadline and declared by neither: ProviderDeclarationMissing fires
for A and for B (each with its own provider label). B also sends a CSV file that is
rejected whole.

Then every endpoint a provider token can reach is read as A, and no response body or header
holds B's AGB, B's name, B's amounts or B's submission references.
"""

import datetime
import os
import time

import harness
from reference_daemon import ReferenceDaemonTestCase

YEAR = 2026
A, B, C = "41000001", "73412303", "41209137"
B_NAME = "Korsakov Zuid"
A_MINUTES, B_MINUTES = 211, 137
A_CENTS, B_CENTS = 50376, 30825
B_CAP, A_CAP = 13579, 500000
B_REFS = ("ZUID-OKT-7Q", "ZUID-BAD-9Q")
# B's amounts as any document could write them: cents, and euros with a point or a comma.
B_LEAKS = (B, B_NAME, str(B_CENTS), "308.25", "308,25", str(B_CAP), str(B_CENTS - B_CAP),
           *B_REFS)
ETAG = "etag"


def bsn(first8):
    total = sum(int(d) * w for d, w in zip(first8, range(9, 1, -1))) % 11
    assert total < 10
    return first8 + str(total)


def line(ref, minutes, client, day=1):
    return {"line_ref": ref, "client_bsn": client, "prestatie": "CAKOR",
            "date_from": f"{YEAR}-10-{day:02d}", "date_to": f"{YEAR}-10-{day:02d}",
            "minutes": minutes, "travel_cents": 0, "debit_credit": "D", "corrects_ref": None}


def wait_for(what, probe, timeout=30, interval=0.2):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


class ProviderAccessTest(ReferenceDaemonTestCase):
    SETTINGS = {"budget": {"default_year": YEAR}, "alerts": {"evaluation_interval_s": 1}}
    YEARS = {YEAR}

    @classmethod
    def extend_reference(cls, refdir):
        with open(os.path.join(refdir, "budgets.csv"), "w", encoding="utf-8") as f:
            f.write("year,scope,scope_key,cap_cents\n"
                    f"{YEAR},national,,100000\n"
                    f"{YEAR},provider,{A},{A_CAP}\n"
                    f"{YEAR},provider,{B},{B_CAP}\n")
        path = os.path.join(refdir, "designations.csv")
        with open(path, encoding="utf-8") as f:
            rows = f.read().splitlines()
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join([rows[0]] + [r for r in rows[1:]
                                           if r.split(",")[0] in (A, B)]) + "\n")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        d = cls.d
        cls.dashboard = d.make_token("dashboard")
        cls.prov_a = d.make_token("provider", agb=A)
        cls.prov_b = d.make_token("provider", agb=B)
        cls.prov_c = d.make_token("provider", agb=C)
        posts = [
            (cls.prov_a, {"provider_agb": A, "reference": "NOORD-OKT-1",
                          "lines": [line("NA-1", A_MINUTES, bsn("10000001"))]}),
            (cls.prov_b, {"provider_agb": B, "reference": B_REFS[0],
                          "lines": [line("ZB-1", B_MINUTES, bsn("10000002"), 2),
                                    line("ZB-2", 30, "123456789", 3)]}),  # bad BSN: rejected
        ]
        ids = []
        for token, body in posts:
            r = d.http("POST", "/api/v1/declarations", body, token=token)
            if r.status != 201:
                raise AssertionError(r.text)
            ids.append(r.json()["id"])
        cls.b_submission = ids[1]
        # B's file rejected whole (a header that is not the layout).
        r = d.http("POST", "/api/v1/declarations/csv",
                   f"provider_agb,reference\n{B},{B_REFS[1]}\n".encode(), token=cls.prov_b,
                   headers={"Content-Type": "text/csv"})
        if r.status != 422:
            raise AssertionError(r.text)

    # -- helpers ------------------------------------------------------------------------

    def get(self, path, token, headers=None):
        r = self.d.http("GET", path, token=token, headers=headers)
        self.seen.append((path, r))
        return r

    def setUp(self):
        self.seen = []  # every response a provider received in this test

    def tearDown(self):
        self.assert_no_leak(self.seen)

    def assert_no_leak(self, responses):
        for path, r in responses:
            text = r.body.decode("utf-8", "replace") + "\n" + "\n".join(
                f"{k}: {v}" for k, v in r.headers.items())
            for leak in B_LEAKS:
                self.assertNotIn(leak, text, f"{leak!r} leaks through {path}")

    def firing(self, token):
        r = self.d.http("GET", f"/api/v1/alerts?state=firing&year={YEAR}", token=token)
        self.assertEqual(r.status, 200, r.text)
        return r.json()["alerts"]

    def settled(self):
        """Waits until the alerts of both providers fire and the snapshot counts them."""
        def probe():
            alerts = self.firing(self.controller)
            names = {(a["labels"]["alertname"], a["labels"].get("provider")) for a in alerts}
            want = {("ExtraCapReached", B), ("ProviderDeclarationMissing", A),
                    ("ProviderDeclarationMissing", B), ("BudgetThresholdReached", None)}
            status = self.d.http("GET", f"/api/v1/status?year={YEAR}",
                                 token=self.controller).json()
            return want <= names and status["alerts_firing"] == len(alerts) and alerts
        alerts = wait_for("the alerts of both providers", probe)

        # Then quiet: the evaluations (every second) change nothing any more, so the documents
        # compared below are the same between two reads.
        def quiet():
            path = f"/api/v1/status?year={YEAR}"
            first = self.d.http("GET", path, token=self.controller).headers["etag"]
            time.sleep(1.5)
            return self.d.http("GET", path, token=self.controller).headers["etag"] == first
        wait_for("the status to stay the same", quiet, timeout=60)
        return probe() or alerts

    # -- the tests ----------------------------------------------------------------------

    def test_status_is_national_without_other_providers(self):
        alerts = self.settled()
        own = [a for a in alerts if a["labels"].get("provider") in (None, A)]
        self.assertLess(len(own), len(alerts))  # B's alerts exist and are not counted
        ctl = self.d.http("GET", f"/api/v1/status?year={YEAR}", token=self.controller).json()
        r = self.get(f"/api/v1/status?year={YEAR}", self.prov_a)
        self.assertEqual(r.status, 200, r.text)
        doc = r.json()
        self.assertEqual(doc["alerts_firing"], len(own))
        self.assertNotIn("zorgkantoren", doc)
        self.assertIn("zorgkantoren", ctl)
        self.assertEqual([c["key"] for c in doc["extra_caps"] if c["scope"] == "provider"], [A])
        # The national figures are the controller's, to the cent.
        for key in ("cap_cents", "spent_cents", "remaining_cents", "forecast", "groups",
                    "months", "profile_kind", "profile_ytd_cents"):
            self.assertEqual(doc[key], ctl[key], key)
        self.assertEqual(doc["spent_cents"], A_CENTS + B_CENTS)
        # A provider with nothing of its own sees the national alerts only.
        c = self.get(f"/api/v1/status?year={YEAR}", self.prov_c).json()
        national = [a for a in alerts if "provider" not in a["labels"]]
        self.assertEqual(c["alerts_firing"], len(national))
        self.assertEqual([x for x in c["extra_caps"] if x["scope"] == "provider"], [])

    def test_status_as_of(self):
        self.settled()
        today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        r = self.get(f"/api/v1/status?year={YEAR}&as_of={today}", self.prov_a)
        self.assertEqual(r.status, 200, r.text)
        doc = r.json()
        self.assertEqual(doc["as_of"], today)
        self.assertNotIn("zorgkantoren", doc)
        self.assertEqual([c["key"] for c in doc["extra_caps"] if c["scope"] == "provider"], [A])
        ctl = self.d.http("GET", f"/api/v1/status?year={YEAR}&as_of={today}",
                          token=self.controller).json()
        # B's conditions as of that day (its extra cap, its missing months) are not counted.
        self.assertLess(doc["alerts_firing"], ctl["alerts_firing"])
        self.assertEqual(doc["spent_cents"], ctl["spent_cents"])

    def test_groups_show_only_own_row(self):
        self.settled()
        for code in ("KOR", "HUN", "GPP", "DZEP", "NAHP", "MSP", "LBS"):
            r = self.get(f"/api/v1/groups/{code}?year={YEAR}", self.prov_a)
            if r.status == 404:
                continue
            self.assertEqual(r.status, 200, r.text)
            rows = r.json()["providers"]
            self.assertTrue(all(p["agb"] == A for p in rows), rows)
        kor = self.get(f"/api/v1/groups/KOR?year={YEAR}", self.prov_a).json()
        self.assertEqual([(p["agb"], p["spent_cents"]) for p in kor["providers"]], [(A, A_CENTS)])
        self.assertEqual(kor["spent_cents"], A_CENTS + B_CENTS)
        ctl = self.d.http("GET", f"/api/v1/groups/KOR?year={YEAR}", token=self.controller).json()
        self.assertEqual(sorted(p["agb"] for p in ctl["providers"]), [A, B])
        self.assertError(self.get(f"/api/v1/groups/XYZ?year={YEAR}", self.prov_a), 404,
                         "group_not_found")

    def test_alerts_national_and_own_only(self):
        alerts = self.settled()
        for state in ("firing", "all", "pending", "resolved"):
            r = self.get(f"/api/v1/alerts?state={state}", self.prov_a)
            self.assertEqual(r.status, 200, r.text)
            for a in r.json()["alerts"]:
                self.assertIn(a["labels"].get("provider"), (None, A), a["labels"])
        listed = {a["fingerprint"] for a in self.get(f"/api/v1/alerts?year={YEAR}&state=firing",
                                                     self.prov_a).json()["alerts"]}
        own = {a["fingerprint"] for a in alerts if a["labels"].get("provider") in (None, A)}
        self.assertEqual(listed, own)
        b_alerts = [a["fingerprint"] for a in alerts if a["labels"].get("provider") == B]
        self.assertTrue(b_alerts)
        for fp in b_alerts:
            r = self.get(f"/api/v1/alerts/{fp}", self.prov_a)
            self.assertError(r, 404, "alert_not_found")
            # Exactly the answer of a fingerprint that does not exist.
            self.assertEqual(r.body, self.get("/api/v1/alerts/0123456789abcdef",
                                              self.prov_a).body)
        for fp in own:
            r = self.get(f"/api/v1/alerts/{fp}", self.prov_a)
            self.assertEqual(r.status, 200, r.text)
            self.assertIn("history", r.json())
        fp = sorted(own)[0]
        self.assertError(self.d.http("POST", f"/api/v1/alerts/{fp}/ack", {"by": "a"},
                                     token=self.prov_a), 403, "forbidden")

    def test_etags_per_role_and_provider(self):
        self.settled()
        path = f"/api/v1/status?year={YEAR}"
        ctl = self.d.http("GET", path, token=self.controller)
        dash = self.d.http("GET", path, token=self.dashboard)
        a = self.get(path, self.prov_a)
        c = self.get(path, self.prov_c)
        etags = {ctl.headers[ETAG], a.headers[ETAG], c.headers[ETAG]}
        self.assertEqual(len(etags), 3, etags)
        self.assertEqual(ctl.headers[ETAG], dash.headers[ETAG])  # one shared document
        # The controller's ETag never gets a provider a 304 (nor the reverse), and another
        # provider's ETag neither; its own does.
        r = self.get(path, self.prov_a, headers={"If-None-Match": ctl.headers[ETAG]})
        self.assertEqual(r.status, 200)
        r = self.get(path, self.prov_a, headers={"If-None-Match": c.headers[ETAG]})
        self.assertEqual(r.status, 200)
        r = self.d.http("GET", path, token=self.controller,
                        headers={"If-None-Match": a.headers[ETAG]})
        self.assertEqual(r.status, 200)
        r = self.get(path, self.prov_a, headers={"If-None-Match": a.headers[ETAG]})
        self.assertEqual((r.status, r.body), (304, b""))
        self.assertEqual(r.headers[ETAG], a.headers[ETAG])
        # The same for a group's document.
        gpath = f"/api/v1/groups/KOR?year={YEAR}"
        g_ctl = self.d.http("GET", gpath, token=self.controller)
        g_a = self.get(gpath, self.prov_a)
        self.assertNotEqual(g_ctl.headers[ETAG], g_a.headers[ETAG])
        r = self.get(gpath, self.prov_a, headers={"If-None-Match": g_ctl.headers[ETAG]})
        self.assertEqual(r.status, 200)
        r = self.get(gpath, self.prov_a, headers={"If-None-Match": g_a.headers[ETAG]})
        self.assertEqual(r.status, 304)

    def test_every_provider_endpoint_keeps_others_out(self):
        self.settled()
        own = self.get(f"/api/v1/providers/{A}/submissions?year={YEAR}", self.prov_a)
        self.assertEqual(own.status, 200, own.text)
        sub_id = own.json()["submissions"][0]["id"]
        paths = [
            "/api/v1/whoami",
            f"/api/v1/status?year={YEAR}",
            f"/api/v1/groups/KOR?year={YEAR}",
            f"/api/v1/alerts?year={YEAR}",
            f"/api/v1/providers/{A}?year={YEAR}",
            f"/api/v1/providers/{A}/declarations?year={YEAR}",
            f"/api/v1/providers/{A}/submissions?year={YEAR}",
            f"/api/v1/declarations/{sub_id}",
            f"/api/v1/providers/{A}/declarations.csv?year={YEAR}",
            f"/api/v1/providers/{A}/declarations.csv?year={YEAR}&lang=en",
        ]
        for path in paths:
            self.assertEqual(self.get(path, self.prov_a).status, 200, path)
        # B's own resources answer as if they did not exist.
        for path, code in ((f"/api/v1/providers/{B}?year={YEAR}", "provider_not_found"),
                           (f"/api/v1/providers/{B}/declarations", "provider_not_found"),
                           (f"/api/v1/providers/{B}/submissions", "provider_not_found"),
                           (f"/api/v1/providers/{B}/declarations.csv?year={YEAR}",
                            "provider_not_found"),
                           (f"/api/v1/declarations/{self.b_submission}",
                            "declaration_not_found")):
            self.assertError(self.get(path, self.prov_a), 404, code)
        self.assertError(self.get("/api/v1/providers", self.prov_a), 403)
        self.assertError(self.get(f"/api/v1/report.xlsx?year={YEAR}", self.prov_a), 403)
        # The check must be able to fail: B's own view holds what A's may not.
        b = self.d.http("GET", f"/api/v1/providers/{B}/submissions?year={YEAR}",
                        token=self.prov_b)
        with self.assertRaises(AssertionError):
            self.assert_no_leak([("B's own list", b)])
