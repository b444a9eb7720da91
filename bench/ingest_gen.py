#!/usr/bin/env python3
"""ingest_gen.py: deterministic declaration data for bench/ingest_bench.sh.

Writes, from reference/ (every line valid, so every line is accepted and priced):

  OUT/json/sub_NNNN.json   JSON_SUBS submissions of LINES lines (POST /api/v1/declarations)
  OUT/decl.csv             CSV_SUBS submissions of LINES lines in one file (lvhcmon import)
  OUT/json.copy            the declaration_line rows the JSON submissions become, as COPY text
  OUT/csv.copy             the same for the CSV file
  OUT/copy_columns         the column list of both .copy files

The .copy rows are what ingest stores for these lines, computed here independently of
the C code: the keyed client hash (HMAC-SHA256 with the key in --key-file), prestatie,
target group, zorgkantoor, dates, quantity, minutes, travel part, tariff, rate, amount
(rounded once, half away from zero), the late flag and its 0586 code and reason.
submission_id is the position of the submission in its set (1..N), as a fresh database
numbers them. The benchmark COPYs them into a fresh copy of the schema for the reference
rate, and compares them with what ingest stored.

The data: each provider with a 2026 rate and designations valid all of January-October
2026 gets submissions in turn. Per provider, line n goes to client n mod POOL of that
provider's pool (clients repeat across submissions, so the prior-lines lookup of ingest
has real work), in the month and day given by n div POOL (so no service repeats); one line
in ten is travel (trips or km), the rest time (15-240 minutes) of one of the provider's
designated groups. All service dates lie in January-October 2026.

With --providers N only the first N such providers take part: submission k (from 0) then
belongs to provider k mod N (bench/bulk_bench.sh gives each of its N clients one provider).

Usage: ingest_gen.py --reference DIR --out DIR --key-file FILE [--json-subs 100]
                     [--csv-subs 1000] [--lines 1000] [--today YYYY-MM-DD] [--providers N]
"""

import argparse
import calendar
import csv
import datetime
import hashlib
import hmac
import json
import os

YEAR = 2026
MONTHS = 10           # January..October
POOL = 3000           # clients per provider
CSV_HEADER = ("provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,"
              "minutes,travel_cents,debit_credit,corrects_ref")
COPY_COLUMNS = ("submission_id, line_no, provider_agb, line_ref, client_hash, prestatie,"
                " target_group, zorgkantoor, date_from, date_to, service_month, quantity,"
                " minutes, travel_cents, debit_credit, corrects_ref, tariff_cents, rate_bp,"
                " amount_cents, declared_cents, accepted, late, codes, reason, error_field")
# lib/validate.c words the 0586 reason with the day received, the deadline and the service day.
LATE_REASON = ("0586: received {today}, after the deadline {deadline} of the service month of"
               " {day} ({days} working days); counted, but flagged")
DEADLINE_WORKING_DAYS = 17


