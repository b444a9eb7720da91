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

    def test_status_view_follows_writes(self):
        """A provider's status is kept for the next poll, and never past a change."""
        path = f"/api/v1/status?year={YEAR}"
        first = self.d.http("GET", path, token=self.prov_a)
        again = self.d.http("GET", path, token=self.prov_a)
        self.assertEqual((again.body, again.headers["etag"]), (first.body, first.headers["etag"]))
        r = self.post_csv(csv_file(row(A, "SV-1", "SV-1-a", bsn(50), 60, day=9)))
        self.assertEqual(r.status, 201, r.text)
        after = self.d.http("GET", path, token=self.prov_a,
                            headers={"If-None-Match": first.headers["etag"]})
        self.assertEqual(after.status, 200)
        self.assertEqual(after.json()["spent_cents"], first.json()["spent_cents"] + 14325)
        self.assertNotEqual(after.headers["etag"], first.headers["etag"])
        ctl = self.d.http("GET", path, token=self.controller).json()
        self.assertEqual(after.json()["spent_cents"], ctl["spent_cents"])

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


def excel_rows(body):
    """Reads a downloaded file as Excel does with a Dutch or English setting: the BOM says
    UTF-8, ';' separates, RFC 4180 quotes."""
    assert body.startswith(b"\xef\xbb\xbf"), body[:10]
    text = body[3:].decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "CRLF only"
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


