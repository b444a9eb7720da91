#!/usr/bin/env python3
"""tests/e2e/make_aw319.py — the AW319 files the provider browser test uploads, built field by
field from the published layout (tests/data/aw319/aw319_layout.py), not by the project's own
writer.

  make_aw319.py --agb 41000001 --zk 5501 --out DIR [--month YYYY-MM] [--reference R]

writes into DIR:
  provider.aw319       one header, one client, two service lines and the trailer: line 1
                       CAKOR, 210 minutes (EUR 501.38 declared); line 2 the same but with
                       prestatie XXKOR, which is on no list (return code 0582): one bad line
  provider-bad.aw319   the same records with a trailer that counts three service records:
                       the whole file is rejected
  provider.json        what the test expects: {"reference", "month", "good": line_ref,
                       "bad": line_ref, "bad_code": "0582", "bsn", "file", "bad_file"}
The month defaults to the last month before today (this month in January, so that the
lines fall in the year the page shows); the reference to "E2E" and nine digits of the time.
"""

import argparse
import calendar
import datetime as dt
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "data", "aw319"))
import aw319_layout as aw  # noqa: E402


def default_month(today):
    if today.month == 1:
        return today.strftime("%Y-%m")
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.strftime("%Y-%m")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--agb", required=True)
    ap.add_argument("--zk", required=True, type=int)
    ap.add_argument("--out", required=True)
    ap.add_argument("--month")
    ap.add_argument("--reference")
    ap.add_argument("--bsn", default="123456782", help="the client's BSN (passes the 11-test)")
    args = ap.parse_args()

    month = args.month or default_month(dt.date.today())
    year, mon = int(month[:4]), int(month[5:7])
    ym = f"{year:04d}{mon:02d}"
    last = calendar.monthrange(year, mon)[1]
    reference = args.reference or f"E2E{int(time.time()) % 10**9:09d}"
    assert len(reference) <= 12, "the AW319 invoice number is 12 characters at most"
    good, bad = f"{reference}-1", f"{reference}-2"
    day = min(2, last)
    records = [
        aw.header(zk=args.zk, agb=int(args.agb), begin=f"{ym}01", end=f"{ym}{last:02d}", invoice=reference),
        aw.client(args.bsn, 1, "Testcliënt", "", "T.", "1011AB", 1),
        aw.line(args.bsn, f"{ym}{day:02d}", f"{ym}{day:02d}", "CAKOR", 210, "01", 0, 50138, "D", good),
        aw.line(args.bsn, f"{ym}{day + 7:02d}", f"{ym}{day + 7:02d}", "XXKOR", 210, "01", 0, 50138, "D", bad),
    ]
    os.makedirs(args.out, exist_ok=True)
    files = {"file": os.path.join(args.out, "provider.aw319"), "bad_file": os.path.join(args.out, "provider-bad.aw319")}
    with open(files["file"], "wb") as fh:
        fh.write(aw.encode(records + [aw.trailer_for(records)]))
    with open(files["bad_file"], "wb") as fh:
        fh.write(aw.encode(records + [aw.trailer_for(records, n04=3, detail=4)]))
    spec = {"reference": reference, "month": month, "good": good, "bad": bad, "bad_code": "0582",
            "good_cents": 50138, "bsn": args.bsn, **files}
    with open(os.path.join(args.out, "provider.json"), "w") as fh:
        json.dump(spec, fh, indent=1)
    print(json.dumps(spec))


if __name__ == "__main__":
    main()
