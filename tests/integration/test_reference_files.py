"""test_reference_files: checks the reference data CSV files under reference/.

The files are loaded by `lvhcmon reference load`; this test needs no database. It checks
the contract of doc/api.md (exact headers), the identity rules of doc/domain.md (AGB, zorgkantoor),
the links between files (designations, rates, budgets name existing providers and groups),
the start dates of NAH+/MS+, and the holiday calendar (Easter-derived dates computed here).

Run by ctest with LVHCMON_SOURCE_DIR set; standalone it finds reference/ next to tests/.
"""

import csv
import datetime
import os
import unittest

SOURCE_DIR = os.environ.get(
    "LVHCMON_SOURCE_DIR",
    os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
REFERENCE_DIR = os.path.join(SOURCE_DIR, "reference")

HEADERS = {
    "target_groups.csv": ["code", "name", "ca_from", "ca_to"],
    "prestaties.csv": ["year", "code", "target_group", "kind", "tariff_cents", "unit",
                       "rate_applies"],
    "providers.csv": ["agb", "name", "zorgkantoor"],
    "designations.csv": ["agb", "target_group", "centre_kind", "valid_from", "valid_to"],
    "rates.csv": ["agb", "year", "rate_bp"],
    "budgets.csv": ["year", "scope", "scope_key", "cap_cents"],
    "time_units.csv": ["code", "minutes", "label"],
    "holidays.csv": ["day", "name"],
}

CONTRACT_GROUPS = [("KOR", "2025-01-01"), ("HUN", "2025-01-01"), ("GPP", "2025-01-01"),
                   ("DZEP", "2025-01-01"), ("NAHP", "2026-01-01"), ("MSP", "2026-01-01")]
LATE_GROUPS = {"NAHP", "MSP"}
NATIONAL_CAP_CENTS = 450000000
FIRST_LATE_DAY = datetime.date(2026, 1, 1)


def read_rows(name):
    """Returns (header, rows as dicts) of reference/NAME, read strictly as UTF-8."""
    with open(os.path.join(REFERENCE_DIR, name), encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = []
        for lineno, fields in enumerate(reader, start=2):
            if len(fields) != len(header):
                raise AssertionError(f"{name}:{lineno}: {len(fields)} fields, "
                                     f"expected {len(header)}")
            rows.append(dict(zip(header, fields)))
        return header, rows


def parse_date(text):
    return datetime.date.fromisoformat(text) if text else None


def easter(year):
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


class ReferenceFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data = {name: read_rows(name) for name in HEADERS}
        cls.groups = {r["code"]: r for r in cls.rows("target_groups.csv")}
        cls.providers = {r["agb"]: r for r in cls.rows("providers.csv")}
        cls.years = sorted({int(r["year"]) for r in cls.rows("prestaties.csv")})

    @classmethod
    def rows(cls, name):
        return cls.data[name][1]

    def test_headers_exactly_as_contract(self):
        for name, expected in HEADERS.items():
            with self.subTest(file=name):
                self.assertEqual(self.data[name][0], expected)

    def test_files_are_plain_utf8_without_bom(self):
        for name in HEADERS:
            with open(os.path.join(REFERENCE_DIR, name), "rb") as f:
                raw = f.read()
            with self.subTest(file=name):
                self.assertFalse(raw.startswith(b"\xef\xbb\xbf"), "byte order mark")
                raw.decode("utf-8")
                self.assertNotIn(b"\r", raw)

    def test_illustrative_marker_names_the_invented_files(self):
        with open(os.path.join(REFERENCE_DIR, "ILLUSTRATIVE"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("ILLUSTRATIVE", text)
        for name in ("prestaties.csv", "providers.csv", "designations.csv", "rates.csv",
                     "budgets.csv"):
            self.assertIn(name, text)

    def test_target_groups_in_contract_order(self):
        rows = self.rows("target_groups.csv")
        self.assertEqual([(r["code"], r["ca_from"]) for r in rows[:6]], CONTRACT_GROUPS)
        extra = rows[6:]
        self.assertEqual([r["code"] for r in extra], ["LBS"])
        self.assertEqual(extra[0]["ca_from"], "", "LBS has no C&A")
        for r in rows:
            with self.subTest(group=r["code"]):
                self.assertRegex(r["code"], r"^[A-Z]{2,6}$")
                self.assertTrue(r["name"])
                start, end = parse_date(r["ca_from"]), parse_date(r["ca_to"])
                if start and end:
                    self.assertLessEqual(start, end)

    def test_prestaties(self):
        seen = set()
        for r in self.rows("prestaties.csv"):
            key = (int(r["year"]), r["code"])
            with self.subTest(prestatie=key):
                self.assertNotIn(key, seen, "duplicate (year, code)")
                seen.add(key)
                self.assertRegex(r["code"], r"^[A-Z0-9]{1,5}$", "AW319 prestatiecode is AN5")
                self.assertIn(r["target_group"], self.groups)
                self.assertIn((r["kind"], r["unit"]),
                              {("time", "hour"), ("travel", "trip"), ("travel", "km")})
                self.assertIn(r["rate_applies"], ("true", "false"))
                self.assertRegex(r["tariff_cents"], r"^[0-9]+$")
                if r["kind"] == "travel":
                    self.assertEqual(r["rate_applies"], "false", "travel counts in full")
                group = self.groups[r["target_group"]]
                if not group["ca_from"]:
                    self.assertEqual(int(r["tariff_cents"]), 0, "sentinel of a group "
                                     "without C&A must not price anything")
                else:
                    self.assertGreater(int(r["tariff_cents"]), 0)
                    self.assertGreaterEqual(int(r["year"]), parse_date(group["ca_from"]).year)

    def test_every_open_group_has_one_time_prestatie_per_year(self):
        for year in self.years:
            for code, start in CONTRACT_GROUPS:
                if int(start[:4]) > year:
                    continue
                times = [r for r in self.rows("prestaties.csv")
                         if int(r["year"]) == year and r["target_group"] == code
                         and r["kind"] == "time"]
                with self.subTest(year=year, group=code):
                    self.assertEqual(len(times), 1)

    def test_providers(self):
        rows = self.rows("providers.csv")
        self.assertEqual(len(rows), len(self.providers), "AGB codes must be unique")
        self.assertGreaterEqual(len(rows), 60)
        for r in rows:
            with self.subTest(agb=r["agb"]):
                self.assertRegex(r["agb"], r"^[0-9]{8}$")
                self.assertRegex(r["zorgkantoor"], r"^[0-9]{4}$")
                self.assertTrue(5501 <= int(r["zorgkantoor"]) <= 5533)
                self.assertTrue(r["name"].endswith("(fictief)"), "providers are fictional")

    def test_designations(self):
        keys = set()
        covered = set()
        for r in self.rows("designations.csv"):
            key = (r["agb"], r["target_group"], r["valid_from"])
            with self.subTest(designation=key):
                self.assertNotIn(key, keys, "duplicate (agb, target_group, valid_from)")
                keys.add(key)
                self.assertIn(r["agb"], self.providers)
                self.assertIn(r["target_group"], self.groups)
                self.assertIn(r["centre_kind"], ("REC", "DEC"))
                start, end = parse_date(r["valid_from"]), parse_date(r["valid_to"])
                self.assertIsNotNone(start)
                if end:
                    self.assertLessEqual(start, end)
                if r["target_group"] in LATE_GROUPS:
                    self.assertGreaterEqual(start, FIRST_LATE_DAY, "NAH+/MS+ before 2026")
            covered.add(r["agb"])
        self.assertEqual(covered, set(self.providers), "every provider is designated")

    def test_designation_periods_of_a_provider_and_group_do_not_overlap(self):
        periods = {}
        for r in self.rows("designations.csv"):
            end = parse_date(r["valid_to"]) or datetime.date.max
            periods.setdefault((r["agb"], r["target_group"]), []).append(
                (parse_date(r["valid_from"]), end))
        for key, spans in periods.items():
            spans.sort()
            for (_, end), (start, _) in zip(spans, spans[1:]):
                with self.subTest(designation=key):
                    self.assertLess(end, start)

    def test_no_late_group_data_before_2026(self):
        for r in self.rows("prestaties.csv"):
            if r["target_group"] in LATE_GROUPS:
                self.assertGreaterEqual(int(r["year"]), 2026, r)
        for r in self.rows("budgets.csv"):
            if r["scope"] == "target_group" and r["scope_key"] in LATE_GROUPS:
                self.assertGreaterEqual(int(r["year"]), 2026, r)

    def test_rates(self):
        rates = {}
        for r in self.rows("rates.csv"):
            key = (r["agb"], int(r["year"]))
            with self.subTest(rate=key):
                self.assertNotIn(key, rates, "duplicate (agb, year)")
                self.assertIn(r["agb"], self.providers)
                self.assertTrue(9000 <= int(r["rate_bp"]) <= 10000)
            rates[key] = int(r["rate_bp"])
        for agb in self.providers:
            for year in self.years:
                with self.subTest(agb=agb, year=year):
                    self.assertIn((agb, year), rates, "every provider needs a rate per year")
        self.assertIn(9550, rates.values(), "the public example 95.50 %")

    def test_budgets(self):
        keys = set()
        national = {}
        for r in self.rows("budgets.csv"):
            key = (int(r["year"]), r["scope"], r["scope_key"])
            with self.subTest(budget=key):
                self.assertNotIn(key, keys)
                keys.add(key)
                self.assertGreater(int(r["cap_cents"]), 0)
                self.assertIn(r["scope"], ("national", "target_group", "provider"))
                if r["scope"] == "national":
                    self.assertEqual(r["scope_key"], "")
                    national[int(r["year"])] = int(r["cap_cents"])
                elif r["scope"] == "target_group":
                    self.assertIn(r["scope_key"], dict(CONTRACT_GROUPS))
                else:
                    self.assertIn(r["scope_key"], self.providers)
        for year in self.years:
            self.assertEqual(national.get(year), NATIONAL_CAP_CENTS, f"national cap {year}")

    def test_time_units(self):
        units = {r["code"]: int(r["minutes"]) for r in self.rows("time_units.csv")}
        self.assertEqual(units, {"01": 1, "02": 60})

    def test_holidays_are_real_dates_once_each(self):
        days = [r["day"] for r in self.rows("holidays.csv")]
        self.assertEqual(len(days), len(set(days)))
        self.assertEqual(days, sorted(days))
        for r in self.rows("holidays.csv"):
            self.assertRegex(r["day"], r"^\d{4}-\d{2}-\d{2}$")
            parse_date(r["day"])
            self.assertTrue(r["name"])

    def test_holidays_match_the_dutch_calendar(self):
        listed = {(parse_date(r["day"]), r["name"]) for r in self.rows("holidays.csv")}
        years = sorted({day.year for day, _ in listed})
        self.assertTrue({2025, 2026, 2027} <= set(years))
        for year in years:
            e = easter(year)
            koningsdag = datetime.date(year, 4, 27)
            if koningsdag.weekday() == 6:
                koningsdag = datetime.date(year, 4, 26)
            expected = {
                (datetime.date(year, 1, 1), "Nieuwjaarsdag"),
                (e - datetime.timedelta(days=2), "Goede Vrijdag"),
                (e, "Eerste Paasdag"),
                (e + datetime.timedelta(days=1), "Tweede Paasdag"),
                (koningsdag, "Koningsdag"),
                (datetime.date(year, 5, 5), "Bevrijdingsdag"),
                (e + datetime.timedelta(days=39), "Hemelvaartsdag"),
                (e + datetime.timedelta(days=49), "Eerste Pinksterdag"),
                (e + datetime.timedelta(days=50), "Tweede Pinksterdag"),
                (datetime.date(year, 12, 25), "Eerste Kerstdag"),
                (datetime.date(year, 12, 26), "Tweede Kerstdag"),
            }
            with self.subTest(year=year):
                self.assertEqual({x for x in listed if x[0].year == year}, expected)

    def test_easter_algorithm_itself(self):
        self.assertEqual(easter(2025), datetime.date(2025, 4, 20))
        self.assertEqual(easter(2026), datetime.date(2026, 4, 5))
        self.assertEqual(easter(2027), datetime.date(2027, 3, 28))
        self.assertEqual(easter(2019), datetime.date(2019, 4, 21))


if __name__ == "__main__":
    unittest.main()
