"""reference_daemon.py: one lvhcmond with the reference data loaded, shared by the tests of
one class, for the test files about declarations (test_declarations, test_aw319_files,
test_line_rules).

    class MyTest(reference_daemon.ReferenceDaemonTestCase):
        SETTINGS = {"declarations": {"max_travel_cents_per_line": 50000}}
        YEARS = {2026}                      # years the reference data must cover

        @classmethod
        def extend_reference(cls, refdir):  # optional: rows of the test's own
            ...

        def test_x(self):
            self.d.http(..., token=self.ingest)

The class gets a fresh database of the harness's cluster (cls.dbname), a started daemon
(cls.d), the reference data of reference/ copied and extended to YEARS (cls.refdir), and
an ingest and a controller token (cls.ingest, cls.controller).
"""

import csv
import os
import shutil
import subprocess
import tempfile

import harness

REFERENCE_SRC = os.path.join(harness.SOURCE_DIR, "reference")


def make_reference_dir(years):
    """Copies reference/ into a temporary folder; a year in `years` beyond the last one of
    prestaties.csv / rates.csv / budgets.csv gets a copy of that last year's rows, so
    amounts computed from the shipped tariffs hold in any later year."""
    dst = tempfile.mkdtemp(prefix="lvhcmon-ref-")
    for name in os.listdir(REFERENCE_SRC):
        src = os.path.join(REFERENCE_SRC, name)
        if os.path.isfile(src):
            shutil.copy(src, dst)
    for name, col in (("prestaties.csv", "year"), ("rates.csv", "year"),
                      ("budgets.csv", "year")):
        path = os.path.join(dst, name)
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            fields, rows = reader.fieldnames, list(reader)
        present = {int(r[col]) for r in rows}
        last = max(present)
        extra = []
        for year in sorted(set(years) - present):
            if year > last:
                extra += [dict(r, **{col: str(year)}) for r in rows if int(r[col]) == last]
        if extra:
            with open(path, "a", newline="", encoding="utf-8") as f:
                csv.DictWriter(f, fieldnames=fields, lineterminator="\n").writerows(extra)
    return dst


class ReferenceDaemonTestCase(harness.LvhcmonTestCase):
    """One daemon for the whole class, with the reference data loaded."""

    SETTINGS = {}
    YEARS = set()

    @classmethod
    def extend_reference(cls, refdir):
        """Adds rows of the test's own to the copied reference data (nothing by default)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.refdir = None
        cls.d = None
        try:
            cls.refdir = make_reference_dir(cls.YEARS)
            cls.extend_reference(cls.refdir)
            cls.dbname = cls.pg.fresh_database()
            cls.d = harness.Daemon(cls.pg.conninfo(cls.dbname), settings=cls.SETTINGS)
            cls.d.start()
            res = cls.d.cli("reference", "load", cls.refdir)
            if res.returncode != 0:
                raise RuntimeError(f"reference load failed: {res.stderr}")
            cls.ingest = cls.d.make_token("ingest")
            cls.controller = cls.d.make_token("controller")
        except BaseException:
            cls._cleanup()
            super().tearDownClass()
            raise

    @classmethod
    def _cleanup(cls):
        if cls.d is not None:
            cls.d.close()
            cls.d = None
        if cls.refdir:
            shutil.rmtree(cls.refdir, ignore_errors=True)

    @classmethod
    def tearDownClass(cls):
        cls._cleanup()
        super().tearDownClass()

    def sql(self, query):
        return self.pg.sql(query, dbname=self.dbname)

    def dump_database(self):
        """@return the text of a pg_dump of the class's database, which must hold lines."""
        dump = subprocess.run(
            [os.path.join(self.pg.bindir, "pg_dump"), "-h", self.pg.dir, "-p",
             str(self.pg.port), "-U", self.pg.user, "-d", self.dbname],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(dump.returncode, 0, dump.stderr)
        self.assertIn("COPY public.declaration_line", dump.stdout)
        return dump.stdout