def read_csv(ref, name):
    with open(os.path.join(ref, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def round_half_away(num, den):
    return (num + den // 2) // den if num >= 0 else -((-num + den // 2) // den)


class Reference:
    def __init__(self, ref):
        self.prestaties = {(int(r["year"]), r["code"]): r for r in read_csv(ref, "prestaties.csv")}
        self.zorgkantoor = {r["agb"]: r["zorgkantoor"] for r in read_csv(ref, "providers.csv")}
        rates = {(r["agb"], int(r["year"])): int(r["rate_bp"]) for r in read_csv(ref, "rates.csv")}
        groups = {r["code"]: r for r in read_csv(ref, "target_groups.csv")}
        self.holidays = {datetime.date.fromisoformat(r["day"])
                         for r in read_csv(ref, "holidays.csv")}
        first = datetime.date(YEAR, 1, 1)
        last = datetime.date(YEAR, MONTHS, calendar.monthrange(YEAR, MONTHS)[1])
        designated = {}
        for d in read_csv(ref, "designations.csv"):
            g = groups.get(d["target_group"])
            if not g or not g["ca_from"] or datetime.date.fromisoformat(g["ca_from"]) > first:
                continue
            if datetime.date.fromisoformat(d["valid_from"]) > first:
                continue
            if d["valid_to"] and datetime.date.fromisoformat(d["valid_to"]) < last:
                continue
            designated.setdefault(d["agb"], set()).add(d["target_group"])
        # Per group: its time prestatie and its two travel ones, for YEAR.
        by_group = {}
        for (year, code), p in self.prestaties.items():
            if year == YEAR:
                by_group.setdefault(p["target_group"], []).append(p)
        self.providers = []
        for agb in sorted(designated):
            if (agb, YEAR) not in rates or agb not in self.zorgkantoor:
                continue
            kinds = []
            for group in sorted(designated[agb]):
                ps = by_group.get(group, [])
                time = [p for p in ps if p["kind"] == "time"]
                trip = [p for p in ps if p["unit"] == "trip"]
                km = [p for p in ps if p["unit"] == "km"]
                if time and trip and km:
                    kinds.append((time[0], trip[0], km[0]))
            if kinds:
                self.providers.append((agb, rates[(agb, YEAR)], kinds))
        if not self.providers:
            raise SystemExit("ingest_gen: no provider with a rate and designations for 2026")

    def deadline(self, month):
        """The last day to declare a month without 0586 (17 working days after it)."""
        day = datetime.date(YEAR, month, calendar.monthrange(YEAR, month)[1])
        left = DEADLINE_WORKING_DAYS
        while left:
            day += datetime.timedelta(days=1)
            if day.weekday() < 5 and day not in self.holidays:
                left -= 1
        return day


def bsn_of(number):
    """A valid BSN (11-test) for client number `number`, distinct per number."""
    for t in range(10):
        first8 = f"{10000000 + number * 10 + t:08d}"
        check = sum(int(d) * w for d, w in zip(first8, range(9, 1, -1))) % 11
        if check < 10:
            return first8 + str(check)
    raise AssertionError("no BSN")


class Generator:
    def __init__(self, ref, key, today, lines):
        self.ref = ref
        self.key = key
        self.lines = lines
        self.today = today
        self.deadlines = {m: ref.deadline(m) for m in range(1, MONTHS + 1)}
        self.late = {m: today > self.deadlines[m] for m in range(1, MONTHS + 1)}
        self.hashes = {}

    def client(self, p_index, c):
        number = p_index * POOL + c
        bsn = bsn_of(number)
        h = self.hashes.get(number)
        if h is None:
            h = hmac.new(self.key, bsn.encode(), hashlib.sha256).hexdigest()
            self.hashes[number] = h
        return bsn, h

    def submissions(self, prefix, count):
        """Yields (submission number from 1, provider, reference, [line dict])."""
        counters = [0] * len(self.ref.providers)
        for k in range(count):
            p_index = k % len(self.ref.providers)
            agb, rate, kinds = self.ref.providers[p_index]
            reference = f"{prefix}-{k:05d}"
            out = []
            for i in range(self.lines):
                n = counters[p_index]
                counters[p_index] += 1
                c, slot = n % POOL, n // POOL
                month, day = 1 + slot % MONTHS, 1 + (slot // MONTHS) % 28
                if slot >= MONTHS * 28:
                    raise SystemExit("ingest_gen: too many lines per provider for distinct services")
                bsn, client_hash = self.client(p_index, c)
                time_p, trip_p, km_p = kinds[c % len(kinds)]
                date = datetime.date(YEAR, month, day).isoformat()
                line = {"line_ref": f"{reference}-{i:04d}", "bsn": bsn, "hash": client_hash,
                        "date": date, "month": month, "agb": agb, "rate": rate}
                if n % 10 == 9:
                    p = trip_p if (n // 10) % 2 == 0 else km_p
                    units = 1 + n % 3 if p is trip_p else 5 + n % 146
                    factor = rate if p["rate_applies"] == "true" else 10000
                    amount = round_half_away(units * int(p["tariff_cents"]) * factor, 10000)
                    line.update(prestatie=p, quantity=units, minutes=0, travel=amount,
                                amount=amount)
                else:
                    p = time_p
                    minutes = 15 + (n * 37) % 226
                    amount = round_half_away(minutes * int(p["tariff_cents"]) * rate, 600000)
                    line.update(prestatie=p, quantity=minutes, minutes=minutes, travel=0,
                                amount=amount)
                out.append(line)
            yield k + 1, agb, reference, out

    def copy_row(self, sub_id, line_no, l):
        p = l["prestatie"]
        late = self.late[l["month"]]
        reason = LATE_REASON.format(today=self.today.isoformat(),
                                    deadline=self.deadlines[l["month"]].isoformat(),
                                    day=l["date"], days=DEADLINE_WORKING_DAYS) if late else "\\N"
        return "\t".join([
            str(sub_id), str(line_no), l["agb"], l["line_ref"], l["hash"], p["code"],
            p["target_group"], self.ref.zorgkantoor[l["agb"]], l["date"], l["date"],
            f"{YEAR}-{l['month']:02d}-01", str(l["quantity"]), str(l["minutes"]),
            str(l["travel"]), "D", "\\N", p["tariff_cents"], str(l["rate"]), str(l["amount"]),
            "\\N", "t", "t" if late else "f", "{0586}" if late else "{}",
            reason, "\\N"]) + "\n"


def write_json(gen, out, count):
    folder = os.path.join(out, "json")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(out, "json.copy"), "w", encoding="utf-8") as cp:
        for sub_id, agb, reference, lines in gen.submissions("BJ", count):
            doc = {"provider_agb": agb, "reference": reference, "lines": [
                {"line_ref": l["line_ref"], "client_bsn": l["bsn"],
                 "prestatie": l["prestatie"]["code"], "date_from": l["date"],
                 "date_to": l["date"], "minutes": l["quantity"],
                 "travel_cents": 0, "debit_credit": "D", "corrects_ref": None}
                for l in lines]}
            with open(os.path.join(folder, f"sub_{sub_id:04d}.json"), "w") as f:
                json.dump(doc, f, separators=(",", ":"))
            cp.writelines(gen.copy_row(sub_id, i + 1, l) for i, l in enumerate(lines))


def write_csv(gen, out, count):
    with open(os.path.join(out, "decl.csv"), "w", encoding="utf-8") as f, \
            open(os.path.join(out, "csv.copy"), "w", encoding="utf-8") as cp:
        f.write(CSV_HEADER + "\n")
        for sub_id, agb, reference, lines in gen.submissions("BC", count):
            f.writelines(f"{agb},{reference},{l['line_ref']},{l['bsn']},"
                         f"{l['prestatie']['code']},{l['date']},{l['date']},{l['quantity']},"
                         f"0,D,\n" for l in lines)
            cp.writelines(gen.copy_row(sub_id, i + 1, l) for i, l in enumerate(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reference", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--key-file", required=True, help="the daemon's client_hash_key_file")
    ap.add_argument("--json-subs", type=int, default=100)
    ap.add_argument("--csv-subs", type=int, default=1000)
    ap.add_argument("--lines", type=int, default=1000)
    ap.add_argument("--today", default=datetime.datetime.now(datetime.timezone.utc)
                    .date().isoformat(), help="the day ingest runs (for 0586)")
    ap.add_argument("--providers", type=int, default=0,
                    help="only the first N providers (0: all)")
    args = ap.parse_args()
    with open(args.key_file, "rb") as f:
        key = f.read().rstrip(b"\r\n")
    ref = Reference(args.reference)
    if args.providers > 0:
        if len(ref.providers) < args.providers:
            raise SystemExit(f"ingest_gen: only {len(ref.providers)} providers")
        ref.providers = ref.providers[:args.providers]
    gen = Generator(ref, key, datetime.date.fromisoformat(args.today), args.lines)
    os.makedirs(args.out, exist_ok=True)
    write_json(gen, args.out, args.json_subs)
    write_csv(gen, args.out, args.csv_subs)
    with open(os.path.join(args.out, "copy_columns"), "w") as f:
        f.write(COPY_COLUMNS + "\n")
    print(f"ingest_gen: {len(gen.ref.providers)} providers; "
          f"{args.json_subs} JSON and {args.csv_subs} CSV submissions of {args.lines} lines")


if __name__ == "__main__":
    main()
