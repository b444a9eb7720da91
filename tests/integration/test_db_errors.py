"""test_db_errors.py: what a client is told when something is missing or the database fails.

Three situations, each on a fresh database with the repository's reference data, one stored
submission and two alert rows (one firing, one resolved) of a year the alert engine does not
evaluate:

  - per-situation codes: an unknown declaration, provider, target group or alert answers
    404 with its own code (declaration_not_found, provider_not_found, group_not_found,
    alert_not_found), an unknown route 404 not_found, acknowledging a resolved alert 409
    alert_already_resolved;
  - a broken statement (a column renamed under the running daemon, so the prepared
    statement no longer matches the schema) answers 500 "internal", reads included, and
    the daemon logs it with the statement's name and SQLSTATE 42703; the client's answer
    says nothing about the SQL;
  - a stopped cluster answers 503 "unavailable" with Retry-After on the same endpoints.
"""

import os

import harness
import submissions

AGB = "41000001"
YEAR = 2026
ALERT_YEAR = 2039  # a year without a cap: the alert engine leaves these rows alone
FP_FIRING = "0123456789abcdef"
FP_RESOLVED = "fedcba9876543210"


class DbErrorsTest(harness.LvhcmonTestCase):
    def setUp(self):
        self.dbname = self.fresh_db()
        self.d = self.daemon(dbname=self.dbname, settings={"budget": {"default_year": YEAR}})
        submissions.prepare_database(self.d)
        self.controller = self.d.make_token("controller", label="controller-1")
        self.ingest = self.d.make_token("ingest")
        self.submission = submissions.SubmissionFactory(99).json_submission("E-1", 2,
                                                                            provider=AGB)
        r = self.d.http("POST", "/api/v1/declarations", self.submission, token=self.ingest)
        self.assertEqual(r.status, 201, r.text)
        self.submission_id = r.json()["id"]
        for fp, state, ends in ((FP_FIRING, "firing", "NULL"), (FP_RESOLVED, "resolved", "now()")):
            self.sql("INSERT INTO alert (fingerprint, alertname, year, labels, annotations,"
                     " state, active_since, starts_at, ends_at)"
                     f" VALUES ('{fp}', 'BudgetThresholdReached', {ALERT_YEAR},"
                     f" '{{\"alertname\": \"BudgetThresholdReached\", \"year\": \"{ALERT_YEAR}\"}}',"
                     " '{\"summary\": \"s\", \"description\": \"d\"}',"
                     f" '{state}', now(), now(), {ends})")

    def sql(self, query):
        return self.pg.sql(query, dbname=self.dbname)

    def get(self, path):
        return self.d.http("GET", path, token=self.controller)

    def post(self, path, body):
        return self.d.http("POST", path, body, token=self.controller)

    # -- 404 and 409, one code per situation ------------------------------------------------

    def test_codes_per_situation(self):
        cases = [
            ("GET", "/api/v1/declarations/999999999", 404, "declaration_not_found"),
            ("GET", "/api/v1/declarations/not-a-number", 404, "declaration_not_found"),
            ("GET", "/api/v1/providers/99999999", 404, "provider_not_found"),
            ("GET", "/api/v1/providers/99999999/declarations", 404, "provider_not_found"),
            ("GET", "/api/v1/groups/XYZ", 404, "group_not_found"),
            ("GET", "/api/v1/alerts/1111222233334444", 404, "alert_not_found"),
            ("GET", "/api/v1/alerts/not-hex", 404, "alert_not_found"),
            ("POST", "/api/v1/alerts/1111111111111111/ack", 404, "alert_not_found"),
            ("POST", f"/api/v1/alerts/{FP_RESOLVED}/ack", 409, "alert_already_resolved"),
            ("GET", "/api/v1/no/such/thing", 404, "not_found"),
        ]
        for method, path, status, code in cases:
            with self.subTest(path=path):
                r = self.post(path, {}) if method == "POST" else self.get(path)
                self.assertError(r, status, code)
        # What exists answers 200, so the codes above are about the resource, not the route.
        self.assertEqual(self.get(f"/api/v1/declarations/{self.submission_id}").status, 200)
        self.assertEqual(self.get(f"/api/v1/alerts/{FP_FIRING}").status, 200)
        self.assertEqual(self.post(f"/api/v1/alerts/{FP_FIRING}/ack", {}).status, 200)

    # -- 500: a statement that no longer matches the schema ---------------------------------

    def assert_internal(self, r, statement):
        err = self.assertError(r, 500, "internal")
        self.assertNotIn("column", err["message"])  # nothing about the SQL for the client
        self.assertIsNone(r.headers.get("retry-after"))
        entry = self.d.wait_log("database statement failed",
                                predicate=lambda e: e["fields"]["statement"] == statement)
        self.assertEqual(entry["level"], "error")
        self.assertEqual(entry["fields"]["sqlstate"], "42703")  # undefined_column

    def test_broken_statement_is_500(self):
        self.sql("ALTER TABLE submission RENAME COLUMN source TO origin")
        self.assert_internal(self.get(f"/api/v1/declarations/{self.submission_id}"),
                             "declarations_submission")
        self.sql("ALTER TABLE alert_ack RENAME COLUMN comment TO remark")
        self.assert_internal(self.get(f"/api/v1/alerts/{FP_FIRING}"), "alerts_acks")
        self.assert_internal(self.post(f"/api/v1/alerts/{FP_FIRING}/ack", {"by": "x"}),
                             "alerts_ack_insert")
        self.sql("ALTER TABLE alert RENAME COLUMN annotations TO notes")
        self.assert_internal(self.get("/api/v1/alerts"), "alerts_list")
        self.sql("ALTER TABLE budget RENAME COLUMN scope_key TO scope_name")
        self.assert_internal(self.get("/api/v1/status?year=2031"), "snapshot_caps")
        self.sql("ALTER TABLE provider_rate RENAME COLUMN rate_bp TO rate")
        other = dict(self.submission, reference="E-2")
        r = self.d.http("POST", "/api/v1/declarations", other, token=self.ingest)
        self.assert_internal(r, "refdata_rates")
        # The service itself is up: what does not touch the broken columns still works.
        self.assertEqual(self.get("/api/v1/providers/41000001/declarations").status, 200)
        self.assertEqual(self.d.http("GET", "/healthz").status, 200)

    # -- 503: the database is away ----------------------------------------------------------

    def assert_unavailable(self, r):
        self.assertError(r, 503, "unavailable")
        self.assertTrue(r.headers.get("retry-after"), r.headers)

    def test_stopped_cluster_is_503(self):
        # Authenticate once first: the token stays cached through the outage.
        self.assertEqual(self.get("/api/v1/alerts").status, 200)
        self.pg.stop("fast")
        self.addCleanup(self.pg.start)
        self.assert_unavailable(self.get(f"/api/v1/declarations/{self.submission_id}"))
        self.assert_unavailable(self.get(f"/api/v1/alerts/{FP_FIRING}"))
        self.assert_unavailable(self.get("/api/v1/alerts"))
        self.assert_unavailable(self.get(f"/api/v1/providers/{AGB}/declarations"))
        self.assert_unavailable(self.get("/api/v1/status?year=2031"))
        self.assert_unavailable(self.post(f"/api/v1/alerts/{FP_FIRING}/ack", {"by": "x"}))
        other = dict(self.submission, reference="E-3")
        self.assert_unavailable(self.d.http("POST", "/api/v1/declarations", other,
                                            token=self.ingest))
        self.assertEqual(self.d.http("GET", "/healthz").status, 200)
        self.assertEqual(self.d.http("GET", "/readyz").status, 503)


if __name__ == "__main__":
    import unittest
    unittest.main()
