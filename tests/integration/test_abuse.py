"""test_abuse.py: one host cannot take the service down, and a body goes only where one is
taken.

  - 200 connections from 127.0.0.2, each sending a byte a second: the per-address limit
    ([server] per_ip_connection_limit, default 32) refuses all but 32 of them at once, and
    /healthz from 127.0.0.1 keeps answering in under 100 ms;
  - the request time limit ([server] request_timeout_s) closes a connection that keeps
    sending a byte at a time, which the inactivity timeout never would, while a keep-alive
    client that makes a request now and then keeps its connection;
  - a GET with a 1 MiB body is 413 body_not_allowed from its headers alone, before the body
    is sent (and chunked likewise); the connection is closed, nothing is drained.

127.0.0.2 is a loopback address like 127.0.0.1 (all of 127/8 is): the clients bind their
end of the connection to it, so the daemon, listening on 127.0.0.1, sees a second host.
"""

import socket
import statistics
import threading
import time

import harness

SLOW_CONNECTIONS = 200
PER_IP_DEFAULT = 32
HEALTHZ_LIMIT_S = 0.100


def connect_from(source, port, timeout=10):
    """A TCP connection to 127.0.0.1:port whose local end is `source`."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


def closed_now(s):
    """True when the peer has already closed `s` (EOF or reset waiting on it)."""
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except (ConnectionResetError, BrokenPipeError):
        return True
    finally:
        s.setblocking(True)


def closed_by_peer(s, wait):
    """True when the peer closed `s` within `wait` seconds (EOF or reset)."""
    s.settimeout(wait)
    try:
        return s.recv(1) == b""
    except socket.timeout:
        return False
    except (ConnectionResetError, BrokenPipeError):
        return True


class AbuseTest(harness.LvhcmonTestCase):
    def healthz_seconds(self, d):
        began = time.monotonic()
        r = d.http("GET", "/healthz", timeout=10)
        took = time.monotonic() - began
        self.assertEqual(r.status, 200)
        return took

    def test_slow_connections_from_one_address(self):
        d = self.daemon()  # the defaults: per_ip_connection_limit 32
        # Warm up the client side (the first request pays for imports and DNS-free setup).
        self.healthz_seconds(d)
        stop = threading.Event()
        conns = []
        for _ in range(SLOW_CONNECTIONS):
            conns.append(connect_from("127.0.0.2", d.port))
        # The daemon closes those above the limit at once.
        time.sleep(1)
        closed = [closed_now(s) for s in conns]
        refused = sum(closed)
        alive = [s for s, c in zip(conns, closed) if not c]
        self.assertEqual(refused, SLOW_CONNECTIONS - PER_IP_DEFAULT,
                         f"{refused} of {SLOW_CONNECTIONS} refused")
        request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000

        def trickle(s):
            for byte in request:
                if stop.wait(1.0):
                    return
                try:
                    s.sendall(bytes([byte]))
                except OSError:
                    return

        threads = [threading.Thread(target=trickle, args=(s,), daemon=True) for s in alive]
        for t in threads:
            t.start()
        try:
            time.sleep(2)  # every slow connection has sent something
            times = []
            for _ in range(10):
                times.append(self.healthz_seconds(d))
                time.sleep(0.2)
            self.assertLess(max(times), HEALTHZ_LIMIT_S,
                            [f"{t * 1000:.1f} ms" for t in times])
            # Another connection from 127.0.0.2 is still refused: its 32 are busy.
            extra = connect_from("127.0.0.2", d.port)
            self.assertTrue(closed_by_peer(extra, 2), "a 33rd connection was accepted")
            extra.close()
        finally:
            stop.set()
            for t in threads:
                t.join(5)
            for s in conns:
                s.close()
        print(f"\nper-address limit: {refused} of {SLOW_CONNECTIONS} connections from "
              f"127.0.0.2 refused at once, {len(alive)} kept trickling; /healthz from "
              f"127.0.0.1 median {statistics.median(times) * 1000:.1f} ms, max "
              f"{max(times) * 1000:.1f} ms", flush=True)

    def test_request_time_limit(self):
        d = self.daemon(settings={"server": {"request_timeout_s": 3, "connection_timeout_s": 10}})
        slow = connect_from("127.0.0.1", d.port)
        began = time.monotonic()
        closed_after = None
        request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
        for byte in request:
            try:
                slow.sendall(bytes([byte]))
            except OSError:
                closed_after = time.monotonic() - began
                break
            if closed_by_peer(slow, 0.5):
                closed_after = time.monotonic() - began
                break
        slow.close()
        self.assertIsNotNone(closed_after, "the slow connection was never closed")
        self.assertGreater(closed_after, 2.5)
        self.assertLess(closed_after, 5.5)
        d.wait_log("connections closed: a request took longer than request_timeout_s")

        # A keep-alive client that asks now and then is not cut off: every answered request
        # restarts the time it has for the next one.
        s = connect_from("127.0.0.1", d.port)
        for _ in range(4):
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            got = s.recv(65536)
            self.assertTrue(got.startswith(b"HTTP/1.1 200"), got[:100])
            time.sleep(1.5)
        s.close()

    def test_body_on_a_route_without_one(self):
        d = self.daemon()
        mib = 1024 * 1024
        s = connect_from("127.0.0.1", d.port)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                  b"Content-Length: " + str(mib).encode() + b"\r\n\r\n")
        got = s.recv(65536)  # answered from the headers: nothing of the body was sent
        self.assertTrue(got.startswith(b"HTTP/1.1 413"), got[:200])
        self.assertIn(b'"body_not_allowed"', got)
        self.assertTrue(closed_by_peer(s, 5), "the connection stayed open to drain the body")
        s.close()

        # Chunked, length unknown: the same, on an authenticated route too.
        token = d.make_token("dashboard")
        for path, auth in (("/healthz", b""),
                           ("/api/v1/whoami", b"Authorization: Bearer " + token.encode() +
                            b"\r\n")):
            s = connect_from("127.0.0.1", d.port)
            s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n" + auth +
                      b"Transfer-Encoding: chunked\r\n\r\n100\r\n" + b"y" * 256 + b"\r\n")
            got = s.recv(65536)
            self.assertTrue(got.startswith(b"HTTP/1.1 413"), (path, got[:200]))
            s.close()
        # An empty body is no body.
        r = d.http("GET", "/healthz", headers={"Content-Length": "0"})
        self.assertEqual(r.status, 200, r.text)
