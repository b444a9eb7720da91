"""test_privacy.py: a clear BSN cannot be recovered from the database, and the processes
that held one write no core dump.

The attack of the security review: a one-client submission's body holds one unknown, the
BSN; if any unkeyed digest of the exact body bytes is stored, the ~10^8 numbers that pass
the 11-test are tried in seconds. So the test submits a one-client JSON body, computes the
SHA-256 and SHA-1 of its exact bytes, and searches a pg_dump of the whole database for them
in every form a dump could show (hex in either case, PostgreSQL's bytea "\\x" hex, base64
and base64url with and without padding), and for the BSN itself. The same for a body that
is rejected whole, and for a file imported with `lvhcmon import`. The keyed fingerprint
that is stored instead (ingest_attempt.body_hmac) is checked to be there and different.

Core dumps: both programs switch them off first thing (prctl(PR_SET_DUMPABLE, 0) and
RLIMIT_CORE 0): the daemon says so in its "listening" line (dumpable 0, as the kernel
reports it) and /proc/PID/limits shows the limit; lvhcmon's limit is read from its own
/proc entry while it runs; the systemd unit sets LimitCORE=0.
"""

import base64
import hashlib
import json
import os
import random
import re
import subprocess
import tempfile
import threading
import time

import harness
import submissions


def digest_forms(data):
    """Every textual form in which a dump could show a SHA-256 or SHA-1 of `data`."""
    forms = set()
    for algo in (hashlib.sha256, hashlib.sha1):
        raw = algo(data).digest()
        forms.add(raw.hex())                      # text columns; compared case-insensitively
        forms.add("\\x" + raw.hex())              # bytea, hex output
        for b64 in (base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()):
            forms.add(b64)
            forms.add(b64.rstrip("="))
    return forms


