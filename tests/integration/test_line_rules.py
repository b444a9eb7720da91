"""test_line_rules: the line rules of doc/domain.md ("Line rules"), each proved end to end.

One daemon on a throwaway PostgreSQL with the repository's reference data plus, for these
tests, provider 41999990 whose KOR designation is split in two on 2026-09-15 (one ends, the
next begins the day after), a prestatie code on the 2025 list only (CAOUD), and
[declarations] max_travel_cents_per_line = 50000 (so the setting, not its default, is what
rejects). Lines are in 2026 (fixed dates: late by now, which only adds 0586); JSON goes over
HTTP, CSV and AW319 through `lvhcmon import`, with --received-on where the arrival date
matters.

Proved, each with the code, the field and a reason that names the value and the rule:
  - the whole period lies within ONE designation (8022) and ends by the arrival date (8007);
  - 0587 is any overlap of periods of the same client and prestatie, stored or in the same
    submission, and not with a credited debit or another prestatie;
  - inside one submission the order does not matter: a new debit before the credit of the
    stored line it replaces, and a credit before the debit it reverses;
  - a zero or negative quantity, or a negative travel amount, rejects that line (0638) and
    keeps the others, in JSON, CSV and AW319 alike;
  - travel above the configured maximum is 0584;
  - an unknown prestatie is 0582 (also one too long to be a code), one on another year's
    list only 0581;
  - no reason holds a BSN, not even one that fails the 11-test.
"""

import json
import os
import sys
import unittest

import harness
from reference_daemon import ReferenceDaemonTestCase

sys.path.insert(0, os.path.join(harness.SOURCE_DIR, "tests", "data", "aw319"))
import aw319_layout as aw  # noqa: E402

SPLIT = "41999990"   # KOR: 2026-01-01..2026-09-15 (REC), then from 2026-09-16 (DEC)
KOR = "41000001"     # KOR since 2021, rate 95.50 %
MAX_TRAVEL = 50000
CSV_HEADER = ("provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,"
              "minutes,travel_cents,debit_credit,corrects_ref")


class Bsns:
    """Distinct BSNs that pass the 11-test."""

    def __init__(self, start):
        self.n = start
        self.used = []

    def next(self):
        while True:
            self.n += 1
            head = f"{self.n:08d}"
            digit = sum(int(d) * w for d, w in zip(head, range(9, 1, -1))) % 11
            if digit < 10:
                self.used.append(head + str(digit))
                return self.used[-1]


BSN = Bsns(52836100)
BAD_BSN = "123456789"  # fails the 11-test


def line(ref, bsn, date_from, date_to, prestatie="CAKOR", minutes=60, travel=0, dc="D",
         corrects=None):
    return {"line_ref": ref, "client_bsn": bsn, "prestatie": prestatie,
            "date_from": date_from, "date_to": date_to, "minutes": minutes,
            "travel_cents": travel, "debit_credit": dc, "corrects_ref": corrects}


def time_amount(minutes, tariff=15000, rate=9550):
    num = minutes * tariff * rate
    return (num + 300000) // 600000


