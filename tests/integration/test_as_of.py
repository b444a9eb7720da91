"""test_as_of.py: the figures as of a day (as_of on /status, /groups, /providers), the
zorgkantoren in the status and /providers?zorgkantoor=Z.

The year (reference data tests/data/status/, plus zorgkantoren.csv with one name) is two
CSV files imported with `lvhcmon import --received-on`, so that each is recorded as
received at noon of its day in Amsterdam:

  A, received 2026-03-10:
    41000001 CAKOR 2026-01-05  90 min at EUR 120/h, rate 100 %            = 18000
    41000001 CAKOR 2026-02-10  60 min + travel_cents 1500                 = 13500
    41000002 CAHUN 2026-01-07  45 min at 12000 x 9550 / 600000 = 191/min  =  8595
                                                                   total 40095
  B, received 2026-04-20:
    41000003 CAGPP 2026-02-12 100 min at EUR 60/h                         = 10000
    41000001 CAKOR 2026-03-03  30 min                                     =  6000
    41000002 CAHUN 2026-03-04  61 min x 191                               = 11651
                                                                   total 27651

As of 2026-03-31 (between the two) the figures are A's exactly: spent 40095; January
18000 + 8595 = 26595, February 13500; KOR 31500, HUN 8595; zorgkantoor 5501 31500, 5502
8595, 5503 0. January's deadline (17 working days) is 2026-02-24 and February's
2026-03-24, so both months are complete on 2026-03-31, and 41000003 (designated until
2026-02-28) has declared neither: missing 2026-01 and 2026-02; 41000002 misses 2026-02.

A third file C, received 2026-03-20 but imported last (a backfill), adds
    41000002 CAHUN 2026-02-16  10 min x 191                               =  1910
so the figures as of 2026-03-31, cached before it came, must change to 42005, while those
as of 2026-03-15 must not.

DstCutoffTest puts submissions into the ledger at chosen instants around both changes of
the clocks and checks which of them a day's figures include.
"""

import datetime
import shutil
import tempfile
import time

import harness

from month_end_data import (A_TOTAL, B_TOTAL, C_TOTAL, FILE_C, REFERENCE, YEAR, import_file,
                            load_year, MonthEndCase, today_amsterdam)


