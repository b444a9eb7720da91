"""test_provider_e2e.py: a provider's own page end to end, in a real headless Chromium,
against a real lvhcmond on a throwaway PostgreSQL loaded with the demo data.

It builds two AW319 files by hand from the published layout (tests/e2e/make_aw319.py with
tests/data/aw319/aw319_layout.py; not the project's writer): one with a good line and a bad
one (prestatie XXKOR, on no list: 0582), and the same with a trailer that miscounts. Then
tests/e2e/run.sh --provider (provider.spec.mjs) signs in with a provider token and checks
that the national figures equal /api/v1/status, its own year, the upload's per-line answer
with the bad line's reason, the new submission and its lines (filtered), the replay, the
whole-file rejection, the CSV download, keyboard-only use and axe-core; and that no other
provider's AGB, name or spend is in any response of the session, a check proved able to fail
on a controller's session that opens a provider's page from the providers table. The
screenshot of the provider's page is kept in the build folder: <build>/provider-e2e.png.

Afterwards, through the API: the upload was stored as the page said, and every read of line
data the page made (the submissions, the lines, the CSV) is in the audit trail under the
provider's token.
"""

import json
import os
import subprocess
import sys
import time
import unittest

import demo_data
import harness

AGB = "41000001"   # Expertisecentrum Korsakov Noord of the shipped reference data
ZORGKANTOOR = 5501


class ProviderPageEndToEnd(harness.LvhcmonTestCase):
    def test_provider_page_in_chromium(self):
        t0 = time.monotonic()
        d = self.daemon()
        demo_data.load_demo(self, d)
        print("demo data loaded in %.0f s" % (time.monotonic() - t0), flush=True)
        controller = d.make_token("controller", label="e2e controller")
        provider = d.make_token("provider", agb=AGB, label="e2e provider")

        out = os.path.join(d.dir, "aw319")
        make = os.path.join(harness.SOURCE_DIR, "tests", "e2e", "make_aw319.py")
        r = subprocess.run([sys.executable, make, "--agb", AGB, "--zk", str(ZORGKANTOOR), "--out", out],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        files = json.loads(r.stdout)

        screenshot = os.path.join(harness.BUILD_DIR, "provider-e2e.png")
        if os.path.exists(screenshot):
            os.remove(screenshot)
        env = dict(os.environ, LVHCMON_URL=d.url("").rstrip("/"), LVHCMON_TOKEN=controller,
                   LVHCMON_PROVIDER_TOKEN=provider, LVHCMON_ZORGKANTOOR=str(ZORGKANTOOR),
                   LVHCMON_AW319_SPEC=os.path.join(out, "provider.json"),
                   LVHCMON_PROVIDER_SCREENSHOT=screenshot)
        run = os.path.join(harness.SOURCE_DIR, "tests", "e2e", "run.sh")
        t0 = time.monotonic()
        try:
            r = subprocess.run(["bash", run, "--provider"], env=env, capture_output=True, text=True,
                               timeout=600)
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            self.fail("the browser run did not end within 600 s; it got this far:\n%s" % out[-6000:])
        print(r.stdout)
        print("browser run took %.0f s" % (time.monotonic() - t0), flush=True)
        if r.returncode == 77:
            self.skipTest(r.stderr.strip())
        self.assertEqual(r.returncode, 0, "provider page checks failed:\n%s\n%s"
                         % (r.stdout[-6000:], r.stderr[-4000:]))
        self.assertTrue(os.path.exists(screenshot) and os.path.getsize(screenshot) > 10000,
                        "no screenshot was saved as %s" % screenshot)

        # The upload made through the page is stored as the page showed it.
        year = d.http("GET", "/api/v1/status", token=controller).json()["year"]
        subs = d.http("GET", f"/api/v1/providers/{AGB}/submissions?year={year}", token=controller)
        self.assertEqual(subs.status, 200, subs.body)
        mine = [s for s in subs.json()["submissions"] if s.get("reference") == files["reference"]]
        self.assertEqual(len(mine), 1, subs.json())
        self.assertEqual((mine[0]["accepted"], mine[0]["rejected"]), (1, 1))
        lines = d.http("GET", f"/api/v1/declarations/{mine[0]['id']}", token=controller).json()["lines"]
        self.assertEqual({l["line_ref"]: l["status"] for l in lines},
                         {files["good"]: "accepted", files["bad"]: "rejected"})

        # Every line-level read the page made is audited under the provider's token.
        token_id = d.http("GET", "/api/v1/whoami", token=provider).json()["token_id"]
        audit = d.http("GET", f"/api/v1/audit?actor=token:{token_id}&limit=1000", token=controller)
        self.assertEqual(audit.status, 200, audit.body)
        entries = audit.json()["entries"]
        actions = [e["action"] for e in entries]
        self.assertIn("declarations.submit", actions)
        reads = [e for e in entries if e["action"] in ("declarations.read", "declarations.export")]
        objects = " ".join(str(e.get("object")) for e in reads)
        self.assertIn(f"submission:{mine[0]['id']}", objects, "reading the lines was not audited")
        self.assertEqual({e["provider_agb"] for e in reads}, {AGB}, reads)


if __name__ == "__main__":
    unittest.main()
