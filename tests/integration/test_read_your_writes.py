"""test_read_your_writes.py: once a submission is answered 200/201, every later read on the
same instance includes it: /status, /groups/{code}, /providers/{agb} and /alerts, the alert
a submission makes fire or resolve included (doc/api.md, "Read your own writes").

The data: the repository's reference/, plus an extra cap on provider A (budgets.csv, scope
provider) of five lines' worth. Provider A's submissions are one line each, 60 minutes of
its group's time prestatie (every line the same amount), or a credit of one of its earlier
lines, in the order

    6 debits, then (3 credits, 3 debits) again and again

so that A's spend runs 1, 2, ... 6 lines, then 5, 4, 3, 4, 5, 6, 5, 4, ... and its
ExtraCapReached alert fires at 5 lines (spend >= cap), stays firing at 5 after a credit
(the 2 % hysteresis), resolves at 4 and fires again at 5: a transition every few
submissions. Every submission is followed at once by the four reads, which must show A's
spend exactly (/providers/{A}, A's row of /groups/{group}, that group in /status) and the
alert in the state the spend implies. Even submissions go as JSON, odd ones as AW319 files
built field by field from the layout (tests/data/aw319/aw319_layout.py).

  - one daemon, 100 submit-then-read pairs: 0 misses, every answer saying
    Lvhcmon-Read-Your-Writes: included;
  - two daemons on one database, B the alert leader and posting its own provider's
    submissions without pause: A's 100 pairs have 0 misses (A's alert states come from B's
    evaluations), and every 10th of A's submissions sent again to B answers 200 (a replay)
    after which B's reads include it too.
"""

import datetime
import fractions
import os
import random
import shutil
import sys
import tempfile
import threading
import time

import harness
import submissions

sys.path.insert(0, os.path.join(harness.SOURCE_DIR, "tests", "data", "aw319"))
import aw319_layout as aw  # noqa: E402  (the record builder beside the committed files)

YEAR = submissions.YEAR
PAIRS = 100
CAP_LINES = 5
MINUTES = 60
HEADER = "lvhcmon-read-your-writes"


def reference_rows(name):
    return submissions.reference_rows(name)


def line_amount(agb, prestatie, minutes=MINUTES, year=YEAR):
    """What lvhcmon prices a time line at (README, "Pricing"): minutes x tariff/h x rate,
    rounded once, half away from zero."""
    tariff = next(int(r["tariff_cents"]) for r in reference_rows("prestaties.csv")
                  if r["year"] == str(year) and r["code"] == prestatie)
    rate = next(int(r["rate_bp"]) for r in reference_rows("rates.csv")
                if r["agb"] == agb and r["year"] == str(year))
    exact = fractions.Fraction(minutes * tariff * rate, 60 * 10000)
    return int(exact + fractions.Fraction(1, 2))  # positive: half away from zero


def group_of(prestatie, year=YEAR):
    return next(r["target_group"] for r in reference_rows("prestaties.csv")
                if r["year"] == str(year) and r["code"] == prestatie)


def zorgkantoor_of(agb):
    return next(r["zorgkantoor"] for r in reference_rows("providers.csv") if r["agb"] == agb)


def two_providers():
    """(agb, prestatie) of two providers of different target groups."""
    pairs = submissions.declarable_pairs()
    a = pairs[0]
    b = next(p for p in pairs if group_of(p[1]) != group_of(a[1]))
    return a, b


def reference_with_cap(agb, cap_cents):
    """A copy of reference/ with an extra cap of @cap_cents on provider @agb for YEAR."""
    dst = tempfile.mkdtemp(prefix="lvhcmon-ref-")
    src = os.path.join(harness.SOURCE_DIR, "reference")
    for name in os.listdir(src):
        if name.endswith(".csv"):
            shutil.copy(os.path.join(src, name), dst)
    rows = [r for r in reference_rows("budgets.csv")
            if not (r["scope"] == "provider" and r["scope_key"] == agb)]
    with open(os.path.join(dst, "budgets.csv"), "w") as f:
        f.write("year,scope,scope_key,cap_cents\n")
        for r in rows:
            f.write(f"{r['year']},{r['scope']},{r['scope_key']},{r['cap_cents']}\n")
        f.write(f"{YEAR},provider,{agb},{cap_cents}\n")
    return dst


