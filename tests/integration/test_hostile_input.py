"""test_hostile_input.py: a catalogue of hostile and malformed inputs, each with the answer
lvhcmond must give, and proof that none of them stored what it should not.

Every case says what it sends and what must come back: the HTTP status, the error code and
the field it names, and what may be stored:

  NOTHING   rejected whole: the submission and declaration_line tables keep their row
            counts (only ingest_attempt may grow: it records the attempt);
  LINE      a value defect in one line: doc/api.md keeps the submission and stores the line as
            "rejected" with its code (201), so exactly that submission and its lines are
            added, and the line carries the code;
  VERBATIM  legal but loaded text (quotes, backslashes, percent signs that fit the field):
            stored (201) byte for byte as sent, which shows that it reached SQL only as a
            parameter.

The groups: SQL metacharacters and NUL escapes in every text field of a JSON submission, in
query parameters and in path parameters; overlong fields; wrong encodings; hostile numbers
and dates; broken JSON (truncated, nested 100,000 deep, duplicate keys, wrong shapes); HTTP
abuse (wrong Content-Type, unknown methods, dot-dot and percent-encoded paths, odd tokens,
malformed request lines); AW319 files with CR-only line ends, NUL bytes and non-ASCII
text; a CSV with an open quote through `lvhcmon import` (exit 1). After every case the
daemon must still answer /healthz, and every answer must have the error shape.

Then the connection-level attacks, with [server] connection_timeout_s = 3 and
request_timeout_s = 6: a body shorter than its Content-Length (the connection is closed
after the timeout, no worker hangs), a 9 MB body (413 before it is sent), 300 idle
connections plus 20 slowloris connections that send one header byte a second (a normal
client still gets /healthz promptly; the idle ones are closed after the inactivity
timeout, the slowloris ones after the request time limit).
"""

import http.client
import json
import os
import socket
import tempfile
import threading
import time

import harness
import submissions

NOTHING, LINE, VERBATIM = "nothing", "line", "verbatim"
SQLI = "'; DROP TABLE submission; --"
TIMEOUT_S = 3
REQUEST_TIMEOUT_S = 6
MAX_LINES = 1000
AGB = "41000001"
HEALTHZ_PROMPT_S = 1.0


class Case:
    def __init__(self, name, status, code=None, field=None, store=NOTHING, method="POST",
                 path="/api/v1/declarations", body=None, content_type="application/json",
                 role="ingest", headers=None, raw=None, line_code=None, check=None):
        self.name, self.status, self.code, self.field = name, status, code, field
        self.store, self.method, self.path, self.body = store, method, path, body
        self.content_type, self.role, self.headers = content_type, role, headers or {}
        self.raw, self.line_code, self.check = raw, line_code, check


def aw319_valid():
    with open(os.path.join(harness.SOURCE_DIR, "tests", "data", "aw319", "valid.aw319"),
              "rb") as f:
        return f.read()


