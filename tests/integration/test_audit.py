"""test_audit.py: the audit trail (who did what to which client-related record, when and
from where; NEN 7513), through GET /api/v1/audit and `lvhcmon audit`.

The story: reference data loaded on the command line; an ingest token submits (stored,
rejected whole, replayed); a provider reads its lines and a submission; the budget crosses
a threshold (the small reference set of test_alerts.py) and a controller acknowledges the
alert; an operator revokes a token. The controller's GET /api/v1/audit then lists each of
those with who (token id, role, label; or the operating-system user at the host), what,
on which object, when and from where (the client's address; X-Forwarded-For only from a
trusted proxy). Filters are checked and named when wrong, the listing pages, only a
controller may read it, and reading it is recorded too.

Not skippable: with the daemon's right to INSERT into audit_log taken away, a read of
lines is refused (500 audit_failed) and serves no line, a submission stores nothing, an
acknowledgement changes nothing.
"""

import datetime
import json
import re
import shutil

import harness
from test_alerts import AGB, LINE_A, LINE_B, LINE_C, YEAR, small_reference, wait_for

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


class AuditTest(harness.LvhcmonTestCase):
    def start(self, settings=None):
        ref = small_reference()
        self.addCleanup(shutil.rmtree, ref, True)
        merged = {"budget": {"default_year": YEAR}, "alerts": {"evaluation_interval_s": 1}}
        for section, keys in (settings or {}).items():
            merged.setdefault(section, {}).update(keys)
        self.dbname = self.fresh_db()
        d = self.daemon(settings=merged, dbname=self.dbname)
        res = d.cli("reference", "load", ref)
        self.assertEqual(res.returncode, 0, res.stderr)
        return d

    def token_ids(self, d):
        return {t["label"]: t["id"]
                for t in json.loads(d.cli("token", "list", "--json").stdout)["tokens"]}

    def audit(self, d, token, query=""):
        r = d.http("GET", "/api/v1/audit" + query, token=token)
        self.assertEqual(r.status, 200, r.text)
        return r.json()

    def entries(self, d, token, query=""):
        """Every entry, through all the pages."""
        out, after = [], 0
        sep = "&" if query else "?"
        while True:
            doc = self.audit(d, token, f"{query}{sep}limit=3&after={after}")
            out += doc["entries"]
            if doc["page"]["next_after"] is None:
                return out
            after = doc["page"]["next_after"]

    def assert_recent(self, at):
        self.assertRegex(at, ISO_MS)
        when = datetime.datetime.strptime(at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
            tzinfo=datetime.timezone.utc)
        age = (datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()
        self.assertLess(abs(age), 300)

    def test_who_what_when_where(self):
        d = self.start()
        ingest = d.make_token("ingest", label="import job")
        controller = d.make_token("controller", label="controller-1")
        provider = d.make_token("provider", agb=AGB, label="provider portal")
        doomed = d.make_token("dashboard", label="old dashboard")
        ids = self.token_ids(d)

        body = {"provider_agb": AGB, "reference": "audit-1", "lines": [LINE_A, LINE_B, LINE_C]}
        r = d.http("POST", "/api/v1/declarations", body, token=ingest)
        self.assertEqual(r.status, 201, r.text)
        sid = r.json()["id"]
        self.assertEqual(d.http("POST", "/api/v1/declarations", body, token=ingest).status, 200)
        r = d.http("POST", "/api/v1/declarations", '{"provider_agb": "41000001", "lines": 5}',
                   token=ingest, headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 422, r.text)

        r = d.http("GET", f"/api/v1/providers/{AGB}/declarations?year={YEAR}", token=provider)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(len(r.json()["lines"]), 3)
        self.assertEqual(d.http("GET", f"/api/v1/declarations/{sid}", token=provider).status, 200)

        def firing():
            r = d.http("GET", f"/api/v1/alerts?state=firing&year={YEAR}", token=controller)
            return [a for a in r.json()["alerts"]
                    if a["labels"].get("alertname") == "BudgetThresholdReached"]
        fp = wait_for("the threshold alert firing", firing)[0]["fingerprint"]
        r = d.http("POST", f"/api/v1/alerts/{fp}/ack", {"by": "J. Jansen", "comment": "seen"},
                   token=controller)
        self.assertEqual(r.status, 200, r.text)

        res = d.cli("token", "revoke", str(ids["old dashboard"]))
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(d.http("GET", "/api/v1/whoami", token=doomed).status, 401)

        entries = self.entries(d, controller)
        for e in entries:
            self.assertEqual(set(e), {"id", "at", "actor", "action", "object", "provider_agb",
                                      "outcome", "client_address", "proxy_address", "detail"})
            self.assert_recent(e["at"])
        by_action = {}
        for e in entries:
            by_action.setdefault(e["action"], []).append(e)

        # A provider reading its lines: who, what, which record, when, from where.
        reads = by_action["declarations.read"]
        self.assertEqual(len(reads), 2)
        lines_read = next(e for e in reads if e["object"] == f"provider:{AGB}")
        self.assertEqual(lines_read["actor"], {"key": f"token:{ids['provider portal']}",
                                               "role": "provider", "label": "provider portal",
                                               "token_id": ids["provider portal"]})
        self.assertEqual(lines_read["provider_agb"], AGB)
        self.assertEqual(lines_read["client_address"], "127.0.0.1")
        self.assertIsNone(lines_read["proxy_address"])
        self.assertEqual(lines_read["outcome"], "ok")
        self.assertEqual(lines_read["detail"]["lines"], 3)
        self.assertEqual(lines_read["detail"]["year"], YEAR)
        one = next(e for e in reads if e["object"] == f"submission:{sid}")
        self.assertEqual(one["actor"]["key"], f"token:{ids['provider portal']}")

        # A controller acknowledging the alert.
        (ack,) = by_action["alert.acknowledge"]
        self.assertEqual(ack["actor"]["key"], f"token:{ids['controller-1']}")
        self.assertEqual(ack["actor"]["role"], "controller")
        self.assertEqual(ack["object"], f"alert:{fp}")
        self.assertEqual(ack["client_address"], "127.0.0.1")
        self.assertEqual(ack["detail"], {"by": "J. Jansen", "comment": "seen"})

        # An operator revoking a token, on the command line.
        (revoke,) = by_action["token.revoke"]
        self.assertRegex(revoke["actor"]["key"], r"^cli:\S+$")
        self.assertEqual(revoke["actor"]["role"], "cli")
        self.assertIn("@", revoke["actor"]["label"])
        self.assertIsNone(revoke["actor"]["token_id"])
        self.assertEqual(revoke["object"], f"token:{ids['old dashboard']}")
        self.assertIsNone(revoke["client_address"])

        # The rest of the story.
        submits = by_action["declarations.submit"]
        self.assertEqual([e["outcome"] for e in submits], ["stored", "replayed", "rejected"])
        self.assertEqual(submits[0]["object"], f"submission:{sid}")
        self.assertEqual(submits[0]["actor"]["key"], f"token:{ids['import job']}")
        self.assertEqual(submits[0]["detail"]["reference"], "audit-1")
        self.assertEqual(submits[2]["detail"]["code"], "9107")  # reference missing
        self.assertEqual(len(by_action["token.add"]), 4)
        (load,) = by_action["reference.load"]
        self.assertEqual(load["actor"]["role"], "cli")
        self.assertEqual(load["detail"]["rows"]["budgets.csv"], 1)
        # No BSN of the submission anywhere in the trail.
        text = json.dumps(entries)
        for line in (LINE_A, LINE_B, LINE_C):
            self.assertNotIn(line["client_bsn"], text)

        # Filters.
        acks = self.audit(d, controller, "?action=alert.acknowledge")["entries"]
        self.assertEqual([e["id"] for e in acks], [ack["id"]])
        mine = self.audit(d, controller, f"?actor=token:{ids['provider portal']}")["entries"]
        self.assertEqual({e["action"] for e in mine}, {"declarations.read"})
        today = datetime.datetime.now(datetime.timezone.utc).date()
        days = [today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=1)]
        around = self.entries(d, controller, f"?from={days[0]}&to={days[2]}")
        self.assertGreaterEqual(len(around), len(entries))
        self.assertEqual(self.audit(d, controller, f"?from={days[2] + datetime.timedelta(1)}")
                         ["entries"], [])
        self.assertEqual(self.audit(d, controller, f"?to={days[0] - datetime.timedelta(1)}")
                         ["entries"], [])
        for query, field in (("?from=2026-02-30", "from"), ("?to=yesterday", "to"),
                             ("?from=2026-05-02&to=2026-05-01", "to"), ("?actor=bob", "actor"),
                             ("?actor=token:x", "actor"), ("?action=delete", "action"),
                             ("?limit=0", "limit"), ("?after=-1", "after")):
            err = self.assertError(d.http("GET", "/api/v1/audit" + query, token=controller),
                                   400, "bad_request")
            self.assertEqual(err["field"], field, query)
        # Paging: the pages are the whole list, in order.
        self.assertEqual([e["id"] for e in entries], sorted(e["id"] for e in entries))
        page = self.audit(d, controller, "?limit=2")
        self.assertEqual(len(page["entries"]), 2)
        self.assertEqual(page["page"]["next_after"], page["entries"][1]["id"])

        # Only a controller.
        self.assertError(d.http("GET", "/api/v1/audit", token=provider), 403, "forbidden")
        self.assertError(d.http("GET", "/api/v1/audit", token=ingest), 403, "forbidden")
        self.assertError(d.http("GET", "/api/v1/audit"), 401, "unauthorized")
        # Reading the trail is in the trail.
        self.assertTrue(self.audit(d, controller, "?action=audit.read")["entries"])

        # The command line shows the same.
        res = d.cli("audit", "--json", "--action", "token.revoke")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual([e["id"] for e in json.loads(res.stdout)["entries"]], [revoke["id"]])
        res = d.cli("audit", "--actor", f"token:{ids['provider portal']}")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn(f"provider:{AGB}", res.stdout)
        self.assertIn("127.0.0.1", res.stdout)
        res = d.cli("audit", "--json", "--limit", "2")
        self.assertEqual(len(json.loads(res.stdout)["entries"]), 2)
        res = d.cli("audit", "--from", "2026-02-30")
        self.assertEqual(res.returncode, 2)
        self.assertIn("--from", res.stderr)
        self.assertEqual(d.cli("audit", "--action", "x").returncode, 2)

    def test_forwarded_for_only_from_a_trusted_proxy(self):
        d = self.start(settings={"server": {"trusted_proxies": "127.0.0.1"}})
        plain = self.start()
        for daemon in (d, plain):
            controller = daemon.make_token("controller", label="c")
            provider = daemon.make_token("provider", agb=AGB, label="p")
            r = daemon.http("GET", f"/api/v1/providers/{AGB}/declarations", token=provider,
                            headers={"X-Forwarded-For": "203.0.113.5, 198.51.100.9"})
            self.assertEqual(r.status, 200, r.text)
            (e,) = self.audit(daemon, controller, "?action=declarations.read")["entries"]
            if daemon is d:
                # The proxy (127.0.0.1) appended the address it saw: that is the client.
                self.assertEqual(e["client_address"], "198.51.100.9")
                self.assertEqual(e["proxy_address"], "127.0.0.1")
            else:
                self.assertEqual(e["client_address"], "127.0.0.1")
                self.assertIsNone(e["proxy_address"])

    def test_not_served_unaudited(self):
        d = self.start()
        ingest = d.make_token("ingest")
        controller = d.make_token("controller")
        provider = d.make_token("provider", agb=AGB)
        body = {"provider_agb": AGB, "reference": "audit-2", "lines": [LINE_A, LINE_B, LINE_C]}
        r = d.http("POST", "/api/v1/declarations", body, token=ingest)
        self.assertEqual(r.status, 201, r.text)
        sid = r.json()["id"]

        def firing():
            r = d.http("GET", f"/api/v1/alerts?state=firing&year={YEAR}", token=controller)
            return [a for a in r.json()["alerts"]
                    if a["labels"].get("alertname") == "BudgetThresholdReached"]
        fp = wait_for("the threshold alert firing", firing)[0]["fingerprint"]

        counts = lambda: self.pg.sql(  # noqa: E731
            "SELECT (SELECT count(*) FROM submission), (SELECT count(*) FROM audit_log), "
            "(SELECT count(*) FROM alert_ack)", dbname=self.dbname)[0]
        self.pg.sql("REVOKE INSERT ON audit_log FROM lvhcmon_runtime", dbname=self.dbname)
        try:
            before = counts()
            for path in (f"/api/v1/providers/{AGB}/declarations", f"/api/v1/declarations/{sid}"):
                r = d.http("GET", path, token=provider)
                self.assertError(r, 500, "audit_failed")
                self.assertNotIn("line_ref", r.text)
            self.assertError(d.http("GET", "/api/v1/audit", token=controller), 500,
                             "audit_failed")
            body2 = dict(body, reference="audit-3", lines=[dict(LINE_A, line_ref="x")])
            r = d.http("POST", "/api/v1/declarations", body2, token=ingest)
            self.assertEqual(r.status, 500, r.text)
            r = d.http("POST", f"/api/v1/alerts/{fp}/ack", {"by": "x"}, token=controller)
            self.assertEqual(r.status, 500, r.text)
            self.assertEqual(counts(), before)
            self.assertIsNone(self.pg.sql(f"SELECT acknowledged_by FROM alert WHERE "
                                          f"fingerprint = '{fp}'", dbname=self.dbname)[0][0])
        finally:
            self.pg.sql("GRANT INSERT ON audit_log TO lvhcmon_runtime", dbname=self.dbname)
        # Recorded again, served again.
        r = d.http("GET", f"/api/v1/providers/{AGB}/declarations", token=provider)
        self.assertEqual(r.status, 200, r.text)