class ProviderDownloadTest(ReferenceDaemonTestCase):
    """GET /api/v1/providers/{agb}/declarations.csv against a file built by hand."""
    SETTINGS = {"budget": {"default_year": YEAR}}
    YEARS = {YEAR, YEAR - 1}
    P = "73122592"  # DZEP, CADZP EUR 143.80 an hour at 95.00 %: 60 min = 13661 cents

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prov = cls.d.make_token("provider", agb=cls.P)
        cls.other = cls.d.make_token("provider", agb=A)

    def submit(self, reference, lines):
        r = self.d.http("POST", "/api/v1/declarations",
                        {"provider_agb": self.P, "reference": reference, "lines": lines},
                        token=self.prov)
        self.assertEqual(r.status, 201, r.text)
        return r.json()

    @staticmethod
    def jline(ref, client, minutes, day, dc="D", corrects=None):
        return {"line_ref": ref, "client_bsn": client, "prestatie": "CADZP", "date_from": day,
                "date_to": day, "minutes": minutes, "travel_cents": 0, "debit_credit": dc,
                "corrects_ref": corrects}

    def received(self, submission_id):
        """The submission's received_at as the file writes it: Amsterdam, to the minute."""
        import datetime
        import zoneinfo
        iso = self.d.http("GET", f"/api/v1/declarations/{submission_id}",
                          token=self.controller).json()["received_at"]
        t = datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc)
        return t.astimezone(zoneinfo.ZoneInfo("Europe/Amsterdam")).strftime("%Y-%m-%d %H:%M")

    def test_download(self):
        s1 = self.submit("=1+2", [
            self.jline("+L1", bsn(40), 60, f"{YEAR}-10-01"),
            self.jline("@L2", "123456789", 120, f"{YEAR}-10-02"),  # bad BSN: rejected
            self.jline("L;3", bsn(41), 120, f"{YEAR}-11-03")])
        s2 = self.submit("CR-1", [
            self.jline("-L4", bsn(40), 60, f"{YEAR}-10-01", "C", "+L1"),
            self.jline("OLD", bsn(42), 60, f"{YEAR - 1}-12-01")])  # another year: not listed
        l1, l2, l3 = s1["lines"]
        l4 = s2["lines"][0]
        self.assertEqual([l["status"] for l in (l1, l3, l4)], ["accepted"] * 3, s1)
        self.assertEqual(l2["status"], "rejected")
        self.assertEqual((l1["amount_cents"], l3["amount_cents"], l4["amount_cents"]),
                         (13661, 27322, -13661))
        # The readable reasons (rejections and warnings alike) as the API gives them, in the
        # file's quoting.
        reasons = {}
        for sid in (s1["id"], s2["id"]):
            for x in self.d.http("GET", f"/api/v1/declarations/{sid}",
                                 token=self.prov).json()["lines"]:
                text = x.get("reason", "")
                reasons[x["line_ref"]] = ('"' + text.replace('"', '""') + '"'
                                          if any(c in text for c in ';"\r\n') else text)
        self.assertTrue(reasons["+L1"].startswith("\"0586: "), reasons)  # holds a ";"
        r1, r2 = self.received(s1["id"]), self.received(s2["id"])
        # Late: October's deadline has passed (0586), November's has not.
        expected = (
            "\ufeffOntvangen;Factuurnummer;Regel;Prestatie;Doelgroep;Van;Tot en met;Minuten;"
            "Reiskosten;Bedrag;Debet/credit;Status;Codes;Reden;Te laat\r\n"
            f"{r1};'=1+2;'+L1;CADZP;DZEP;{YEAR}-10-01;{YEAR}-10-01;60;0,00;136,61;D;gecrediteerd;"
            f"0586;{reasons['+L1']};ja\r\n"
            # A rejected line is stored unpriced: no target group, no minutes counted.
            f"{r1};'=1+2;'@L2;CADZP;;{YEAR}-10-02;{YEAR}-10-02;0;0,00;0,00;D;afgewezen;"
            f"{' '.join(l2['codes'])};{reasons['@L2']};nee\r\n"
            f"{r1};'=1+2;\"L;3\";CADZP;DZEP;{YEAR}-11-03;{YEAR}-11-03;120;0,00;273,22;D;"
            "geaccepteerd;;;nee\r\n"
            # A credit's minutes and amount are negative: numbers, never guarded.
            f"{r2};CR-1;'-L4;CADZP;DZEP;{YEAR}-10-01;{YEAR}-10-01;-60;0,00;-136,61;C;geaccepteerd;"
            f"0586;{reasons['-L4']};ja\r\n")
        path = f"/api/v1/providers/{self.P}/declarations.csv?year={YEAR}"
        r = self.d.http("GET", path, token=self.prov)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.headers["content-type"], "text/csv; charset=utf-8")
        self.assertEqual(r.headers["content-disposition"],
                         f'attachment; filename="lvhcmon-{self.P}-{YEAR}.csv"')
        self.assertEqual(r.body.decode("utf-8"), expected)
        self.assertEqual(self.d.http("GET", path + "&lang=nl", token=self.prov).body, r.body)
        self.assertEqual(self.d.http("GET", path, token=self.controller).body, r.body)

        # As Excel reads it: the columns, the guard, and amounts with a decimal comma.
        rows = excel_rows(r.body)
        self.assertEqual(len(rows[0]), 15)
        self.assertTrue(all(len(x) == 15 for x in rows))
        for x in rows[1:]:
            for cell in x:
                self.assertFalse(cell[:1] in ("=", "+", "@"), cell)
        self.assertEqual([x[2] for x in rows[1:]], ["'+L1", "'@L2", "L;3", "'-L4"])
        total = sum(int(x[9].replace(",", "")) for x in rows[1:])
        self.assertEqual(total, 13661 + 27322 - 13661)
        for bsn_text in (bsn(40), bsn(41), "123456789"):
            self.assertNotIn(bsn_text.encode(), r.body)

        en = self.d.http("GET", path + "&lang=en", token=self.prov)
        self.assertEqual(en.status, 200, en.text)
        rows = excel_rows(en.body)
        self.assertEqual(rows[0], ["received", "reference", "line_ref", "prestatie",
                                   "target_group", "date_from", "date_to", "minutes", "travel",
                                   "amount", "debit_credit", "status", "codes", "reason",
                                   "late"])
        self.assertEqual([(x[9], x[14]) for x in rows[1:]],
                         [("136.61", "yes"), ("0.00", "no"), ("273.22", "no"),
                          ("-136.61", "yes")])
        self.assertEqual([x[11] for x in rows[1:]],
                         ["credited", "rejected", "accepted", "accepted"])

        # Another year has its own line; a year without lines is the header alone.
        old = excel_rows(self.d.http("GET", f"{path[:-4]}{YEAR - 1}", token=self.prov).body)
        self.assertEqual([x[2] for x in old[1:]], ["OLD"])
        empty = self.d.http("GET", path[:-4] + "2001", token=self.prov)
        self.assertEqual(len(excel_rows(empty.body)), 1)

        # Refusals.
        self.assertError(self.d.http("GET", path, token=self.other), 404, "provider_not_found")
        self.assertError(self.d.http("GET", "/api/v1/providers/99999999/declarations.csv",
                                     token=self.controller), 404, "provider_not_found")
        for query, field in (("?year=1999", "year"), ("?year=x", "year"),
                             (f"?year={YEAR}&lang=fr", "lang")):
            err = self.assertError(self.d.http(
                "GET", f"/api/v1/providers/{self.P}/declarations.csv{query}", token=self.prov), 400)
            self.assertEqual(err["field"], field)
        self.assertError(self.d.http("GET", path, token=self.ingest), 403)
        # Audited, before the body: one row per download.
        rows = self.sql("SELECT count(*) FROM audit_log WHERE action = 'declarations.read'"
                        f" AND object = 'provider:{self.P}' AND detail->>'export' = 'csv'")
        self.assertEqual(int(rows[0][0]), 6)  # the six 200s above

    def test_download_of_many_pages(self):
        """More lines than one page of the stream: every line once, in order."""
        rows, n = [], 0
        for ref in ("BIG-1", "BIG-2", "BIG-3"):
            for k in range(800):
                n += 1
                rows.append(f"{A},{ref},{ref}-{k},{bsn(1000 + n)},CAKOR,{YEAR}-09-{1 + k % 28:02d},"
                            f"{YEAR}-09-{1 + k % 28:02d},{1 + k % 50},0,D,")
        r = self.d.http("POST", "/api/v1/declarations/csv", csv_file(*rows), token=self.other,
                        headers=CSV)
        self.assertEqual(r.status, 201, r.text[:500])
        self.assertEqual(r.json()["stored"], 3)
        got = self.d.http("GET", f"/api/v1/providers/{A}/declarations.csv?year={YEAR}",
                          token=self.other, timeout=60)
        self.assertEqual(got.status, 200, got.text)
        lines = excel_rows(got.body)[1:]
        want = int(self.sql(f"SELECT count(*) FROM declaration_line WHERE provider_agb = '{A}'"
                            f" AND date_from >= '{YEAR}-01-01' AND date_from < '{YEAR + 1}-01-01'")
                   [0][0])
        self.assertEqual(len(lines), want)
        self.assertGreaterEqual(want, 2400)
        refs = [x[2] for x in lines]
        self.assertEqual(len(set(refs)), len(refs))
        self.assertEqual(refs[:2] + refs[-1:], ["BIG-1-0", "BIG-1-1", "BIG-3-799"])
        total = sum(int(x[9].replace(",", "")) for x in lines)
        self.assertEqual(total, int(self.sql(
            f"SELECT sum(amount_cents) FROM declaration_line WHERE provider_agb = '{A}'")[0][0]))
