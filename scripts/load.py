#!/usr/bin/env python3
"""HTTP load for standby's read path: N client threads with keep-alive connections for a fixed time.

Usage: scripts/load.py [--base http://127.0.0.1:8080] [--user admin --password PW] [--path /api/v1/units]
                       [--threads 8] [--seconds 10] [--issue WAREHOUSE_ID:BATCH_ID]
Signs in once for a token, then hammers one path and prints requests/s and latency percentiles.
With --issue, each request instead posts an emergency issue of 0.001 from that batch (POST /api/v1/movements):
the write path, from HTTP to the ledger and its hash chain. Use a warehouse with stock to spare.
Only ever targets the loopback address it is given; it stops by itself.
"""
import argparse
import http.client
import json
import threading
import time
import urllib.parse


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", default="http://127.0.0.1:8080")
    p.add_argument("--user", default="admin")
    p.add_argument("--password", required=True)
    p.add_argument("--path", default="/api/v1/units?per_page=50")
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--issue", help="WAREHOUSE_ID:BATCH_ID to post emergency issues against")
    a = p.parse_args()
    url = urllib.parse.urlparse(a.base)
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("load tests only target this machine (loopback)")

    conn = http.client.HTTPConnection(url.hostname, url.port)
    body = json.dumps({"username": a.user, "password": a.password, "name": "load test"})
    conn.request("POST", "/api/v1/auth/tokens", body, {"content-type": "application/json"})
    resp = conn.getresponse()
    data = json.loads(resp.read())
    if resp.status != 201:
        raise SystemExit(f"sign-in failed: {resp.status} {data}")
    headers = {"authorization": f"Bearer {data['token']}"}
    method, path, payload, ok = "GET", a.path, None, 200
    if a.issue:
        warehouse, batch = (int(x) for x in a.issue.split(":"))
        method, path, ok = "POST", "/api/v1/movements", 201
        payload = json.dumps({"warehouse_id": warehouse, "kind": "use", "emergency": True, "reason": "load test",
                              "lines": [{"batch_id": batch, "qty": "0.001"}]})
        headers["content-type"] = "application/json"

    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + a.seconds

    def worker():
        c = http.client.HTTPConnection(url.hostname, url.port)
        mine, bad = [], 0
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            c.request(method, path, payload, headers=headers)
            r = c.getresponse()
            r.read()
            mine.append(time.perf_counter() - t0)
            if r.status != ok:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(a.threads)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    latencies.sort()

    def pct(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    print(f"{method} {path}: {len(latencies)} requests in {elapsed:.1f}s with {a.threads} threads, "
          f"{len(latencies) / elapsed:.0f} req/s, unexpected status: {errors[0]}")
    print(f"latency ms: p50 {pct(0.50):.2f}  p90 {pct(0.90):.2f}  p99 {pct(0.99):.2f}  max {latencies[-1] * 1000:.2f}")


if __name__ == "__main__":
    main()
