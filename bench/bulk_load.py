#!/usr/bin/env python3
"""bulk_load.py: the client side of bench/bulk_bench.sh (Python standard library only).

  bulk_load.py post --port P --token T --folder DIR --clients N --out FILE
      POSTs DIR's sub_NNNN.json files to one lvhcmond, N clients at once over keep-alive
      connections; client c sends the files k with k mod N = c (ingest_gen.py --providers N
      gives them all one provider). Writes one JSON line per submission: reference,
      provider, status, amount_cents, the Lvhcmon-Read-Your-Writes header, and the
      wall-clock times the request went out and the answer came back. Prints the seconds
      from the first request to the last answer.

  bulk_load.py observe --port P --token T --agbs A,B,... --out FILE [--interval-ms 2]
      Polls GET /api/v1/providers of another lvhcmond every INTERVAL ms (If-None-Match, so
      an unchanged list costs a 304; a pace that leaves the machine to the load, and the
      resolution of the commit->visible figures), until its standard input closes. Writes one JSON
      line per change: the wall-clock time the answer arrived and the spend of the named
      providers. Prints "ready" once the first answer is in.

  bulk_load.py report --posts FILE --samples FILE --commits FILE --notifies FILE
      Joins the three with the commit times PostgreSQL recorded (track_commit_timestamp;
      COMMITS: "id|reference|provider|epoch seconds" lines) and the arrival times of the
      ledger notifications at a bare listener (NOTIFIES: notify_probe's "id epoch_us"
      lines), and prints one JSON object: how long from each commit until the observed
      instance showed it (the first answer whose spend for that provider reached the sum of
      the provider's submissions committed so far), until the writer had its answer, and
      until the notification arrived; p50/p99 of each in milliseconds.
"""

import argparse
import http.client
import json
import os
import select
import sys
import threading
import time


def cmd_post(args):
    files = sorted(f for f in os.listdir(args.folder) if f.endswith(".json"))
    bodies = [open(os.path.join(args.folder, f), "rb").read() for f in files]
    results, errors = [], []
    lock = threading.Lock()

    def client(c):
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=600)
        for body in bodies[c::args.clients]:
            doc = json.loads(body)
            sent = time.time()
            conn.request("POST", "/api/v1/declarations", body,
                         {"Content-Type": "application/json",
                          "Authorization": f"Bearer {args.token}"})
            resp = conn.getresponse()
            text = resp.read()
            answered = time.time()
            if resp.status != 201:
                with lock:
                    errors.append(f"{resp.status} {text[:300]!r}")
                return
            out = json.loads(text)
            with lock:
                results.append({"reference": doc["reference"], "provider": doc["provider_agb"],
                                "status": resp.status, "amount_cents": out["amount_cents"],
                                "accepted": out["accepted"], "lines": len(doc["lines"]),
                                "header": resp.getheader("Lvhcmon-Read-Your-Writes"),
                                "sent": sent, "answered": answered})

    t0 = time.time()
    threads = [threading.Thread(target=client, args=(c,)) for c in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - t0
    with open(args.out, "w") as f:
        for r in results:
            f.write(json.dumps(r) + "\n")
    if errors:
        sys.exit("bulk_load: a submission failed: " + errors[0])
    print(f"{elapsed:.3f}")


def cmd_observe(args):
    agbs = args.agbs.split(",")
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    etag, samples, last = None, [], None
    headers = {"Authorization": f"Bearer {args.token}"}
    pause = args.interval_ms / 1000.0
    while True:
        started = time.monotonic()
        if etag:
            headers["If-None-Match"] = etag
        conn.request("GET", "/api/v1/providers?year=2026", headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        at = time.time()
        if resp.status == 200:
            etag = resp.getheader("ETag")
            spent = {p["agb"]: p["spent_cents"] for p in json.loads(body)["providers"]
                     if p["agb"] in agbs}
            if spent != last:
                samples.append({"at": at, "spent": spent})
                if last is None:
                    print("ready", flush=True)
                last = spent
        elif resp.status != 304:
            sys.exit(f"bulk_load: GET /api/v1/providers answered {resp.status}")
        left = pause - (time.monotonic() - started)
        if select.select([sys.stdin], [], [], max(0.0, left))[0]:
            break
    with open(args.out, "w") as f:
        for s in samples:
            f.write(json.dumps(s) + "\n")


def percentile(values, p):
    """The p-th percentile (nearest rank) of @values."""
    if not values:
        return None
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def summary(ms):
    return {"p50_ms": percentile(ms, 50), "p99_ms": percentile(ms, 99),
            "max_ms": max(ms) if ms else None, "n": len(ms)}


def cmd_report(args):
    posts = [json.loads(line) for line in open(args.posts)]
    samples = [json.loads(line) for line in open(args.samples)]
    commits = {}
    for line in open(args.commits):
        sid, reference, provider, at = line.strip().split("|")
        commits[reference] = (int(sid), provider, float(at))
    arrivals = {}
    for line in open(args.notifies):
        payload, us = line.split()
        arrivals.setdefault(int(payload), int(us) / 1e6)
    baseline = samples[0]["spent"]
    visible, answered, notified, missing = [], [], [], 0
    by_provider = {}
    for p in posts:
        by_provider.setdefault(p["provider"], []).append(p)
    for agb, ps in by_provider.items():
        ps.sort(key=lambda p: commits[p["reference"]][2])
        total = baseline.get(agb, 0)
        k = 0
        for p in ps:
            sid, _, committed = commits[p["reference"]]
            total += p["amount_cents"]
            while k < len(samples) and samples[k]["spent"].get(agb, 0) < total:
                k += 1
            if k == len(samples):
                missing += 1
            else:
                visible.append((samples[k]["at"] - committed) * 1000)
            answered.append((p["answered"] - committed) * 1000)
            if sid in arrivals:
                notified.append((arrivals[sid] - committed) * 1000)
    lines = sum(p["accepted"] for p in posts)
    print(json.dumps({"submissions": len(posts), "lines_accepted": lines,
                      "never_seen": missing,
                      "headers": sorted({str(p["header"]) for p in posts}),
                      "visible": summary(visible), "answered": summary(answered),
                      "notified": summary(notified)}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("post")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--folder", required=True)
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--out", required=True)
    o = sub.add_parser("observe")
    o.add_argument("--port", type=int, required=True)
    o.add_argument("--token", required=True)
    o.add_argument("--agbs", required=True)
    o.add_argument("--out", required=True)
    o.add_argument("--interval-ms", type=float, default=2.0)
    r = sub.add_parser("report")
    for name in ("posts", "samples", "commits", "notifies"):
        r.add_argument(f"--{name}", required=True)
    args = ap.parse_args()
    {"post": cmd_post, "observe": cmd_observe, "report": cmd_report}[args.cmd](args)


if __name__ == "__main__":
    main()
