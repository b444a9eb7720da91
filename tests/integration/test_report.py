"""test_report.py: the month-end workbook, GET /api/v1/report.xlsx and `lvhcmon report`.

The year of month_end_data.py (files A and B, received 2026-03-10 and 2026-04-20) is
loaded; the workbook as of 2026-03-31 and the one as of today are read back with openpyxl
(an independent reader of the OOXML format, not the writer that made them), and every
figure cell is compared with what the API answers for the same as_of: the status document,
/providers and /providers?zorgkantoor=Z. Money cells must be numbers in a euro format,
dates real dates, the header row of each sheet frozen. openpyxl is Debian's
python3-openpyxl (scripts/deps.sh test); without it this module fails.

The daemon runs with TMPDIR set to a folder of its own: after every download, nothing of
the workbook may be left in it.
"""

import datetime
import io
import os
import sys
import time

from month_end_data import A_TOTAL, AMSTERDAM, B_TOTAL, YEAR, MonthEndCase, today_amsterdam

try:
    import openpyxl
except ImportError:
    # Debian's python3-openpyxl (scripts/deps.sh test) lives in the system Python's
    # dist-packages; a python3 of another installation (pyenv, a venv) finds it there.
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl  # still missing: this module fails, it is never skipped

SHEETS = ["Samenvatting", "Maanden", "Doelgroepen", "Zorgkantoren", "Zorgaanbieders",
          "Meldingen"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DUTCH_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                "september", "oktober", "november", "december"]


def iso_date(text):
    return datetime.date.fromisoformat(text) if text else None


def month_date(text):
    """"2026-03" -> 2026-03-01."""
    return datetime.date.fromisoformat(text + "-01") if text else None


def utc_to_local(text):
    """An API time ("2026-03-10T11:00:00Z") as Amsterdam's wall clock, without a zone."""
    t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return t.astimezone(AMSTERDAM).replace(tzinfo=None)


