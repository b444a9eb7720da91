"""tests/e2e/mock_providers.py — the provider side of the mock daemon (mock_server.py): a
provider's own year, its submissions and their lines, uploads in the three formats and the
CSV of its lines, shaped as the agreed contract for providers (doc/api.md §4, §5).

The mock prices nothing: a line's amount is the amount it declares. It rejects a line whose
prestatie is not on its short list (code 0582, with a readable reason as the daemon words
it), and an AW319 file whose trailer does not count its service records (422, rejected
whole). The same reference again with the same bytes is a replay (200, the first answer);
with other bytes a 409. Everything is kept in memory, per provider AGB.
"""

import csv
import datetime as dt
import hashlib
import io
import json
import threading

PRESTATIES = {"CAKOR": "KOR", "RTKOR": "KOR", "CAHUN": "HUN", "CAGPP": "GPP", "CADZP": "DZEP",
              "CANAH": "NAHP", "CAMSP": "MSP"}

DEADLINES_2026 = {1: "2026-02-24", 2: "2026-03-24", 3: "2026-04-27", 4: "2026-05-22",
                  5: "2026-06-23", 6: "2026-07-23", 7: "2026-08-25", 8: "2026-09-23",
                  9: "2026-10-23", 10: "2026-11-24", 11: "2026-12-23", 12: "2027-01-25"}


def deadline(year, month):
    if year == 2026:
        return DEADLINES_2026[month]
    nxt = dt.date(year + (month == 12), month % 12 + 1, 23)
    return nxt.isoformat()


def now_iso():
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Rejected(Exception):
    """A file rejected whole: status, code, message, field, line."""

    def __init__(self, code, message, field=None, line=None, status=422):
        super().__init__(message)
        self.error = {"code": code, "message": message, "field": field}
        if line is not None:
            self.error["line"] = line
        self.status = status


def parse_aw319(raw):
    """An AW319 body → (agb, reference, lines). Fields at their documented positions."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    recs = [r for r in text.replace("\x1a", "").replace("\r\n", "\n").split("\n") if r.strip()]
    if not recs or not recs[0].startswith("01"):
        raise Rejected("0101", "the file does not start with a header record (01)", "record_type", 1)
    if not recs[-1].startswith("99"):
        raise Rejected("0102", "the file does not end with a trailer record (99)", "record_type", len(recs))
    head = recs[0]
    agb, reference = head[38:46], head[80:92].strip()
    lines = []
    for rec in recs:
        if rec.startswith("04"):
            lines.append({"line_ref": rec[194:214].strip(), "prestatie": rec[124:129].strip(),
                          "date_from": f"{rec[105:109]}-{rec[109:111]}-{rec[111:113]}",
                          "date_to": f"{rec[113:117]}-{rec[117:119]}-{rec[119:121]}",
                          "minutes": int(rec[129:133] or 0), "travel_cents": 0,
                          "amount": int(rec[185:193] or 0), "debit_credit": rec[193] or "D"})
    n04 = int(recs[-1][14:20] or -1)
    if n04 != len(lines):
        raise Rejected("0131", f"the trailer counts {n04} service records, the file has {len(lines)}",
                       "trailer.n04", len(recs))
    return agb, reference, lines


def parse_csv(raw):
    """A CSV body → [(agb, reference, lines)] in file order."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Rejected("0450", "the file is not UTF-8", "body")
    rows = list(csv.reader(io.StringIO(text)))
    want = ["provider_agb", "reference", "line_ref", "client_bsn", "prestatie", "date_from", "date_to",
            "minutes", "travel_cents", "debit_credit", "corrects_ref"]
    if not rows or rows[0] != want:
        raise Rejected("0451", "the header is not " + ",".join(want), "header", 1)
    subs = {}
    for n, r in enumerate(rows[1:], start=2):
        if len(r) != len(want):
            raise Rejected("0452", f"line {n} has {len(r)} fields, not {len(want)}", "line", n)
        d = dict(zip(want, r))
        subs.setdefault((d["provider_agb"], d["reference"]), []).append(
            {"line_ref": d["line_ref"], "prestatie": d["prestatie"], "date_from": d["date_from"],
             "date_to": d["date_to"], "minutes": int(d["minutes"] or 0),
             "travel_cents": int(d["travel_cents"] or 0), "amount": int(d["minutes"] or 0) * 239,
             "debit_credit": d["debit_credit"] or "D"})
    return [(agb, ref, lines) for (agb, ref), lines in subs.items()]


def parse_json(raw):
    try:
        doc = json.loads(raw)
    except ValueError:
        raise Rejected("bad_request", "the body is not JSON", "body")
    if not isinstance(doc, dict) or not isinstance(doc.get("lines"), list):
        raise Rejected("bad_request", "lines must be a list", "lines")
    lines = [{"line_ref": str(l.get("line_ref", "")), "prestatie": str(l.get("prestatie", "")),
              "date_from": l.get("date_from"), "date_to": l.get("date_to"),
              "minutes": int(l.get("minutes") or 0), "travel_cents": int(l.get("travel_cents") or 0),
              "amount": int(l.get("minutes") or 0) * 239 + int(l.get("travel_cents") or 0),
              "debit_credit": l.get("debit_credit") or "D"} for l in doc["lines"]]
    return str(doc.get("provider_agb", "")), str(doc.get("reference", "")), lines