class Provider:
    """One provider's stream of one-line submissions (see the module comment): what it
    sends, and the spend and alert state every read must show afterwards."""

    def __init__(self, agb, prestatie, prefix, seed):
        self.agb, self.prestatie, self.prefix = agb, prestatie, prefix
        self.group = group_of(prestatie)
        self.zk = zorgkantoor_of(agb)
        self.amount = line_amount(agb, prestatie)
        self.rng = random.Random(seed)
        self.open_debits = []   # lines not credited yet, oldest first
        self.spent = 0
        self.firing = False     # ExtraCapReached of this provider, as the rule has it
        self.n = 0

    def next_submission(self):
        """(reference, [line]) of the next submission, and its effect on the spend."""
        self.n += 1
        reference = f"{self.prefix}{self.n:04d}"
        if self.next_kind_of(self.n) == "D":
            month = self.rng.randint(1, 9)
            day = self.rng.randint(1, 28)
            line = {"line_ref": f"{reference}-1", "client_bsn": submissions.random_bsn(self.rng),
                    "prestatie": self.prestatie,
                    "date_from": f"{YEAR}-{month:02d}-{day:02d}",
                    "date_to": f"{YEAR}-{month:02d}-{day:02d}", "minutes": MINUTES,
                    "travel_cents": 0, "debit_credit": "D", "corrects_ref": None}
            self.open_debits.append(line)
        else:
            debit = self.open_debits.pop(0)
            line = dict(debit, line_ref=f"{reference}-1", debit_credit="C",
                        corrects_ref=debit["line_ref"])
        return reference, [line]

    def next_kind_of(self, n):
        if n <= 6:
            return "D"
        return "C" if (n - 7) % 6 < 3 else "D"

    def stored(self, amount_cents, cap):
        """Takes in an answered submission's amount; updates the expected alert state."""
        self.spent += amount_cents
        if self.spent >= cap:
            self.firing = True
        elif self.spent * 10000 < cap * 9800:
            self.firing = False

    def json_body(self, reference, lines):
        return {"provider_agb": self.agb, "reference": reference, "lines": lines}

    def aw319_body(self, reference, lines):
        """An AW319 file of @lines (one month), built from the layout."""
        first = datetime.date.fromisoformat(lines[0]["date_from"])
        begin = first.replace(day=1)
        end = (begin + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        records = [aw.header(zk=int(self.zk), agb=int(self.agb), begin=begin.strftime("%Y%m%d"),
                             end=end.strftime("%Y%m%d"), invoice=reference)]
        for line in lines:
            d_from = line["date_from"].replace("-", "")
            d_to = line["date_to"].replace("-", "")
            records.append(aw.client(line["client_bsn"]))
            records.append(aw.line(line["client_bsn"], d_from, d_to, line["prestatie"],
                                   line["minutes"], "01", 0, self.amount,
                                   line["debit_credit"], line["line_ref"],
                                   line["corrects_ref"] or ""))
        records.append(aw.trailer_for(records[1:]))
        return aw.encode(records)


class Reader:
    """The four reads of one instance, and what they must show of a provider."""

    def __init__(self, test, daemon, token):
        self.test, self.d, self.token = test, daemon, token

    def get(self, path):
        r = self.d.http("GET", path, token=self.token)
        self.test.assertEqual(r.status, 200, f"{path}: {r.text}")
        return r.json()

    def misses(self, p):
        """What the instance shows of provider @p that differs from what it must show: a
        list of readable strings (empty: everything included)."""
        out = []
        status = self.get(f"/api/v1/status?year={YEAR}")
        group = next(g for g in status["groups"] if g["code"] == p.group)
        if group["spent_cents"] != p.spent:
            out.append(f"/status group {p.group} spent {group['spent_cents']}, not {p.spent}")
        doc = self.get(f"/api/v1/groups/{p.group}?year={YEAR}")
        row = next((r for r in doc["providers"] if r["agb"] == p.agb), {"spent_cents": 0})
        if row["spent_cents"] != p.spent:
            out.append(f"/groups/{p.group} row {p.agb} spent {row['spent_cents']}, not {p.spent}")
        prov = self.get(f"/api/v1/providers/{p.agb}?year={YEAR}")
        if prov["spent_cents"] != p.spent:
            out.append(f"/providers/{p.agb} spent {prov['spent_cents']}, not {p.spent}")
        alerts = self.get(f"/api/v1/alerts?state=firing&year={YEAR}")["alerts"]
        firing = any(a["labels"].get("alertname") == "ExtraCapReached"
                     and a["labels"].get("provider") == p.agb for a in alerts)
        if firing != p.firing:
            out.append(f"/alerts ExtraCapReached {p.agb} {'firing' if firing else 'not firing'}"
                       f" at spend {p.spent} of {p.amount * CAP_LINES}")
        return out


class ReadYourWritesTest(harness.LvhcmonTestCase):
    def setUp(self):
        (self.agb_a, self.code_a), (self.agb_b, self.code_b) = two_providers()
        self.cap = CAP_LINES * line_amount(self.agb_a, self.code_a)
        self.ref = reference_with_cap(self.agb_a, self.cap)
        self.addCleanup(shutil.rmtree, self.ref, True)
        self.dbname = self.fresh_db()
        self.key = os.urandom(32).hex()

    def instance(self, name):
        d = harness.Daemon(self.pg.conninfo(self.dbname), name=f"lvhcmond-{name}", settings={
            "server": {"threads": 4},
            "budget": {"default_year": YEAR},
            "privacy": {"client_hash_key_file": None, "client_hash_key": self.key}})
        self.addCleanup(d.close)
        return d.start()

    def load_reference(self, d):
        res = d.cli("reference", "load", self.ref)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)

    def post(self, d, token, p, reference, lines, i):
        """Posts submission @i of @p to @d (JSON or AW319 by parity); returns the answer."""
        if i % 2 == 0:
            r = d.http("POST", "/api/v1/declarations", p.json_body(reference, lines), token=token)
        else:
            r = d.http("POST", "/api/v1/declarations/aw319", p.aw319_body(reference, lines),
                       token=token, headers={"Content-Type": "text/plain"})
        return r

    def pairs(self, d, token, reader, p, on_stored=None):
        """PAIRS submit-then-read pairs of @p on @d; returns the misses (readable strings)."""
        misses = []
        for i in range(PAIRS):
            reference, lines = p.next_submission()
            r = self.post(d, token, p, reference, lines, i)
            self.assertEqual(r.status, 201, r.text)
            doc = r.json()
            self.assertEqual((doc["accepted"], doc["rejected"]), (1, 0), doc)
            self.assertEqual(r.headers.get(HEADER), "included", (i, r.headers))
            p.stored(doc["amount_cents"], self.cap)
            for miss in reader.misses(p):
                misses.append(f"pair {i} ({'AW319' if i % 2 else 'JSON'} {reference}): {miss}")
            if on_stored is not None:
                on_stored(i, reference, lines)
        return misses

    def test_one_instance(self):
        a = self.instance("A")
        self.load_reference(a)
        ingest, controller = a.make_token("ingest"), a.make_token("controller")
        p = Provider(self.agb_a, self.code_a, "RYW-A-", seed=91)
        misses = self.pairs(a, ingest, Reader(self, a, controller), p)
        self.assertEqual(misses, [], f"{len(misses)} misses in {PAIRS} pairs")
        print(f"\nread your writes: {PAIRS} submit-then-read pairs (JSON and AW319; /status, "
              f"/groups, /providers, /alerts), 0 misses; {self.alert_transitions(a, controller)}"
              f" transitions of the alert the submissions drove", flush=True)

    def alert_transitions(self, d, token):
        alerts = []
        for state in ("firing", "resolved"):  # not "all": missing months come first
            alerts += d.http("GET", f"/api/v1/alerts?state={state}&year={YEAR}",
                             token=token).json()["alerts"]
        fp = next(a["fingerprint"] for a in alerts
                  if a["labels"].get("alertname") == "ExtraCapReached"
                  and a["labels"].get("provider") == self.agb_a)
        one = d.http("GET", f"/api/v1/alerts/{fp}", token=token).json()
        history = one["history"]
        self.assertGreater(len(history), 4, one)  # the stream really drove the alert
        return len(history)

    def test_two_instances_other_leader_and_concurrent_writer(self):
        # B starts first and so leads the alerts: A's alert states come from B.
        b = self.instance("B")
        self.load_reference(b)
        b.wait_log("alert leader", timeout=30)
        a = self.instance("A")
        ingest, controller = a.make_token("ingest"), a.make_token("controller")
        time.sleep(0.5)
        self.assertEqual(a.find_logs("alert leader"), [])

        stop = threading.Event()
        b_answers = []

        def b_writer():
            q = Provider(self.agb_b, self.code_b, "RYW-B-", seed=17)
            i = 0
            while not stop.is_set():
                reference, lines = q.next_submission()
                r = self.post(b, ingest, q, reference, lines, i)
                b_answers.append((r.status, r.headers.get(HEADER)))
                i += 1

        writer = threading.Thread(target=b_writer, daemon=True)
        writer.start()
        p = Provider(self.agb_a, self.code_a, "RYW-A-", seed=92)
        reader_a, reader_b = Reader(self, a, controller), Reader(self, b, controller)
        replays = []

        def replay_on_b(i, reference, lines):
            if i % 10 != 9:
                return
            r = self.post(b, ingest, p, reference, lines, i)
            self.assertEqual(r.status, 200, r.text)
            self.assertIs(r.json()["replayed"], True)
            self.assertEqual(r.headers.get(HEADER), "included")
            replays.extend(f"replay {i} on B: {m}" for m in reader_b.misses(p))

        try:
            misses = self.pairs(a, ingest, reader_a, p, on_stored=replay_on_b)
        finally:
            stop.set()
            writer.join(60)
        self.assertEqual(misses + replays, [],
                         f"{len(misses)} misses on A, {len(replays)} after replays on B")
        self.assertGreater(len(b_answers), 10, "B's writer hardly ran")
        self.assertEqual({s for s, _ in b_answers}, {201}, b_answers[:5])
        self.assertEqual({h for _, h in b_answers}, {"included"})
        self.assertEqual(a.find_logs("alert leader"), [])
        print(f"\nread your writes, two instances: {PAIRS} pairs on A with B leading the alerts "
              f"and storing {len(b_answers)} submissions meanwhile; 0 misses, and "
              f"{PAIRS // 10} replays through B included in B's reads", flush=True)


if __name__ == "__main__":
    import unittest
    unittest.main()