class AsOfTest(MonthEndCase):
    """One daemon; files A and B imported, C only in the test that needs it (last)."""

    @classmethod
    def prepare(cls):
        cls.token = cls.d.make_token("controller")
        cls.dashboard = cls.d.make_token("dashboard")

    def get(self, path, headers=None, token=None):
        return self.d.http("GET", path, token=token or self.token, headers=headers)

    def get_json(self, path):
        r = self.get(path)
        self.assertEqual(r.status, 200, f"{path}: {r.text}")
        return r.json()

    def wait_live(self, spent, timeout=10):
        """The live status once it holds @spent (imports notify the snapshot thread)."""
        deadline = time.monotonic() + timeout
        while True:
            s = self.get_json(f"/api/v1/status?year={YEAR}")
            if s["spent_cents"] == spent or time.monotonic() > deadline:
                return s
            time.sleep(0.05)

    # -- point 9 of the month end: as_of between two imports --------------------------------

    def test_between_the_imports_the_first_ones_figures(self):
        s = self.get_json(f"/api/v1/status?year={YEAR}&as_of=2026-03-31")
        self.assertEqual(s["as_of"], "2026-03-31")
        self.assertEqual(s["spent_cents"], A_TOTAL)
        self.assertEqual(s["spent_cents"], 40095)
        self.assertEqual(s["remaining_cents"], 1000000 - 40095)
        self.assertEqual(s["minutes"], 90 + 60 + 45)
        self.assertEqual(s["travel_cents"], 1500)
        months = {m["month"]: m for m in s["months"]}
        self.assertEqual(months["2026-01"]["spent_cents"], 26595)
        self.assertEqual(months["2026-02"]["spent_cents"], 13500)
        self.assertEqual(months["2026-03"]["spent_cents"], 0)
        self.assertEqual(months["2026-02"]["cumulative_cents"], 40095)
        groups = {g["code"]: g["spent_cents"] for g in s["groups"]}
        self.assertEqual(groups, {"KOR": 31500, "HUN": 8595, "GPP": 0, "DZEP": 0, "NAHP": 0,
                                  "MSP": 0})
        # judged on 2026-03-31: January and February complete (deadlines 02-24, 03-24)
        self.assertEqual(s["complete_months"], 2)
        self.assertEqual(s["spent_complete_cents"], 40095)
        self.assertTrue(months["2026-02"]["complete"])
        self.assertFalse(months["2026-03"]["complete"])
        self.assertEqual(months["2026-01"]["providers_missing"], 1)  # 41000003
        self.assertEqual(months["2026-02"]["providers_missing"], 2)  # 41000003, 41000002
        # the newest submission received by then: file A, at noon CET = 11:00 UTC
        self.assertEqual(s["data_as_of"], "2026-03-10T11:00:00Z")
        # the forecast judged on that day: two complete months, run rate their mean
        self.assertEqual(s["forecast"]["complete_months"], 2)
        self.assertEqual(s["forecast"]["run_rate_cents"], (26595 + 13500 + 1) // 2)

    def test_the_day_before_and_the_day_of_the_second_import(self):
        self.assertEqual(
            self.get_json(f"/api/v1/status?year={YEAR}&as_of=2026-04-19")["spent_cents"], A_TOTAL)
        self.assertEqual(
            self.get_json(f"/api/v1/status?year={YEAR}&as_of=2026-04-20")["spent_cents"],
            A_TOTAL + B_TOTAL)
        self.assertEqual(
            self.get_json(f"/api/v1/status?year={YEAR}&as_of=2026-03-09")["spent_cents"], 0)
        self.assertEqual(
            self.get_json(f"/api/v1/status?year={YEAR}&as_of=2026-01-01")["spent_cents"], 0)

    def test_live_figures_unchanged_and_without_as_of(self):
        s = self.wait_live(A_TOTAL + B_TOTAL)
        self.assertEqual(s["spent_cents"], A_TOTAL + B_TOTAL)
        self.assertNotIn("as_of", s)
        # as_of today is the live figures
        today = today_amsterdam().isoformat()
        t = self.get_json(f"/api/v1/status?year={YEAR}&as_of={today}")
        self.assertEqual(t["as_of"], today)
        for key in ("spent_cents", "complete_months", "profile_ytd_cents", "months", "groups",
                    "zorgkantoren", "forecast"):
            self.assertEqual(t[key], s[key], key)

    def test_groups_and_providers_as_of(self):
        g = self.get_json(f"/api/v1/groups/KOR?year={YEAR}&as_of=2026-03-31")
        self.assertEqual(g["as_of"], "2026-03-31")
        self.assertEqual(g["spent_cents"], 31500)
        self.assertEqual([p["agb"] for p in g["providers"]], ["41000001"])
        p = self.get_json(f"/api/v1/providers?year={YEAR}&as_of=2026-03-31")
        self.assertEqual(p["as_of"], "2026-03-31")
        by = {x["agb"]: x for x in p["providers"]}
        self.assertEqual(by["41000003"]["spent_cents"], 0)
        self.assertEqual(by["41000003"]["missing_months"], ["2026-01", "2026-02"])
        self.assertEqual(by["41000002"]["missing_months"], ["2026-02"])
        self.assertEqual(by["41000001"]["missing_months"], [])
        # live: 41000003 declared February in file B, late
        live = {x["agb"]: x for x in self.get_json(f"/api/v1/providers?year={YEAR}")["providers"]}
        self.assertEqual(live["41000003"]["spent_cents"], 10000)
        self.assertEqual(live["41000003"]["missing_months"], ["2026-01"])
        one = self.get_json(f"/api/v1/providers/41000001?year={YEAR}&as_of=2026-03-31")
        self.assertEqual(one["as_of"], "2026-03-31")
        self.assertEqual(one["spent_cents"], 31500)
        self.assertEqual([m["spent_cents"] for m in one["months"][:3]], [18000, 13500, 0])

    def test_etag_is_kept_while_nothing_changes(self):
        path = f"/api/v1/status?year={YEAR}&as_of=2026-03-30"
        first = self.get(path)
        self.assertEqual(first.status, 200)
        etag = first.headers["etag"]
        second = self.get(path)
        self.assertEqual(second.headers["etag"], etag)
        self.assertEqual(second.json()["generated_at"], first.json()["generated_at"])
        again = self.get(path, headers={"If-None-Match": etag})
        self.assertEqual(again.status, 304)
        self.assertEqual(again.body, b"")

    def test_bad_as_of_is_400_naming_the_field(self):
        tomorrow = (today_amsterdam() + datetime.timedelta(days=1)).isoformat()
        for value, words in (("2026-13-01", "YYYY-MM-DD"), ("31-10-2026", "YYYY-MM-DD"),
                             ("2026-02-30", "YYYY-MM-DD"), ("", "YYYY-MM-DD"),
                             (tomorrow, "future"), ("2025-12-31", "before the year")):
            for path in ("/api/v1/status", "/api/v1/groups/KOR", "/api/v1/providers",
                         "/api/v1/providers/41000001"):
                r = self.get(f"{path}?year={YEAR}&as_of={value}")
                self.assertEqual(r.status, 400, f"{path} as_of={value!r}: {r.text}")
                err = r.json()["error"]
                self.assertEqual(err["field"], "as_of", err)
                self.assertEqual(err["code"], "bad_request")
                self.assertIn(words, err["message"])

    # -- zorgkantoren --------------------------------------------------------------------

    def check_zorgkantoren_add_up(self, s):
        zks = {z["code"]: z for z in s["zorgkantoren"]}
        self.assertEqual(sum(z["spent_cents"] for z in zks.values()), s["spent_cents"])
        self.assertAlmostEqual(sum(z["share_ratio"] for z in zks.values()), 1.0, places=9)
        self.assertEqual(sum(z["minutes"] for z in zks.values()), s["minutes"])
        self.assertEqual(sum(z["travel_cents"] for z in zks.values()), s["travel_cents"])
        return zks

    def test_zorgkantoren_add_up_to_the_national_total(self):
        s = self.wait_live(A_TOTAL + B_TOTAL)
        zks = self.check_zorgkantoren_add_up(s)
        self.assertEqual(zks["5501"]["spent_cents"], 18000 + 13500 + 6000)
        self.assertEqual(zks["5502"]["spent_cents"], 8595 + 11651)
        self.assertEqual(zks["5503"]["spent_cents"], 10000)
        self.assertEqual(zks["5501"]["name"], "Zorgkantoor Noord (test)")
        self.assertIsNone(zks["5502"]["name"])
        self.assertEqual([zks[c]["providers"] for c in ("5501", "5502", "5503")], [1, 1, 1])
        self.assertAlmostEqual(zks["5501"]["share_ratio"], 37500 / (A_TOTAL + B_TOTAL))
        # the cap stays national
        self.assertEqual(s["cap_cents"], 1000000)
        asof = self.get_json(f"/api/v1/status?year={YEAR}&as_of=2026-03-31")
        zks = self.check_zorgkantoren_add_up(asof)
        self.assertEqual(zks["5503"]["spent_cents"], 0)
        self.assertEqual(zks["5503"]["providers"], 1)

    def test_providers_of_one_zorgkantoor(self):
        self.wait_live(A_TOTAL + B_TOTAL)
        p = self.get_json(f"/api/v1/providers?year={YEAR}&zorgkantoor=5501")
        self.assertEqual([x["agb"] for x in p["providers"]], ["41000001"])
        zk = p["zorgkantoor"]
        self.assertEqual(zk["code"], "5501")
        self.assertEqual(zk["name"], "Zorgkantoor Noord (test)")
        self.assertEqual(zk["spent_cents"], 37500)
        self.assertEqual(zk["providers"], 1)
        self.assertAlmostEqual(zk["share_ratio"], 37500 / (A_TOTAL + B_TOTAL))
        self.assertEqual(sum(x["spent_cents"] for x in p["providers"]), zk["spent_cents"])
        # as of a day, with the zorgkantoor's figures of then
        p = self.get_json(f"/api/v1/providers?year={YEAR}&zorgkantoor=5503&as_of=2026-03-31")
        self.assertEqual(p["as_of"], "2026-03-31")
        self.assertEqual([x["agb"] for x in p["providers"]], ["41000003"])
        self.assertEqual(p["zorgkantoor"]["spent_cents"], 0)
        # a valid code without providers: an empty list with zeros
        p = self.get_json(f"/api/v1/providers?year={YEAR}&zorgkantoor=5533")
        self.assertEqual(p["providers"], [])
        self.assertEqual(p["zorgkantoor"]["spent_cents"], 0)
        self.assertEqual(p["zorgkantoor"]["providers"], 0)
        for bad in ("55", "5534", "5500", "abcd", "55011", ""):
            r = self.get(f"/api/v1/providers?year={YEAR}&zorgkantoor={bad}")
            self.assertEqual(r.status, 400, f"{bad!r}: {r.text}")
            self.assertEqual(r.json()["error"]["field"], "zorgkantoor")

    def test_roles(self):
        r = self.get(f"/api/v1/status?year={YEAR}&as_of=2026-03-31", token=self.dashboard)
        self.assertEqual(r.status, 200)
        r = self.get(f"/api/v1/providers?year={YEAR}&zorgkantoor=5501", token=self.dashboard)
        self.assertEqual(r.status, 403)

    # -- a backfill after the figures were cached: runs last (zz) ---------------------------

    def test_zz_backfill_changes_a_cached_day_and_only_that(self):
        before_31 = self.get(f"/api/v1/status?year={YEAR}&as_of=2026-03-31")
        before_15 = self.get(f"/api/v1/status?year={YEAR}&as_of=2026-03-15")
        self.assertEqual(before_31.json()["spent_cents"], A_TOTAL)
        import_file(self.d, self.tmp, "c.csv", FILE_C, "2026-03-20")
        after_31 = self.get(f"/api/v1/status?year={YEAR}&as_of=2026-03-31")
        self.assertEqual(after_31.json()["spent_cents"], A_TOTAL + C_TOTAL)
        self.assertNotEqual(after_31.headers["etag"], before_31.headers["etag"])
        r = self.get(f"/api/v1/status?year={YEAR}&as_of=2026-03-31",
                     headers={"If-None-Match": before_31.headers["etag"]})
        self.assertEqual(r.status, 200, "an If-None-Match of the old figures must not be 304")
        months = {m["month"]: m for m in after_31.json()["months"]}
        self.assertEqual(months["2026-02"]["spent_cents"], 13500 + 1910)
        self.assertEqual(months["2026-02"]["providers_missing"], 1)  # 41000002 declared now
        after_15 = self.get(f"/api/v1/status?year={YEAR}&as_of=2026-03-15")
        self.assertEqual(after_15.headers["etag"], before_15.headers["etag"])
        self.assertEqual(after_15.json()["spent_cents"], A_TOTAL)


class AsOfOutageTest(harness.LvhcmonTestCase):
    """While PostgreSQL is down: a cached day is served marked stale (its figures kept), a
    day not cached is 503 with Retry-After, and the workbook is refused (503) even for the
    cached day; once the database is back, the same day is served fresh again."""

    def test_cached_day_stale_uncached_503_report_refused(self):
        tmp = tempfile.mkdtemp(prefix="asof-outage-")
        self.addCleanup(shutil.rmtree, tmp, True)
        d = self.daemon(settings={"budget": {"default_year": YEAR}})
        load_year(d, tmp)
        token = d.make_token("controller")
        cached = f"/api/v1/status?year={YEAR}&as_of=2026-03-31"
        r = d.http("GET", cached, token=token)
        self.assertEqual(r.status, 200, r.text)
        self.assertIs(r.json()["stale"], False)
        self.assertEqual(r.json()["spent_cents"], A_TOTAL)
        self.pg.stop()
        try:
            r = d.http("GET", cached, token=token)
            self.assertEqual(r.status, 200, r.text)
            self.assertIs(r.json()["stale"], True)
            self.assertEqual(r.json()["spent_cents"], A_TOTAL)
            self.assertEqual(r.json()["as_of"], "2026-03-31")
            r = d.http("GET", f"/api/v1/status?year={YEAR}&as_of=2026-03-30", token=token)
            self.assertEqual(r.status, 503, r.text)
            self.assertEqual(r.json()["error"]["code"], "unavailable")
            self.assertIn("retry-after", r.headers)
            r = d.http("GET", f"/api/v1/report.xlsx?year={YEAR}&as_of=2026-03-31", token=token)
            self.assertEqual(r.status, 503, r.text[:300])
            self.assertIn("cannot be reached", r.json()["error"]["message"])
        finally:
            self.pg.start()
        deadline = time.monotonic() + 15
        while True:
            r = d.http("GET", cached, token=token)
            if r.status == 200 and r.json()["stale"] is False:
                break
            # the first request after the restart may meet a pooled connection that died
            self.assertLess(time.monotonic(), deadline, f"still {r.status}: {r.text[:300]}")
            time.sleep(0.1)
        self.assertEqual(r.json()["spent_cents"], A_TOTAL)


class DstCutoffTest(harness.LvhcmonTestCase):
    """Where a day ends around the changes of the clocks: submissions put into the ledger at
    chosen instants (SQL, as ingest stores them: a submission row and its line)."""

    # (instant in UTC, amount): what Amsterdam's clock says in the comment
    ROWS = [
        ("2026-03-28 22:59:59+00", 1),    # Sat 28 March 23:59:59 CET
        ("2026-03-28 23:00:00+00", 2),    # Sun 29 March 00:00:00 CET
        ("2026-03-29 21:59:59+00", 4),    # Sun 29 March 23:59:59 CEST (a day of 23 hours)
        ("2026-03-29 22:00:00+00", 8),    # Mon 30 March 00:00:00 CEST
        ("2026-10-24 21:59:59+00", 16),   # Sat 24 October 23:59:59 CEST
        ("2026-10-24 22:00:00+00", 32),   # Sun 25 October 00:00:00 CEST
        ("2026-10-25 22:59:59+00", 64),   # Sun 25 October 23:59:59 CET (a day of 25 hours)
        ("2026-10-25 23:00:00+00", 128),  # Mon 26 October 00:00:00 CET
    ]
    WANT = {"2026-03-28": 1, "2026-03-29": 7, "2026-03-30": 15, "2026-10-24": 31,
            "2026-10-25": 127, "2026-10-26": 255}

    def test_day_ends_at_local_midnight(self):
        dbname = self.pg.fresh_database()
        d = self.daemon(dbname=dbname, settings={"budget": {"default_year": YEAR}})
        res = d.cli("reference", "load", REFERENCE)
        self.assertEqual(res.returncode, 0, res.stderr)
        for i, (at, amount) in enumerate(self.ROWS):
            sid = 9000 + i
            self.pg.sql(
                "INSERT INTO submission (id, provider_agb, reference, source, content_sha256,"
                " canonical, response, accepted, rejected, amount_cents, received_at)"
                f" VALUES ({sid}, '41000001', 'DST-{i}', 'json', 'x', '{{}}', '{{}}', 1, 0,"
                f" {amount}, '{at}');"
                "INSERT INTO declaration_line (submission_id, line_no, provider_agb, line_ref,"
                " target_group, zorgkantoor, service_month, minutes, amount_cents, accepted,"
                f" debit_credit, received_at) VALUES ({sid}, 1, '41000001', 'DST-{i}', 'KOR',"
                f" '5501', '2026-01-01', 1, {amount}, true, 'D', '{at}')", dbname=dbname)
        token = d.make_token("controller")
        for day, want in self.WANT.items():
            r = d.http("GET", f"/api/v1/status?year={YEAR}&as_of={day}", token=token)
            self.assertEqual(r.status, 200, r.text)
            self.assertEqual(r.json()["spent_cents"], want, f"as of {day}")