class Catalogue:
    """Builds the cases; every JSON case starts from one valid single-line submission."""

    def __init__(self):
        self.gen = submissions.SubmissionFactory(1717, providers={AGB})
        self.n = 0
        self.cases = []

    def base(self):
        self.n += 1
        return self.gen.json_submission(f"hostile-{self.n:04d}", 1, provider=AGB)

    def add(self, *args, **kw):
        self.cases.append(Case(*args, **kw))

    def top(self, name, key, value, status, code, field=None, store=NOTHING):
        body = self.base()
        body[key] = value
        self.add(name, status, code, key if field is None else field, store, body=body)

    def line(self, name, key, value, line_code=None, status=201, code=None, field=None,
             store=LINE):
        body = self.base()
        body["lines"][0][key] = value
        self.add(name, status, code, field, store, body=body, line_code=line_code)

    def raw_json(self, name, text, status, code, field=None, content_type="application/json"):
        self.add(name, status, code, field, body=text.encode() if isinstance(text, str)
                 else text, content_type=content_type)

    def build(self):
        # -- SQL metacharacters and NUL escapes, every text field of the JSON submission --
        self.top("sql in provider_agb", "provider_agb", SQLI, 422, "9108")
        self.top("quote in provider_agb (8 chars)", "provider_agb", "4100000'", 422, "9108")
        self.top("sql in reference (too long)", "reference", SQLI, 422, "9108")
        self.top("sql in reference (fits)", "reference", "x'; DROP TABLE s;--", 201, None,
                 store=VERBATIM)
        self.top("backslash percent quote in reference", "reference", 'a\\b%_"c\'d', 201,
                 None, store=VERBATIM)
        self.top("NUL escape in reference", "reference", "ab\u0000cd", 422, "9209", field="")
        self.top("control character in reference", "reference", "ab\u0001cd", 422, "9108")
        self.top("empty reference", "reference", "", 422, "9107")
        self.line("sql in line_ref (too long)", "line_ref", SQLI, "9108")
        self.line("sql in line_ref (fits)", "line_ref", "1' OR '1'='1", store=VERBATIM)
        self.line("backslash percent in line_ref", "line_ref", "\\\\%_\\'", store=VERBATIM)
        self.line("NUL escape in line_ref", "line_ref", "a\u0000", status=422, code="9209",
                  field="", store=NOTHING)
        self.line("sql in client_bsn", "client_bsn", SQLI, "0435")
        self.line("quote in client_bsn (9 chars)", "client_bsn", "12345678'", "0435")
        self.line("NUL escape in client_bsn", "client_bsn", "12345678\u0000", status=422,
                  code="9209", field="", store=NOTHING)
        self.line("sql in prestatie (too long)", "prestatie", SQLI, "0582")
        self.line("sql in prestatie (fits)", "prestatie", "'; --", "0582")
        self.line("sql in date_from", "date_from", SQLI, "8007")
        self.line("sql after date_to", "date_to", "2026-10-01' OR 1=1", "8007")
        self.line("sql in debit_credit", "debit_credit", "D'; --", "0631")
        self.line("percent as debit_credit", "debit_credit", "%", "0631")
        self.line("sql in corrects_ref (too long)", "corrects_ref", SQLI, "9108")
        credit = self.base()
        credit["lines"][0].update(debit_credit="C", corrects_ref="x' OR '1'='1")
        self.add("sql in corrects_ref of a credit", 201, store=LINE, body=credit,
                 line_code="8017")
        # -- overlong fields --
        self.top("reference of 10,000 characters", "reference", "R" * 10000, 422, "9108")
        self.line("line_ref of 1 MB", "line_ref", "L" * (1 << 20), "9108")
        self.top("provider_agb of 100,000 digits", "provider_agb", "4" * 100000, 422, "9108")
        # -- wrong encodings --
        good = json.dumps(self.base())
        self.raw_json("invalid UTF-8 byte", good.replace("hostile", "host\udcffile", 1)
                      .encode("utf-8", "surrogateescape"), 422, "9206", field="")
        self.raw_json("UTF-16 body", json.dumps(self.base()).encode("utf-16"), 422, "9206",
                      field="")
        self.raw_json("overlong UTF-8 for '/'", good.replace("hostile", "host\udcc0\udcafile",
                                                             1).encode("utf-8",
                                                                       "surrogateescape"),
                      422, "9206", field="")
        self.raw_json("UTF-8 encoded surrogate", good.replace("hostile", "ho\udced\udca0\udc80",
                                                              1).encode("utf-8",
                                                                        "surrogateescape"),
                      422, "9206", field="")
        self.raw_json("UTF-8 byte order mark", b"\xef\xbb\xbf" + json.dumps(
            self.base()).encode(), 422, "9209", field="")
        self.raw_json("Latin-1 text", json.dumps(self.base(), ensure_ascii=False).replace(
            "hostile", "h\u00e9").encode("latin-1"), 422, "9206", field="")
        # -- numbers --
        self.line("negative minutes", "minutes", -1, "0638")
        self.line("minutes 2^63", "minutes", 2 ** 63, status=422, code="9108",
                  field="minutes", store=NOTHING)
        self.raw_json("minutes 1e400", json.dumps(self.base()).replace(
            '"minutes": ', '"minutes": 1e400, "x": ', 1), 422, "9108", field="minutes")
        self.raw_json("minutes -0", re_minutes(json.dumps(self.base()), "-0"), 201, None)
        self.cases[-1].store, self.cases[-1].line_code = LINE, "0638"
        self.line("minutes 1.5", "minutes", 1.5, status=422, code="9108",
                  field="lines[0].minutes", store=NOTHING)
        self.line("minutes as a string", "minutes", "210", status=422, code="9108",
                  field="lines[0].minutes", store=NOTHING)
        self.line("minutes true", "minutes", True, status=422, code="9108",
                  field="lines[0].minutes", store=NOTHING)
        self.line("negative travel_cents", "travel_cents", -5, "0638")
        self.line("travel_cents 2^63", "travel_cents", 2 ** 63, status=422, code="9108",
                  field="travel_cents", store=NOTHING)
        self.line("travel_cents 2^63-1", "travel_cents", 2 ** 63 - 1, "0584")
        self.line("minutes 2^63-1", "minutes", 2 ** 63 - 1, "0584")
        self.line("minutes 0", "minutes", 0, "0638")
        # -- dates --
        self.line("date 2026-02-30", "date_from", "2026-02-30", "8007")
        self.line("date 2026-13-01", "date_from", "2026-13-01", "8007")
        self.line("date 26-01-01", "date_to", "26-01-01", "8007")
        self.line("empty date", "date_from", "", "9107")
        self.line("date 2026-1-1", "date_from", "2026-1-1", "8007")
        self.line("date with time", "date_to", "2026-10-01T00:00:00Z", "8007")
        self.line("date as a number", "date_from", 20261001, status=422, code="9108",
                  field="lines[0].date_from", store=NOTHING)
        # -- broken JSON --
        text = json.dumps(self.base())
        self.raw_json("truncated body", text[: len(text) // 2], 422, "9209", field="")
        self.raw_json("truncated after the last line", text[:-2], 422, "9209", field="")
        # Refused from the text before jansson builds anything (lib/json_shape.h): an array
        # is neither a body nor a line.
        self.raw_json("nesting bomb 100,000 deep", "[" * 100000 + "]" * 100000, 422, "9108",
                      field="")
        self.raw_json("nesting bomb inside lines", text.replace(
            '"lines": [', '"lines": [' + "[" * 50000, 1), 422, "9108", field="lines[0]")
        self.raw_json("nesting bomb in a field", text.replace(
            '"reference": ', '"reference": ' + "[" * 50000, 1), 422, "9108",
            field="reference")
        self.raw_json("nesting bomb 1,000 deep inside an object", "{\"x\": " + "{" * 1000, 422,
                      "9108", field="x")
        self.raw_json("duplicate keys", text.replace(
            '"reference": ', '"reference": "dup-a", "reference": ', 1), 422, "9209",
            field="")
        self.raw_json("trailing garbage", text + " {}", 422, "9209", field="")
        self.raw_json("body is an array", "[" + text + "]", 422, "9108", field="")
        self.raw_json("body is null", "null", 422, "9209", field="")
        self.raw_json("whitespace body", " \r\n\t ", 422, "9211", field="")
        self.raw_json("empty body", "", 400, "bad_request", field="body")
        self.top("lines empty", "lines", [], 422, "9211", field="lines")
        self.top("lines is a string", "lines", SQLI, 422, "9108", field="lines")
        self.top("a line is a string", "lines", [SQLI], 422, "9108", field="lines[0]")
        unknown = self.base()
        unknown["lines"][0]["travel_cent"] = 5
        self.add("unknown field (misspelt)", 422, "9108", "lines[0].travel_cent", body=unknown)
        unknown = self.base()
        unknown["'; DROP TABLE submission; --"] = 1
        self.add("sql as a field name", 422, "9108", SQLI, body=unknown)
        many = self.base()
        many["lines"] = [dict(many["lines"][0], line_ref=f"m{i}") for i in range(MAX_LINES + 1)]
        self.add(f"{MAX_LINES + 1} lines", 413, "9207", "lines", body=many)
        # -- HTTP abuse --
        self.add("Content-Type text/plain", 415, "unsupported_media_type", "Content-Type",
                 body=self.base(), content_type="text/plain")
        self.add("no Content-Type", 415, "unsupported_media_type", "Content-Type",
                 body=json.dumps(self.base()).encode(), content_type=None)
        self.add("Content-Type with sql", 415, "unsupported_media_type", "Content-Type",
                 body=self.base(), content_type="application/json'; --")
        self.add("unknown method BREW", 405, "method_not_allowed", None, method="BREW")
        self.add("DELETE a declaration", 405, "method_not_allowed", None, method="DELETE",
                 path="/api/v1/declarations/1", role="controller")
        self.add("PUT /healthz", 405, "method_not_allowed", None, method="PUT",
                 path="/healthz", body=b"x", content_type="text/plain")
        self.add("unknown path", 404, "not_found", None, method="GET",
                 path="/api/v1/declarationz", role="controller")
        self.add("dot-dot in the API path", 404, "not_found", None, method="GET",
                 path="/api/v1/../../etc/passwd", role="controller")
        self.add("encoded dot-dot as a file", 404, "not_found", None, method="GET",
                 path="/..%2f..%2fetc%2fpasswd", role=None)
        self.add("encoded dots as path segments", 404, "not_found", None, method="GET",
                 path="/%2e%2e/%2e%2e/etc/passwd", role=None)
        self.add("dot-dot as a file", 404, "not_found", None, method="GET", path="/..",
                 role=None)
        self.add("hidden file", 404, "not_found", None, method="GET", path="/.git",
                 role=None)
        self.add("encoded NUL in a file name", 404, "not_found", None, method="GET",
                 path="/index.html%00.png", role=None)
        self.add("double slash", 404, "not_found", None, method="GET",
                 path="//api/v1/declarations/1", role="controller")
        self.add("no token", 401, "unauthorized", None, body=self.base(), role=None)
        self.add("sql as the token", 401, "unauthorized", None, body=self.base(), role=None,
                 headers={"Authorization": f"Bearer {SQLI}"})
        self.add("token of 16 KB", 401, "unauthorized", None, body=self.base(), role=None,
                 headers={"Authorization": "Bearer " + "a" * 16384})
        self.add("basic authentication", 401, "unauthorized", None, body=self.base(),
                 role=None, headers={"Authorization": "Basic YWRtaW46YWRtaW4="})
        self.add("dashboard token may not submit", 403, "forbidden", None, body=self.base(),
                 role="dashboard")
        # -- query parameters --
        for path, field in [
                ("/api/v1/status?year=2026'%3B%20DROP%20TABLE%20submission%3B--", "year"),
                ("/api/v1/status?year=%00", "year"),
                ("/api/v1/status?year=2026%00", "year"),
                ("/api/v1/status?year=99999999999999999999", "year"),
                ("/api/v1/status?year=-2026", "year"),
                ("/api/v1/status?year=0x7EA", "year"),
                ("/api/v1/providers?year=%25", "year"),
                (f"/api/v1/providers/{AGB}/declarations?month=13", "month"),
                (f"/api/v1/providers/{AGB}/declarations?month=1%20OR%201%3D1", "month"),
                (f"/api/v1/providers/{AGB}/declarations?status=rejected'%20OR%20'1'%3D'1",
                 "status"),
                ("/api/v1/alerts?state=firing'%3B--", "state")]:
            self.add(f"query {path.split('?')[1][:40]}", 400, "bad_request", field,
                     method="GET", path=path, role="controller")
        # -- path parameters --
        # Each resource answers with its own "not found" (as an id or code that cannot exist
        # does not exist); a path that matches no route is plain not_found.
        for path, code in [
                ("/api/v1/declarations/1%27%20OR%20%271%27%3D%271", "declaration_not_found"),
                ("/api/v1/declarations/-1", "declaration_not_found"),
                ("/api/v1/declarations/0", "declaration_not_found"),
                ("/api/v1/declarations/99999999999999999999", "declaration_not_found"),
                ("/api/v1/declarations/0x10", "declaration_not_found"),
                ("/api/v1/declarations/%2e%2e", "declaration_not_found"),
                ("/api/v1/declarations/1;DROP%20TABLE%20submission", "declaration_not_found"),
                ("/api/v1/providers/%27%3B%20DROP%20TABLE%20submission%3B--/declarations",
                 "provider_not_found"),
                ("/api/v1/providers/4100000%25", "provider_not_found"),
                ("/api/v1/providers/41000001%00", "provider_not_found"),
                ("/api/v1/groups/%27%20OR%20%271", "group_not_found"),
                ("/api/v1/groups/KOR%00", "group_not_found"),
                ("/api/v1/alerts/%27%20OR%201%3D1", "alert_not_found")]:
            self.add(f"path {path[8:60]}", 404, code, None, method="GET", path=path,
                     role="controller")
        self.add("ack of an sql fingerprint", 404, "alert_not_found", None,
                 path="/api/v1/alerts/%27%3BDROP%20TABLE%20alert--/ack", role="controller",
                 body={})
        # -- malformed requests on the wire --
        # libmicrohttpd closes a connection whose request line it cannot parse, unanswered.
        self.add("garbage request line", None, None, None, raw=b"GARBAGE\r\n\r\n")
        self.add("header without a colon", 400, None, None,
                 raw=b"GET /healthz HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n")
        # libmicrohttpd without pedantic checks serves HTTP/1.1 without Host (harmless here).
        self.add("HTTP/1.1 without Host", 200, None, None, raw=b"GET /healthz HTTP/1.1\r\n\r\n")
        self.add("bad Content-Length", 400, None, None,
                 raw=b"POST /api/v1/declarations HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Length: -5\r\n\r\n")
        # libmicrohttpd reads the request line as a C string: a raw NUL ends the URI there.
        self.add("NUL in the request line", 200, None, None,
                 raw=b"GET /healthz\x00/x HTTP/1.1\r\nHost: x\r\n\r\n")
        # -- AW319 files --
        valid = aw319_valid()
        self.add("AW319 with CR-only line ends", 422, "9201", None,
                 path="/api/v1/declarations/aw319", body=valid.replace(b"\n", b"\r"),
                 content_type="text/plain")
        self.add("AW319 with a NUL byte", 422, "9206", None, path="/api/v1/declarations/aw319",
                 body=valid[:400] + b"\x00" + valid[401:], content_type="text/plain")
        # Not UTF-8: read as ISO-8859-1, byte by byte; the invoice number arrives as UTF-8.
        self.add("AW319 with Latin-1 text", 201, None, None, store=VERBATIM,
                 path="/api/v1/declarations/aw319",
                 body=valid.replace(b"Toelichting:", b"Toelichting\xe9", 1)
                 .replace(b"2026-10-A   ", b"2026-10-\xe9   ", 1),
                 content_type="text/plain")
        self.cases[-1].verbatim_reference = "2026-10-\u00e9"
        self.add("AW319 with a record of 311 characters", 422, "9201", None,
                 path="/api/v1/declarations/aw319",
                 body=valid.replace(b"Toelichting", b"Toelichting ", 1),
                 content_type="application/octet-stream")
        # A record counts characters: UTF-8 text of the right length is a valid file.
        self.add("AW319 with UTF-8 text in a comment", 201, None, None, store=VERBATIM,
                 path="/api/v1/declarations/aw319",
                 body=valid.replace(b"Toelichting", "Toelicht\u00efng".encode(), 1),
                 content_type="application/octet-stream")
        self.cases[-1].verbatim_reference = "2026-10-A"
        self.add("AW319 empty", 400, "bad_request", "body", path="/api/v1/declarations/aw319",
                 body=b"", content_type="text/plain")
        self.add("AW319 that is JSON", 422, None, None, path="/api/v1/declarations/aw319",
                 body=json.dumps(self.base()).encode(), content_type="application/json")
        self.add("AW319 with an sql invoice number", 201, None, None, store=VERBATIM,
                 path="/api/v1/declarations/aw319",
                 body=valid.replace(b"2026-10-A   ", b"x';DROP--   ", 1),
                 content_type="text/plain")
        self.cases[-1].verbatim_reference = "x';DROP--"
        return self.cases


def re_minutes(text, number):
    """Sets the first line's minutes to a number written exactly as @number."""
    head, rest = text.split('"minutes": ', 1)
    return head + '"minutes": ' + number + rest[rest.index(","):]


def raw_exchange(port, data, timeout=10):
    """Sends raw bytes, returns (status or None, bytes received) once the server answered
    or closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        got = b""
        try:
            while b"\r\n\r\n" not in got:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
        except socket.timeout:
            pass
    status = None
    if got.startswith(b"HTTP/1."):
        status = int(got.split(b" ", 2)[1])
    return status, got


class HostileInputTest(harness.LvhcmonTestCase):
    def setUp(self):
        self.dbname = self.fresh_db()
        self.d = self.daemon(dbname=self.dbname, settings={"server": {
            "threads": 4, "connection_timeout_s": TIMEOUT_S, "connection_limit": 1000,
            # one address opens hundreds of connections here: the per-address limit has a
            # test of its own (test_abuse.py)
            "per_ip_connection_limit": 1000, "request_timeout_s": REQUEST_TIMEOUT_S,
            "max_lines_per_submission": MAX_LINES}})
        submissions.prepare_database(self.d)
        self.tokens = {role: self.d.make_token(role) for role in
                       ("ingest", "controller", "dashboard")}

    def counts(self):
        return submissions.ledger_counts(self.pg, self.dbname)

    def send(self, case):
        if case.raw is not None:
            status, got = raw_exchange(self.d.port, case.raw)
            return status, {}, got.split(b"\r\n\r\n", 1)[-1] if status else b""
        conn = http.client.HTTPConnection("127.0.0.1", self.d.port, timeout=30)
        try:
            body = case.body
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
            headers = {}
            if case.content_type is not None and body is not None:
                headers["Content-Type"] = case.content_type
            if case.role is not None:
                headers["Authorization"] = f"Bearer {self.tokens[case.role]}"
            headers.update(case.headers)
            conn.request(case.method, case.path, body=body, headers=headers)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def test_catalogue(self):
        cases = Catalogue().build()
        tried = 0
        for case in cases:
            with self.subTest(case.name):
                tried += 1
                before = self.counts()
                status, headers, body = self.send(case)
                after = self.counts()
                self.assertEqual(status, case.status, f"{case.name}: {body[:300]!r}")
                if case.raw is None and status is not None and status >= 400:
                    err = json.loads(body)["error"]
                    self.assertTrue(err.get("message"), err)
                    if case.code is not None:
                        self.assertEqual(err["code"], case.code, err)
                    if case.field is not None:
                        self.assertEqual(err.get("field") or "", case.field, err)
                    if getattr(case, "field_prefix", None):
                        self.assertTrue(err["field"].startswith(case.field_prefix), err)
                    if status == 405:
                        self.assertIn("allow", headers)
                if case.store == NOTHING:
                    self.assertEqual(after[:2], before[:2], f"{case.name} stored something")
                else:
                    self.check_stored(case, body, before, after)
                self.assertIsNone(self.d.proc.poll(), f"lvhcmond died on {case.name}")
                self.assertEqual(self.d.http("GET", "/healthz", timeout=5).status, 200)
        tried += self.csv_cases()
        self.assertEqual(self.pg.sql("SELECT count(*) FROM information_schema.tables WHERE "
                                     "table_name IN ('submission', 'declaration_line', "
                                     "'api_token')", dbname=self.dbname), [("3",)])
        self.assertEqual(submissions.ledger_inconsistencies(self.pg, self.dbname), [])
        self.assertEqual([l for l in self.d.raw_lines if "Sanitizer" in l or "runtime error"
                          in l], [])
        print(f"\nhostile input: {tried} inputs tried, each answered as defined; "
              f"ledger rows after: {self.counts()[:2]} (submissions, lines)", flush=True)

    def check_stored(self, case, body, before, after):
        doc = json.loads(body)
        n_lines = doc["accepted"] + doc["rejected"]
        self.assertEqual(after[0] - before[0], 1, case.name)
        self.assertEqual(after[1] - before[1], n_lines, case.name)
        rows = self.pg.sql(f"SELECT reference, accepted, rejected FROM submission "
                           f"WHERE id = {int(doc['id'])}", dbname=self.dbname)
        self.assertEqual(len(rows), 1)
        sent_ref = getattr(case, "verbatim_reference", None)
        if sent_ref is None and isinstance(case.body, dict):
            sent_ref = case.body["reference"]
        if sent_ref is not None:
            self.assertEqual(rows[0][0], sent_ref, f"{case.name}: reference changed")
        if case.store == LINE:
            line = doc["lines"][0]
            self.assertEqual(line["status"], "rejected", line)
            self.assertIn(case.line_code, line["codes"], line)
            self.assertEqual(doc["rejected"], 1)
        if case.store == VERBATIM and isinstance(case.body, dict):
            self.assertEqual(doc["rejected"], 0, doc)
            refs = {r for (r,) in self.pg.sql(
                f"SELECT line_ref FROM declaration_line WHERE submission_id = "
                f"{int(doc['id'])}", dbname=self.dbname)}
            self.assertEqual(refs, {l["line_ref"] for l in case.body["lines"]})

    def csv_cases(self):
        """CSV files through `lvhcmon import`: rejected whole, exit 1, nothing stored."""
        header = ("provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,"
                  "minutes,travel_cents,debit_credit,corrects_ref\n")
        row = f"{AGB},csv-1,c1,123456782,CAKOR,2026-09-01,2026-09-01,60,0,D,\n"
        files = {
            "unbalanced quote": header + row.replace("csv-1", '"csv-1'),
            "quote inside a field": header + row.replace("csv-1", 'cs"v-1'),
            "NUL byte": header + row.replace("csv-1", "csv\x00-1"),
            "invalid UTF-8": None,
            "header with sql": header.replace("reference", SQLI) + row,
        }
        n = 0
        with tempfile.TemporaryDirectory() as tmp:
            for name, text in files.items():
                with self.subTest(f"csv {name}"):
                    n += 1
                    path = os.path.join(tmp, f"f{n}.csv")
                    with open(path, "wb") as f:
                        f.write(text.encode() if text is not None else
                                (header + row).encode().replace(b"csv-1", b"csv\xff1"))
                    before = self.counts()
                    res = self.d.cli("import", path, "--format", "csv")
                    self.assertEqual(res.returncode, 1, f"{name}: {res.stdout}{res.stderr}")
                    self.assertTrue(res.stderr.strip() or res.stdout.strip())
                    self.assertEqual(self.counts()[:2], before[:2])
        return n

    # -- connections -----------------------------------------------------------------------

    def healthz_time(self):
        began = time.monotonic()
        r = self.d.http("GET", "/healthz", timeout=10)
        self.assertEqual(r.status, 200)
        return time.monotonic() - began

    def test_body_shorter_than_content_length(self):
        before = self.counts()
        with socket.create_connection(("127.0.0.1", self.d.port), timeout=TIMEOUT_S + 10) as s:
            body = json.dumps(Catalogue().base()).encode()
            s.sendall(b"POST /api/v1/declarations HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\n"
                      b"Authorization: Bearer " + self.tokens["ingest"].encode() + b"\r\n"
                      b"Content-Length: " + str(len(body) + 1000).encode() + b"\r\n\r\n" +
                      body)
            began = time.monotonic()
            # While it waits for the rest, every worker still serves others.
            for _ in range(4):
                self.assertLess(self.healthz_time(), HEALTHZ_PROMPT_S)
            got = s.recv(65536)
            closed_after = time.monotonic() - began
        self.assertIn(got, (b"",), got[:200])
        self.assertGreater(closed_after, TIMEOUT_S - 1)
        self.assertLess(closed_after, TIMEOUT_S + 3)
        self.assertEqual(self.counts()[:2], before[:2])
        print(f"\nbody shorter than Content-Length: connection closed after "
              f"{closed_after:.1f} s (timeout {TIMEOUT_S} s)", flush=True)

    def test_nine_megabytes(self):
        before = self.counts()
        size = 9 * 1024 * 1024
        # Declared: refused from the headers alone, before the body is sent.
        with socket.create_connection(("127.0.0.1", self.d.port), timeout=10) as s:
            s.sendall(b"POST /api/v1/declarations HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\n"
                      b"Authorization: Bearer " + self.tokens["ingest"].encode() + b"\r\n"
                      b"Content-Length: " + str(size).encode() + b"\r\n\r\n")
            got = s.recv(65536)
        self.assertTrue(got.startswith(b"HTTP/1.1 413"), got[:200])
        self.assertIn(b'"payload_too_large"', got)
        # Chunked, length unknown: dropped past the cap, then 413 (or the connection closed).
        conn = http.client.HTTPConnection("127.0.0.1", self.d.port, timeout=60)
        chunk = b"[" * 65536

        def chunks():
            for _ in range(size // len(chunk)):
                yield chunk

        try:
            conn.request("POST", "/api/v1/declarations", body=chunks(),
                         headers={"Content-Type": "application/json",
                                  "Authorization": f"Bearer {self.tokens['ingest']}"},
                         encode_chunked=True)
            r = conn.getresponse()
            self.assertEqual(r.status, 413, r.read()[:200])
        except (ConnectionError, BrokenPipeError):
            pass  # closed for sending far too much: also a defined answer
        finally:
            conn.close()
        self.assertEqual(self.counts()[:2], before[:2])
        self.assertLess(self.healthz_time(), HEALTHZ_PROMPT_S)

    def test_oversized_headers(self):
        """Headers that fit the connection's memory (36 KiB, daemon/http/server.c) are read;
        larger ones get 431 from the headers alone, the daemon goes on serving, and a
        submission sent with them stores nothing."""
        before = self.counts()
        token = self.tokens["controller"].encode()

        def request(filler_bytes, method=b"GET", path=b"/api/v1/status", extra=b""):
            return (method + b" " + path + b" HTTP/1.1\r\nHost: x\r\n"
                    b"Authorization: Bearer " + token + b"\r\n"
                    b"X-Filler: " + b"a" * filler_bytes + b"\r\n" + extra + b"\r\n")

        for filler in (1024, 20 * 1024):
            status, got = raw_exchange(self.d.port, request(filler))
            self.assertEqual(status, 200, (filler, got[:200]))
        for filler in (40 * 1024, 70 * 1024):
            status, got = raw_exchange(self.d.port, request(filler))
            self.assertEqual(status, 431, (filler, got[:200]))
        # A submission behind headers too large is refused before its body is read.
        body = json.dumps(Catalogue().base()).encode()
        status, got = raw_exchange(self.d.port, request(
            48 * 1024, b"POST", b"/api/v1/declarations",
            b"Content-Type: application/json\r\nContent-Length: " +
            str(len(body)).encode() + b"\r\n") + body)
        self.assertEqual(status, 431, got[:200])
        self.assertEqual(self.counts()[:2], before[:2])
        self.assertLess(self.healthz_time(), HEALTHZ_PROMPT_S)

    def test_idle_and_slowloris_connections(self):
        idle = []
        for _ in range(300):
            idle.append(socket.create_connection(("127.0.0.1", self.d.port), timeout=10))
        stop = threading.Event()
        slow_errors = []

        def slowloris():
            request = (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "
                       + b"a" * 100)
            try:
                with socket.create_connection(("127.0.0.1", self.d.port), timeout=10) as s:
                    for byte in request:
                        if stop.wait(1.0):
                            return
                        s.sendall(bytes([byte]))
            except OSError as e:
                slow_errors.append(e)

        slow_closed = []

        def slowloris_until_closed():
            """Sends a byte a second until the server closes the connection; records when."""
            began = time.monotonic()
            slowloris()
            if not stop.is_set():
                slow_closed.append(time.monotonic() - began)

        slow = [threading.Thread(target=slowloris_until_closed, daemon=True) for _ in range(20)]
        opened = time.monotonic()
        for t in slow:
            t.start()
        try:
            times = []
            for _ in range(10):
                times.append(self.healthz_time())
                time.sleep(0.2)
            self.assertLess(max(times), HEALTHZ_PROMPT_S, times)
            # The idle connections are closed by the server once the timeout passes.
            closed = 0
            deadline = opened + TIMEOUT_S + 5
            for s in idle:
                s.settimeout(max(0.1, deadline - time.monotonic()))
                try:
                    if s.recv(1) == b"":
                        closed += 1
                except socket.timeout:
                    pass
                except ConnectionResetError:
                    closed += 1
            closed_by = time.monotonic() - opened
            self.assertEqual(closed, len(idle), f"{closed} of {len(idle)} idle connections "
                                                f"closed within {closed_by:.1f} s")
            after = [self.healthz_time() for _ in range(5)]
            self.assertLess(max(after), HEALTHZ_PROMPT_S)
            # The slowloris connections are active, so the inactivity timeout never closes
            # them; the request time limit does.
            deadline = opened + REQUEST_TIMEOUT_S + 5
            while len(slow_closed) < len(slow) and time.monotonic() < deadline:
                time.sleep(0.2)
            self.assertEqual(len(slow_closed), len(slow),
                             f"{len(slow_closed)} of {len(slow)} slowloris connections closed "
                             f"within {REQUEST_TIMEOUT_S + 5} s")
            self.assertGreater(min(slow_closed), REQUEST_TIMEOUT_S - 1)
        finally:
            stop.set()
            for s in idle:
                s.close()
            for t in slow:
                t.join(5)
        self.assertIsNone(self.d.proc.poll())
        self.d.wait_log("connections closed: a request took longer than request_timeout_s")
        print(f"\nidle/slowloris: 300 idle + 20 slowloris connections; /healthz meanwhile "
              f"max {max(times) * 1000:.0f} ms; all idle closed by {closed_by:.1f} s "
              f"(timeout {TIMEOUT_S} s); slowloris closed by the server after "
              f"{min(slow_closed):.1f}-{max(slow_closed):.1f} s (request_timeout_s "
              f"{REQUEST_TIMEOUT_S})", flush=True)
