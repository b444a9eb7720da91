"""test_provider_files: a provider's own files over HTTP (doc/api.md §5): CSV upload
(POST /api/v1/declarations/csv), its submission list (GET /api/v1/providers/{agb}/submissions),
the filters of one submission's lines (GET /api/v1/declarations/{id}?status&month) and the
download of its lines for Excel (GET /api/v1/providers/{agb}/declarations.csv).

Provider A = 41000001 declares CAKOR (EUR 150.00 an hour, rate 95.50 %): 238.75 cents a
minute, rounded once per line: 60 min = 14325, 90 min = 21488, 30 min = 7163 cents.
Provider B = 73412303 is the other provider. Every test uses references and line references
of its own, so the tests do not depend on each other's order.
"""

import csv
import io

import harness
from reference_daemon import ReferenceDaemonTestCase

YEAR = 2026
A, B = "41000001", "73412303"
HEADER = ("provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,"
          "minutes,travel_cents,debit_credit,corrects_ref")
CSV = {"Content-Type": "text/csv; charset=utf-8"}


def bsn(n):
    """A valid BSN from a small number (the 11-test)."""
    k = 20000000 + n * 13
    while True:
        head = f"{k:08d}"
        last = sum(int(d) * w for d, w in zip(head, range(9, 1, -1))) % 11
        if last < 10:
            return head + str(last)
        k += 1


def row(agb, ref, line_ref, client, minutes, month=10, day=1, dc="D", corrects=""):
    day_s = f"{YEAR}-{month:02d}-{day:02d}"
    return f"{agb},{ref},{line_ref},{client},CAKOR,{day_s},{day_s},{minutes},0,{dc},{corrects}"


def csv_file(*rows):
    return ("\r\n".join((HEADER,) + rows) + "\r\n").encode()


