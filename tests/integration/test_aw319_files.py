"""test_aw319_files: AW319 files as providers' software writes them, end to end.

Each file is built here byte by byte from the published layout (tests/data/aw319/
aw319_layout.py places every field at its documented position; no project code writes
them): 3 clients whose names carry e-acute, e-diaeresis and o-diaeresis, 1 debtor record
(name, address, bank account), 5 service lines and 2 comment records, for the previous
month. The variants: ISO-8859-1 with CRLF, with LF, with a closing Ctrl-Z (0x1A), with one
empty line at the end, and UTF-8.

Proved: every variant is stored over HTTP (POST /api/v1/declarations/aw319) and through
`lvhcmon import --format aw319` with every line accepted and priced (the declared amounts
are the prices, so no 0611; 0586 may appear once last month's deadline has passed); a
wrong count in each of the five trailer count fields is a 422 with that field's own code,
naming the field and both numbers, and stores nothing but the attempt (the command line
exits 1 saying the same); no name, address or bank account of the file, and no BSN,
reaches the database or the log.
"""

import datetime
import json
import os
import sys
import unittest

import harness
from reference_daemon import ReferenceDaemonTestCase

sys.path.insert(0, os.path.join(harness.SOURCE_DIR, "tests", "data", "aw319"))
import aw319_layout as aw  # noqa: E402  (the layout lives beside the committed files)

TODAY = datetime.datetime.now(datetime.timezone.utc).date()
LAST_MONTH_END = TODAY.replace(day=1) - datetime.timedelta(days=1)
LAST_MONTH = LAST_MONTH_END.replace(day=1)
BEGIN, END = LAST_MONTH.strftime("%Y%m%d"), LAST_MONTH_END.strftime("%Y%m%d")
AGB = "41000001"  # KOR since 2021, rate 95.50 % (reference/)

# What a correct trailer says of provider_file(), and the total of its five lines.
TOTAL_CENTS = 50138 + 6200 + 42975 + 10744 + 21488
PERSONAL = ("Hérman", "Jansën", "Bökkering", "Müller", "Ørsted", "Dorpsstraat", "Hoogeveen",
            "NL91ABNA0417164300", "DEB-0001", "1011AB")


def bsns(first8_start, count):
    """@count distinct BSNs passing the 11-test, from a starting number."""
    out, n = [], first8_start
    while len(out) < count:
        head = f"{n:08d}"
        digit = sum(int(d) * w for d, w in zip(head, range(9, 1, -1))) % 11
        if digit < 10:
            out.append(head + str(digit))
        n += 1
    return out


# (name, separator, encoding, Ctrl-Z, empty line): each variant its own clients, so the
# five files do not overlap each other's services (0587).
VARIANTS = [
    ("CRLF", "\r\n", "latin-1", False, False),
    ("LF", "\n", "latin-1", False, False),
    ("CTRLZ", "\r\n", "latin-1", True, False),
    ("EMPTYLINE", "\n", "latin-1", False, True),
    ("UTF8", "\r\n", "utf-8", False, False),
]
CLIENTS = {name: bsns(31415900 + 100 * i, 3) for i, (name, *_) in enumerate(VARIANTS + [
    ("IMPORT",), ("COUNTS",)])}


def build(variant, wrong=None):
    """(bytes of the file, its lines) for a variant (another name: ISO-8859-1 with CRLF);
    @wrong: trailer numbers to replace, as aw319_layout.trailer_for() takes them."""
    shapes = {v[0]: v[1:] for v in VARIANTS}
    sep, encoding, ctrl_z, empty = shapes.get(variant, ("\r\n", "latin-1", False, False))
    invoice = f"EPD-{variant}"[:12]
    recs, lines = aw.provider_file(BEGIN, END, invoice, clients=CLIENTS[variant])
    recs = recs + [aw.trailer_for(recs, **(wrong or {}))]
    return aw.encode(recs, sep=sep, ctrl_z=ctrl_z, empty_line=empty, encoding=encoding), lines


