#!/usr/bin/env python3
"""make_files.py: writes the hand-made AW319 test files next to this script, and the same
files into the fuzzing seed corpus (fuzz/corpus/aw319).

The files are committed; this script is how they were made, so a change of layout is one
edit here (or in aw319_layout.py, the record builder) plus a rerun (python3 make_files.py).

valid.aw319 holds: header (zorgkantoor 5512, AGB 41000001, October 2026, invoice
2026-10-A), client 123456782 with two lines (CAKOR 210 min; CAHUN 2 hours), a comment,
client 111222333 with a debit line (CAGPP 90 min) and a credit line (CAKOR 60 min, C,
correcting L-0099), and the trailer (2 client, 0 debtor, 4 service, 1 comment records, 7
detail records, total 807.65 D). The files named after one defect are valid.aw319 with
that defect; check_aw319.c asserts the exact outcome.

provider_*.aw319 are files as providers' software writes them (aw319_layout.provider_file):
3 clients whose names carry e-acute, e-diaeresis and o-diaeresis, 1 debtor record, 5 service
lines and 2 comment records, in ISO-8859-1, for November 2026:
  provider_crlf.aw319        CRLF line ends
  provider_lf.aw319          LF line ends
  provider_ctrlz.aw319       CRLF and a closing Ctrl-Z (0x1A)
  provider_empty_line.aw319  LF and one empty line at the end
  provider_utf8.aw319        the same in UTF-8
  count_<field>_wrong.aw319  provider_crlf.aw319 with one trailer count off by one
"""
import os
import shutil

import aw319_layout as aw

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "..", "fuzz", "corpus", "aw319")


def body(first_begin="20261001", second_qty="0002"):
    return [
        aw.client("123456782"),
        aw.line("123456782", first_begin, "20261031", "CAKOR", 210, "01", 14000, 47775, "D",
                "L-0001"),
        aw.line("123456782", "20261005", "20261005", "CAHUN", second_qty, "02", 14000, 26740,
                "D", "L-0002"),
        aw.comment("Toelichting: C&A oktober"),
        aw.client("111222333"),
        aw.line("111222333", "20261010", "20261010", "CAGPP", 90, "01", 14000, 20000, "D",
                "L-0003"),
        aw.line("111222333", "20260901", "20260930", "CAKOR", 60, "01", 14000, 13650, "C",
                "L-0004", "L-0099"),
    ]


GOOD_TRAILER = aw.trailer(2, 0, 4, 1, 7, 47775 + 26740 + 20000 - 13650)


def write(name, data):
    for folder in (HERE, CORPUS):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


def write_text(name, records, sep="\n", final=True):
    write(name, aw.encode(records, sep=sep, final=final, encoding="ascii"))


def main():
    valid = [aw.header()] + body() + [GOOD_TRAILER]
    write_text("valid.aw319", valid)
    write_text("valid_crlf.aw319", valid, sep="\r\n", final=False)
    write_text("trailer_count_wrong.aw319",
               [aw.header()] + body() + [aw.trailer(2, 0, 5, 1, 7, 80865)])
    write_text("trailer_total_wrong.aw319",
               [aw.header()] + body() + [aw.trailer(2, 0, 4, 1, 7, 80866)])
    short = list(valid)
    short[2] = short[2][:-1]
    write_text("short_record.aw319", short)
    write_text("bad_date.aw319", [aw.header()] + body(first_begin="20261032") + [GOOD_TRAILER])
    write_text("bad_header_date.aw319", [aw.header(begin="20261032")] + body() + [GOOD_TRAILER])
    write_text("bad_number.aw319", [aw.header()] + body(second_qty="0A02") + [GOOD_TRAILER])
    unknown = list(valid)
    unknown.insert(4, aw.record(5, []))
    write_text("unknown_record_type.aw319", unknown)
    write_text("missing_trailer.aw319", valid[:-1])

    recs, _ = aw.provider_file("20261101", "20261130", "2026-11-EPD")
    whole = recs + [aw.trailer_for(recs)]
    write("provider_crlf.aw319", aw.encode(whole, sep="\r\n"))
    write("provider_lf.aw319", aw.encode(whole, sep="\n"))
    write("provider_ctrlz.aw319", aw.encode(whole, sep="\r\n", ctrl_z=True))
    write("provider_empty_line.aw319", aw.encode(whole, sep="\n", empty_line=True))
    write("provider_utf8.aw319", aw.encode(whole, sep="\r\n", encoding="utf-8"))
    right = aw.counts(recs)
    for field, key in (("client", "n02"), ("debtor", "n03"), ("service", "n04"),
                       ("comment", "n98"), ("detail", "detail")):
        wrong = aw.trailer_for(recs, **{key: right[key] + 1})
        write(f"count_{field}_wrong.aw319", aw.encode(recs + [wrong], sep="\r\n"))


if __name__ == "__main__":
    main()