class PrivacyTest(harness.LvhcmonTestCase):
    def pg_dump(self, dbname):
        dump = subprocess.run(
            [os.path.join(self.pg.bindir, "pg_dump"), "-h", self.pg.dir, "-p",
             str(self.pg.port), "-U", self.pg.user, "-d", dbname],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(dump.returncode, 0, dump.stderr)
        self.assertIn("COPY public.ingest_attempt", dump.stdout)  # a real dump of our data
        return dump.stdout

    def assert_absent(self, dump, data, bsn):
        lowered = dump.lower()
        for form in digest_forms(data):
            where = (lowered.find(form.lower()) if re.fullmatch(r"\\\\x[0-9a-f]+|[0-9a-f]+",
                                                                  form) else dump.find(form))
            self.assertEqual(where, -1, f"a digest of the body ({form}) is in the dump")
        self.assertNotIn(bsn, dump)

    def test_no_digest_of_a_body_nor_the_bsn_in_a_dump(self):
        dbname = self.fresh_db()
        d = self.daemon(dbname=dbname)
        submissions.prepare_database(d)
        token = d.make_token("ingest")
        gen = submissions.SubmissionFactory(4242)
        rng = random.Random(99)

        # 1. A one-client submission, stored.
        body = gen.json_submission("privacy-1", 1)
        bsn = submissions.random_bsn(rng)
        body["lines"][0]["client_bsn"] = bsn
        stored_bytes = json.dumps(body).encode()
        r = d.http("POST", "/api/v1/declarations", body=stored_bytes, token=token,
                   headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["accepted"], 1, r.text)

        # 2. A one-client body rejected whole (a field of the wrong type after the BSN).
        bsn2 = submissions.random_bsn(rng)
        rejected = gen.json_submission("privacy-2", 1)
        rejected["lines"][0]["client_bsn"] = bsn2
        rejected["lines"][0]["minutes"] = "many"
        rejected_bytes = json.dumps(rejected).encode()
        r = d.http("POST", "/api/v1/declarations", body=rejected_bytes, token=token,
                   headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 422, r.text)

        # 3. A one-client file imported on the command line.
        bsn3 = submissions.random_bsn(rng)
        imported = gen.json_submission("privacy-3", 1)
        imported["lines"][0]["client_bsn"] = bsn3
        with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as f:
            f.write(json.dumps(imported).encode())
            path = f.name
        self.addCleanup(os.unlink, path)
        with open(path, "rb") as f:
            imported_bytes = f.read()
        res = d.cli("import", path)
        self.assertEqual(res.returncode, 0, res.stderr)

        dump = self.pg_dump(dbname)
        self.assert_absent(dump, stored_bytes, bsn)
        self.assert_absent(dump, rejected_bytes, bsn2)
        self.assert_absent(dump, imported_bytes, bsn3)

        # What is kept instead: a keyed fingerprint per attempt, never the plain digest.
        rows = self.pg.sql("SELECT body_hmac FROM ingest_attempt ORDER BY id", dbname=dbname)
        self.assertEqual(len(rows), 3)
        for (hmac,) in rows:
            self.assertRegex(hmac, r"^[0-9a-f]{64}$")
        self.assertNotEqual(rows[0][0], hashlib.sha256(stored_bytes).hexdigest())
        self.assertEqual(len({h for (h,) in rows}), 3)
        # The same bytes again give the same fingerprint (a replay is recognisable).
        r = d.http("POST", "/api/v1/declarations", body=stored_bytes, token=token,
                   headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 200, r.text)
        again = self.pg.sql("SELECT body_hmac FROM ingest_attempt ORDER BY id DESC LIMIT 1",
                            dbname=dbname)[0][0]
        self.assertEqual(again, rows[0][0])
        self.assertNotIn("body_sha256", dump)

    def test_old_digests_are_erased_by_the_migration(self):
        """A database from before the keyed fingerprint: its plain digests must go."""
        dbname = self.fresh_db()
        sql_dir = tempfile.mkdtemp(prefix="lvhcmon-sql-")
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", sql_dir]))
        for name in sorted(os.listdir(os.path.join(harness.SOURCE_DIR, "sql"))):
            if name.endswith(".sql") and int(name[:4]) < 5:
                with open(os.path.join(harness.SOURCE_DIR, "sql", name), "rb") as src, \
                        open(os.path.join(sql_dir, name), "wb") as dst:
                    dst.write(src.read())
        old = self.daemon(dbname=dbname, start=False, runtime_role=False,
                          settings={"database": {"sql_dir": sql_dir}})
        self.assertEqual(old.cli("migrate").returncode, 0)
        digest = hashlib.sha256(b"an old body").hexdigest()
        self.pg.sql("INSERT INTO ingest_attempt (channel, result, body_sha256) "
                    f"VALUES ('http-json', 'rejected', '{digest}')", dbname=dbname)
        d = self.daemon(dbname=dbname)  # applies 0005 and on
        self.assertNotIn(digest, self.pg_dump(dbname))
        self.assertEqual(self.pg.sql("SELECT count(*), count(body_hmac) FROM ingest_attempt",
                                     dbname=dbname), [("1", "0")])
        self.assertIsNone(d.proc.poll())

    def test_no_core_dumps(self):
        d = self.daemon()
        listening = d.wait_log("listening")
        self.assertEqual(listening["fields"]["dumpable"], 0)
        with open(f"/proc/{d.proc.pid}/limits") as f:
            limits = f.read()
        self.assertRegex(limits, r"Max core file size\s+0\s+0\s")

        # lvhcmon: read its limits while it waits for a reference file that is a FIFO
        # nobody writes yet (so it stays alive, past its guards, inside the command).
        with tempfile.TemporaryDirectory() as tmp:
            fifo = os.path.join(tmp, "reference")
            os.mkdir(fifo)
            os.mkfifo(os.path.join(fifo, "target_groups.csv"))
            proc = subprocess.Popen([harness.binary("lvhcmon"), "--config", d.config_path,
                                     "reference", "load", fifo],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                no_core = re.compile(r"Max core file size\s+0\s+0\s")
                seen = False
                deadline = time.monotonic() + 30
                while not seen and proc.poll() is None and time.monotonic() < deadline:
                    try:
                        with open(f"/proc/{proc.pid}/limits") as f:
                            seen = no_core.search(f.read()) is not None
                    except OSError:
                        break
                    time.sleep(0.05)
                self.assertTrue(seen, "lvhcmon ran without RLIMIT_CORE 0")
            finally:
                # Let it finish: open the FIFO for writing and close it (an empty file).
                threading.Thread(target=lambda: open(os.path.join(fifo, "target_groups.csv"),
                                                     "wb").close(), daemon=True).start()
                _, err = proc.communicate(timeout=60)
                harness.check_program("lvhcmon reference load", proc.returncode,
                                      err.decode("utf-8", "replace"), harness.CLI_EXIT_CODES)

        with open(os.path.join(harness.SOURCE_DIR, "config", "lvhcmond.service")) as f:
            unit = f.read()
        self.assertRegex(unit, r"(?m)^LimitCORE=0$")