class Aw319Files(ReferenceDaemonTestCase):

    YEARS = {TODAY.year, LAST_MONTH.year}

    def post(self, data):
        return self.d.http("POST", "/api/v1/declarations/aw319", data, token=self.ingest,
                           headers={"Content-Type": "text/plain"})

    def counts(self):
        row = self.sql("SELECT (SELECT count(*) FROM submission),"
                       " (SELECT count(*) FROM declaration_line),"
                       " (SELECT count(*) FROM ingest_attempt)")[0]
        return tuple(int(v) for v in row)

    def assert_priced(self, doc, lines, what):
        """Every line accepted, at the price the file declares, with no code but 0586."""
        self.assertEqual((doc["accepted"], doc["rejected"]), (5, 0), (what, doc))
        self.assertEqual(doc["amount_cents"], TOTAL_CENTS, what)
        self.assertEqual(len(doc["lines"]), 5, what)
        for got, (bsn, prestatie, qty, unit, declared) in zip(doc["lines"], lines):
            self.assertEqual(got["status"], "accepted", (what, got))
            self.assertEqual(got["amount_cents"], declared, (what, got, prestatie, qty, unit))
            self.assertLessEqual(set(got["codes"]), {"0586"}, (what, got))

    def test_every_variant_over_http(self):
        for variant, *_ in VARIANTS:
            data, lines = build(variant)
            r = self.post(data)
            self.assertEqual(r.status, 201, (variant, r.text))
            doc = r.json()
            self.assertEqual((doc["provider_agb"], doc["reference"]),
                             (AGB, f"EPD-{variant}"[:12]), variant)
            self.assert_priced(doc, lines, variant)
            stored = self.d.http("GET", f"/api/v1/declarations/{doc['id']}",
                                 token=self.controller).json()
            self.assertEqual(stored["source"], "aw319")
            self.assertEqual([l["minutes"] for l in stored["lines"]], [210, 0, 180, 45, 90])
            # The same bytes again: the first answer, replayed.
            again = self.post(data)
            self.assertEqual(again.status, 200, again.text)
            self.assertTrue(again.json()["replayed"])

    def test_import_with_the_command_line(self):
        data, lines = build("IMPORT")
        path = os.path.join(self.d.dir, "epd.aw319")
        with open(path, "wb") as f:
            f.write(data)
        res = self.d.cli("import", "--format", "aw319", "--json", path)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        answer = json.loads(res.stdout)  # one file, one submission: the answer of the API
        self.assertEqual((answer["reference"], answer["replayed"]), ("EPD-IMPORT", False))
        self.assert_priced(answer, lines, "import")
        res = self.d.cli("import", "--format", "aw319", path)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("1 replayed", res.stdout)

    def test_wrong_count_in_each_trailer_field(self):
        recs, _ = aw.provider_file(BEGIN, END, "EPD-COUNTS", clients=CLIENTS["COUNTS"])
        right = aw.counts(recs)
        cases = [("n02", "0151", "client_count", 3, "client records (02)"),
                 ("n03", "0157", "debtor_count", 9, "debtor records (03)"),
                 ("n04", "0158", "service_count", 15, "service records (04)"),
                 ("n98", "0153", "comment_count", 21, "comment records (98)"),
                 ("detail", "0156", "detail_count", 27,
                  "detail records (02, 03, 04 and 98)")]
        for key, code, field, position, what in cases:
            stated = right[key] + 2
            data, _ = build("COUNTS", wrong={key: stated})
            before = self.counts()
            r = self.post(data)
            self.assertEqual(r.status, 422, (field, r.text))
            err = r.json()["error"]
            self.assertEqual((err["code"], err["field"], err["line"]), (code, field, 13), err)
            self.assertEqual(err["message"],
                             f"record 13: the file holds {right[key]} {what}, but the "
                             f"trailer's {field} (position {position}) states {stated}")
            self.assertEqual(self.counts(), (before[0], before[1], before[2] + 1), field)
            self.assertEqual(self.sql("SELECT channel, result, error_code, error_field FROM "
                                      "ingest_attempt ORDER BY id DESC LIMIT 1"),
                             [("http-aw319", "rejected", code, field)])
            # The command line says the same and exits 1.
            path = os.path.join(self.d.dir, f"count-{field}.aw319")
            with open(path, "wb") as f:
                f.write(data)
            res = self.d.cli("import", "--format", "aw319", path)
            self.assertEqual(res.returncode, 1, res.stdout + res.stderr)
            self.assertIn(code, res.stderr)
            self.assertIn(f"states {stated}", res.stderr)

    def test_zz_no_personal_data_stored_or_logged(self):
        """Runs last: nothing of the names, the debtor record or the BSNs of any file above
        is in a dump of the database or in the daemon's log."""
        data, _ = build("CRLF")
        self.post(data)  # a replay at least, so this test means something on its own
        dump = self.dump_database()
        log = self.d.log_text()
        every_bsn = [b for clients in CLIENTS.values() for b in clients]
        for text in PERSONAL + tuple(every_bsn):
            self.assertNotIn(text, dump, text)
            self.assertNotIn(text, log, text)
            self.assertNotIn(text.encode("latin-1", "replace").decode("latin-1"), dump)


if __name__ == "__main__":
    unittest.main()
