"""test_demogen: checks lvhcmon-demogen, the deterministic demo declaration generator.

No database needed. Runs the built binary ($LVHCMON_BUILD_DIR/tools/demogen/lvhcmon-demogen,
or $LVHCMON_DEMOGEN) on reference/ and checks: same seed gives the same bytes, the files
have the CSV declaration header of API.md, every BSN passes the 11-test except the planted
bad one, line references are unique per provider, credits reverse an earlier debit, every
line that should be accepted fits the reference data, and the expected total printed by the
generator equals an independent pricing here and lies in the demo's target range.
"""

import csv
import glob
import os
import tempfile
import unittest

import harness

SOURCE_DIR = os.environ.get(
    "LVHCMON_SOURCE_DIR",
    os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
REFERENCE_DIR = os.path.join(SOURCE_DIR, "reference")
BUILD_DIR = os.environ.get("LVHCMON_BUILD_DIR", "")
DEMOGEN = os.environ.get("LVHCMON_DEMOGEN") or os.path.join(
    BUILD_DIR, "tools", "demogen", "lvhcmon-demogen")

HEADER = ["provider_agb", "reference", "line_ref", "client_bsn", "prestatie", "date_from",
          "date_to", "minutes", "travel_cents", "debit_credit", "corrects_ref"]
YEAR, MONTHS = 2026, 10
# The demo must overrun the EUR 4.5M cap by the year end: Jan-Oct lands at EUR 4.0-4.3M.
TOTAL_RANGE_CENTS = (400000000, 430000000)


def bsn_valid(bsn):
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1))) - int(bsn[8])
    return total % 11 == 0


