"""harness.py: run the real programs against a real, throwaway PostgreSQL.

Python 3 standard library only. The pieces:

  PgCluster     a private PostgreSQL cluster in a temporary folder, reachable only through
                a Unix socket in that folder (trust authentication), with stop()/start()
                for outage tests and sql() to run queries through psql. It has the two
                roles of a deployment (README, "Security"): the cluster's superuser owns the
                schema and runs the migrations, and RUNTIME_ROLE (a member of the group
                role lvhcmon_runtime, whose grants the migrations give) is what the daemon
                connects as.
  Daemon        writes a configuration file and runs the build's lvhcmond on a free
                loopback port (port 0: the daemon picks one and logs it), collects its JSON
                log lines, and talks HTTP to it: http(), cli(), make_token(). By default
                its [database] conninfo is the restricted RUNTIME_ROLE and migrate_conninfo
                the owner, so every test proves that the daemon's grants suffice.
  http_request  one HTTP request -> Response(status, headers, body).
  cli           runs the build's lvhcmon.
  run_program   runs any other program of the build (lvhcmond --check-config, demogen).
  LvhcmonTestCase
                unittest base class: one cluster per test class, fresh databases and
                daemons per test, all cleaned up.

Failing loudly. Every program of the build that the harness starts is checked when it
ends, and a problem fails the test that started it (HarnessFailure, an AssertionError) with
the offending lines in the message:
  - any sanitizer line in its output (AddressSanitizer, LeakSanitizer,
    UndefinedBehaviorSanitizer, "runtime error:"), whatever its exit status;
  - a daemon's exit status other than the one expected: 0 after SIGTERM/SIGINT unless the
    test said otherwise (Daemon.start(expect_exit=1) for a daemon that must refuse to
    start, Daemon.kill() for a SIGKILL);
  - a command line run whose exit status is not one lvhcmon documents (0, 1, 2, 3), such
    as a signal or a sanitizer's own status.
A daemon that does not stop within 30 s of SIGTERM fails the test as well.

Environment: LVHCMON_BUILD_DIR (the CMake build folder; ctest sets it), LVHCMON_SOURCE_DIR
(the repository), LVHCMON_PG_BINDIR (PostgreSQL's bin folder; found automatically). As
root, initdb/pg_ctl run as the `postgres` user through runuser (initdb refuses root).

A typical test:

    class StatusTest(harness.LvhcmonTestCase):
        def test_empty_year(self):
            d = self.daemon()                       # fresh database, migrated, listening
            token = d.make_token("controller")
            r = d.http("GET", "/api/v1/status?year=2026", token=token)
            self.assertEqual(r.status, 200, r.text)
            self.assertEqual(r.json()["cap_cents"], 450000000)
"""