class ProviderBook:
    """Every provider's submissions, in memory."""

    def __init__(self, seed_agb):
        self.lock = threading.Lock()
        self.subs = []       # stored: dicts with id, provider_agb, ..., lines, answer, digest
        self.rejections = []  # files rejected whole
        self.next_id = 1
        self.next_attempt = 1
        self.seed(seed_agb)

    def seed(self, agb):
        """Three earlier submissions: two stored (one with a rejected line), one rejected whole."""
        def line(ref, prestatie, day, minutes, amount):
            return {"line_ref": ref, "prestatie": prestatie, "date_from": day, "date_to": day,
                    "minutes": minutes, "travel_cents": 0, "amount": amount, "debit_credit": "D"}
        self.store("aw319", agb, "2026-09-A", [
            line("2026-09-A-001", "CAKOR", "2026-09-03", 210, 50138),
            line("2026-09-A-002", "CAKOR", "2026-09-10", 90, 21488)], "2026-10-08T08:30:00Z", b"seed1")
        self.store("csv", agb, "2026-10-A", [
            line("2026-10-A-001", "CAKOR", "2026-10-02", 120, 28650),
            line("2026-10-A-002", "XXKOR", "2026-10-09", 60, 14325),
            line("2026-10-A-003", "CAKOR", "2026-10-20", 45, 10744)], "2026-11-05T09:12:00Z", b"seed2")
        self.rejections.append({"id": None, "attempt_id": self.next_attempt, "provider_agb": agb,
                                "reference": "2026-10-B", "source": "aw319",
                                "received_at": "2026-11-04T07:45:00Z", "rejected_whole": True,
                                "error": {"code": "0131", "field": "trailer.n04",
                                          "message": "the trailer counts 4 service records, the file has 5"}})
        self.next_attempt += 1

    def _judge(self, l, agb, no):
        """A line's answer: accepted, or rejected with 0582 for an unknown prestatie."""
        out = {"line_ref": l["line_ref"], "status": "accepted", "codes": [], "amount_cents": l["amount"],
               "late": False}
        if l["prestatie"] not in PRESTATIES:
            out.update(status="rejected", codes=["0582"], amount_cents=0, field=f"lines[{no}].prestatie",
                       reason=f"0582: prestatie {l['prestatie']} is not on the {l['date_from'][:4]} list of "
                              "prestaties for C&A")
        return out

    def store(self, source, agb, reference, lines, received_at, digest):
        answers = [self._judge(l, agb, i) for i, l in enumerate(lines)]
        sid = self.next_id
        self.next_id += 1
        answer = {"id": sid, "provider_agb": agb, "reference": reference, "replayed": False,
                  "accepted": sum(a["status"] == "accepted" for a in answers),
                  "rejected": sum(a["status"] == "rejected" for a in answers),
                  "amount_cents": sum(a["amount_cents"] for a in answers), "lines": answers}
        self.subs.append({"id": sid, "provider_agb": agb, "reference": reference, "source": source,
                          "received_at": received_at, "lines": lines, "answers": answers,
                          "answer": answer, "digest": digest})
        return answer

    def submit(self, source, agb, reference, lines, raw):
        """(status, answer or error object) for one submission."""
        digest = hashlib.sha256(raw).hexdigest()
        with self.lock:
            old = next((s for s in self.subs if s["provider_agb"] == agb and s["reference"] == reference), None)
            if old is not None:
                if old["digest"] == digest:
                    return 200, dict(old["answer"], replayed=True)
                return 409, {"error": {"code": "conflict", "field": "lines",
                                       "message": f"submission {reference} was received before with other content"}}
            return 201, self.store(source, agb, reference, lines, now_iso(), digest)

    def reject_whole(self, source, agb, err):
        with self.lock:
            self.rejections.append({"id": None, "attempt_id": self.next_attempt, "provider_agb": agb,
                                    "reference": "", "source": source, "received_at": now_iso(),
                                    "rejected_whole": True, "error": err})
            self.next_attempt += 1

    # -- reads ------------------------------------------------------------------------------

    def submissions_doc(self, agb, year, limit):
        with self.lock:
            out = []
            for s in self.subs:
                if s["provider_agb"] != agb:
                    continue
                months = sorted({l["date_from"][:7] for l in s["lines"] if l["date_from"]})
                if not any(m.startswith(f"{year}-") for m in months):
                    continue
                a = s["answer"]
                out.append({"id": s["id"], "reference": s["reference"], "source": s["source"],
                            "received_at": s["received_at"], "lines": len(s["lines"]),
                            "accepted": a["accepted"], "rejected": a["rejected"], "credited": 0, "late": 0,
                            "amount_cents": a["amount_cents"], "months": months})
            out += [dict(r) for r in self.rejections
                    if r["provider_agb"] == agb and r["received_at"].startswith(str(year))]
            for r in out:
                r.pop("provider_agb", None)
        out.sort(key=lambda r: r["received_at"], reverse=True)
        return {"provider_agb": agb, "year": year, "submissions": out[:limit],
                "next": str(limit) if len(out) > limit else None}

    def submission(self, sid):
        with self.lock:
            return next((s for s in self.subs if s["id"] == sid), None)

    def lines_doc(self, s, status, month, limit, after):
        rows = []
        for no, (l, a) in enumerate(zip(s["lines"], s["answers"]), start=1):
            if no <= after or (status and a["status"] != status) or (month and not str(l["date_from"]).startswith(month)):
                continue
            row = {"id": s["id"] * 1000 + no, "submission_id": s["id"], "reference": s["reference"],
                   "line_no": no, "line_ref": l["line_ref"], "status": a["status"], "codes": a["codes"],
                   "amount_cents": a["amount_cents"], "late": False, "prestatie": l["prestatie"],
                   "target_group": PRESTATIES.get(l["prestatie"]), "date_from": l["date_from"],
                   "date_to": l["date_to"], "minutes": l["minutes"], "travel_cents": l["travel_cents"],
                   "debit_credit": l["debit_credit"], "corrects_ref": None}
            if a.get("reason"):
                row.update(reason=a["reason"], field=a["field"])
            rows.append(row)
        page = rows[:limit]
        a = s["answer"]
        return {"id": s["id"], "provider_agb": s["provider_agb"], "reference": s["reference"],
                "source": s["source"], "received_at": s["received_at"], "accepted": a["accepted"],
                "rejected": a["rejected"], "amount_cents": a["amount_cents"], "lines": page,
                "page": {"limit": limit, "after": after,
                         "next_after": page[-1]["line_no"] if len(rows) > limit else None}}

    def csv_doc(self, agb, year, lang):
        """The provider's lines of @year as the contract's CSV (BOM, ';', CRLF)."""
        nl = lang != "en"
        head = (["Ontvangen", "Factuurnummer", "Regel", "Prestatie", "Doelgroep", "Van", "Tot en met",
                 "Minuten", "Reiskosten", "Bedrag", "Debet/credit", "Status", "Codes", "Reden", "Te laat"]
                if nl else ["received", "reference", "line_ref", "prestatie", "target_group", "date_from",
                            "date_to", "minutes", "travel", "amount", "debit_credit", "status", "codes",
                            "reason", "late"])

        def money(c):
            txt = f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}"
            return txt.replace(".", ",") if nl else txt

        def cell(v):
            v = str(v)
            return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v

        out = io.StringIO()
        w = csv.writer(out, delimiter=";", lineterminator="\r\n")
        w.writerow(head)
        with self.lock:
            for s in self.subs:
                if s["provider_agb"] != agb:
                    continue
                for l, a in zip(s["lines"], s["answers"]):
                    if not str(l["date_from"]).startswith(f"{year}-"):
                        continue
                    w.writerow([s["received_at"][:16].replace("T", " "), cell(s["reference"]), cell(l["line_ref"]),
                                l["prestatie"], PRESTATIES.get(l["prestatie"], ""), l["date_from"], l["date_to"],
                                l["minutes"], money(l["travel_cents"]), money(a["amount_cents"]),
                                l["debit_credit"], STATUS_NL.get(a["status"], a["status"]) if nl else a["status"],
                                " ".join(a["codes"]), cell(a.get("reason", "")),
                                ("ja" if a["late"] else "nee") if nl else ("yes" if a["late"] else "no")])
        return ("\ufeff" + out.getvalue()).encode("utf-8")


STATUS_NL = {"accepted": "geaccepteerd", "rejected": "afgewezen", "credited": "gecrediteerd"}


def provider_detail(row, year, n_months):
    """GET /api/v1/providers/{agb}: the list's object with its months and groups."""
    doc = {k: v for k, v in row.items() if not k.startswith("_")}
    declared = set(row["months_declared"])
    share = [1 if f"{year}-{m:02d}" in declared else 0 for m in range(1, 13)]
    total = row["spent_cents"]
    n = sum(share) or 1
    months = []
    left = total
    for m in range(1, 13):
        ym = f"{year}-{m:02d}"
        cents = total // n if share[m - 1] else 0
        if share[m - 1] and m == max(i + 1 for i, v in enumerate(share) if v):
            cents = left
        left -= cents
        months.append({"month": ym, "spent_cents": cents, "declared": ym in declared,
                       "expected": ym in row["months_expected"], "missing": ym in row["missing_months"],
                       "deadline": deadline(year, m), "complete": m <= n_months})
    groups = [{"code": row["_group"], "name": row.get("_group_name", row["_group"]), "spent_cents": total,
               "minutes": total // 205, "travel_cents": 0}] if row.get("_group") and total else []
    return dict(doc, year=year, months=months, groups=groups)
