"""test_dashboard_e2e.py: the dashboard end to end, in a real headless Chromium, against a
real lvhcmond on a throwaway PostgreSQL loaded with the demo data (the same reference files
and deterministic generator as the README's run command).

It runs tests/e2e/run.sh (Playwright driving Debian's chromium; the script installs both
when missing), which checks, in Dutch and in English, that the chart, the six groups, the
alerts grouped by alertname and the providers with missing or late declarations show the
API's numbers written the language's way, that the zorgkantoor picker and the "as of" day
show what the API answers for them and that the report button saves the API's workbook,
acknowledges one alert through the page, checks
that no request leaves the origin and that the Content-Security-Policy holds, and saves a
screenshot per language. They are kept in the build folder: <build>/dashboard-e2e-nl.png
and <build>/dashboard-e2e-en.png.
"""

import os
import subprocess
import time
import unittest

import demo_data
import harness


class DashboardEndToEnd(harness.LvhcmonTestCase):
    def wait_for_firing_alert(self, d, token, timeout=30):
        """The alert engine evaluates after the snapshot rebuild the imports trigger."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            r = d.http("GET", "/api/v1/alerts?state=firing", token=token)
            if r.status == 200 and r.json()["alerts"]:
                return r.json()["alerts"]
            time.sleep(0.2)
        self.fail("no alert fired on the demo data within %d s" % timeout)

    def test_dashboard_in_chromium(self):
        d = self.daemon()
        demo_data.load_demo(self, d)
        token = d.make_token("controller", label="e2e controller")
        alerts = self.wait_for_firing_alert(d, token)
        self.assertGreater(len(alerts), 0)

        screenshot = os.path.join(harness.BUILD_DIR, "dashboard-e2e.png")
        shots = [os.path.join(harness.BUILD_DIR, "dashboard-e2e-%s.png" % lang) for lang in ("nl", "en")]
        for shot in shots:
            if os.path.exists(shot):
                os.remove(shot)
        env = dict(os.environ, LVHCMON_URL=d.url("").rstrip("/"), LVHCMON_TOKEN=token,
                   LVHCMON_SCREENSHOT=screenshot, LVHCMON_REQUIRE_ALERTS="1")
        run = os.path.join(harness.SOURCE_DIR, "tests", "e2e", "run.sh")
        r = subprocess.run(["bash", run], env=env, capture_output=True, text=True, timeout=600)
        print(r.stdout)
        if r.returncode == 77:
            self.skipTest(r.stderr.strip())
        self.assertEqual(r.returncode, 0, "dashboard checks failed:\n%s\n%s"
                         % (r.stdout[-4000:], r.stderr[-4000:]))
        for shot in shots:
            self.assertTrue(os.path.exists(shot) and os.path.getsize(shot) > 10000,
                            "no screenshot was saved as %s" % shot)

        # The acknowledgement made through the page is recorded with who and when.
        r = d.http("GET", "/api/v1/alerts?state=all", token=token)
        acked = [a for a in r.json()["alerts"] if a.get("acknowledged_by")]
        self.assertTrue(acked, "the page's acknowledgement did not reach the API")
        self.assertTrue(acked[0]["acknowledged_at"])


if __name__ == "__main__":
    unittest.main()