import glob
import hashlib
import json
import os
import pwd
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
from typing import NamedTuple

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("LVHCMON_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))
BUILD_DIR = os.environ.get("LVHCMON_BUILD_DIR") or os.path.join(SOURCE_DIR, "build")
IS_ROOT = os.geteuid() == 0

__all__ = [
    "SOURCE_DIR", "BUILD_DIR", "binary", "PgCluster", "Daemon", "DaemonFailed", "Response",
    "http_request", "cli", "run_program", "sha256_hex", "LvhcmonTestCase", "HarnessFailure",
    "sanitizer_lines", "check_program", "CLI_EXIT_CODES", "RUNTIME_ROLE", "with_user",
]

# Exit statuses the command line documents (README): ok, failed, usage, not available.
CLI_EXIT_CODES = (0, 1, 2, 3)

# The login role the daemon runs as in the tests: a member of lvhcmon_runtime
# (sql/0006_runtime_role.sql), with nothing of its own.
RUNTIME_ROLE = "lvhcmon_app"

# A line a sanitizer writes when it finds something. "runtime error:" is UBSan's report
# line; the others name the tool in the report's header and summary.
_SANITIZER_LINE = re.compile(
    r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|ThreadSanitizer|"
    r"MemorySanitizer|runtime error:")


class HarnessFailure(AssertionError):
    """A program the harness started misbehaved: a sanitizer report, an unexpected exit
    status, no exit after SIGTERM. An AssertionError, so unittest counts it a failure."""


def sanitizer_lines(text_or_lines):
    """The lines of a program's output that belong to a sanitizer report: from the first
    line that names a sanitizer on, at most 60 lines (the report with its stack)."""
    lines = (text_or_lines.splitlines() if isinstance(text_or_lines, str)
             else list(text_or_lines))
    for i, line in enumerate(lines):
        if _SANITIZER_LINE.search(line):
            report = lines[i:i + 60]
            if len(lines) > i + 60:
                report.append(f"... ({len(lines) - i - 60} more lines)")
            return report
    return []


def check_program(what, returncode, output, allowed):
    """Raises HarnessFailure when `output` holds a sanitizer report or `returncode` is not
    in `allowed`; the message names the program and quotes the offending lines."""
    report = sanitizer_lines(output)
    problems = []
    if report:
        problems.append("sanitizer report in its output:\n    " + "\n    ".join(report))
    if returncode not in allowed:
        how = (f"killed by signal {-returncode}" if returncode < 0
               else f"exited with status {returncode}")
        want = " or ".join(str(a) for a in allowed)
        problems.append(f"{how}, expected {want}")
        if not report:
            tail = output.splitlines()[-20:] if isinstance(output, str) else list(output)[-20:]
            if tail:
                problems.append("last lines of its output:\n    " + "\n    ".join(tail))
    if problems:
        raise HarnessFailure(f"harness: {what}: " + "\n".join(problems))


def binary(name):
    """Path of a program of the build: 'lvhcmond', 'lvhcmon' (in daemon/) or another."""
    for sub in ("daemon", "", "tools/demogen"):
        path = os.path.join(BUILD_DIR, sub, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise FileNotFoundError(f"{name} not found in {BUILD_DIR} (set LVHCMON_BUILD_DIR)")


def sha256_hex(text):
    """Hex SHA-256 of a string, as api_token.token_hash stores a token."""
    return hashlib.sha256(text.encode()).hexdigest()


def _pg_bindir():
    env = os.environ.get("LVHCMON_PG_BINDIR")
    if env:
        return env
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(re.search(r"/(\d+)/bin/", p).group(1)))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(os.path.realpath(initdb))
    raise FileNotFoundError("PostgreSQL's initdb not found (set LVHCMON_PG_BINDIR)")


def _as_postgres(cmd):
    return ["runuser", "-u", "postgres", "--"] + cmd if IS_ROOT else cmd


class _Closing:
    """`with X(...) as x:` calls x.close() at the end."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class PgCluster(_Closing):
    """A private PostgreSQL cluster in a temporary folder, Unix socket only.

    cluster = PgCluster()            # initdb + start + CREATE DATABASE lvhcmon
    cluster.conninfo("other_db")     # libpq conninfo for a database of it
    cluster.sql("SELECT 1")          # -> [("1",)]
    cluster.stop(); cluster.start()  # an outage
    cluster.close()                  # stop and remove everything
    """

    def __init__(self, dbname="lvhcmon"):
        self.bindir = _pg_bindir()
        self.dir = tempfile.mkdtemp(prefix="lvhcmon-pg-")
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "postgres.log")
        # Only the socket file name carries the port (listen_addresses is empty), so any
        # number is free inside our own folder; a random one keeps names distinct in logs.
        self.port = random.randint(20000, 60000)
        self.dbname = dbname
        self._counter = 0
        if IS_ROOT:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.user = "postgres"
        else:
            self.user = pwd.getpwuid(os.geteuid()).pw_name
        os.chmod(self.dir, 0o700)
        self._run(_as_postgres([os.path.join(self.bindir, "initdb"), "-D", self.data,
                                "-A", "trust", "-U", self.user, "-E", "UTF8",
                                "--locale=C", "--no-sync"]))
        self.start()
        # The two roles of a deployment: the superuser above owns the schema; the daemon
        # logs in as RUNTIME_ROLE, whose rights come from the group role the migrations
        # grant to (created here as the migrations would, so that every database of the
        # cluster shares it).
        self.sql(f"CREATE ROLE lvhcmon_runtime NOLOGIN; "
                 f"CREATE ROLE {RUNTIME_ROLE} LOGIN IN ROLE lvhcmon_runtime", dbname="postgres")
        self.create_database(dbname)

    def _run(self, cmd, **kw):
        res = subprocess.run(cmd, capture_output=True, text=True, **kw)
        if res.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}):\n"
                               f"{res.stdout}{res.stderr}")
        return res

    def start(self):
        """Starts the server and waits until it accepts connections."""
        opts = (f"-k {self.dir} -p {self.port} -c listen_addresses='' -c fsync=off "
                f"-c synchronous_commit=off -c full_page_writes=off")
        self._run(_as_postgres([os.path.join(self.bindir, "pg_ctl"), "-D", self.data,
                                "-l", self.log, "-o", opts, "-w", "-t", "60", "start"]))

    def stop(self, mode="fast"):
        """Stops the server (mode: smart, fast or immediate) and waits until it is down."""
        self._run(_as_postgres([os.path.join(self.bindir, "pg_ctl"), "-D", self.data,
                                "-m", mode, "-w", "-t", "60", "stop"]))

    def running(self):
        return subprocess.run(_as_postgres([os.path.join(self.bindir, "pg_ctl"), "-D",
                                            self.data, "status"]),
                              capture_output=True).returncode == 0

    def conninfo(self, dbname=None, user=None):
        """libpq conninfo of a database of this cluster (default: the first one), as the
        owner (the superuser) or as `user` (RUNTIME_ROLE: the daemon's role)."""
        return (f"host={self.dir} port={self.port} dbname={dbname or self.dbname} "
                f"user={user or self.user}")

    def psql_args(self, dbname=None, user=None):
        return [os.path.join(self.bindir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", self.dir, "-p", str(self.port), "-U", user or self.user,
                "-d", dbname or self.dbname]

    def sql(self, query, dbname=None, user=None):
        """Runs SQL through psql (as the owner, or as `user`); returns the rows of the last
        statement as tuples of strings (None for NULL). Raises RuntimeError with psql's
        message on failure."""
        res = self._run(self.psql_args(dbname, user) + [
            "-A", "-t", "-P", "null=\x01", "-F", "\x1f", "-R", "\x1e", "-c", query])
        out = res.stdout
        if out.endswith("\n"):
            out = out[:-1]
        if out == "":
            return []
        rows = []
        for record in out.split("\x1e"):
            rows.append(tuple(None if f == "\x01" else f for f in record.split("\x1f")))
        return rows

    def create_database(self, name):
        self.sql(f'CREATE DATABASE "{name}"', dbname="postgres")
        return name

    def fresh_database(self, prefix="t"):
        """Creates a new, empty database with a unique name and returns the name."""
        self._counter += 1
        return self.create_database(f"{prefix}_{os.getpid()}_{self._counter}")

    def close(self):
        """Stops the server (if running) and removes the folder."""
        try:
            if self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class Response(NamedTuple):
    """An HTTP answer; unpacks as (status, headers, body)."""
    status: int
    headers: dict   # lower-case names
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


def http_request(url, method="GET", body=None, token=None, headers=None, timeout=15,
                 context=None):
    """One HTTP request. body: bytes, str, or a dict/list sent as JSON. context: the
    ssl.SSLContext of an https:// URL. Returns a Response for every HTTP status; raises
    urllib.error.URLError when no answer came at all."""
    hdrs = dict(headers or {})
    data = None
    if isinstance(body, (dict, list)):
        data = json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    elif isinstance(body, str):
        data = body.encode()
    elif body is not None:
        data = body
    if token is not None:
        hdrs["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=context) as resp:
            return Response(resp.status, {k.lower(): v for k, v in resp.headers.items()},
                            resp.read())
    except urllib.error.HTTPError as e:
        return Response(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


def run_program(cmd, env=None, input=None, timeout=120, allowed=(0,), text=True, **kw):
    """Runs a program of the build (cmd[0] a path, e.g. binary("lvhcmon-demogen")) to its
    end; returns subprocess.CompletedProcess. Fails the test (HarnessFailure) on a sanitizer
    report in its standard error or an exit status outside `allowed`."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    res = subprocess.run([str(a) for a in cmd], capture_output=True, text=text, env=full_env,
                         input=input, timeout=timeout, **kw)
    stderr = res.stderr if text else res.stderr.decode("utf-8", "replace")
    check_program(" ".join(os.path.basename(str(a)) if i == 0 else str(a)
                            for i, a in enumerate(cmd)), res.returncode, stderr, allowed)
    return res


def cli(*args, config=None, env=None, input=None, timeout=120):
    """Runs the build's lvhcmon; returns subprocess.CompletedProcess (text mode). The test
    checks the exit status it expects; the harness fails it on a sanitizer report or a
    status lvhcmon does not document (CLI_EXIT_CODES)."""
    cmd = [binary("lvhcmon")]
    if config is not None:
        cmd += ["--config", config]
    cmd += [str(a) for a in args]
    return run_program(cmd, env=env, input=input, timeout=timeout, allowed=CLI_EXIT_CODES)


class DaemonFailed(Exception):
    """lvhcmond exited or did not become healthy; the message holds its log."""


def with_user(conninfo, user):
    """`conninfo` (key=value form) with its user replaced by `user`."""
    if re.search(r"(^|\s)user=\S+", conninfo):
        return re.sub(r"(^|\s)user=\S+", lambda m: f"{m.group(1)}user={user}", conninfo)
    return f"{conninfo} user={user}"


def _ini(settings):
    lines = []
    for section, keys in settings.items():
        lines.append(f"[{section}]")
        for key, value in keys.items():
            if value is not None:
                lines.append(f"{key} = {value}")
        lines.append("")
    return "\n".join(lines)


class Daemon(_Closing):
    """One lvhcmond process with its own configuration file and key.

    settings: {"section": {"key": value}} merged over the harness defaults (listen on a
    free loopback port, the given database, the repository's sql/, a generated key file,
    log level info); a value of None removes a default key. program: the lvhcmond to run
    (default: the build's).

    conninfo is the owner's: it becomes [database] migrate_conninfo, and conninfo is the
    same with the user RUNTIME_ROLE (the restricted role the daemon runs as), unless
    runtime_role=False (then the daemon runs as the owner too, and migrate_conninfo is
    not set).
    """

    def __init__(self, conninfo, settings=None, env=None, name="lvhcmond", program=None,
                 runtime_role=True):
        self.dir = tempfile.mkdtemp(prefix="lvhcmon-d-")
        self.config_path = os.path.join(self.dir, "lvhcmon.conf")
        self.key_path = os.path.join(self.dir, "client_hash.key")
        with open(self.key_path, "w") as f:
            f.write(os.urandom(32).hex() + "\n")
        os.chmod(self.key_path, 0o600)
        self.conninfo = conninfo
        self.app_conninfo = with_user(conninfo, RUNTIME_ROLE) if runtime_role else conninfo
        self.runtime_role = runtime_role
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.name = name
        self.program = program
        self.proc = None
        self.port = None
        self.ssl_context = None  # set for a daemon that speaks HTTPS: url() turns https
        self.expected_exit = 0   # of the current process; see start(), expect_exit(), kill()
        self._checked = True     # the current process's end was checked (or none runs)
        self.logs = []        # parsed JSON log lines, in order
        self.raw_lines = []   # lines that were not JSON (sanitizer reports, ...)
        self._cond = threading.Condition()
        self._reader = None
        self.write_config(settings)

    # -- configuration ---------------------------------------------------------------------

    def settings(self, overrides=None):
        base = {
            "server": {"listen": "127.0.0.1:0", "threads": 2},
            "database": {"conninfo": self.app_conninfo,
                         "migrate_conninfo": self.conninfo if self.runtime_role else None,
                         "sql_dir": os.path.join(SOURCE_DIR, "sql")},
            "privacy": {"client_hash_key_file": "client_hash.key"},
            "log": {"level": "info"},
        }
        for section, keys in (overrides or {}).items():
            base.setdefault(section, {}).update(keys)
        return base

    def write_config(self, settings=None, text=None):
        """Writes the configuration file: from settings (merged over the defaults) or as
        the exact text given."""
        if text is None:
            text = _ini(self.settings(settings))
        with open(self.config_path, "w") as f:
            f.write(text)

    # -- process life ----------------------------------------------------------------------

    def start(self, wait=True, timeout=60, expect_exit=0):
        """Starts lvhcmond; with wait, returns once it logged "listening" and /healthz
        answers 200 (raises DaemonFailed otherwise). expect_exit: the exit status this
        process must end with (0: a clean stop; 1 for a daemon that must refuse to start);
        any other fails the test when the process ends."""
        self._check_end()   # a previous process of this object, if not yet checked
        self.logs, self.raw_lines = [], []
        self.expected_exit = expect_exit
        self._checked = False
        self.proc = subprocess.Popen([self.program or binary("lvhcmond"), "--config",
                                      self.config_path],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, env=self.env)
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()
        if wait:
            self.wait_ready(timeout)
        return self

    def _read_log(self):
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            try:
                entry = json.loads(line)
                if not isinstance(entry, dict):
                    raise ValueError
            except ValueError:
                entry = None
            with self._cond:
                if entry is None:
                    self.raw_lines.append(line)
                else:
                    self.logs.append(entry)
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_ready(self, timeout=60):
        entry = self.wait_log("listening", timeout=timeout)
        self.port = entry["fields"]["port"]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.http("GET", "/healthz", timeout=5).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise DaemonFailed(f"/healthz never answered 200\n{self.log_text()}")

    def wait_log(self, message, timeout=30, since=0, predicate=None):
        """Waits for a log line with this message (a string, or a tuple of accepted ones)
        and predicate(entry), if given, among the lines from index `since` on; returns it.
        Raises DaemonFailed when the daemon exits or the time runs out."""
        messages = (message,) if isinstance(message, str) else tuple(message)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for entry in self.logs[since:]:
                    if entry.get("message") in messages and (predicate is None
                                                             or predicate(entry)):
                        return entry
                exited = self.proc is not None and self.proc.poll() is not None
                left = deadline - time.monotonic()
                if left <= 0 or (exited and not self._reader.is_alive()):
                    raise DaemonFailed(
                        f"no log line {message!r} (exit code {self.proc.poll()})\n"
                        f"{self.log_text()}")
                self._cond.wait(min(left, 0.2))

    def find_logs(self, message=None, level=None):
        """The log lines so far with this message and/or level."""
        with self._cond:
            return [e for e in self.logs
                    if (message is None or e.get("message") == message)
                    and (level is None or e.get("level") == level)]

    def log_text(self):
        with self._cond:
            return "\n".join([json.dumps(e) for e in self.logs] + self.raw_lines)

    def send_signal(self, sig):
        self.proc.send_signal(sig)

    def reload(self, timeout=30):
        """Sends SIGHUP; returns the log line that ends the reload ("configuration
        reloaded" or "configuration reload failed; ..."). "configuration reloaded" is an
        info line: it is not written when the old and the new level are both above info."""
        since = len(self.logs)
        self.send_signal(signal.SIGHUP)
        done = ("configuration reloaded",
                "configuration reload failed; keeping the running configuration")
        return self.wait_log(done, timeout=timeout, since=since)

    def expect_exit(self, code):
        """Says which exit status the running process must end with (a negative number
        for a signal, as subprocess reports it)."""
        self.expected_exit = code

    def wait(self, timeout=60):
        """Waits for the process to exit; returns its exit code. Fails the test
        (HarnessFailure) when the code is not the expected one or a sanitizer reported."""
        code = self.proc.wait(timeout)
        if self._reader is not None:
            self._reader.join(10)
            if not self._reader.is_alive():
                self.proc.stderr.close()
        self._check_end()
        return code

    def _check_end(self):
        """Checks the ended process once: exit status and sanitizer lines."""
        if self._checked or self.proc is None or self.proc.poll() is None:
            return
        self._checked = True
        with self._cond:
            raw = list(self.raw_lines)
        check_program(f"{self.name} (pid {self.proc.pid})", self.proc.returncode, raw,
                       (self.expected_exit,))

    def stop(self, sig=signal.SIGTERM, timeout=60):
        """Sends sig and waits for the exit; returns the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            self._check_end()
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(sig)
        return self.wait(timeout)

    def kill(self, timeout=30):
        """SIGKILL, as a crash: the process must end by that signal (no clean stop, no
        sanitizer report at exit). Returns the exit code."""
        self.expect_exit(-signal.SIGKILL)
        return self.stop(signal.SIGKILL, timeout)

    def close(self):
        """Stops the daemon if it still runs and checks how it ended (see the module's
        "Failing loudly"): SIGTERM, then SIGKILL after 30 s, which fails the test. Removes
        the folder either way."""
        try:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(30)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(10)
                    self._checked = True
                    raise HarnessFailure(
                        f"harness: {self.name} (pid {self.proc.pid}) did not exit within 30 s "
                        f"of SIGTERM; killed\n{self.log_text()[-4000:]}")
            if self.proc is not None:
                if self._reader is not None:
                    self._reader.join(10)
                with self._cond:
                    raw = list(self.raw_lines)
                if raw:
                    sys.stderr.write(f"--- {self.name} non-JSON output ---\n"
                                     + "\n".join(raw) + "\n")
                self._check_end()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    # -- talking to it ---------------------------------------------------------------------

    def url(self, path):
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def http(self, method, path, body=None, token=None, headers=None, timeout=15):
        """One request to this daemon; returns Response(status, headers, body)."""
        return http_request(self.url(path), method, body, token, headers, timeout,
                            self.ssl_context)

    def cli(self, *args, env=None, input=None, timeout=120):
        """Runs lvhcmon with this daemon's configuration file."""
        return cli(*args, config=self.config_path, env=env, input=input, timeout=timeout)

    def make_token(self, role, agb=None, label=""):
        """Creates an API token with `lvhcmon token add` and returns it."""
        args = ["token", "add", "--role", role]
        if agb is not None:
            args += ["--provider", agb]
        if label:
            args += ["--label", label]
        res = self.cli(*args)
        if res.returncode != 0:
            raise RuntimeError(f"token add failed ({res.returncode}): {res.stderr}")
        return res.stdout.strip()


class LvhcmonTestCase(unittest.TestCase):
    """Base class: one PostgreSQL cluster per test class (self.pg); self.fresh_db() and
    self.daemon() give each test its own database and daemon, cleaned up afterwards."""

    pg = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pg = PgCluster()

    @classmethod
    def tearDownClass(cls):
        if cls.pg is not None:
            cls.pg.close()
            cls.pg = None
        super().tearDownClass()

    def fresh_db(self):
        """A new empty database; returns its name."""
        return self.pg.fresh_database()

    def daemon(self, settings=None, dbname=None, start=True, env=None, program=None,
               runtime_role=True):
        """A daemon on a fresh database (or `dbname`), started and healthy unless
        start=False; stopped and removed at the end of the test. program: the lvhcmond to
        run (default: the build's); runtime_role: see Daemon."""
        d = Daemon(self.pg.conninfo(dbname or self.fresh_db()), settings=settings, env=env,
                   program=program, runtime_role=runtime_role)
        self.addCleanup(d.close)
        if start:
            d.start()
        return d

    def assertError(self, response, status, code=None):
        """Asserts an error reply: the status and the {"error": {...}} shape (and code)."""
        self.assertEqual(response.status, status, response.text)
        err = response.json()["error"]
        self.assertEqual(set(err), {"code", "message", "field"}, err)
        if code is not None:
            self.assertEqual(err["code"], code, err)
        return err
