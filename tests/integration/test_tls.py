"""test_tls.py: HTTPS in the daemon ([server] tls_cert_file, tls_key_file).

A certificate for 127.0.0.1 is made with Debian's openssl (scripts/deps.sh test installs
it). The daemon started with it speaks HTTPS only: a client that trusts that certificate
gets its answers, each with Strict-Transport-Security, a token works as over HTTP, and a
plain HTTP request to the same port gets no HTTP answer at all. A configuration whose
files are missing, unreadable, not PEM, or do not belong together is refused by
--check-config and at start, the message naming the key to fix.
"""

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import tempfile

import harness


def make_certificate(folder, name="server", cn="127.0.0.1"):
    """A self-signed certificate and its key (PEM) in `folder`; returns their paths."""
    cert = os.path.join(folder, f"{name}.crt")
    key = os.path.join(folder, f"{name}.key")
    res = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN={cn}",
         "-addext", f"subjectAltName=IP:{cn}"],
        capture_output=True, text=True, timeout=60)
    if res.returncode != 0:
        raise RuntimeError(f"openssl req failed: {res.stderr}")
    os.chmod(key, 0o600)
    return cert, key


class TlsTest(harness.LvhcmonTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if shutil.which("openssl") is None:
            raise RuntimeError("openssl is missing (scripts/deps.sh test installs it)")
        cls.certs = tempfile.mkdtemp(prefix="lvhcmon-tls-")
        cls.cert, cls.key = make_certificate(cls.certs)
        cls.other_cert, cls.other_key = make_certificate(cls.certs, "other")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.certs, ignore_errors=True)
        super().tearDownClass()

    def tls_daemon(self):
        d = self.daemon(start=False, settings={"server": {"tls_cert_file": self.cert,
                                                          "tls_key_file": self.key}})
        context = ssl.create_default_context(cafile=self.cert)
        d.ssl_context = context
        d.start()
        return d

    def test_https_only(self):
        d = self.tls_daemon()
        self.assertTrue(d.wait_log("listening")["fields"]["tls"])
        r = d.http("GET", "/healthz")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.headers["strict-transport-security"], "max-age=31536000")
        token = d.make_token("controller", label="over tls")
        r = d.http("GET", "/api/v1/whoami", token=token)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["label"], "over tls")
        self.assertIn("strict-transport-security", r.headers)
        # Errors too.
        r = d.http("GET", "/api/v1/whoami")
        self.assertEqual(r.status, 401)
        self.assertIn("strict-transport-security", r.headers)

        # Plain HTTP to the same port: no HTTP answer.
        conn = http.client.HTTPConnection("127.0.0.1", d.port, timeout=10)
        with self.assertRaises((http.client.HTTPException, OSError)):
            conn.request("GET", "/healthz")
            conn.getresponse()
        conn.close()
        with socket.create_connection(("127.0.0.1", d.port), timeout=10) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            try:
                got = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                got = b""
            self.assertFalse(got.startswith(b"HTTP/"), got[:100])
        # A client that does not trust the certificate refuses it.
        strict = ssl.create_default_context()
        with self.assertRaises(ssl.SSLError):
            with socket.create_connection(("127.0.0.1", d.port), timeout=10) as s:
                with strict.wrap_socket(s, server_hostname="127.0.0.1"):
                    pass
        # The daemon serves on after all that.
        self.assertEqual(d.http("GET", "/healthz").status, 200)

    def check_refused(self, server, key_named):
        d = self.daemon(start=False, settings={"server": server})
        res = harness.run_program([harness.binary("lvhcmond"), "--config", d.config_path,
                                   "--check-config"], allowed=(1,))
        self.assertIn(key_named, res.stderr)
        d.start(wait=False, expect_exit=1)
        self.assertEqual(d.wait(60), 1)
        self.assertIn(key_named, d.wait_log("configuration refused")["fields"]["error"])
        return res.stderr

    def test_bad_files_are_configuration_errors(self):
        missing = os.path.join(self.certs, "missing.pem")
        err = self.check_refused({"tls_cert_file": missing, "tls_key_file": self.key},
                                 "[server] tls_cert_file")
        self.assertIn("cannot read", err)
        self.check_refused({"tls_cert_file": self.cert, "tls_key_file": missing},
                           "[server] tls_key_file")
        garbage = os.path.join(self.certs, "garbage.pem")
        with open(garbage, "w") as f:
            f.write("not a certificate\n")
        err = self.check_refused({"tls_cert_file": garbage, "tls_key_file": self.key},
                                 "[server] tls_cert_file")
        self.assertIn("not a PEM file", err)
        # The key of another certificate.
        err = self.check_refused({"tls_cert_file": self.cert, "tls_key_file": self.other_key},
                                 "[server] tls_key_file")
        self.assertIn("not the private key of the certificate", err)
        # A certificate whose body is damaged.
        broken = os.path.join(self.certs, "broken.crt")
        with open(self.cert) as f:
            lines = f.read().splitlines()
        lines[2] = "A" * len(lines[2])
        with open(broken, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.check_refused({"tls_cert_file": broken, "tls_key_file": self.key},
                           "[server] tls_cert_file")
        # One file without the other.
        self.check_refused({"tls_cert_file": self.cert}, "[server] tls_key_file")
        # Unreadable (a folder).
        self.check_refused({"tls_cert_file": self.cert, "tls_key_file": self.certs},
                           "[server] tls_key_file")

    def test_cert_and_key_never_printed(self):
        err = self.check_refused({"tls_cert_file": self.cert, "tls_key_file": self.other_key},
                                 "[server] tls_key_file")
        with open(self.other_key) as f:
            body = [line for line in f.read().splitlines() if not line.startswith("-----")]
        for line in body:
            self.assertNotIn(line, err)
