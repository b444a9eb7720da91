"""test_profile.py: the planned monthly profile (reference data profile.csv) end to end.

Reference data tests/data/status/ (national cap 2026: 1,000,000 cents) plus profile.csv
with weights that put nearly the whole cap in November and December:

    January..October 1 basis point each, November and December 4995 each.

The profile through the end of month k is cap x (sum of the weights of 1..k) / 10000,
rounded once: 100 cents a month through October, then 500,500 and 1,000,000. The even
profile through October 31 is 1,000,000 x 304 / 365 = 832,877 cents (832876.7, rounded).

The declarations: three lines of 2026 (18000 + 13500 + 8595 = 40095 cents, January and
February), imported as received on 2026-03-10. As of 2026-11-30 the months January to
October are complete (October's deadline is 2026-11-24), so the spend of the complete
months, 40095, is far ahead of the planned profile (1,000) and far behind the even one:
BudgetAheadOfProfile is one of the alerts the rules fire on those figures with the planned
profile and not with the even one.

Then the loader's refusals (file, line, column; nothing changed) and the way back to the
even profile when the file is removed.
"""

import os
import shutil
import tempfile

import harness

REFERENCE = os.path.join(harness.SOURCE_DIR, "tests", "data", "status")
YEAR = 2026
WEIGHTS = [1] * 10 + [4995, 4995]
CAP = 1000000
AS_OF = "2026-11-30"

DECLARATIONS = (
    "provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,minutes,"
    "travel_cents,debit_credit,corrects_ref\n"
    "41000001,P-1,P1-1,123456782,CAKOR,2026-01-05,2026-01-05,90,0,D,\n"
    "41000001,P-1,P1-2,111222333,CAKOR,2026-02-10,2026-02-10,60,1500,D,\n"
    "41000002,P-2,P2-1,999999990,CAHUN,2026-01-07,2026-01-07,45,0,D,\n")


def profile_csv(rows):
    return "year,month,weight_bp\n" + "".join(f"{y},{m},{w}\n" for y, m, w in rows)


def planned_through(k, weights=WEIGHTS):
    """The planned profile through month k, rounded once half away from zero."""
    num = CAP * sum(weights[:k])
    return (num + 5000) // 10000


def even_through(k):
    import datetime
    end = datetime.date(YEAR, k, 1) + datetime.timedelta(days=31)
    end = end.replace(day=1) - datetime.timedelta(days=1)
    days = (end - datetime.date(YEAR, 1, 1)).days + 1
    return (CAP * days * 2 + 365) // (2 * 365)


class ProfileTest(harness.LvhcmonTestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="profile-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.ref = os.path.join(self.tmp, "reference")
        shutil.copytree(REFERENCE, self.ref)
        self.write_profile([(YEAR, m + 1, w) for m, w in enumerate(WEIGHTS)])
        self.d = self.daemon(settings={"budget": {"default_year": YEAR}})
        self.load_ok()
        path = os.path.join(self.tmp, "decl.csv")
        with open(path, "w") as f:
            f.write(DECLARATIONS)
        res = self.d.cli("import", path, "--received-on", "2026-03-10")
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        self.token = self.d.make_token("controller")

    def write_profile(self, rows):
        with open(os.path.join(self.ref, "profile.csv"), "w") as f:
            f.write(profile_csv(rows))

    def load_ok(self):
        res = self.d.cli("reference", "load", self.ref)
        self.assertEqual(res.returncode, 0, res.stderr)
        return res

    def status(self, as_of=None):
        path = f"/api/v1/status?year={YEAR}" + (f"&as_of={as_of}" if as_of else "")
        r = self.d.http("GET", path, token=self.token)
        self.assertEqual(r.status, 200, r.text)
        return r.json()

    def test_planned_profile_in_the_status(self):
        s = self.status(AS_OF)
        self.assertEqual(s["profile_kind"], "planned")
        self.assertEqual(s["complete_months"], 10)
        self.assertEqual(s["profile_ytd_cents"], planned_through(10))
        self.assertEqual(s["profile_ytd_cents"], 1000)
        self.assertEqual(s["profile_through"], "2026-10-31")
        self.assertEqual([m["profile_cents"] for m in s["months"]],
                         [planned_through(k) for k in range(1, 13)])
        self.assertEqual(s["months"][10]["profile_cents"], 500500)
        self.assertEqual(s["months"][11]["profile_cents"], CAP)
        # the live figures use it too, through their own complete months
        live = self.status()
        self.assertEqual(live["profile_kind"], "planned")
        self.assertEqual(live["profile_ytd_cents"], planned_through(live["complete_months"]))

    def test_ahead_of_the_planned_profile_and_not_of_the_even_one(self):
        planned = self.status(AS_OF)
        os.remove(os.path.join(self.ref, "profile.csv"))
        self.load_ok()
        even = self.status(AS_OF)
        self.assertEqual(even["profile_kind"], "even")
        self.assertEqual(even["profile_ytd_cents"], even_through(10))
        self.assertEqual(even["profile_ytd_cents"], 832877)
        self.assertEqual([m["profile_cents"] for m in even["months"]],
                         [even_through(k) for k in range(1, 13)])
        # the same figures otherwise; one alert more with the planned profile:
        # BudgetAheadOfProfile (40095 in the complete months against 1000)
        self.assertEqual(planned["spent_complete_cents"], 40095)
        self.assertEqual(even["spent_complete_cents"], 40095)
        self.assertEqual(planned["alerts_firing"], even["alerts_firing"] + 1)

    def test_refused_profiles_change_nothing(self):
        before = self.status(AS_OF)
        good = [(YEAR, m + 1, w) for m, w in enumerate(WEIGHTS)]
        cases = [
            ("sum 9999", good[:11] + [(YEAR, 12, 4994)], "lines 2-13", "sum to 9999"),
            ("month missing", good[:11], "lines 2-12", "no row for month 12"),
            ("month twice", good + [(YEAR, 3, 0)], "line 14", "given twice"),
            ("month 13", good[:11] + [(YEAR, 13, 4995)], "line 13", "month"),
            ("weight above the whole", good[:11] + [(YEAR, 12, 10001)], "line 13", "weight_bp"),
        ]
        for what, rows, where, words in cases:
            with self.subTest(what):
                self.write_profile(rows)
                res = self.d.cli("reference", "load", self.ref)
                self.assertEqual(res.returncode, 1, res.stdout)
                self.assertIn("profile.csv", res.stderr)
                self.assertIn(where, res.stderr)
                self.assertIn(words, res.stderr)
                self.assertIn("nothing was changed", res.stderr)
                after = self.status(AS_OF)
                self.assertEqual(after["profile_ytd_cents"], before["profile_ytd_cents"])
                self.assertEqual(after["profile_kind"], "planned")
        # a weight that is not a number is refused by the column check
        with open(os.path.join(self.ref, "profile.csv"), "w") as f:
            f.write("year,month,weight_bp\n2026,1,ten\n")
        res = self.d.cli("reference", "load", self.ref)
        self.assertEqual(res.returncode, 1)
        self.assertIn("profile.csv line 2: weight_bp", res.stderr)
