"""test_demogen: checks lvhcmon-demogen, the deterministic demo declaration generator.

No database needed. Runs the built binary ($LVHCMON_BUILD_DIR/tools/demogen/lvhcmon-demogen,
or $LVHCMON_DEMOGEN) on reference/ and checks: same seed gives the same bytes, the files
have the CSV declaration header of doc/api.md, every BSN passes the 11-test except the planted
bad one, line references are unique per provider, credits reverse an earlier debit, every
line that should be accepted fits the reference data, and the expected total printed by the
generator equals an independent pricing here and lies in the demo's target range.

Arrivals: one file per day on which invoices arrive (declarations-YYYY-MM-DD.csv); every
invoice arrives on a working day after its month ends and by its deadline (17 working days,
counted here independently over reference/holidays.csv), except the few listed late, and
one provider catches up three months at once.
"""

import csv
import datetime
import glob
import os
import re
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
            arrival = os.path.basename(path)[len("declarations-"):-len(".csv")]
            with open(path, encoding="utf-8", newline="") as f:
                reader = csv.reader(f)
                header = next(reader)
                for row in reader:
                    line = dict(zip(header, row))
                    line["_month"] = int(line["reference"][5:7])  # the invoice's month
                    line["_arrival"] = arrival
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
        self.assertNotEqual(read_dir(other), self.files)

    def test_invoices_do_not_depend_on_through_month(self):
        short = os.path.join(self.tmp.name, "short")
        run_demogen(short, "--seed", "1", "--through-month", "3")
        lines = []
        for path in sorted(glob.glob(os.path.join(short, "declarations-*.csv"))):
            with open(path, encoding="utf-8", newline="") as f:
                lines += [(os.path.basename(path), row) for row in list(csv.reader(f))[1:]]
        self.assertTrue(lines)
        self.assertTrue(all(row[1] <= f"{YEAR}-03" for _, row in lines))
        ours = [(f"declarations-{l['_arrival']}.csv", [l[h] for h in HEADER])
                for l in self.lines if l["_month"] <= 3]
        self.assertEqual(lines, ours)

    def test_one_file_per_arrival_day_with_the_contract_header(self):
        names = [n for n in self.files if n != "expected.txt"]
        self.assertGreater(len(names), 100)  # invoices arrive on many days
        for name in names:
            self.assertRegex(name, r"^declarations-\d{4}-\d\d-\d\d\.csv$")
            first = self.files[name].split(b"\n", 1)[0].decode()
            self.assertEqual(first.split(","), HEADER, name)
        for line in self.lines:
            self.assertEqual(len(line) - 3, len(HEADER), line)

    def working_days(self):
        holidays = {r["day"] for r in read_reference("holidays.csv")}
        return lambda d: d.weekday() < 5 and d.isoformat() not in holidays

    def deadline(self, month):
        """17 working days after the month ends, counted here."""
        is_working = self.working_days()
        day = datetime.date(YEAR + (month == 12), month % 12 + 1, 1) - datetime.timedelta(1)
        n = 0
        while n < 17:
            day += datetime.timedelta(1)
            n += is_working(day)
        return day

    def test_invoices_arrive_in_their_window_a_few_late(self):
        is_working = self.working_days()
        arrivals = {k[len("arrival."):]: v for k, v in self.expected.items()
                    if k.startswith("arrival.")}
        late = {k[len("late."):]: v for k, v in self.expected.items() if k.startswith("late.")}
        self.assertGreater(len(arrivals), 600)
        seen = set()
        for line in self.lines:
            key = f"{line['provider_agb']}.{line['reference']}"
            seen.add(key)
            self.assertEqual(arrivals[key], line["_arrival"], key)
        self.assertEqual(seen, set(arrivals), "an arrival for every invoice written")
        for key, arrival in arrivals.items():
            month = int(key[-2:])
            day = datetime.date.fromisoformat(arrival)
            self.assertTrue(is_working(day), key)
            self.assertGreater(day, datetime.date(YEAR, month, 1) + datetime.timedelta(27), key)
            self.assertEqual(self.expected[f"deadline.{YEAR}-{month:02d}"],
                             self.deadline(month).isoformat())
            self.assertEqual(day > self.deadline(month), key in late, key)
        self.assertTrue(7 <= len(late) <= 12, late)
        # one provider catches up three months at once, late
        (key, value), = [(k, v) for k, v in self.expected.items() if k.startswith("catch_up.")]
        agb = key.split(".", 1)[1]
        months, day = re.match(r"^(\d{4}-\d\d\.\.\d{4}-\d\d)@(\d{4}-\d\d-\d\d)$", value).groups()
        same_day = [k for k, v in arrivals.items() if k.startswith(agb + ".") and v == day]
        self.assertEqual(len(same_day), 3, same_day)
        self.assertTrue(all(k in late for k in same_day))

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

    def test_lines_of_one_invoice_are_contiguous_per_file(self):
        """One invoice per provider per month: its lines are not interleaved with others."""
        for arrival in {l["_arrival"] for l in self.lines}:
            order = [(l["provider_agb"], l["reference"]) for l in self.lines
                     if l["_arrival"] == arrival]
            blocks = [a for i, a in enumerate(order) if i == 0 or order[i - 1] != a]
            self.assertEqual(len(blocks), len(set(blocks)), arrival)

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
        for args in (["--seed", "x"], ["--through-month", "13"], ["--bogus"],
                     ["--deadline-working-days", "0"]):
            result = run_demogen(os.path.join(self.tmp.name, "bad"), *args, allowed=(0, 1, 2))
            self.assertEqual(result.returncode, 2, args)
            self.assertIn("usage", result.stderr)


if __name__ == "__main__":
    unittest.main()
