"""demo_data.py: the demo data the browser tests run on, loaded into a test daemon the way
the README's run command does: the shipped reference files and the deterministic demo
generator's declarations, one file per arrival day, each imported as received that day (so
that the figures as of an earlier day have something to show); days still to come are left
out."""

import datetime
import glob
import os
from zoneinfo import ZoneInfo

import harness


def load_demo(test, d):
    """Load the reference data and the demo declarations into daemon @d (asserting on @test)."""
    out = os.path.join(d.dir, "demo")
    gen = harness.binary("lvhcmon-demogen")
    harness.run_program([gen, "--reference", os.path.join(harness.SOURCE_DIR, "reference"),
                         "--out", out])
    r = d.cli("reference", "load", os.path.join(harness.SOURCE_DIR, "reference"))
    test.assertEqual(r.returncode, 0, r.stderr)
    today = datetime.datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat()
    for path in sorted(glob.glob(os.path.join(out, "declarations-*.csv"))):
        day = os.path.basename(path)[len("declarations-"):-len(".csv")]
        if day > today:
            continue  # not arrived yet
        r = d.cli("import", path, "--received-on", day)
        test.assertEqual(r.returncode, 0, r.stderr)