class ReportTest(MonthEndCase):

    @classmethod
    def daemon_env(cls):
        cls.daemon_tmp = os.path.join(cls.tmp, "daemon-tmp")
        os.mkdir(cls.daemon_tmp)
        return {"TMPDIR": cls.daemon_tmp}

    @classmethod
    def prepare(cls):
        cls.tokens = {role: cls.d.make_token(role) for role in ("controller", "dashboard", "ingest")}
        cls.tokens["provider"] = cls.d.make_token("provider", agb="41000001")

    def api(self, path):
        r = self.d.http("GET", path, token=self.tokens["controller"])
        self.assertEqual(r.status, 200, f"{path}: {r.text}")
        return r.json()

    def download(self, query):
        before = time.time()
        r = self.d.http("GET", f"/api/v1/report.xlsx?{query}", token=self.tokens["controller"],
                        timeout=60)
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertEqual(r.headers["content-type"], XLSX_TYPE)
        # made for one token: no shared cache may keep it
        self.assertEqual(r.headers["cache-control"], "private, no-cache")
        self.assertTrue(r.body.startswith(b"PK\x03\x04"), "not a zip container")
        self.assertEqual(os.listdir(self.daemon_tmp), [], "the workbook was left behind")
        return r, openpyxl.load_workbook(io.BytesIO(r.body)), before

    # -- checks of single cells -----------------------------------------------------------

    def assert_money(self, cell, cents, what):
        self.assertIsInstance(cell.value, (int, float), f"{what}: {cell.value!r} is not a number")
        self.assertNotIsInstance(cell.value, bool)
        self.assertEqual(round(cell.value * 100), cents, what)
        self.assertIn("\u20ac", cell.number_format, f"{what}: format {cell.number_format!r}")
        self.assertIn("0.00", cell.number_format, what)

    def assert_date(self, cell, day, what):
        if day is None:
            self.assertIsNone(cell.value, what)
            return
        self.assertIsInstance(cell.value, datetime.datetime, f"{what}: {cell.value!r}")
        self.assertEqual(cell.value.date(), day, what)
        self.assertTrue(cell.is_date, what)

    def assert_ratio(self, cell, ratio, what):
        self.assertIsInstance(cell.value, (int, float), what)  # a whole 0 reads back as int
        self.assertNotIsInstance(cell.value, bool)
        self.assertAlmostEqual(cell.value, ratio, places=9, msg=what)
        self.assertIn("%", cell.number_format, what)

    def rows(self, ws):
        """The sheet's data rows as dicts by header (the header row must be frozen)."""
        self.assertEqual(ws.freeze_panes, "A2", f"{ws.title}: header row not frozen")
        header = [c.value for c in ws[1]]
        self.assertTrue(all(header), f"{ws.title}: empty header {header}")
        for col, title in enumerate(header, start=1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width
            self.assertGreaterEqual(width, 8, f"{ws.title}.{title}: width {width}")
        return [dict(zip(header, row)) for row in ws.iter_rows(min_row=2)
                if any(c.value is not None for c in row)]

    # -- the whole workbook against the API -------------------------------------------------

    def check_workbook(self, wb, as_of, generated_after):
        self.assertEqual(wb.sheetnames, SHEETS)
        status = self.api(f"/api/v1/status?year={YEAR}&as_of={as_of}")
        providers = self.api(f"/api/v1/providers?year={YEAR}&as_of={as_of}")["providers"]
        self.check_summary(wb["Samenvatting"], status, as_of, generated_after)
        self.check_months(wb["Maanden"], status)
        self.check_groups(wb["Doelgroepen"], status)
        self.check_zorgkantoren(wb["Zorgkantoren"], status, as_of)
        self.check_providers(wb["Zorgaanbieders"], providers)
        alerts = self.rows(wb["Meldingen"])
        self.assertEqual(len(alerts), status["alerts_firing"])
        for a in alerts:
            self.assertRegex(a["Vingerafdruk"].value, r"^[0-9a-f]{16}$")
            self.assertTrue(a["Samenvatting"].value)
            self.assertNotIn(" EUR", a["Toelichting"].value)  # the Dutch texts
        return status, alerts

    def check_summary(self, ws, status, as_of, generated_after):
        rows = {r["Onderdeel"].value: r["Waarde"] for r in self.rows(ws)}
        self.assertEqual(rows["Jaar"].value, YEAR)
        self.assert_date(rows["Stand per (ontvangen tot en met)"], iso_date(as_of), "Stand per")
        made = rows["Gegenereerd op (tijd in Nederland)"]
        self.assertIsInstance(made.value, datetime.datetime)
        low = datetime.datetime.fromtimestamp(int(generated_after), AMSTERDAM).replace(tzinfo=None)
        self.assertGreaterEqual(made.value, low - datetime.timedelta(seconds=1))
        self.assertLessEqual(made.value, low + datetime.timedelta(seconds=120))
        self.assertEqual(rows["Nieuwste declaratie ontvangen op"].value,
                         utc_to_local(status["data_as_of"]))
        for label, key in (("Landelijk plafond", "cap_cents"), ("Besteed", "spent_cents"),
                           ("Resterend", "remaining_cents"),
                           ("Profiel tot nu toe", "profile_ytd_cents"),
                           ("Besteed in de complete maanden", "spent_complete_cents"),
                           ("Reiskosten (inbegrepen)", "travel_cents")):
            self.assert_money(rows[label], status[key], label)
        fc = status["forecast"]
        self.assert_money(rows["Prognose jaareinde"], fc["year_end_cents"], "forecast")
        self.assert_money(rows["Prognose laag"], fc["low_cents"], "forecast low")
        self.assert_money(rows["Prognose hoog"], fc["high_cents"], "forecast high")
        if fc["cap_reached_on"]:
            self.assert_date(rows["Plafond bereikt op (prognose)"], iso_date(fc["cap_reached_on"]),
                             "cap reached")
        else:
            self.assertEqual(rows["Plafond bereikt op (prognose)"].value, "niet in dit jaar")
        self.assert_ratio(rows["Besteed als deel van het plafond"], status["spent_ratio"], "ratio")
        self.assert_date(rows["Profiel tot en met"], iso_date(status["profile_through"]), "prof")
        self.assertEqual(rows["Complete maanden"].value, status["complete_months"])
        self.assertEqual(rows["Minuten"].value, status["minutes"])
        self.assertEqual(rows["Actieve meldingen"].value, status["alerts_firing"])

    def check_months(self, ws, status):
        rows = self.rows(ws)
        self.assertEqual(len(rows), 12)
        for row, m in zip(rows, status["months"]):
            what = m["month"]
            self.assert_date(row["Maand"], month_date(m["month"]), what)
            self.assertEqual(row["Maand"].number_format, "mmmm yyyy")
            self.assert_money(row["Besteed"], m["spent_cents"], what)
            self.assert_money(row["Cumulatief"], m["cumulative_cents"], what)
            self.assert_money(row["Profiel cumulatief"], m["profile_cents"], what)
            self.assert_money(row["Reiskosten"], m["travel_cents"], what)
            self.assertEqual(row["Minuten"].value, m["minutes"], what)
            self.assertEqual(row["Aanbieders gedeclareerd"].value, m["providers_declared"], what)
            self.assertEqual(row["Aanbieders verwacht"].value, m["providers_expected"], what)
            self.assertEqual(row["Aanbieders ontbrekend"].value, m["providers_missing"], what)
            self.assert_date(row["Uiterste declaratiedatum"], iso_date(m["deadline"]), what)
            self.assertEqual(row["Compleet"].value, "ja" if m["complete"] else "nee", what)

    def check_groups(self, ws, status):
        rows = self.rows(ws)
        self.assertEqual([r["Code"].value for r in rows], [g["code"] for g in status["groups"]])
        for row, g in zip(rows, status["groups"]):
            self.assertEqual(row["Doelgroep"].value, g["name"])
            self.assert_money(row["Besteed"], g["spent_cents"], g["code"])
            self.assert_ratio(row["Aandeel"], g["share_ratio"], g["code"])
            self.assert_money(row["Reiskosten"], g["travel_cents"], g["code"])
            self.assertEqual(row["Minuten"].value, g["minutes"])
            self.assertEqual(row["Zorgaanbieders"].value, g["providers"])
        extra = {x["key"]: x["cap_cents"] for x in status["extra_caps"]
                 if x["scope"] == "target_group"}
        for row in rows:
            if row["Code"].value in extra:
                self.assert_money(row["Extra plafond"], extra[row["Code"].value], "extra cap")
            else:
                self.assertIsNone(row["Extra plafond"].value)

    def check_zorgkantoren(self, ws, status, as_of):
        rows = self.rows(ws)
        zks = [z for z in status["zorgkantoren"]]
        self.assertEqual([r["Code"].value for r in rows], [z["code"] or "onbekend" for z in zks])
        total = 0
        for row, z in zip(rows, zks):
            self.assertEqual(row["Zorgkantoor"].value, z["name"])
            self.assert_money(row["Besteed"], z["spent_cents"], z["code"])
            self.assert_ratio(row["Aandeel landelijk"], z["share_ratio"], z["code"])
            self.assertEqual(row["Zorgaanbieders"].value, z["providers"])
            self.assert_money(row["Reiskosten"], z["travel_cents"], z["code"])
            self.assertEqual(row["Minuten"].value, z["minutes"])
            total += round(row["Besteed"].value * 100)
            # and the zorgkantoor's own list
            one = self.api(f"/api/v1/providers?year={YEAR}&as_of={as_of}&zorgkantoor={z['code']}")
            self.assertEqual(one["zorgkantoor"]["spent_cents"], z["spent_cents"])
        self.assertEqual(total, status["spent_cents"], "the zorgkantoren add up to the total")

    def check_providers(self, ws, providers):
        rows = self.rows(ws)
        self.assertEqual([r["AGB"].value for r in rows], [p["agb"] for p in providers])
        for row, p in zip(rows, providers):
            what = p["agb"]
            self.assertIsInstance(row["AGB"].value, str)
            self.assertEqual(row["Zorgaanbieder"].value, p["name"])
            self.assertEqual(row["Zorgkantoor"].value, p["zorgkantoor"])
            self.assert_money(row["Besteed"], p["spent_cents"], what)
            self.assert_money(row["Reiskosten"], p["travel_cents"], what)
            self.assertEqual(row["Minuten"].value, p["minutes"], what)
            self.assert_date(row["Laatst gedeclareerde maand"],
                             month_date(p["last_month_declared"]), what)
            want = ", ".join(f"{DUTCH_MONTHS[int(m[5:]) - 1]} {m[:4]}"
                             for m in p["missing_months"])
            self.assertEqual(row["Ontbrekende maanden"].value or "", want, what)
            self.assertEqual(row["Aantal ontbrekend"].value, p["n_missing"], what)
            self.assertEqual(row["Te laat ingediende regels"].value, p["late_lines"], what)

    # -- the tests ------------------------------------------------------------------------

    def test_as_of_a_past_day(self):
        r, wb, before = self.download(f"year={YEAR}&as_of=2026-03-31")
        self.assertEqual(r.headers["content-disposition"],
                         'attachment; filename="lvhcmon-2026-stand-2026-03-31.xlsx"')
        status, alerts = self.check_workbook(wb, "2026-03-31", before)
        # the figures of file A alone, by hand
        self.assertEqual(status["spent_cents"], A_TOTAL)
        summary = {r["Onderdeel"].value: r["Waarde"] for r in self.rows(wb["Samenvatting"])}
        self.assertEqual(round(summary["Besteed"].value * 100), 40095)
        names = {a["Melding"].value for a in alerts}
        self.assertIn("ProviderDeclarationMissing", names)
        missing = [a for a in alerts if a["Melding"].value == "ProviderDeclarationMissing"]
        self.assertEqual(sorted((a["Zorgaanbieder"].value, a["Maand"].value) for a in missing),
                         [("41000002", "2026-02"), ("41000003", "2026-01"),
                          ("41000003", "2026-02")])
        self.assertIn("heeft februari 2026 niet gedeclareerd",
                      [a for a in missing if a["Maand"].value == "2026-02"][0]["Samenvatting"].value)

    def test_as_of_today_by_default_and_the_live_alerts(self):
        # the live alerts settle once the engine has evaluated the imports
        deadline = time.monotonic() + 30
        while True:
            live = self.api(f"/api/v1/status?year={YEAR}")
            firing = self.api(f"/api/v1/alerts?state=firing&year={YEAR}")["alerts"]
            if (live["spent_cents"] == A_TOTAL + B_TOTAL and len(firing) == live["alerts_firing"]
                    or time.monotonic() > deadline):
                break
            time.sleep(0.2)
        r, wb, before = self.download(f"year={YEAR}")
        today = today_amsterdam().isoformat()
        self.assertIn(f'-stand-{today}.xlsx"', r.headers["content-disposition"])
        status, alerts = self.check_workbook(wb, today, before)
        self.assertEqual(status["spent_cents"], A_TOTAL + B_TOTAL)
        # the rules on today's figures fire what the alert engine has firing
        self.assertEqual(sorted(a["Vingerafdruk"].value for a in alerts),
                         sorted(a["fingerprint"] for a in firing))
        for a in alerts:
            ours = [x for x in firing if x["fingerprint"] == a["Vingerafdruk"].value][0]
            self.assertEqual(a["Samenvatting"].value, ours["annotations_nl"]["summary"])

    def test_roles_and_bad_requests(self):
        path = f"/api/v1/report.xlsx?year={YEAR}"
        for role in ("dashboard", "provider", "ingest"):
            r = self.d.http("GET", path, token=self.tokens[role])
            self.assertEqual(r.status, 403, role)
        self.assertEqual(self.d.http("GET", path).status, 401)
        tomorrow = (today_amsterdam() + datetime.timedelta(days=1)).isoformat()
        for query, field in ((f"year={YEAR}&as_of={tomorrow}", "as_of"),
                             (f"year={YEAR}&as_of=2025-12-31", "as_of"),
                             (f"year={YEAR}&as_of=2026-3-1", "as_of"),
                             ("year=1999", "year")):
            r = self.d.http("GET", f"/api/v1/report.xlsx?{query}", token=self.tokens["controller"])
            self.assertEqual(r.status, 400, query)
            self.assertEqual(r.json()["error"]["field"], field, query)

    def test_command_line_writes_the_same_figures(self):
        out = os.path.join(self.tmp, "maand.xlsx")
        before = time.time()
        res = self.d.cli("report", "--year", str(YEAR), "--as-of", "2026-03-31", "--output", out)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("as of 2026-03-31", res.stdout)
        # the mode of any new file of the user (lvhcmon inherits our umask), not mkstemp's 0600
        mask = os.umask(0)
        os.umask(mask)
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o666 & ~mask)
        wb = openpyxl.load_workbook(out)
        self.check_workbook(wb, "2026-03-31", before)
        self.assertEqual(sorted(os.listdir(self.tmp)), sorted(["a.csv", "b.csv", "daemon-tmp",
                                                               "maand.xlsx", "reference"]))
        # the API's workbook holds the same cells, but for the time it was made
        _, api_wb, _ = self.download(f"year={YEAR}&as_of=2026-03-31")
        for name in SHEETS:
            ours = [[c.value for c in row] for row in wb[name].iter_rows()]
            theirs = [[c.value for c in row] for row in api_wb[name].iter_rows()]
            if name == "Samenvatting":
                ours = [r for r in ours if r[0] != "Gegenereerd op (tijd in Nederland)"]
                theirs = [r for r in theirs if r[0] != "Gegenereerd op (tijd in Nederland)"]
            self.assertEqual(ours, theirs, name)

    def test_command_line_refusals(self):
        out = os.path.join(self.tmp, "x.xlsx")
        for args, words in ((["--year", str(YEAR)], "--output"),
                            (["--year", str(YEAR), "--as-of", "2025-06-30", "--output", out],
                             "before the year"),
                            (["--year", str(YEAR), "--as-of", "30-06-2026", "--output", out],
                             "YYYY-MM-DD"),
                            (["--year", "20x6", "--output", out], "--year")):
            res = self.d.cli("report", *args)
            self.assertEqual(res.returncode, 2, args)
            self.assertIn(words, res.stderr)
        missing_dir = os.path.join(self.tmp, "no-such-folder", "x.xlsx")
        res = self.d.cli("report", "--year", str(YEAR), "--output", missing_dir)
        self.assertEqual(res.returncode, 1)
        self.assertIn("no-such-folder", res.stderr)
        self.assertFalse(os.path.exists(out))
