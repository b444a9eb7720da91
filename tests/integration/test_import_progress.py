"""test_import_progress.py: `lvhcmon import` of a large file shows its progress on a
terminal and stays quiet when its output is not one.

The file: CSV of SUBMISSIONS submissions of LINES lines each, valid against reference/
(submissions.py builds them). Run twice on fresh databases:

  - with standard error on a pseudo-terminal (Python's pty module): the progress line is
    there, names the total ("of 12.000 lines"), a rate ("lines/s") and the time left, is
    redrawn in place (carriage return and erase-line, more than once) and erased at the
    end, before the summary; the redraws are throttled (far fewer than one per submission);
  - with standard error on a pipe, as in any script: not a byte of it.
"""

import os
import pty
import re
import select
import subprocess
import tempfile
import time

import harness
from submissions import SubmissionFactory

SUBMISSIONS = 600
LINES = 20
TOTAL = SUBMISSIONS * LINES
COLUMNS = ("line_ref", "client_bsn", "prestatie", "date_from", "date_to", "minutes",
           "travel_cents", "debit_credit", "corrects_ref")


def write_file(path):
    gen = SubmissionFactory(seed=14)
    with open(path, "w", encoding="utf-8") as f:
        f.write("provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,"
                "minutes,travel_cents,debit_credit,corrects_ref\n")
        for i in range(SUBMISSIONS):
            sub = gen.json_submission(f"pr-{i:04d}", LINES)
            for line in sub["lines"]:
                values = [sub["provider_agb"], sub["reference"]]
                values += ["" if line[c] is None else str(line[c]) for c in COLUMNS]
                f.write(",".join(values) + "\n")


class ImportProgressTest(harness.LvhcmonTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="progress-")
        cls.path = os.path.join(cls.tmp, "large.csv")
        write_file(cls.path)

    def ready_daemon(self):
        d = self.daemon()
        res = d.cli("reference", "load", os.path.join(harness.SOURCE_DIR, "reference"))
        self.assertEqual(res.returncode, 0, res.stderr)
        return d

    def test_quiet_when_not_a_terminal(self):
        d = self.ready_daemon()
        res = d.cli("import", self.path, "--format", "csv")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(res.stderr, "")
        self.assertIn(f"{SUBMISSIONS} submission(s): {SUBMISSIONS} stored", res.stdout)
        self.assertIn(f"lines accepted {TOTAL}", res.stdout)

    def test_progress_on_a_terminal(self):
        d = self.ready_daemon()
        master, slave = pty.openpty()
        cmd = [harness.binary("lvhcmon"), "--config", d.config_path, "import", self.path,
               "--format", "csv"]
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
        os.close(slave)
        seen = bytearray()
        while True:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every writer of the terminal is gone
                    chunk = b""
                if not chunk and proc.poll() is not None:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
            self.assertLess(time.monotonic() - started, 300, "import did not end")
        os.close(master)
        stdout = proc.stdout.read().decode()
        proc.stdout.close()
        proc.wait()
        elapsed = time.monotonic() - started
        text = seen.decode("utf-8", "replace")
        harness.check_program("lvhcmon import (pty)", proc.returncode, text, (0,))
        self.assertIn(f"lines accepted {TOTAL}", stdout)

        draws = re.findall(r"\rlvhcmon import: ([0-9.]+) of ([0-9.]+) lines \((\d+) %\), "
                           r"([0-9.]+|\u2014) lines/s, ([^\r\x1b]+) left\x1b\[K", text)
        self.assertGreaterEqual(len(draws), 2, f"not redrawn: {text!r}")
        self.assertTrue(all(total == "12.000" for _, total, _, _, _ in draws), draws)
        done = [int(d.replace(".", "")) for d, _, _, _, _ in draws]
        self.assertEqual(done, sorted(done), "progress went backwards")
        self.assertEqual(done[0], 0)
        self.assertGreater(done[-1], 0)
        # a rate and a time left once lines are done
        later = [x for x in draws if x[0] != "0"]
        self.assertTrue(later, draws)
        self.assertRegex(later[-1][3], r"^[0-9.]+$")
        self.assertRegex(later[-1][4], r"^\d+ (s|min \d\d s|h \d\d min)$")
        # throttled: at most one redraw per 200 ms (plus the first)
        self.assertLessEqual(len(draws), elapsed / 0.2 + 2)
        self.assertLess(len(draws), SUBMISSIONS)
        # erased at the end: the terminal's last bytes are carriage return, erase line
        self.assertTrue(text.endswith("\r\x1b[K"), repr(text[-80:]))
