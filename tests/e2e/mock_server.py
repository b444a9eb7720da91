#!/usr/bin/env python3
"""tests/e2e/mock_server.py — a stand-in for lvhcmond's HTTP side, for the dashboard.

It serves web/ at "/" with the Content-Security-Policy the daemon sends, and
canned JSON for the endpoints the page uses, shaped as in doc/api.md:

  GET  /healthz, /readyz, /metrics
  GET  /api/v1/whoami                        any token: role (and a provider's AGB)
  GET  /api/v1/status?year=Y                 controller, dashboard, provider (without the
                                             zorgkantoren)
  GET  /api/v1/groups/{code}?year=Y          controller, dashboard
  GET  /api/v1/providers?year=Y              controller only (403 for dashboard)
  GET  /api/v1/providers/{agb}?year=Y        controller, that provider (404 for another)
  GET  /api/v1/providers/{agb}/submissions?year=Y&limit=N   controller, that provider
  GET  /api/v1/providers/{agb}/declarations.csv?year=Y&lang=nl|en   controller, that provider
  GET  /api/v1/declarations/{id}?status&month&limit&after   controller, its provider
  GET  /api/v1/alerts?state=firing|pending|resolved|all   controller, dashboard; a provider
                                             the national ones and its own
  POST /api/v1/alerts/{fingerprint}/ack      controller; body {"by": "...", "comment": "..."}
  POST /api/v1/declarations[/csv|/aw319]     provider (its own AGB): JSON, CSV or AW319
                                             (the shapes of the agreed contract; the mock
                                             prices nothing: the declared amounts stand)

Every GET under /api/v1 carries an ETag and answers If-None-Match with 304.
Errors are {"error": {"code", "message", "field"}}: 401 without a valid
token, 403 for a role that may not.

The figures are a realistic 2026 (January to October declared, the forecast
running over the €4.5M cap in late December, providers with missing months,
one of them with nine, and lines declared late) and a complete 2025. The
alerts are those the daemon's rules raise on such figures, with the daemon's
alert names, labels and English texts ("4238575.67 EUR"); one of them also
carries the planned Dutch texts (annotations_nl). Everything is built from
fixed seeds, so every run shows the same numbers; only an acknowledgement
changes state, and only in memory.

Mock-only, for tests: GET /__mock/acks lists the acknowledgements received.

Usage: mock_server.py [--port 8080] [--port-file F] [--controller-token T]
                      [--dashboard-token T] [--provider-token T] [--provider-agb AGB]
                      [--web-dir DIR] [--quiet]
"""

import argparse
import datetime as dt
import hashlib
import json
import mimetypes
import os
import random
import re
import sys
import threading
from decimal import ROUND_HALF_UP, Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import mock_providers

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")

CAP_CENTS = 450_000_000  # €4,500,000 national cap, every year (doc/domain.md)

GROUPS = [  # contract order (doc/domain.md), with the year C&A starts and a share of the spend
    ("KOR", "Korsakov", 2025, 0.16),
    ("HUN", "Huntington", 2025, 0.12),
    ("GPP", "Gerontopsychiatrie (GP+)", 2025, 0.27),
    ("DZEP", "Dementie met zeer ernstig probleemgedrag", 2025, 0.25),
    ("NAHP", "Niet-aangeboren hersenletsel (NAH+)", 2026, 0.13),
    ("MSP", "Multiple sclerose (MS+)", 2026, 0.07),
]

# Monthly totals in cents: 2026 up to October (November's declarations are not due yet).
MONTHLY = {
    2025: [27_410_220, 29_850_415, 33_902_118, 33_145_890, 35_620_004, 36_874_512,
           31_015_377, 30_480_019, 38_118_760, 39_260_145, 40_112_980, 36_204_355],
    2026: [31_845_120, 34_210_455, 38_902_310, 37_118_905, 39_644_870, 40_287_415,
           35_902_660, 33_415_230, 42_760_885, 44_147_390],
}
EXPECTED_PROVIDERS = {2025: 56, 2026: 70}

PLACES = ["Groningen", "Zwolle", "Apeldoorn", "Nijmegen", "Arnhem", "Utrecht", "Amersfoort",
          "Haarlem", "Leiden", "Den Haag", "Rotterdam", "Dordrecht", "Breda", "Tilburg",
          "Eindhoven", "Venlo", "Maastricht", "Heerlen", "Leeuwarden", "Assen", "Emmen",
          "Enschede", "Deventer", "Almere", "Alkmaar", "Hoorn", "Middelburg", "Goes",
          "'s-Hertogenbosch", "Roermond", "Den Helder", "Lelystad", "Gouda", "Delft", "Ede"]