class LineRules(ReferenceDaemonTestCase):

    SETTINGS = {"declarations": {"max_travel_cents_per_line": MAX_TRAVEL}}
    YEARS = {2026}

    @classmethod
    def extend_reference(cls, refdir):
        with open(os.path.join(refdir, "providers.csv"), "a") as f:
            f.write(f"{SPLIT},Testcentrum Gesplitst (fictief),5501\n")
        with open(os.path.join(refdir, "designations.csv"), "a") as f:
            f.write(f"{SPLIT},KOR,REC,2026-01-01,2026-09-15\n"
                    f"{SPLIT},KOR,DEC,2026-09-16,\n")
        with open(os.path.join(refdir, "rates.csv"), "a") as f:
            f.write(f"{SPLIT},2026,9550\n")
        with open(os.path.join(refdir, "prestaties.csv"), "a") as f:
            f.write("2025,CAOUD,KOR,time,14500,hour,true\n")

    def submit(self, agb, reference, lines):
        r = self.d.http("POST", "/api/v1/declarations",
                        {"provider_agb": agb, "reference": reference, "lines": lines},
                        token=self.ingest)
        self.assertEqual(r.status, 201, r.text)
        return {l["line_ref"]: l for l in r.json()["lines"]}

    def import_file(self, name, data, *args):
        path = os.path.join(self.d.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        res = self.d.cli("import", "--json", *args, path)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        doc = json.loads(res.stdout)
        docs = doc if isinstance(doc, list) else [doc]
        return {l["line_ref"]: l for d in docs for l in d["lines"]}

    def assert_rejected(self, got, code, field, *reason_parts):
        """The line is rejected with @code on @field, its reason led by the code and holding
        every one of @reason_parts, and never a BSN of these tests."""
        self.assertEqual((got["status"], got["codes"], got.get("field")),
                         ("rejected", [code], field), got)
        self.assertTrue(got["reason"].startswith(code + ": "), got)
        for part in reason_parts:
            self.assertIn(part, got["reason"])
        for bsn in BSN.used + [BAD_BSN]:
            self.assertNotIn(bsn, got["reason"])

    def assert_accepted(self, got, amount=None):
        self.assertEqual(got["status"], "accepted", got)
        self.assertLessEqual(set(got["codes"]), {"0586"}, got)
        if amount is not None:
            self.assertEqual(got["amount_cents"], amount, got)

    # -- the period ------------------------------------------------------------------------

    def test_whole_period_within_one_designation(self):
        a, b = BSN.next(), BSN.next()
        got = self.submit(SPLIT, "DS-1", [
            line("DS-1", a, "2026-09-01", "2026-09-15"),   # the first designation
            line("DS-2", a, "2026-09-16", "2026-09-30"),   # the second: no overlap with DS-1
            line("DS-3", b, "2026-09-10", "2026-09-20"),   # across both: in neither alone
        ])
        self.assert_accepted(got["DS-1"], time_amount(60))
        self.assert_accepted(got["DS-2"], time_amount(60))
        self.assert_rejected(got["DS-3"], "8022", "date_to",
                             f"the designation of provider {SPLIT} for KOR ends on 2026-09-15, "
                             "within the period 2026-09-10..2026-09-20")
        # No designation at all on the first day: GPP for a KOR-only provider.
        got = self.submit(KOR, "DS-2", [line("DS-4", b, "2026-09-01", "2026-09-30",
                                             prestatie="CAGPP")])
        self.assert_rejected(got["DS-4"], "8022", "provider_agb",
                             f"provider {KOR} has no REC/DEC designation for GP+ on 2026-09-01")

    def test_period_ends_by_the_arrival_date(self):
        a = BSN.next()
        rows = [f"{KOR},AR-1,AR-1,{a},CAKOR,2026-10-01,2026-10-20,60,0,D,",
                f"{KOR},AR-1,AR-2,{a},CAKOR,2026-10-21,2026-10-31,60,0,D,",
                f"{KOR},AR-1,AR-3,{a},RTKOR,2026-10-01,2026-10-31,1,0,D,"]
        got = self.import_file("arrival.csv", (CSV_HEADER + "\n" + "\n".join(rows) + "\n")
                               .encode(), "--received-on", "2026-10-20")
        self.assert_accepted(got["AR-1"], time_amount(60))
        self.assert_rejected(got["AR-2"], "8007", "date_from",
                             "the period 2026-10-21..2026-10-31 ends after the submission "
                             "arrived (2026-10-20)")
        self.assert_rejected(got["AR-3"], "8007", "date_to",
                             "the period 2026-10-01..2026-10-31 ends after the submission "
                             "arrived (2026-10-20)")

    # -- duplicates and corrections --------------------------------------------------------

    def test_overlapping_periods_are_0587(self):
        a, b = BSN.next(), BSN.next()
        self.submit(KOR, "OV-1", [line("OV-S", a, "2026-08-01", "2026-08-31"),
                                  line("OV-C", b, "2026-08-01", "2026-08-31")])
        self.submit(KOR, "OV-2", [line("OV-CC", b, "2026-08-01", "2026-08-31", dc="C",
                                       corrects="OV-C")])
        got = self.submit(KOR, "OV-3", [
            line("OV-1", a, "2026-08-10", "2026-08-12"),   # inside the stored OV-S
            line("OV-2", a, "2026-08-10", "2026-08-12", prestatie="RTKOR", minutes=1),
            line("OV-3", b, "2026-08-05", "2026-08-06"),   # OV-C was credited
            line("OV-4", a, "2026-07-01", "2026-07-10"),
            line("OV-5", a, "2026-07-10", "2026-07-20"),   # one day in common with OV-4
            line("OV-6", a, "2026-07-11", "2026-07-31"),   # next to OV-4
        ])
        self.assert_rejected(got["OV-1"], "0587", None,
                             "CAKOR 2026-08-10..2026-08-12 for this client overlaps stored "
                             "line OV-S (2026-08-01..2026-08-31)")
        self.assert_accepted(got["OV-2"], 3100)
        self.assert_accepted(got["OV-3"], time_amount(60))
        self.assert_accepted(got["OV-4"])
        self.assert_rejected(got["OV-5"], "0587", None, "overlaps line OV-4 "
                             "(2026-07-01..2026-07-10)")
        self.assert_accepted(got["OV-6"])

    def test_order_inside_a_submission_does_not_matter(self):
        a, b = BSN.next(), BSN.next()
        self.submit(KOR, "OR-1", [line("OR-S", a, "2026-08-01", "2026-08-31", minutes=210)])
        # The corrected debit first, the credit of the stored line after it.
        got = self.submit(KOR, "OR-2", [
            line("OR-NEW", a, "2026-08-01", "2026-08-31", minutes=240),
            line("OR-CR", a, "2026-08-01", "2026-08-31", minutes=210, dc="C", corrects="OR-S"),
            # and a credit before the debit of this submission it reverses
            line("OR-C2", b, "2026-08-03", "2026-08-03", minutes=30, dc="C", corrects="OR-D2"),
            line("OR-D2", b, "2026-08-03", "2026-08-03", minutes=30),
        ])
        self.assert_accepted(got["OR-NEW"], time_amount(240))
        self.assert_accepted(got["OR-CR"], -time_amount(210))
        self.assert_accepted(got["OR-C2"], -time_amount(30))
        self.assert_accepted(got["OR-D2"], time_amount(30))
        status = dict(self.sql("SELECT line_ref, status FROM declaration_line_status WHERE "
                                  "line_ref IN ('OR-S', 'OR-NEW', 'OR-D2')"))
        self.assertEqual(status, {"OR-S": "credited", "OR-NEW": "accepted",
                                  "OR-D2": "credited"})

    # -- quantities and amounts ------------------------------------------------------------

    def test_bad_quantities_reject_the_line_in_every_format(self):
        a = BSN.next()
        # JSON
        got = self.submit(KOR, "QJ-1", [
            line("QJ-OK", a, "2026-06-01", "2026-06-30"),
            line("QJ-NEG", a, "2026-05-01", "2026-05-31", minutes=-30),
            line("QJ-ZERO", a, "2026-04-01", "2026-04-30", minutes=0),
            line("QJ-TRV", a, "2026-03-01", "2026-03-31", travel=-100),
        ])
        self.assert_accepted(got["QJ-OK"], time_amount(60))
        self.assert_rejected(got["QJ-NEG"], "0638", "minutes", "minutes '-30'")
        self.assert_rejected(got["QJ-ZERO"], "0638", "minutes", "minutes 0", "not above 0")
        self.assert_rejected(got["QJ-TRV"], "0638", "travel_cents", "'-100'")
        # CSV
        b = BSN.next()
        rows = [f"{KOR},QC-1,QC-OK,{b},CAKOR,2026-06-01,2026-06-30,60,0,D,",
                f"{KOR},QC-1,QC-NEG,{b},CAKOR,2026-05-01,2026-05-31,-30,0,D,",
                f"{KOR},QC-1,QC-TRV,{b},CAKOR,2026-04-01,2026-04-30,60,-100,D,"]
        got = self.import_file("quantities.csv",
                               (CSV_HEADER + "\n" + "\n".join(rows) + "\n").encode())
        self.assert_accepted(got["QC-OK"], time_amount(60))
        self.assert_rejected(got["QC-NEG"], "0638", "minutes", "minutes '-30'")
        self.assert_rejected(got["QC-TRV"], "0638", "travel_cents", "travel_cents '-100'")
        # AW319: a quantity written as -030, and one of 0000
        c = BSN.next()
        recs = [aw.header(zk=5501, agb=int(KOR), begin="20260601", end="20260630",
                          invoice="QA-1"),
                aw.client(c),
                aw.line(c, "20260601", "20260610", "CAKOR", 60, "01", 0, 14325, "D", "QA-OK"),
                aw.line(c, "20260611", "20260620", "CAKOR", "-030", "01", 0, 0, "D", "QA-NEG"),
                aw.line(c, "20260621", "20260630", "CAKOR", 0, "01", 0, 0, "D", "QA-ZERO")]
        recs.append(aw.trailer_for(recs))
        got = self.import_file("quantities.aw319", aw.encode(recs), "--format", "aw319")
        self.assert_accepted(got["QA-OK"], time_amount(60))
        self.assert_rejected(got["QA-NEG"], "0638", "quantity", "quantity '-030'")
        self.assert_rejected(got["QA-ZERO"], "0638", "quantity", "not above 0")

    def test_travel_above_the_configured_maximum_is_0584(self):
        a = BSN.next()
        got = self.submit(KOR, "TR-1", [
            line("TR-MAX", a, "2026-06-01", "2026-06-30", travel=MAX_TRAVEL),
            line("TR-OVER", a, "2026-05-01", "2026-05-31", travel=MAX_TRAVEL + 1),
        ])
        self.assert_accepted(got["TR-MAX"], time_amount(60) + MAX_TRAVEL)
        self.assert_rejected(got["TR-OVER"], "0584", "travel_cents",
                             "travel_cents 50001 (EUR 500.01) is above the maximum of EUR "
                             "500.00 for one line")
        rows = [f"{KOR},TR-2,TR-CSV,{a},CAKOR,2026-04-01,2026-04-30,60,{MAX_TRAVEL + 1},D,"]
        got = self.import_file("travel.csv", (CSV_HEADER + "\n" + rows[0] + "\n").encode())
        self.assert_rejected(got["TR-CSV"], "0584", "travel_cents", "EUR 500.00")

    # -- prestaties and reasons ------------------------------------------------------------

    def test_unknown_prestatie_and_reasons(self):
        a = BSN.next()
        got = self.submit(KOR, "PR-1", [
            line("PR-LONG", a, "2026-06-01", "2026-06-30", prestatie="CAKORX"),
            line("PR-UNK", a, "2026-06-01", "2026-06-30", prestatie="XXXXX"),
            line("PR-OLD", a, "2026-06-01", "2026-06-30", prestatie="CAOUD"),
            line("PR-NAH", a, "2025-12-01", "2025-12-31", prestatie="CANAH"),
            line("PR-BSN", BAD_BSN, "2026-06-01", "2026-06-30"),
            line("PR-BSN8", "12345678", "2026-06-01", "2026-06-30"),
        ])
        self.assert_rejected(got["PR-LONG"], "0582", "prestatie", "prestatie 'CAKORX' is on no "
                             "C&A prestatie list")
        self.assert_rejected(got["PR-UNK"], "0582", "prestatie",
                             "prestatie XXXXX is on no C&A prestatie list of any year")
        self.assert_rejected(got["PR-OLD"], "0581", "prestatie",
                             "prestatie CAOUD is not on the C&A list of 2026 (the service "
                             "year); it is on the list of 2025")
        self.assert_rejected(got["PR-NAH"], "9102", "date_from",
                             "prestatie CANAH is NAH+, which has C&A only from 2026-01-01 "
                             "(service date 2025-12-01)")
        self.assert_rejected(got["PR-BSN"], "0435", "client_bsn",
                             "client_bsn ********* fails the 11-test")
        self.assert_rejected(got["PR-BSN8"], "0435", "client_bsn", "client_bsn ********")
        self.assertNotIn("12345678", got["PR-BSN8"]["reason"])
        # The reasons are stored as answered.
        rows = dict(self.sql("SELECT line_ref, reason FROM declaration_line WHERE line_ref "
                                "LIKE 'PR-%'"))
        for ref, l in got.items():
            self.assertEqual(rows[ref], l["reason"])


if __name__ == "__main__":
    unittest.main()
