"""aw319_layout.py: AW319 records built by hand from the published layout, for tests.

This is deliberately not the project's code: every field is placed at the position the
domain description gives (1-based start, length), N fields right-aligned with zeros, AN
fields left-aligned with spaces, every other position a space, 310 characters a record.
make_files.py writes the committed test files with it, and the integration tests build
files of the current season with it.

Records are built as text (one character per position) and encoded when the file is
written: ISO-8859-1 gives one byte per position, as providers' software writes; UTF-8 is
the other encoding the monitor accepts (positions then count characters).

Layout (doc/domain.md, "Declarations as they exist"):
  01 header   zorgkantoor @27 N4, AGB @39/@47/@55 N8, period @65/@73 N8, invoice @81 AN12
  02 client   detail id @3 N12, BSN @15 N9; the name fields follow the common Vektis
              client record (name @64 AN25, prefix @89 AN10, initials @135 AN6,
              postcode @142 AN6, house number @157 N5): the monitor never reads them
  03 debtor   detail id @3 N12, debtor number @15 AN11, name @36 AN25, street @76 AN24,
              house number @100 N5, city @111 AN24, bank account @135 AN34: personal data
              the monitor only counts
  04 service  BSN @15 N9, begin/end @106/@114 N8, prestatie @125 AN5, quantity @130 N4,
              time unit @134 N2, tariff @165 N8, calculated @173 N8 + D/C @181,
              declared @186 N8 + D/C @194, reference @195 AN20, corrected reference @215 AN20
  98 comment  detail id @3 N12, line number @15 N4, text @19 AN140
  99 trailer  02 count @3 N6, 03 count @9 N6, 04 count @15 N6, 98 count @21 N6,
              detail count (02+03+04+98) @27 N7, total declared @34 N11, D/C @45
"""

RECORD_LEN = 310


def record(rtype, fields):
    """A record as text. fields: (pos, len, value, kind), kind 'N' (an int is zero-padded,
    a str is placed as it is) or 'AN' (left-aligned, space-padded)."""
    rec = [" "] * RECORD_LEN
    rec[0:2] = f"{rtype:02d}"
    for pos, length, value, kind in fields:
        if kind == "N" and isinstance(value, int):
            text = f"{value:0{length}d}"
        else:
            text = str(value).ljust(length)
        assert len(text) == length, (rtype, pos, length, text)
        rec[pos - 1:pos - 1 + length] = text
    out = "".join(rec)
    assert len(out) == RECORD_LEN
    return out


def header(zk=5512, agb=41000001, begin="20261001", end="20261031", invoice="2026-10-A"):
    return record(1, [(27, 4, zk, "N"), (39, 8, agb, "N"), (47, 8, agb, "N"),
                      (55, 8, agb, "N"), (65, 8, begin, "N"), (73, 8, end, "N"),
                      (81, 12, invoice, "AN")])


def client(bsn, detail_id=None, name=None, prefix="", initials="", postcode="",
           house_number=None):
    fields = [(15, 9, bsn, "N")]
    if detail_id is not None:
        fields.append((3, 12, detail_id, "N"))
    if name is not None:
        fields += [(64, 25, name, "AN"), (89, 10, prefix, "AN"), (135, 6, initials, "AN"),
                   (142, 6, postcode, "AN")]
    if house_number is not None:
        fields.append((157, 5, house_number, "N"))
    return record(2, fields)


def debtor(detail_id, number, name, street, house_number, city, account):
    return record(3, [(3, 12, detail_id, "N"), (15, 11, number, "AN"), (36, 25, name, "AN"),
                      (76, 24, street, "AN"), (100, 5, house_number, "N"),
                      (111, 24, city, "AN"), (135, 34, account, "AN")])


def line(bsn, begin, end, prestatie, qty, unit, tariff, amount, dc, ref, corrects=""):
    return record(4, [(15, 9, bsn, "N"), (106, 8, begin, "N"), (114, 8, end, "N"),
                      (125, 5, prestatie, "AN"), (130, 4, qty, "N"), (134, 2, unit, "N"),
                      (165, 8, tariff, "N"), (173, 8, amount, "N"), (181, 1, dc, "AN"),
                      (186, 8, amount, "N"), (194, 1, dc, "AN"), (195, 20, ref, "AN"),
                      (215, 20, corrects, "AN")])


def comment(text, detail_id=None, line_no=None):
    if detail_id is None:
        return record(98, [(3, 60, text, "AN")])
    return record(98, [(3, 12, detail_id, "N"), (15, 4, line_no, "N"), (19, 140, text, "AN")])


