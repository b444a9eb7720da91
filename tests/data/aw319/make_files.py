#!/usr/bin/env python3
"""make_files.py: writes the hand-made AW319 test files next to this script.

The files are committed; this script is how they were made, so a change of layout is one
edit here plus a rerun (python3 make_files.py). Record layout as in the domain spec and
lib/aw319.c: 1-based start positions, N fields right-aligned with zeros, AN fields
left-aligned with spaces, every unused position a space, 310 characters a record.

valid.aw319 holds: header (zorgkantoor 5512, AGB 41000001, October 2026, invoice
2026-10-A), client 123456782 with two lines (CAKOR 210 min; CAHUN 2 hours), a comment,
client 111222333 with a debit line (CAGPP 90 min) and a credit line (CAKOR 60 min, C,
correcting L-0099), and the trailer (1/2/4/1 records, 7 detail records, total 807.65 D).
Every other file is valid.aw319 with one defect; check_aw319.c asserts the exact outcome.
"""
import os

RECORD_LEN = 310
HERE = os.path.dirname(os.path.abspath(__file__))


def record(rtype, fields):
    """fields: list of (pos, len, value, kind) with kind 'N' (zero-padded) or 'AN'."""
    rec = [" "] * RECORD_LEN
    rec[0:2] = f"{rtype:02d}"
    for pos, length, value, kind in fields:
        if kind == "N":
            text = f"{value:0{length}d}" if isinstance(value, int) else str(value)
        else:
            text = str(value).ljust(length)
        assert len(text) == length, (pos, length, text)
        rec[pos - 1:pos - 1 + length] = text
    out = "".join(rec)
    assert len(out) == RECORD_LEN
    return out


def header(zk=5512, agb=41000001, begin="20261001", end="20261031", invoice="2026-10-A"):
    return record(1, [(27, 4, zk, "N"), (39, 8, agb, "N"), (47, 8, agb, "N"),
                      (55, 8, agb, "N"), (65, 8, begin, "N"), (73, 8, end, "N"),
                      (81, 12, invoice, "AN")])


def client(bsn):
    return record(2, [(15, 9, bsn, "N")])


def line(bsn, begin, end, prestatie, qty, unit, tariff, amount, dc, ref, corrects=""):
    return record(4, [(15, 9, bsn, "N"), (106, 8, begin, "N"), (114, 8, end, "N"),
                      (125, 5, prestatie, "AN"), (130, 4, qty, "N"), (134, 2, unit, "N"),
                      (165, 8, tariff, "N"), (173, 8, amount, "N"), (181, 1, dc, "AN"),
                      (186, 8, amount, "N"), (194, 1, dc, "AN"), (195, 20, ref, "AN"),
                      (215, 20, corrects, "AN")])


def comment(text):
    return record(98, [(3, 60, text, "AN")])


def trailer(n01, n02, n04, n98, detail, total):
    return record(99, [(3, 6, n01, "N"), (9, 6, n02, "N"), (15, 6, n04, "N"),
                       (21, 6, n98, "N"), (27, 7, detail, "N"), (34, 11, abs(total), "N"),
                       (45, 1, "C" if total < 0 else "D", "AN")])


def body(first_begin="20261001", second_qty="0002"):
    return [
        client("123456782"),
        line("123456782", first_begin, "20261031", "CAKOR", 210, "01", 14000, 47775, "D",
             "L-0001"),
        line("123456782", "20261005", "20261005", "CAHUN", second_qty, "02", 14000, 26740, "D",
             "L-0002"),
        comment("Toelichting: C&A oktober"),
        client("111222333"),
        line("111222333", "20261010", "20261010", "CAGPP", 90, "01", 14000, 20000, "D",
             "L-0003"),
        line("111222333", "20260901", "20260930", "CAKOR", 60, "01", 14000, 13650, "C",
             "L-0004", "L-0099"),
    ]


GOOD_TRAILER = trailer(1, 2, 4, 1, 7, 47775 + 26740 + 20000 - 13650)


def write(name, records, sep="\n", final=True):
    text = sep.join(records) + (sep if final else "")
    with open(os.path.join(HERE, name), "w", newline="", encoding="ascii") as f:
        f.write(text)


def main():
    valid = [header()] + body() + [GOOD_TRAILER]
    write("valid.aw319", valid)
    write("valid_crlf.aw319", valid, sep="\r\n", final=False)
    write("trailer_count_wrong.aw319",
          [header()] + body() + [trailer(1, 2, 5, 1, 7, 80865)])
    write("trailer_total_wrong.aw319",
          [header()] + body() + [trailer(1, 2, 4, 1, 7, 80866)])
    short = list(valid)
    short[2] = short[2][:-1]
    write("short_record.aw319", short)
    write("bad_date.aw319", [header()] + body(first_begin="20261032") + [GOOD_TRAILER])
    write("bad_header_date.aw319", [header(begin="20261032")] + body() + [GOOD_TRAILER])
    write("bad_number.aw319", [header()] + body(second_qty="0A02") + [GOOD_TRAILER])
    unknown = list(valid)
    unknown.insert(4, record(3, []))
    write("unknown_record_type.aw319", unknown)
    write("missing_trailer.aw319", valid[:-1])


if __name__ == "__main__":
    main()
