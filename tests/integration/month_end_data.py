"""month_end_data.py: the small year the month-end tests share (test_as_of.py,
test_report.py): reference data tests/data/status/ plus a zorgkantoren.csv, and three CSV
files of declarations imported with `lvhcmon import --received-on`; the hand sums of each
file are in test_as_of.py's header.
"""

import datetime
import os
import shutil
import tempfile
from zoneinfo import ZoneInfo

import harness
from submissions import fixed_bsns

REFERENCE = os.path.join(harness.SOURCE_DIR, "tests", "data", "status")
YEAR = 2026
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

CSV_HEADER = ("provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,minutes,"
              "travel_cents,debit_credit,corrects_ref\n")


B = fixed_bsns(10, start=20000000, step=13)


def csv_line(agb, ref, line_ref, bsn, prestatie, day, minutes, travel=0):
    return f"{agb},{ref},{line_ref},{bsn},{prestatie},{day},{day},{minutes},{travel},D,\n"


FILE_A = CSV_HEADER + "".join([
    csv_line("41000001", "A-1", "A1-1", B[0], "CAKOR", "2026-01-05", 90),
    csv_line("41000001", "A-1", "A1-2", B[1], "CAKOR", "2026-02-10", 60, 1500),
    csv_line("41000002", "A-2", "A2-1", B[2], "CAHUN", "2026-01-07", 45),
])
FILE_B = CSV_HEADER + "".join([
    csv_line("41000003", "B-3", "B3-1", B[3], "CAGPP", "2026-02-12", 100),
    csv_line("41000001", "B-1", "B1-1", B[4], "CAKOR", "2026-03-03", 30),
    csv_line("41000002", "B-2", "B2-1", B[5], "CAHUN", "2026-03-04", 61),
])
FILE_C = CSV_HEADER + csv_line("41000002", "C-2", "C2-1", B[6], "CAHUN", "2026-02-16", 10)

# The hand sums (test_as_of.py shows how each is computed).
A_TOTAL = 18000 + 13500 + 8595
B_TOTAL = 10000 + 6000 + 11651
C_TOTAL = 1910


def today_amsterdam():
    return datetime.datetime.now(AMSTERDAM).date()


def reference_copy(tmp):
    """tests/data/status/ plus zorgkantoren.csv naming one zorgkantoor."""
    ref = os.path.join(tmp, "reference")
    shutil.copytree(REFERENCE, ref)
    with open(os.path.join(ref, "zorgkantoren.csv"), "w", encoding="utf-8") as f:
        f.write("code,name\n5501,Zorgkantoor Noord (test)\n")
    return ref


def import_file(d, tmp, name, text, received_on):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    res = d.cli("import", path, "--format", "csv", "--received-on", received_on)
    if res.returncode != 0:
        raise RuntimeError(f"import {name}: {res.stdout} {res.stderr}")


def load_year(d, tmp):
    """Loads the reference data and files A and B (received 2026-03-10 and 2026-04-20)
    into the started daemon @d, writing the files under @tmp."""
    res = d.cli("reference", "load", reference_copy(tmp))
    if res.returncode != 0:
        raise RuntimeError(f"reference load: {res.stderr}")
    import_file(d, tmp, "a.csv", FILE_A, "2026-03-10")
    import_file(d, tmp, "b.csv", FILE_B, "2026-04-20")


class MonthEndCase(harness.LvhcmonTestCase):
    """A test class with one daemon (cls.d) on the year of load_year(), its files in
    cls.tmp. Subclasses may override daemon_env() (the daemon's environment) and
    prepare() (more set-up once the year is in, e.g. tokens)."""

    @classmethod
    def daemon_env(cls):
        return None

    @classmethod
    def prepare(cls):
        pass

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="month-end-")
        cls.d = None
        try:
            env = cls.daemon_env()
            cls.d = harness.Daemon(cls.pg.conninfo(cls.pg.fresh_database()),
                                   settings={"budget": {"default_year": YEAR}}, env=env)
            cls.d.start()
            load_year(cls.d, cls.tmp)
            cls.prepare()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.d is not None:
                cls.d.close()
        finally:
            shutil.rmtree(cls.tmp, ignore_errors=True)
            super().tearDownClass()