def trailer(n02, n03, n04, n98, detail, total):
    return record(99, [(3, 6, n02, "N"), (9, 6, n03, "N"), (15, 6, n04, "N"),
                       (21, 6, n98, "N"), (27, 7, detail, "N"), (34, 11, abs(total), "N"),
                       (45, 1, "C" if total < 0 else "D", "AN")])


def counts(records):
    """What a correct trailer states for these records (header and trailer not counted):
    a dict with n02, n03, n04, n98, detail and total (declared amounts, C subtracts)."""
    n = {t: 0 for t in ("01", "02", "03", "04", "98", "99")}
    total = 0
    for rec in records:
        n[rec[0:2]] += 1
        if rec[0:2] == "04":
            amount = int(rec[185:193])
            total += -amount if rec[193] == "C" else amount
    return {"n02": n["02"], "n03": n["03"], "n04": n["04"], "n98": n["98"],
            "detail": n["02"] + n["03"] + n["04"] + n["98"], "total": total}


def trailer_for(records, **wrong):
    """The trailer that matches @records, with any of its numbers replaced by @wrong
    (n02=..., n03=..., n04=..., n98=..., detail=..., total=...)."""
    c = dict(counts(records), **wrong)
    return trailer(c["n02"], c["n03"], c["n04"], c["n98"], c["detail"], c["total"])


def encode(records, sep="\r\n", final=True, ctrl_z=False, empty_line=False,
           encoding="latin-1"):
    """The bytes of a file: records joined by @sep (and ending in it when @final), then
    optionally one empty line and a Ctrl-Z, in @encoding."""
    text = sep.join(records) + (sep if final else "") + (sep if empty_line else "")
    data = text.encode(encoding)
    return data + (b"\x1a" if ctrl_z else b"")


CLIENTS = ("123456782", "111222333", "204681637")
NAMES = (("Hérman", "J.", "1011AB", 12), ("Jansën", "M.", "9711CD", 3),
         ("Bökkering", "A.", "7511EF", 101))
DEBTOR_NAME = "Curatele Müller-Ørsted"


def provider_file(begin, end, invoice, agb=41000001, zk=5501, clients=CLIENTS):
    """A declaration as providers' software writes it: 3 clients (names with e-acute,
    e-diaeresis and o-diaeresis), 1 debtor record, 5 service lines, 2 comment records.
    @return (records without trailer, the lines as (bsn, prestatie, qty, unit, declared)).
    The prestaties are KOR's of the shipped reference data (CAKOR time, RTKOR trips), and the
    declared amounts what they cost at the 2026 tariffs and a rate of 95.50 %;
    @begin/@end are the period (YYYYMMDD), @clients three BSNs."""
    month = begin[:6]
    a, b, c = clients
    services = [
        (a, "CAKOR", 210, "01", f"{month}01", end, 50138),
        (a, "RTKOR", 2, "01", f"{month}03", f"{month}03", 6200),
        (b, "CAKOR", 3, "02", f"{month}05", f"{month}05", 42975),
        (b, "CAKOR", 45, "01", f"{month}12", f"{month}12", 10744),
        (c, "CAKOR", 90, "01", f"{month}20", f"{month}20", 21488),
    ]
    recs = [header(zk=zk, agb=agb, begin=begin, end=end, invoice=invoice)]
    detail = 0
    seen = []
    for i, (bsn, prestatie, qty, unit, d_from, d_to, amount) in enumerate(services):
        if bsn not in seen:
            seen.append(bsn)
            detail += 1
            name, initials, postcode, number = NAMES[len(seen) - 1]
            recs.append(client(bsn, detail, name, "", initials, postcode, number))
            if len(seen) == 1:
                detail += 1
                recs.append(debtor(detail, "DEB-0001", DEBTOR_NAME, "Dorpsstraat", 4,
                                   "Hoogeveen", "NL91ABNA0417164300"))
        detail += 1
        recs.append(line(bsn, d_from, d_to, prestatie, qty, unit, 0, amount, "D",
                         f"{invoice}-{i + 1:03d}"))
        if i == 1:
            detail += 1
            recs.append(comment("Reiskosten: twee ritten naar de cliënt", detail, 1))
    recs.append(comment("Factuur C&A, opgesteld door het EPD", detail + 1, 1))
    return recs, [(s[0], s[1], s[2], s[3], s[6]) for s in services]