class ProviderFilesTest(ReferenceDaemonTestCase):
    SETTINGS = {"budget": {"default_year": YEAR}}
    YEARS = {YEAR}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prov_a = cls.d.make_token("provider", agb=A)
        cls.prov_b = cls.d.make_token("provider", agb=B)

    def post_csv(self, body, token=None, headers=CSV):
        return self.d.http("POST", "/api/v1/declarations/csv", body,
                           token=token or self.prov_a, headers=headers)

    def counts(self):
        r = self.sql("SELECT (SELECT count(*) FROM submission),"
                     " (SELECT count(*) FROM declaration_line),"
                     " (SELECT count(*) FROM ingest_attempt)")[0]
        return tuple(int(v) for v in r)

    # -- upload -------------------------------------------------------------------------

    def test_upload_several_references_replay_and_conflict(self):
        body = csv_file(row(A, "UP-1", "UP-1-a", bsn(1), 60),
                        row(A, "UP-2", "UP-2-a", bsn(2), 90, day=2),
                        row(A, "UP-1", "UP-1-b", "123456789", 30, day=3))  # bad BSN
        r = self.post_csv(body)
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.headers.get("lvhcmon-read-your-writes"), "included")
        doc = r.json()
        self.assertEqual((doc["stored"], doc["replayed"], doc["refused"]), (2, 0, 0))
        subs = doc["submissions"]
        self.assertEqual([s["reference"] for s in subs], ["UP-1", "UP-2"])  # file order
        self.assertEqual([s["http_status"] for s in subs], [201, 201])
        up1, up2 = subs
        self.assertEqual((up1["accepted"], up1["rejected"], up1["amount_cents"]), (1, 1, 14325))
        self.assertEqual([l["status"] for l in up1["lines"]], ["accepted", "rejected"])
        self.assertIn("0435", up1["lines"][1]["codes"])
        self.assertEqual(up2["amount_cents"], 21488)
        self.assertFalse(up1["replayed"])
        channels = self.sql("SELECT channel, result FROM ingest_attempt"
                            " WHERE reference IN ('UP-1', 'UP-2') ORDER BY id")
        self.assertEqual(channels, [("http-csv", "stored"), ("http-csv", "stored")])

        # The same file again: every submission a replay of its first answer.
        before = self.counts()[:2]
        again = self.post_csv(body)
        self.assertEqual(again.status, 200, again.text)
        doc = again.json()
        self.assertEqual((doc["stored"], doc["replayed"], doc["refused"]), (0, 2, 0))
        self.assertEqual([s["http_status"] for s in doc["submissions"]], [200, 200])
        self.assertTrue(all(s["replayed"] for s in doc["submissions"]))
        self.assertEqual(doc["submissions"][0]["lines"], up1["lines"])
        self.assertEqual(self.counts()[:2], before)

        # UP-1 unchanged (replay), UP-2 changed (409), UP-3 new (stored): 409 for the file,
        # UP-3 stays stored, and sending the file again replays it.
        mixed = csv_file(row(A, "UP-1", "UP-1-a", bsn(1), 60),
                         row(A, "UP-2", "UP-2-a", bsn(2), 91, day=2),
                         row(A, "UP-1", "UP-1-b", "123456789", 30, day=3),
                         row(A, "UP-3", "UP-3-a", bsn(3), 30, day=4))
        r = self.post_csv(mixed)
        self.assertEqual(r.status, 409, r.text)
        doc = r.json()
        self.assertEqual((doc["stored"], doc["replayed"], doc["refused"]), (1, 1, 1))
        self.assertEqual([(s["reference"], s["http_status"]) for s in doc["submissions"]],
                         [("UP-1", 200), ("UP-2", 409), ("UP-3", 201)])
        conflict = doc["submissions"][1]
        self.assertEqual(conflict["error"]["code"], "conflict")
        self.assertIn("minutes", conflict["error"]["field"])
        self.assertEqual(conflict["provider_agb"], A)
        r = self.post_csv(mixed)
        self.assertEqual(r.status, 409, r.text)
        self.assertEqual([s["http_status"] for s in r.json()["submissions"]], [200, 409, 200])

    def test_file_rejected_whole(self):
        cases = [
            (b"provider_agb,reference\r\n" + f"{A},W-1\r\n".encode(), 1),      # header
            (csv_file(row(A, "W-2", "W-2-a", bsn(4), 60)).replace(b"W-2-a", b"W-\xff"), 2),
            (csv_file(row(A, "W-3", "W-3-a", bsn(5), 60), 'x,"unclosed'), 3),  # not CSV
        ]
        for body, line in cases:
            with self.subTest(line=line):
                before = self.counts()
                r = self.post_csv(body)
                self.assertEqual(r.status, 422, r.text)
                err = r.json()["error"]
                self.assertEqual(err["line"], line, err)
                self.assertIn("field", err)
                after = self.counts()
                self.assertEqual(after[:2], before[:2])  # nothing stored...
                self.assertEqual(after[2], before[2] + 1)  # ...but the attempt
                self.assertEqual(self.sql("SELECT channel, result, provider_agb FROM"
                                          " ingest_attempt ORDER BY id DESC LIMIT 1"),
                                 [("http-csv", "rejected", A)])

    def test_other_agb_is_refused_whole(self):
        before = self.counts()
        body = csv_file(row(A, "OT-1", "OT-1-a", bsn(6), 60),
                        row(B, "OT-2", "OT-2-a", bsn(7), 60))
        err = self.assertError(self.post_csv(body), 403, "forbidden")
        self.assertEqual(err["field"], "provider_agb")
        self.assertEqual(self.counts()[:2], before[:2])
        self.assertEqual(self.sql("SELECT count(*) FROM submission WHERE reference LIKE 'OT-%'"),
                         [("0",)])
        # An ingest token may send for several providers in one file.
        r = self.post_csv(body, token=self.ingest)
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["stored"], 2)

    def test_media_type_and_empty_body(self):
        self.assertError(self.post_csv(csv_file(), headers={"Content-Type": "text/plain"}),
                         415)
        self.assertError(self.post_csv(b""), 400)
        self.assertError(self.post_csv(csv_file()), 422)  # a header and no lines
        self.assertError(self.post_csv(csv_file(), token=self.controller), 403)

    # -- the submission list ------------------------------------------------------------

    def test_submission_list(self):
        # A new provider of its own: its list holds exactly what this test sends.
        agb = "41152568"  # GPP, with its own token below
        tok = self.d.make_token("provider", agb=agb)
        gpp = lambda ref, lref, n, minutes, m=10: (
            f"{agb},{ref},{lref},{bsn(n)},CAGPP,{YEAR}-{m:02d}-05,{YEAR}-{m:02d}-05,"
            f"{minutes},0,D,")
        r = self.post_csv(csv_file(gpp("L-1", "L-1-a", 20, 60, 9), gpp("L-1", "L-1-b", 21, 60)),
                          token=tok)
        self.assertEqual(r.status, 201, r.text)
        first = r.json()["submissions"][0]
        bad = self.post_csv(b"nonsense\r\n1,2\r\n", token=tok)
        self.assertEqual(bad.status, 422, bad.text)
        r = self.post_csv(csv_file(gpp("L-2", "L-2-a", 22, 30)), token=tok)
        self.assertEqual(r.status, 201, r.text)
        second = r.json()["submissions"][0]

        path = f"/api/v1/providers/{agb}/submissions?year={YEAR}"
        r = self.d.http("GET", path, token=tok)
        self.assertEqual(r.status, 200, r.text)
        doc = r.json()
        self.assertEqual((doc["provider_agb"], doc["year"], doc["next"]), (agb, YEAR, None))
        subs = doc["submissions"]
        self.assertEqual([s["id"] for s in subs], [second["id"], None, first["id"]])
        s2, rej, s1 = subs
        self.assertEqual((s1["reference"], s1["source"], s1["lines"], s1["accepted"],
                          s1["rejected"], s1["credited"], s1["amount_cents"], s1["months"],
                          s1["rejected_whole"]),
                         ("L-1", "csv", 2, first["accepted"], first["rejected"], 0,
                          first["amount_cents"], [f"{YEAR}-09", f"{YEAR}-10"], False))
        self.assertTrue(rej["rejected_whole"])
        self.assertEqual(rej["source"], "csv")
        self.assertIsNone(rej["reference"])
        self.assertIsInstance(rej["attempt_id"], int)
        self.assertEqual(rej["error"]["code"], bad.json()["error"]["code"])
        self.assertEqual(rej["error"]["message"], bad.json()["error"]["message"])
        # Paging: one at a time, following "next", gives the same list.
        got, after = [], None
        for _ in range(5):
            r = self.d.http("GET", path + "&limit=1" + (f"&after={after}" if after else ""),
                            token=tok)
            self.assertEqual(r.status, 200, r.text)
            page = r.json()
            got += page["submissions"]
            after = page["next"]
            if after is None:
                break
        self.assertEqual(got, subs)
        # Another year, another provider's token, bad arguments.
        r = self.d.http("GET", f"/api/v1/providers/{agb}/submissions?year={YEAR - 1}",
                        token=tok)
        self.assertEqual(r.json()["submissions"], [])
        self.assertError(self.d.http("GET", path, token=self.prov_a), 404, "provider_not_found")
        self.assertEqual(self.d.http("GET", path, token=self.controller).json(), doc)
        for bad_q, field in (("&limit=0", "limit"), ("&limit=501", "limit"),
                             ("&after=abc", "after"), ("&after=1.2", "after")):
            with self.subTest(query=bad_q):
                err = self.assertError(self.d.http("GET", path + bad_q, token=tok), 400)
                self.assertEqual(err["field"], field)
        err = self.assertError(self.d.http("GET", f"/api/v1/providers/{agb}/submissions?year=1999",
                                           token=tok), 400)
        self.assertEqual(err["field"], "year")
        self.assertError(self.d.http("GET", "/api/v1/providers/99999999/submissions",
                                     token=self.controller), 404, "provider_not_found")
        # Audited as a read of line-level data.
        rows = self.sql("SELECT action, object, provider_agb FROM audit_log"
                        f" WHERE object = 'provider:{agb}' AND action = 'declarations.read'")
        self.assertGreaterEqual(len(rows), 3)

    # -- one submission's lines, filtered ------------------------------------------------

    def test_declaration_filters(self):
        body = csv_file(row(A, "F-1", "F-1-a", bsn(30), 60, month=9),
                        row(A, "F-1", "F-1-b", bsn(31), 60, month=10),
                        row(A, "F-1", "F-1-c", "123456789", 60, month=10))
        r = self.post_csv(body)
        self.assertEqual(r.status, 201, r.text)
        sid = r.json()["submissions"][0]["id"]

        def refs(query):
            r = self.d.http("GET", f"/api/v1/declarations/{sid}{query}", token=self.prov_a)
            self.assertEqual(r.status, 200, r.text)
            return [l["line_ref"] for l in r.json()["lines"]]

        self.assertEqual(refs(""), ["F-1-a", "F-1-b", "F-1-c"])
        self.assertEqual(refs("?status=accepted"), ["F-1-a", "F-1-b"])
        self.assertEqual(refs("?status=rejected"), ["F-1-c"])
        self.assertEqual(refs("?status=credited"), [])
        self.assertEqual(refs(f"?month={YEAR}-10"), ["F-1-b", "F-1-c"])
        self.assertEqual(refs(f"?month={YEAR}-10&status=accepted"), ["F-1-b"])
        self.assertEqual(refs(f"?month={YEAR}-08"), [])
        self.assertEqual(refs("?status=accepted&limit=1&after=1"), ["F-1-b"])
        lines = self.d.http("GET", f"/api/v1/declarations/{sid}?status=rejected",
                            token=self.prov_a).json()["lines"]
        self.assertIn("reason", lines[0])
        self.assertNotIn("123456789", lines[0]["reason"])
        for query, field in (("?status=open", "status"), ("?status=", "status"),
                             ("?month=2026-13", "month"), ("?month=2026-1", "month"),
                             ("?month=26-10", "month"), ("?month=2026-10-01", "month"),
                             ("?month=x", "month")):
            with self.subTest(query=query):
                err = self.assertError(self.d.http("GET", f"/api/v1/declarations/{sid}{query}",
                                                   token=self.prov_a), 400)
                self.assertEqual(err["field"], field)