def round_half_away(num, den):
    return (num + den // 2) // den if num >= 0 else -((-num + den // 2) // den)


def read_reference(name):
    with open(os.path.join(REFERENCE_DIR, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def run_demogen(out_dir, *args, allowed=(0,)):
    """Runs the generator; the harness fails the test on a sanitizer report or an exit
    status outside `allowed`."""
    return harness.run_program([DEMOGEN, "--reference", REFERENCE_DIR, "--out", out_dir, *args],
                               allowed=allowed)


def read_dir(path):
    """Returns {file name: bytes} of everything the generator wrote."""
    out = {}
    for name in sorted(os.listdir(path)):
        with open(os.path.join(path, name), "rb") as f:
            out[name] = f.read()
    return out


def read_expected(path):
    values = {}
    with open(os.path.join(path, "expected.txt"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                key, value = line.rstrip("\n").split("=", 1)
                values[key] = value
    return values


class Demogen(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.isfile(DEMOGEN):
            if not BUILD_DIR:
                raise unittest.SkipTest("set LVHCMON_BUILD_DIR or LVHCMON_DEMOGEN")
            raise AssertionError(f"{DEMOGEN} not built")
        cls.tmp = tempfile.TemporaryDirectory(prefix="demogen-")
        cls.out = os.path.join(cls.tmp.name, "seed1")
        cls.stderr = run_demogen(cls.out, "--seed", "1").stderr
        cls.files = read_dir(cls.out)
        cls.expected = read_expected(cls.out)
        cls.lines = []
        for path in sorted(glob.glob(os.path.join(cls.out, "declarations-*.csv"))):
            month = int(path[-6:-4])
            with open(path, encoding="utf-8", newline="") as f:
                reader = csv.reader(f)
                header = next(reader)
                for row in reader:
                    line = dict(zip(header, row))
                    line["_month"] = month
                    line["_header"] = header
                    cls.lines.append(line)
        cls.rejects = {(k.split(".")[1], k.split(".", 2)[2]): v
                       for k, v in cls.expected.items() if k.startswith("reject.")}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def planted(self, line):
        return self.rejects.get((line["provider_agb"], line["line_ref"]))

    def test_same_seed_same_bytes(self):
        again = os.path.join(self.tmp.name, "again")
        run_demogen(again, "--seed", "1")
        self.assertEqual(read_dir(again), self.files)

    def test_other_seed_other_data(self):
        other = os.path.join(self.tmp.name, "seed2")
        run_demogen(other, "--seed", "2")
        self.assertNotEqual(read_dir(other)["declarations-2026-01.csv"],
                            self.files["declarations-2026-01.csv"])

    def test_month_files_do_not_depend_on_through_month(self):
        short = os.path.join(self.tmp.name, "short")
        run_demogen(short, "--seed", "1", "--through-month", "3")
        files = read_dir(short)
        for m in (1, 2, 3):
            name = f"declarations-{YEAR}-{m:02d}.csv"
            self.assertEqual(files[name], self.files[name], name)
        self.assertNotIn(f"declarations-{YEAR}-04.csv", files)

    def test_one_file_per_month_with_the_contract_header(self):
        names = [f"declarations-{YEAR}-{m:02d}.csv" for m in range(1, MONTHS + 1)]
        self.assertEqual(sorted(self.files), sorted(names + ["expected.txt"]))
        for name in names:
            first = self.files[name].split(b"\n", 1)[0].decode()
            self.assertEqual(first.split(","), HEADER, name)
        for line in self.lines:
            self.assertEqual(len(line) - 2, len(HEADER), line)

    def test_bsns_pass_the_11_test_except_the_planted_one(self):
        planted_bad = 0
        for line in self.lines:
            if self.planted(line) == "0435":
                self.assertFalse(bsn_valid(line["client_bsn"]), line)
                self.assertRegex(line["client_bsn"], r"^[0-9]{9}$")
                planted_bad += 1
            else:
                self.assertTrue(bsn_valid(line["client_bsn"]), line)
        self.assertEqual(planted_bad, 1)

    def test_references_and_line_refs(self):
        seen = set()
        for line in self.lines:
            key = (line["provider_agb"], line["line_ref"])
            self.assertNotIn(key, seen, "line_ref unique per provider")
            seen.add(key)
            self.assertEqual(line["reference"], f"{YEAR}-{line['_month']:02d}")
            self.assertTrue(line["line_ref"].startswith(line["reference"] + "-"))
            self.assertLessEqual(len(line["line_ref"]), 20)
            self.assertIn(line["debit_credit"], ("D", "C"))

    def test_lines_of_one_provider_are_contiguous_per_file(self):
        """One invoice per provider per month: its lines are not interleaved with others."""
        for month in range(1, MONTHS + 1):
            order = [l["provider_agb"] for l in self.lines if l["_month"] == month]
            blocks = [a for i, a in enumerate(order) if i == 0 or order[i - 1] != a]
            self.assertEqual(len(blocks), len(set(blocks)), month)

    def test_credits_reverse_an_earlier_debit(self):
        by_ref = {(l["provider_agb"], l["line_ref"]): (i, l) for i, l in enumerate(self.lines)}
        credits = [(i, l) for i, l in enumerate(self.lines) if l["debit_credit"] == "C"]
        self.assertGreaterEqual(len(credits), 2)
        same = ("client_bsn", "prestatie", "date_from", "date_to", "minutes", "travel_cents")
        for i, credit in credits:
            self.assertIsNone(self.planted(credit))
            found = by_ref.get((credit["provider_agb"], credit["corrects_ref"]))
            self.assertIsNotNone(found, credit)
            j, debit = found
            self.assertEqual(debit["debit_credit"], "D")
            self.assertLess(debit["_month"], credit["_month"], "the debit is an earlier month")
            self.assertLess(j, i)
            self.assertEqual({k: debit[k] for k in same}, {k: credit[k] for k in same})
            redo = self.lines[i + 1]
            self.assertEqual(redo["debit_credit"], "D")
            self.assertEqual(redo["client_bsn"], credit["client_bsn"])
            self.assertEqual(redo["prestatie"], credit["prestatie"])
            self.assertEqual(redo["date_from"], credit["date_from"])
            self.assertNotEqual(redo["minutes"], credit["minutes"], "corrected minutes")
            self.assertEqual(self.expected[f"correction.{credit['provider_agb']}."
                                           f"{credit['line_ref']}"], credit["corrects_ref"])

    def test_planted_rejections_cover_each_rule(self):
        codes = sorted(self.rejects.values())
        for code in ("0435", "0582", "8022", "9101", "9104"):
            self.assertIn(code, codes)
        self.assertEqual(int(self.expected["lines_rejected"]), len(self.rejects))
        lines = {(l["provider_agb"], l["line_ref"]): l for l in self.lines}
        for key, code in self.rejects.items():
            line = lines[key]
            if code == "9104":
                self.assertNotEqual(line["date_from"][:7], line["date_to"][:7])

    def test_stopped_providers_go_silent(self):
        stopped = {k.split(".", 1)[1]: v for k, v in self.expected.items()
                   if k.startswith("stopped.")}
        self.assertTrue(3 <= len(stopped) <= 4, stopped)
        for agb, last in stopped.items():
            months = {l["_month"] for l in self.lines if l["provider_agb"] == agb}
            self.assertEqual(max(months), int(last[5:7]), agb)
            self.assertEqual(months, set(range(1, max(months) + 1)), agb)

    def test_accepted_lines_fit_the_reference_data(self):
        prest = {r["code"]: r for r in read_reference("prestaties.csv")
                 if int(r["year"]) == YEAR}
        designations = read_reference("designations.csv")
        for i, line in enumerate(self.lines):
            if self.planted(line):
                continue
            p = prest.get(line["prestatie"])
            self.assertIsNotNone(p, line)
            correcting = line["debit_credit"] == "C" or (
                i > 0 and self.lines[i - 1]["debit_credit"] == "C")
            file_month = f"{YEAR}-{line['_month']:02d}"
            if correcting:
                self.assertLess(line["date_from"][:7], file_month, line)
            else:
                self.assertEqual(line["date_from"][:7], file_month, line)
            self.assertEqual(line["date_from"][:7], line["date_to"][:7], line)
            self.assertLessEqual(line["date_from"], line["date_to"])
            self.assertGreater(int(line["minutes"]), 0)
            covering = [d for d in designations
                        if d["agb"] == line["provider_agb"]
                        and d["target_group"] == p["target_group"]
                        and d["valid_from"] <= line["date_from"]
                        and (not d["valid_to"] or d["valid_to"] >= line["date_to"])]
            self.assertTrue(covering, line)

    def test_expected_total_matches_independent_pricing(self):
        prest = {r["code"]: r for r in read_reference("prestaties.csv")
                 if int(r["year"]) == YEAR}
        rates = {r["agb"]: int(r["rate_bp"]) for r in read_reference("rates.csv")
                 if int(r["year"]) == YEAR}
        total = 0
        for line in self.lines:
            if self.planted(line):
                continue
            p = prest[line["prestatie"]]
            qty, tariff = int(line["minutes"]), int(p["tariff_cents"])
            rate = rates[line["provider_agb"]]
            if p["kind"] == "time":
                amount = round_half_away(qty * tariff * rate, 600000) + int(line["travel_cents"])
            elif p["rate_applies"] == "true":
                amount = round_half_away(qty * tariff * rate, 10000)
            else:
                amount = qty * tariff
            total += -amount if line["debit_credit"] == "C" else amount
        self.assertEqual(total, int(self.expected["expected_cents"]))
        self.assertIn(str(total), self.stderr)
        low, high = TOTAL_RANGE_CENTS
        self.assertTrue(low <= total <= high, total)
        months = sum(int(v) for k, v in self.expected.items() if k.startswith("month."))
        groups = sum(int(v) for k, v in self.expected.items() if k.startswith("group."))
        self.assertEqual(months, total)
        self.assertEqual(groups, total)

    def test_rejects_bad_arguments(self):
        for args in (["--seed", "x"], ["--through-month", "13"], ["--bogus"]):
            result = run_demogen(os.path.join(self.tmp.name, "bad"), *args, allowed=(0, 1, 2))
            self.assertEqual(result.returncode, 2, args)
            self.assertIn("usage", result.stderr)


if __name__ == "__main__":
    unittest.main()
