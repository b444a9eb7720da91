"""submissions.py: valid declaration submissions for the robustness tests, and a client
that keeps retrying through crashes and outages.

The robustness tests (crash safety, database outage, two instances, hostile input) need many
submissions that the daemon accepts line for line, so that any difference between what was
sent and what was stored is the daemon's fault, not the data's. They are built from the
reference data under reference/: a provider with a designation for a target group that is
open for the whole year, that group's time prestatie, the provider's rate for the year;
BSNs pass the 11-test; every line_ref is unique; service months are past and the line stays
within one month. The same seed gives the same submissions.

    gen = SubmissionFactory(seed=7)
    body = gen.json_submission("crash-0001", n_lines=12)     # a dict for POST
    post = post_until_answered(daemon, body, token, deadline)  # retries on 503 / no answer
"""

import csv
import datetime
import http.client
import os
import random
import socket
import time

import harness

YEAR = 2026
# Service months are in the past on any day the suite runs in 2026 or later; lines of
# earlier months are "late" (a warning), which keeps them accepted.
MONTHS = range(1, 10)


def reference_rows(name):
    with open(os.path.join(harness.SOURCE_DIR, "reference", name), encoding="utf-8",
              newline="") as f:
        return list(csv.DictReader(f))


def bsn_valid(bsn):
    """The 11-test of doc/domain.md: 9 digits, sum of digit * (9..2) minus the last digit is a
    multiple of 11."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1))) - int(bsn[8])
    return total % 11 == 0


def fixed_bsns(n, start=10000000, step=7):
    """n distinct BSNs that pass the 11-test, always the same ones: the first eight digits
    from @start on in steps of @step, each with its check digit where one exists."""
    out, k = [], start
    while len(out) < n:
        head = f"{k:08d}"
        last = sum(int(d) * w for d, w in zip(head, range(9, 1, -1))) % 11
        if last < 10:
            out.append(head + str(last))
        k += step
    return out


def random_bsn(rng):
    """A random BSN that passes the 11-test."""
    while True:
        head = f"{rng.randrange(10**7, 10**8):08d}"
        last = sum(int(d) * w for d, w in zip(head, range(9, 1, -1))) % 11
        if last < 10:
            bsn = head + str(last)
            assert bsn_valid(bsn)
            return bsn


def declarable_pairs(year=YEAR):
    """(provider AGB, time prestatie code) pairs that are valid for every month of @year:
    a designation covering the year, an open target group, a rate for the year."""
    groups = {r["code"]: r for r in reference_rows("target_groups.csv")}
    rates = {(r["agb"], r["year"]) for r in reference_rows("rates.csv")}
    time_codes = {r["target_group"]: r["code"] for r in reference_rows("prestaties.csv")
                  if r["year"] == str(year) and r["kind"] == "time"}
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    pairs = set()
    for d in reference_rows("designations.csv"):
        group = groups.get(d["target_group"])
        if group is None or not group["ca_from"] or d["target_group"] not in time_codes:
            continue
        if datetime.date.fromisoformat(group["ca_from"]) > first:
            continue
        if datetime.date.fromisoformat(d["valid_from"]) > first:
            continue
        if d["valid_to"] and datetime.date.fromisoformat(d["valid_to"]) < last:
            continue
        if (d["agb"], str(year)) not in rates:
            continue
        pairs.add((d["agb"], time_codes[d["target_group"]]))
    return sorted(pairs)


class SubmissionFactory:
    """Builds valid JSON submissions; deterministic for a seed."""

    def __init__(self, seed, providers=None):
        self.rng = random.Random(seed)
        pairs = declarable_pairs()
        if providers is not None:
            pairs = [p for p in pairs if p[0] in providers]
        if not pairs:
            raise RuntimeError("no declarable (provider, prestatie) pair in reference/")
        self.pairs = pairs

    def json_submission(self, reference, n_lines, provider=None):
        """A submission dict of @n_lines valid debit lines; line_refs are @reference-N."""
        if provider is None:
            agb, code = self.rng.choice(self.pairs)
        else:
            agb, code = next(p for p in self.pairs if p[0] == provider)
        lines = []
        for i in range(n_lines):
            month = self.rng.choice(MONTHS)
            day = self.rng.randint(1, 28)
            lines.append({
                "line_ref": f"{reference}-{i + 1}",
                "client_bsn": random_bsn(self.rng),
                "prestatie": code,
                "date_from": f"{YEAR}-{month:02d}-{day:02d}",
                "date_to": f"{YEAR}-{month:02d}-{day:02d}",
                "minutes": self.rng.randint(1, 48) * 15,
                "travel_cents": 0,
                "debit_credit": "D",
                "corrects_ref": None,
            })
        return {"provider_agb": agb, "reference": reference, "lines": lines}


# Errors that mean "no answer came": the daemon died, restarted, or closed the connection.
NO_ANSWER = (OSError, http.client.HTTPException, socket.timeout)


class Outcome:
    """What became of one submission sent with post_until_answered()."""

    def __init__(self):
        self.response = None  # the final harness.Response (2xx or a non-retryable error)
        self.no_answer = 0    # attempts that got no HTTP answer at all
        self.unavailable = 0  # attempts answered 503

    @property
    def retries(self):
        return self.no_answer + self.unavailable


def post_until_answered(daemon, body, token, deadline, path="/api/v1/declarations",
                        timeout=15, pause=0.05):
    """POSTs @body until an answer other than 503 comes, or @deadline (monotonic) passes.
    Reads daemon.port on every attempt, so a restarted daemon is found again. Returns an
    Outcome (response None when the deadline passed)."""
    out = Outcome()
    while time.monotonic() < deadline:
        try:
            r = daemon.http("POST", path, body, token=token, timeout=timeout)
        except NO_ANSWER:
            out.no_answer += 1
            time.sleep(pause)
            continue
        if r.status == 503:
            out.unavailable += 1
            time.sleep(pause)
            continue
        out.response = r
        break
    return out


def free_port():
    """A loopback TCP port that is free now (for a daemon that must keep its port across
    restarts; the daemon sets SO_REUSEADDR, so TIME_WAIT does not block it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(daemon):
    """Loads reference/ into the daemon's database with `lvhcmon reference load`."""
    res = daemon.cli("reference", "load", os.path.join(harness.SOURCE_DIR, "reference"))
    if res.returncode != 0:
        raise RuntimeError(f"reference load failed: {res.stdout}{res.stderr}")


def ledger_counts(pg, dbname):
    """(submissions, declaration lines, ingest attempts) in the database."""
    row = pg.sql("SELECT (SELECT count(*) FROM submission), "
                 "(SELECT count(*) FROM declaration_line), "
                 "(SELECT count(*) FROM ingest_attempt)", dbname=dbname)[0]
    return tuple(int(v) for v in row)


def ledger_inconsistencies(pg, dbname):
    """Every way the ledger could be half-written, as a list of readable strings (empty when
    consistent): a submission whose accepted + rejected differs from its stored lines, a
    line without its submission, a submission total that is not the sum of its accepted
    lines."""
    problems = []
    for sid, ref, counted, stored in pg.sql(
            "SELECT s.id, s.reference, s.accepted + s.rejected, count(l.id) "
            "FROM submission s LEFT JOIN declaration_line l ON l.submission_id = s.id "
            "GROUP BY s.id HAVING s.accepted + s.rejected <> count(l.id)", dbname=dbname):
        problems.append(f"submission {sid} ({ref}): {counted} lines counted, {stored} stored")
    for sid, n in pg.sql(
            "SELECT l.submission_id, count(*) FROM declaration_line l "
            "LEFT JOIN submission s ON s.id = l.submission_id WHERE s.id IS NULL "
            "GROUP BY l.submission_id", dbname=dbname):
        problems.append(f"{n} lines of submission {sid}, which does not exist")
    for sid, ref, total, lines in pg.sql(
            "SELECT s.id, s.reference, s.amount_cents, "
            "coalesce(sum(l.amount_cents) FILTER (WHERE l.accepted), 0) "
            "FROM submission s LEFT JOIN declaration_line l ON l.submission_id = s.id "
            "GROUP BY s.id HAVING s.amount_cents <> "
            "coalesce(sum(l.amount_cents) FILTER (WHERE l.accepted), 0)", dbname=dbname):
        problems.append(f"submission {sid} ({ref}): total {total}, accepted lines {lines}")
    for sid, acc, n in pg.sql(
            "SELECT s.id, s.accepted, count(l.id) FILTER (WHERE l.accepted) "
            "FROM submission s LEFT JOIN declaration_line l ON l.submission_id = s.id "
            "GROUP BY s.id HAVING s.accepted <> count(l.id) FILTER (WHERE l.accepted)",
            dbname=dbname):
        problems.append(f"submission {sid}: accepted {acc}, accepted lines stored {n}")
    return problems


def status_spent(daemon, token, year=YEAR):
    """spent_cents of GET /api/v1/status, or None when this build has no status endpoint.
    Returns (spent_cents, document)."""
    r = daemon.http("GET", f"/api/v1/status?year={year}", token=token)
    if r.status == 404:
        return None, None
    if r.status != 200:
        raise AssertionError(f"GET /api/v1/status: {r.status} {r.text}")
    doc = r.json()
    return doc["spent_cents"], doc
