#!/usr/bin/env python3
"""Kill -9 under write load: no acknowledged voucher is lost.

Usage: scripts/crash-check.py [--bin target/release/standby] [--rounds 3] [--writers 4] [--seconds 3]
Starts the release binary on a fresh SQLite demo district, then each round: four writers post emergency
issues of 0.001 (POST /api/v1/movements) as fast as the server takes them, the server is killed with SIGKILL
mid-stream, and started again. Afterwards every voucher the server acknowledged (201 with its id) must be
there and posted, the hash chain and balances must verify (GET /api/v1/ledger/verify), and the batch must have
gone down by at least the acknowledged issues and at most those plus the ones in flight at each kill.
Used by .ci/run (bounded by rounds and seconds); runs on its own too. Exits non-zero on any loss.
"""
import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

PASSWORD = "crash-check-password-1"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Client:
    def __init__(self, port, token=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.token = token

    def call(self, method, path, body=None):
        headers = {"content-type": "application/json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        self.conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        r = self.conn.getresponse()
        data = r.read()
        return r.status, (json.loads(data) if data else None)


def start(binary, env, port):
    proc = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("crash-check: the server did not start: " + proc.stderr.read().decode(errors="replace"))


def sign_in(port):
    status, body = Client(port).call("POST", "/api/v1/auth/tokens",
                                     {"username": "admin", "password": PASSWORD, "name": "crash-check"})
    assert status == 201, (status, body)
    return body["token"]


def issue(warehouse, batch):
    return {"warehouse_id": warehouse, "kind": "use", "emergency": True, "reason": "crash-check",
            "lines": [{"batch_id": batch, "qty": "0.001"}]}


def pick_batch(client):
    """A warehouse and batch that takes an emergency issue now (one not frozen by a count)."""
    _, warehouses = client.call("GET", "/api/v1/warehouses")
    for w in warehouses:
        _, stock = client.call("GET", f"/api/v1/warehouses/{w['warehouse_id']}/stock")
        rows = sorted((r for r in stock if r["qty_milli"]), key=lambda r: -r["qty_milli"])
        for r in rows[:3]:
            status, _ = client.call("POST", "/api/v1/movements", issue(w["warehouse_id"], r["batch_id"]))
            if status == 201:
                return w["warehouse_id"], r["batch_id"]
    raise SystemExit("crash-check: no batch in the demo takes an emergency issue")


def balance(client, warehouse, batch):
    _, stock = client.call("GET", f"/api/v1/warehouses/{warehouse}/stock")
    return next(r["qty_milli"] for r in stock if r["batch_id"] == batch)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default="target/release/standby")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--writers", type=int, default=4)
    p.add_argument("--seconds", type=float, default=3.0)
    a = p.parse_args()

    work = tempfile.mkdtemp(prefix="crash-check-")
    port = free_port()
    env = dict(os.environ, STANDBY_DATA_DIR=f"{work}/data", STANDBY_DATABASE_URL=f"sqlite://{work}/standby.db",
               STANDBY_ADMIN_PASSWORD=PASSWORD, STANDBY_BIND=f"127.0.0.1:{port}", STANDBY_LOG="warn",
               STANDBY_JOB_SCAN="off", STANDBY_JOB_DELIVER="off", STANDBY_JOB_DIGEST="off")
    subprocess.run([a.bin, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)

    proc = start(a.bin, env, port)
    token = sign_in(port)
    client = Client(port, token)
    warehouse, batch = pick_batch(client)
    before = balance(client, warehouse, batch)
    acknowledged, in_flight_max = [], 0

    for round_no in range(1, a.rounds + 1):
        stop = threading.Event()
        acked, lock = [], threading.Lock()

        def writer():
            c = Client(port, token)
            while not stop.is_set():
                try:
                    status, body = c.call("POST", "/api/v1/movements", issue(warehouse, batch))
                except (OSError, http.client.HTTPException):
                    return  # the server is gone: this request may or may not have been written
                if status == 201:
                    with lock:
                        acked.append(body["id"])

        threads = [threading.Thread(target=writer) for _ in range(a.writers)]
        for t in threads:
            t.start()
        time.sleep(a.seconds)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stop.set()
        for t in threads:
            t.join()
        acknowledged += acked
        in_flight_max += a.writers
        print(f"crash-check round {round_no}: killed after {len(acked)} acknowledged issues")
        proc = start(a.bin, env, port)

    client = Client(port, token)
    missing = []
    for vid in acknowledged:
        status, body = client.call("GET", f"/api/v1/movements/{vid}")
        if status != 200 or body["state"] != "posted":
            missing.append((vid, status))
    _, report = client.call("GET", "/api/v1/ledger/verify")
    after = balance(client, warehouse, batch)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)

    gone = before - after  # thousandths
    ok = (not missing and not report["chain_breaks"] and not report["differences"]
          and len(acknowledged) <= gone <= len(acknowledged) + in_flight_max)
    print(f"crash-check: {len(acknowledged)} acknowledged vouchers over {a.rounds} kills; "
          f"{len(missing)} missing; stock went down by {gone} (at most {in_flight_max} unacknowledged); "
          f"ledger: {report['movements']} movements, {len(report['chain_breaks'])} chain breaks, "
          f"{len(report['differences'])} balance differences")
    if not ok:
        print(f"crash-check FAILED: missing {missing[:10]}, report {report}", file=sys.stderr)
        sys.exit(1)
    if not acknowledged:
        print("crash-check FAILED: nothing was acknowledged; the load never ran", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