KINDS = {
    "KOR": "Korsakovcentrum", "HUN": "Huntingtoncentrum", "GPP": "GP+ Expertisecentrum",
    "DZEP": "Expertisecentrum Dementie", "NAHP": "NAH+ Expertisecentrum", "MSP": "MS+ Centrum",
}


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

def iso(ts):
    return ts.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def split_cents(total, weights):
    """Split integer cents over weights; the remainder goes to the largest part."""
    s = sum(weights)
    parts = [int(total * w / s) if s else 0 for w in weights]
    if parts:
        parts[max(range(len(parts)), key=lambda i: weights[i])] += total - sum(parts)
    return parts


def money(cents):
    """Cents → "4238575.67", as the daemon writes amounts in alert texts (lib/money.c)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def months_of(year, first, last):
    """["YYYY-MM", ...] for months first..last of year."""
    return [f"{year}-{m:02d}" for m in range(first, last + 1)]


class World:
    """All canned documents, rebuilt from fixed seeds; guarded by one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.data_as_of = "2026-11-23T07:12:40Z"
        self.generated_at = "2026-11-23T07:12:41Z"
        self.providers = {2025: self._providers(2025), 2026: self._providers(2026)}
        self.alerts = []
        self.alerts = self._alerts()
        self.acks = []

    # -- budget -----------------------------------------------------------------------------

    def _group_months(self, year):
        """Per month, cents per group (a list parallel to GROUPS)."""
        rng = random.Random(year * 7)
        out = []
        for total in MONTHLY[year]:
            weights = [(w * rng.uniform(0.9, 1.1) if start <= year else 0.0)
                       for _, _, start, w in GROUPS]
            out.append(split_cents(total, weights))
        return out

    def status(self, year, as_of=None):
        """The status document; as of a day ("YYYY-MM-DD"), with the months whose
        declarations (said to arrive on the 10th of the next month) had come in by then."""
        months_cents = MONTHLY.get(year, [])
        if as_of:
            def arrived(i):
                nxt = dt.date(year + (i + 2 > 12), (i + 1) % 12 + 1, 10)
                return nxt.isoformat() <= as_of
            months_cents = [c for i, c in enumerate(months_cents) if arrived(i)]
        per_group = self._group_months(year) if months_cents else []
        spent = sum(months_cents)
        expected = EXPECTED_PROVIDERS.get(year, 70)
        declared_by_month = self._declared_by_month(year)
        months, cum = [], 0
        for i, m in enumerate(months_cents):
            cum += m
            months.append({"month": f"{year}-{i + 1:02d}", "spent_cents": m, "cumulative_cents": cum,
                           "providers_declared": declared_by_month[i], "providers_expected": expected})
        groups = []
        for gi, (code, name, _, _) in enumerate(GROUPS):
            g_spent = sum(row[gi] for row in per_group)
            groups.append({"code": code, "name": name, "spent_cents": g_spent,
                           "share_ratio": round(g_spent / spent, 4) if spent else 0.0,
                           "minutes": g_spent // 205})
        n = len(months_cents)
        complete = n == 12
        # Forecast: the mean of the last three months, trended up 3 %, for the months to come.
        recent = months_cents[-3:] if months_cents else [0]
        per_month = sum(recent) / len(recent) * 1.03
        left = 12 - n
        year_end = spent + round(per_month * left)
        low = spent + round(per_month * left * 0.86)
        high = spent + round(per_month * left * 1.15)
        reached = None
        if not complete and year_end > CAP_CENTS and spent < CAP_CENTS:
            per_day = per_month * 12 / 365
            start = dt.date(year, n, 1) + dt.timedelta(days=32)
            start = start.replace(day=1)  # first day after the last declared month
            reached = (start + dt.timedelta(days=int((CAP_CENTS - spent) / per_day))).isoformat()
        profile = CAP_CENTS * n // 12
        with self.lock:
            firing = sum(1 for a in self.alerts if a["status"]["state"] == "firing")
            data_as_of, generated = self.data_as_of, self.generated_at
        travel = spent * 6 // 100
        zks = {}
        for p in self.providers.get(year, []):
            z = zks.setdefault(p["zorgkantoor"], {"code": p["zorgkantoor"], "name": None,
                                                  "spent_cents": 0, "providers": 0,
                                                  "minutes": 0, "travel_cents": 0})
            z["providers"] += 1
            z["spent_cents"] += p["spent_cents"]
        total = sum(z["spent_cents"] for z in zks.values())
        for z in zks.values():
            if as_of and total:  # the zorgkantoren's part of the spend as of that day
                z["spent_cents"] = z["spent_cents"] * spent // total
            z["share_ratio"] = round(z["spent_cents"] / spent, 6) if spent else 0.0
        extra = {"as_of": as_of} if as_of else {}
        return {**extra,
            "year": year, "currency": "EUR", "cap_cents": CAP_CENTS,
            "spent_cents": spent, "spent_ratio": round(spent / CAP_CENTS, 4),
            "remaining_cents": CAP_CENTS - spent, "profile_ytd_cents": profile,
            "travel_cents": travel, "minutes": (spent - travel) // 205,
            "forecast": {"year_end_cents": year_end if not complete else spent,
                         "low_cents": low if not complete else spent,
                         "high_cents": high if not complete else spent,
                         "cap_reached_on": reached,
                         "method": "mean of the last 3 months, trend +3 %" if not complete else "final"},
            "groups": groups, "months": months, "alerts_firing": firing,
            "zorgkantoren": sorted(zks.values(), key=lambda z: z["code"]),
            "stale": False, "data_as_of": data_as_of, "generated_at": generated,
        }

    def group(self, year, code):
        st = self.status(year)
        gi = next((i for i, g in enumerate(GROUPS) if g[0] == code), None)
        if gi is None:
            return None
        per_group = self._group_months(year) if MONTHLY.get(year) else []
        months, cum = [], 0
        for i, row in enumerate(per_group):
            cum += row[gi]
            months.append({"month": f"{year}-{i + 1:02d}", "spent_cents": row[gi], "cumulative_cents": cum})
        provs = [{"agb": p["agb"], "name": p["name"], "spent_cents": p["spent_cents"]}
                 for p in self.providers.get(year, []) if p["_group"] == code]
        return dict(st["groups"][gi], year=year, months=months, providers=provs,
                    data_as_of=st["data_as_of"], generated_at=st["generated_at"])

    # -- providers --------------------------------------------------------------------------

    def _providers(self, year):
        rng = random.Random(4100 + year)
        rows = []
        n_total = EXPECTED_PROVIDERS[year]
        codes = [g for g in GROUPS if g[2] <= year]
        for i in range(70):
            code = GROUPS[i % 6][0]
            if not any(c[0] == code for c in codes):
                continue
            place = PLACES[(i * 7) % len(PLACES)]
            rows.append({"agb": f"{41000001 + i * 37:08d}", "name": f"{KINDS[code]} {place}",
                         "zorgkantoor": str(5501 + (i * 11) % 33), "_group": code,
                         "_w": rng.uniform(0.4, 1.6)})
        rows = rows[:n_total]
        n_months = len(MONTHLY[year])
        for r in rows:
            r.update(last_month_declared=f"{year}-{n_months:02d}", missing_months=[], late_lines=0,
                     months_expected=months_of(year, 1, 12))
        if year == 2026:
            # September is due (deadline 23 Oct); October's deadline (24 Nov) has not passed.
            for j in (3, 17, 29, 44):
                rows[j].update(last_month_declared="2026-08", missing_months=["2026-09"])
            for j in (52, 61):
                rows[j].update(last_month_declared="2026-07", missing_months=["2026-08", "2026-09"])
            # One provider has declared nothing this year: nine missing months, a long list.
            rows[11].update(last_month_declared=None, missing_months=months_of(2026, 1, 9), _w=0.0)
            for j, n in ((8, 14), (17, 3), (23, 6), (37, 22), (58, 2)):
                rows[j]["late_lines"] = n
            for j in range(58, 70, 1):  # not yet declared October: in progress, not missing
                if not rows[j]["missing_months"]:
                    rows[j]["last_month_declared"] = "2026-09"
        else:
            for j, n in ((5, 4), (30, 9)):
                rows[j]["late_lines"] = n
        for r in rows:
            last = r["last_month_declared"]
            r["months_declared"] = [m for m in months_of(year, 1, n_months)
                                    if last and m <= last and m not in r["missing_months"]]
            r["n_missing"] = len(r["missing_months"])
        spent = sum(MONTHLY[year])
        for r, cents in zip(rows, split_cents(spent, [r["_w"] for r in rows])):
            r["spent_cents"] = cents
        # A provider of the reference list without a designation this year: listed with
        # zeros, and not one of the providers that have to declare.
        rows.append({"agb": "41999990", "name": "Expertisecentrum zonder aanwijzing", "zorgkantoor": "5520",
                     "_group": None, "_w": 0.0, "spent_cents": 0, "last_month_declared": None,
                     "months_declared": [], "months_expected": [], "missing_months": [], "n_missing": 0,
                     "late_lines": 0})
        return rows

    def _declared_by_month(self, year):
        rows = [r for r in self.providers[year] if r["months_expected"]]
        return [sum(1 for r in rows if f"{year}-{i + 1:02d}" in r["months_declared"])
                for i in range(len(MONTHLY.get(year, [])))]

    def providers_doc(self, year, as_of=None, zorgkantoor=None):
        rows = [{k: v for k, v in r.items() if not k.startswith("_")} for r in self.providers[year]]
        extra = {"as_of": as_of} if as_of else {}
        if zorgkantoor:
            rows = [r for r in rows if r["zorgkantoor"] == zorgkantoor]
            zk = next((z for z in self.status(year, as_of)["zorgkantoren"] if z["code"] == zorgkantoor),
                      {"code": zorgkantoor, "name": None, "spent_cents": 0, "share_ratio": 0.0,
                       "providers": 0, "minutes": 0, "travel_cents": 0})
            extra["zorgkantoor"] = zk
        with self.lock:
            return {"year": year, "providers": rows, "data_as_of": self.data_as_of,
                    "generated_at": self.generated_at, **extra}

    # -- alerts -----------------------------------------------------------------------------

    def _alerts(self):
        """The alerts the daemon's rules (lib/alert_rules.c) raise on these figures, with
        their labels and English texts in the daemon's words and money notation."""
        st = self.status(2026)
        f = st["forecast"]
        as_of = "2026-11-23"

        def alert(labels, summary, description, starts, state="firing", ends=None, value=None,
                  annotations_nl=None):
            fp = hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:16]
            a = {"fingerprint": fp, "labels": labels,
                 "annotations": {"summary": summary, "description": description},
                 "startsAt": starts, "endsAt": ends, "activeAt": starts, "status": {"state": state},
                 "value": value, "acknowledged_by": None, "acknowledged_at": None}
            if annotations_nl:
                a["annotations_nl"] = annotations_nl
            return a

        def threshold(t, rl, starts, state="firing", ends=None, nl=None):
            return alert({"alertname": "BudgetThresholdReached", "year": "2026", "threshold": t,
                          "severity": "critical" if float(t) >= 1 else "warning"},
                         f"C&A spend 2026 reached {t} of the cap",
                         f"{money(st['spent_cents'])} EUR spent of the 2026 cap of {money(CAP_CENTS)} EUR "
                         f"({st['spent_ratio'] * 100:.1f} %) as of {as_of}. Fires at {t} of the cap, "
                         f"resolves below {rl}.", starts, state, ends, st["spent_ratio"], nl)

        # The planned Dutch texts (annotations_nl) on one alert: the page prefers them in Dutch.
        def money_nl(cents):
            whole = f"{cents // 100:,}".replace(",", ".")
            return f"€ {whole},{cents % 100:02d}"

        ratio_nl = str(Decimal(str(st["spent_ratio"])).scaleb(2).quantize(Decimal("0.1"), ROUND_HALF_UP))
        ratio_nl = ratio_nl.replace(".", ",")
        nl75 = {"summary": "C&A-uitgaven 2026 hebben 75% van het plafond bereikt",
                "description": f"{money_nl(st['spent_cents'])} besteed van het plafond 2026 van "
                               f"{money_nl(CAP_CENTS)} ({ratio_nl}%) op 23-11-2026. Gaat af bij 75% "
                               "van het plafond, vervalt onder 73%."}
        alerts = [
            threshold("0.75", "0.73", "2026-09-22T06:00:04Z", nl=nl75),
            threshold("0.5", "0.48", "2026-06-23T06:00:02Z"),
            alert({"alertname": "BudgetForecastOverrun", "year": "2026", "threshold": "1.0",
                   "severity": "warning"},
                  "C&A spend 2026 is forecast to reach 1.0 of the cap",
                  f"Forecast year end {money(f['year_end_cents'])} EUR (range {money(f['low_cents'])} to "
                  f"{money(f['high_cents'])} EUR) against a cap of {money(CAP_CENTS)} EUR; cap reached on "
                  f"{f['cap_reached_on']}. Method: {f['method']}; as of {as_of}.",
                  "2026-10-24T06:00:05Z", value=f["year_end_cents"] / CAP_CENTS),
            alert({"alertname": "GroupSpendSpike", "year": "2026", "target_group": "NAHP",
                   "month": "2026-09", "severity": "info"},
                  "Spend of target group NAHP jumped in 2026-09",
                  "target group NAHP: 5618427.09 EUR in 2026-09 after 2504113.50 EUR in 2026-08 (x2.24). "
                  f"As of {as_of}.", "2026-10-24T06:00:05Z", value=2.24),
            alert({"alertname": "BudgetThresholdReached", "year": "2026", "threshold": "0.9",
                   "severity": "warning"},
                  "C&A spend 2026 reached 0.9 of the cap", "Resolved: spend fell below 0.88 of the cap.",
                  "2026-09-01T06:00:02Z", state="resolved", ends="2026-09-02T06:00:02Z"),
        ]
        deadlines = {"2026-01": "2026-02-24", "2026-02": "2026-03-24", "2026-03": "2026-04-27",
                     "2026-04": "2026-05-22", "2026-05": "2026-06-23", "2026-06": "2026-07-23",
                     "2026-07": "2026-08-25", "2026-08": "2026-09-23", "2026-09": "2026-10-23"}
        for r in self.providers[2026]:
            for m in r["missing_months"]:
                alerts.append(alert(
                    {"alertname": "ProviderDeclarationMissing", "year": "2026", "provider": r["agb"],
                     "month": m, "severity": "warning"},
                    f"Provider {r['agb']} has not declared {m}",
                    f"Provider {r['agb']} was designated in {m} but has declared nothing for it; the "
                    f"deadline was {deadlines[m]} (as of {as_of}). A provider that stops declaring is "
                    "a signal, not silence.", f"{deadlines[m]}T22:00:03Z"))
        return alerts

    def alerts_doc(self, state):
        with self.lock:
            items = [json.loads(json.dumps(a)) for a in self.alerts
                     if state == "all" or a["status"]["state"] == state]
            return {"alerts": items, "data_as_of": self.data_as_of}

    def acknowledge(self, fingerprint, by, comment):
        with self.lock:
            for a in self.alerts:
                if a["fingerprint"] == fingerprint:
                    now = iso(dt.datetime.now(dt.timezone.utc))
                    a["acknowledged_by"] = by
                    a["acknowledged_at"] = now
                    a["ack_comment"] = comment
                    self.acks.append({"fingerprint": fingerprint, "by": by, "comment": comment, "at": now})
                    self.generated_at = now
                    return json.loads(json.dumps(a))
        return None


class Handler(BaseHTTPRequestHandler):
    server_version = "lvhcmon-mock/1"
    protocol_version = "HTTP/1.1"

    # set on the class by main()
    world = None
    book = None      # mock_providers.ProviderBook
    web_dir = None
    tokens = {}      # token → role
    provider_agbs = {}  # provider token → its AGB
    quiet = False

    def log_message(self, fmt, *args):
        if not self.quiet:
            sys.stderr.write("mock: " + (fmt % args) + "\n")

    # -- replies ----------------------------------------------------------------------------

    def _common_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")

    def _send(self, code, body, ctype, extra=None):
        self.send_response(code)
        self._common_headers()
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if code != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if code != 304 and self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, code, doc, etag=False):
        body = (json.dumps(doc, ensure_ascii=False, indent=None) + "\n").encode()
        extra = {"Cache-Control": "no-cache"}
        if etag:
            tag = '"' + hashlib.sha256(body).hexdigest()[:24] + '"'
            extra["ETag"] = tag
            if self._etag_matches(tag):
                return self._send(304, b"", "", extra)
        self._send(code, body, "application/json; charset=utf-8", extra)

    def _etag_matches(self, tag):
        header = self.headers.get("If-None-Match")
        if not header:
            return False
        wanted = [t.strip() for t in header.split(",")]
        return "*" in wanted or any(t.removeprefix("W/") == tag for t in wanted)

    def _error(self, code, ecode, message, field=None, extra=None):
        body = json.dumps({"error": {"code": ecode, "message": message, "field": field}}).encode()
        self._send(code, body, "application/json; charset=utf-8", extra)

    def _role(self):
        """The caller's role, or None after answering 401; a provider's AGB in self.agb."""
        m = re.fullmatch(r"Bearer\s+(\S+)", self.headers.get("Authorization", ""))
        role = self.tokens.get(m.group(1)) if m else None
        self.agb = self.provider_agbs.get(m.group(1)) if m else None
        if role is None:
            self._error(401, "unauthorized", "A valid bearer token is required.", None,
                        {"WWW-Authenticate": 'Bearer realm="lvhcmon"'})
        return role

    def _may_see(self, role, agb):
        """A controller sees every provider, a provider itself; else 404 (nothing revealed)."""
        if role == "controller" or (role == "provider" and agb == self.agb):
            return True
        if role == "dashboard":
            self._error(403, "forbidden", "This role may not read provider data.")
        else:
            self._error(404, "provider_not_found", "No provider with this AGB.", "agb")
        return False

    def _as_of(self, query, year):
        """The as_of parameter: None when absent; False after answering 400."""
        raw = query.get("as_of", [None])[0]
        if raw is None:
            return None
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            day = None
        if day is None or len(raw) != 10 or day.year < year or day > dt.date.today():
            self._error(400, "bad_request", "as_of must be a date YYYY-MM-DD in or after the year, "
                        "not in the future", "as_of")
            return False
        return raw

    def _year(self, query):
        raw = query.get("year", ["2026"])[0]
        if not re.fullmatch(r"\d{4}", raw):
            self._error(400, "invalid_year", "year must be four digits", "year")
            return None
        year = int(raw)
        if year not in MONTHLY:
            self._error(404, "unknown_year", f"No budget is configured for {year}.", "year")
            return None
        return year

    # -- routing ----------------------------------------------------------------------------

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        if path == "/healthz":
            return self._json(200, {"status": "ok"})
        if path == "/readyz":
            return self._json(200, {"status": "ready", "schema": "current"})
        if path == "/metrics":
            st = self.world.status(2026)
            body = (f"# TYPE lvhcmon_budget_spent_cents gauge\n"
                    f"lvhcmon_budget_spent_cents{{year=\"2026\"}} {st['spent_cents']}\n").encode()
            return self._send(200, body, "text/plain; version=0.0.4; charset=utf-8")
        if path == "/__mock/acks":
            with self.world.lock:
                return self._json(200, list(self.world.acks))
        if path.startswith("/api/"):
            return self._api_get(path, query)
        return self._static(path)

    def _api_get(self, path, query):
        role = self._role()
        if role is None:
            return None
        if path == "/api/v1/whoami":
            return self._json(200, {"role": role, "provider_agb": self.agb, "token_id": 1,
                                    "label": f"mock {role}"})
        if path == "/api/v1/status":
            if role not in ("controller", "dashboard", "provider"):
                return self._error(403, "forbidden", "This role may not read the budget status.")
            year = self._year(query)
            as_of = self._as_of(query, year) if year else False
            if not year or as_of is False:
                return None
            doc = self.world.status(year, as_of)
            if role == "provider":  # nothing that names or singles out other providers
                doc.pop("zorgkantoren", None)
            return self._json(200, doc, etag=True)
        m = re.fullmatch(r"/api/v1/providers/(\d{8})(/submissions|/declarations\.csv)?", path)
        if m:
            return self._provider_get(role, m.group(1), m.group(2) or "", query)
        m = re.fullmatch(r"/api/v1/declarations/(\d+)", path)
        if m:
            return self._declaration_get(role, int(m.group(1)), query)
        m = re.fullmatch(r"/api/v1/groups/([A-Z]+)", path)
        if m:
            if role not in ("controller", "dashboard"):
                return self._error(403, "forbidden", "This role may not read group figures.")
            year = self._year(query)
            if not year:
                return None
            doc = self.world.group(year, m.group(1))
            if doc is None:
                return self._error(404, "unknown_target_group", f"No target group {m.group(1)}.", "code")
            return self._json(200, doc, etag=True)
        if path == "/api/v1/providers":
            if role != "controller":
                return self._error(403, "forbidden", "Only a controller may list providers.")
            year = self._year(query)
            as_of = self._as_of(query, year) if year else False
            if not year or as_of is False:
                return None
            zk = query.get("zorgkantoor", [None])[0]
            if zk is not None and not (re.fullmatch(r"\d{4}", zk) and 5501 <= int(zk) <= 5533):
                return self._error(400, "bad_request", "zorgkantoor must be a code 5501 to 5533",
                                   "zorgkantoor")
            return self._json(200, self.world.providers_doc(year, as_of, zk), etag=True)
        if path == "/api/v1/report.xlsx":
            if role != "controller":
                return self._error(403, "forbidden", "Only a controller may download the report.")
            year = self._year(query)
            as_of = self._as_of(query, year) if year else False
            if not year or as_of is False:
                return None
            day = as_of or dt.date.today().isoformat()
            # not a workbook: the mock only shows that the page saves what the API sends
            body = b"PK\x03\x04 lvhcmon mock workbook " + day.encode()
            return self._send(200, body, XLSX_TYPE, {
                "Content-Disposition": f'attachment; filename="lvhcmon-{year}-stand-{day}.xlsx"'})
        if path == "/api/v1/alerts":
            if role not in ("controller", "dashboard", "provider"):
                return self._error(403, "forbidden", "This role may not read alerts.")
            state = query.get("state", ["firing"])[0]
            if state not in ("firing", "pending", "resolved", "all"):
                return self._error(400, "invalid_state", "state must be firing, pending, resolved or all", "state")
            doc = self.world.alerts_doc(state)
            if role == "provider":  # the national alerts and its own
                doc["alerts"] = [a for a in doc["alerts"] if a["labels"].get("provider") in (None, self.agb)]
            return self._json(200, doc, etag=True)
        return self._error(404, "not_found", "No such resource.")

    def _provider_get(self, role, agb, what, query):
        if not self._may_see(role, agb):
            return None
        year = self._year(query)
        if not year:
            return None
        row = next((r for r in self.world.providers[year] if r["agb"] == agb), None)
        if row is None:
            return self._error(404, "provider_not_found", "No provider with this AGB.", "agb")
        if what == "/submissions":
            raw = query.get("limit", ["50"])[0]
            if not raw.isdigit() or not 1 <= int(raw) <= 500:
                return self._error(400, "bad_request", "limit must be 1 to 500", "limit")
            return self._json(200, self.book.submissions_doc(agb, year, int(raw)))
        if what == "/declarations.csv":
            lang = query.get("lang", ["nl"])[0]
            if lang not in ("nl", "en"):
                return self._error(400, "bad_request", "lang must be nl or en", "lang")
            return self._send(200, self.book.csv_doc(agb, year, lang), "text/csv; charset=utf-8", {
                "Content-Disposition": f'attachment; filename="lvhcmon-{agb}-{year}.csv"'})
        names = {code: name for code, name, _, _ in GROUPS}
        doc = mock_providers.provider_detail(dict(row, _group_name=names.get(row.get("_group"))), year,
                                             len(MONTHLY[year]))
        with self.world.lock:
            doc.update(data_as_of=self.world.data_as_of, generated_at=self.world.generated_at)
        return self._json(200, doc, etag=True)

    def _declaration_get(self, role, sid, query):
        sub = self.book.submission(sid)
        if sub is None or role not in ("controller", "provider") or (
                role == "provider" and sub["provider_agb"] != self.agb):
            return self._error(404, "declaration_not_found", "No declaration with this id.", "id")
        status = query.get("status", [""])[0]
        if status not in ("", "accepted", "rejected", "credited"):
            return self._error(400, "bad_request", "status must be accepted, rejected or credited", "status")
        month = query.get("month", [""])[0]
        if month and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            return self._error(400, "bad_request", "month must be YYYY-MM", "month")
        limit = int(query.get("limit", ["200"])[0])
        after = int(query.get("after", ["0"])[0])
        return self._json(200, self.book.lines_doc(sub, status, month, limit, after))

    def _declarations_post(self, kind, raw):
        """POST /api/v1/declarations[/csv|/aw319] for a provider token."""
        role = self._role()
        if role is None:
            return None
        if role != "provider":
            return self._error(403, "forbidden", "Only a provider or ingest token may submit.")
        source = {"": "json", "/csv": "csv", "/aw319": "aw319"}[kind]
        try:
            if source == "csv":
                subs = mock_providers.parse_csv(raw)
            elif source == "json":
                subs = [mock_providers.parse_json(raw)]
            else:
                subs = [mock_providers.parse_aw319(raw)]
        except mock_providers.Rejected as e:
            self.book.reject_whole(source, self.agb, e.error)
            return self._error(e.status, e.error["code"], e.error["message"], e.error.get("field"))
        if any(agb != self.agb for agb, _, _ in subs):
            return self._error(403, "forbidden", "This token may only submit for its own AGB.",
                               "provider_agb")
        answers = []
        for agb, ref, lines in subs:
            part = raw if source != "csv" else json.dumps([ref, lines]).encode()
            code, body = self.book.submit(source, agb, ref, lines, part)
            answers.append((code, body))
        if source != "csv":
            return self._json(answers[0][0], answers[0][1])
        listed = [dict(body, http_status=code) if code < 400 else
                  {"reference": ref, "http_status": code, **body}
                  for (code, body), (_, ref, _) in zip(answers, subs)]
        codes = [c for c, _ in answers]
        status = 409 if 409 in codes else 201 if 201 in codes else 200
        return self._json(status, {"submissions": listed, "stored": codes.count(201),
                                   "replayed": codes.count(200), "refused": sum(c >= 400 for c in codes)})

    def do_POST(self):
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        d = re.fullmatch(r"/api/v1/declarations(|/csv|/aw319)", path)
        if d:
            return self._declarations_post(d.group(1), raw)
        m = re.fullmatch(r"/api/v1/alerts/([^/]+)/ack", path)
        if not m:
            return self._error(404 if path.startswith("/api/") else 405, "not_found", "No such resource.")
        role = self._role()
        if role is None:
            return None
        if role != "controller":
            return self._error(403, "forbidden", "Only a controller may acknowledge alerts.")
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip()
        if ctype != "application/json":
            return self._error(415, "unsupported_media_type", "Send the body as application/json.")
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self._error(400, "invalid_json", "The body is not valid JSON.")
        by = body.get("by") if isinstance(body, dict) else None
        comment = body.get("comment", "") if isinstance(body, dict) else None
        if not isinstance(by, str) or not by.strip() or len(by) > 200:
            return self._error(400, "invalid_field", "by must be a non-empty name (at most 200 characters).", "by")
        if comment is not None and not isinstance(comment, str):
            return self._error(400, "invalid_field", "comment must be a string.", "comment")
        alert = self.world.acknowledge(unquote(m.group(1)), by.strip(), comment or "")
        if alert is None:
            return self._error(404, "unknown_alert", "No alert with this fingerprint.", "fingerprint")
        return self._json(200, alert)

    def _static(self, path):
        rel = "index.html" if path in ("/", "") else unquote(path).lstrip("/")
        full = os.path.realpath(os.path.join(self.web_dir, rel))
        if not full.startswith(self.web_dir + os.sep) or not os.path.isfile(full):
            return self._error(404, "not_found", "No such file.")
        ctype = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".svg": "image/svg+xml"}.get(os.path.splitext(full)[1]) \
            or mimetypes.guess_type(full)[0] or "application/octet-stream"
        with open(full, "rb") as fh:
            body = fh.read()
        self._send(200, body, ctype, {"Cache-Control": "no-cache"})


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--web-dir", default=os.path.join(here, "..", "..", "web"))
    ap.add_argument("--controller-token", default="controller-token")
    ap.add_argument("--dashboard-token", default="dashboard-token")
    ap.add_argument("--provider-token", default="provider-token")
    ap.add_argument("--provider-agb", default="41000001",
                    help="the provider token's AGB (a provider of the canned figures)")
    ap.add_argument("--quiet", action="store_true", help="do not log requests")
    args = ap.parse_args()

    Handler.world = World()
    Handler.web_dir = os.path.realpath(args.web_dir)
    Handler.tokens = {args.controller_token: "controller", args.dashboard_token: "dashboard",
                      args.provider_token: "provider"}
    Handler.provider_agbs = {args.provider_token: args.provider_agb}
    Handler.book = mock_providers.ProviderBook(args.provider_agb)
    Handler.quiet = args.quiet
    httpd = ThreadingHTTPServer((args.host, args.port), Handler)
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as fh:
            fh.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    print(f"mock lvhcmond on http://{args.host}:{port}/ serving {Handler.web_dir}", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
