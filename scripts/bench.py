#!/usr/bin/env python3
"""Side by side: standby's endpoints against a bare actix-web handler returning the same kind of answer, in
one run on this machine, with the same load generator (wrk, installed from Debian's packages when missing).

Usage: scripts/bench.py [--seconds 10] [--connections 8] [--short] [--bin target/release/standby]
                        [--bare target/release/bare] [--database-url URL] [--instances N]
Builds nothing: run `cargo build --release --bin standby --bin bare` first (.ci/run does).
Loads the demo district into a fresh SQLite database, adds batches until the main warehouse holds 50 rows of
stock, then measures for each pair: requests per second, p99 latency and standby's share of the bare figure.
--short runs a few seconds per endpoint and exits 1 when a ratio falls below its floor (about half of what
was measured; see BENCHMARKS.md), so that a real regression stops CI and machine noise does not.
--database-url runs standby on that database instead (a PostgreSQL URL: its tables are dropped and the demo
loaded afresh); --instances N also posts emergency issues through N processes on the one database at once
and prints their sum.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

PASSWORD = "bench-admin-password-1"
DEMO = "standby-demo"

# (name, standby method+path, bare path, floor for --short as a share of the bare figure)
# The floors are about half of the shares measured on 2026-11-30 (BENCHMARKS.md, "Issue 11: where every target
# stands"), and below what the slowest day of this VM gave (session 10: 39.8, 25.8, 88.1, 3.8 and 0.9 %).
PAIRS = [
    ("unit by id (API)", "GET /api/v1/units/3", "/unit", 0.30),
    ("warehouse stock, 50 rows (API)", "GET /api/v1/warehouses/1/stock", "/stock", 0.14),
    ("who is on duty now (API)", "GET /api/v1/duty/now", "/duty", 0.40),
    ("keeper's dashboard (HTML)", "GET /reserves", "/page", 0.025),
    ("emergency issue (API, ledger post)", "POST /api/v1/movements", "/post", 0.006),
]


def reset_postgres(url):
    """Creates the PostgreSQL database the bench is pointed at if it is missing, and empties it. Refuses the
    shared databases (postgres, test, root) so that a slip cannot wipe them."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if name in ("", "postgres", "test", "root"):
        raise SystemExit(f"bench: give the bench a database of its own (e.g. .../standby_bench), not '{name}'")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    quiet = dict(check=True, stdout=subprocess.DEVNULL)
    found = subprocess.run(["psql", "-tA", admin, "-c", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                           check=True, capture_output=True, text=True).stdout.strip()
    if not found:
        subprocess.run(["psql", "-q", admin, "-c", f'CREATE DATABASE "{name}"'], **quiet)
    subprocess.run(["psql", "-q", url, "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"], **quiet)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"bench: nothing answers on port {port}")


def call(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = {"content-type": "application/json"}
    h.update(headers or {})
    c.request(method, path, json.dumps(body) if body is not None else None, h)
    r = c.getresponse()
    data = r.read()
    return r.status, r.getheaders(), (json.loads(data) if data and data[:1] in b"[{" else data)


def token(port, user, password):
    status, _, body = call(port, "POST", "/api/v1/auth/tokens", {"username": user, "password": password, "name": "bench"})
    assert status == 201, (status, body)
    return body["token"]


def session_cookie(port, user, password):
    """Signs in on the page like a browser: the session cookie and CSRF token from the form."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/login")
    r = c.getresponse()
    page = r.read().decode()
    cookie = "; ".join(v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": user, "password": password, "csrf_token": csrf})
    c.request("POST", "/login", form, {"content-type": "application/x-www-form-urlencoded", "cookie": cookie})
    r = c.getresponse()
    r.read()
    assert r.status == 303, r.status
    return "; ".join(v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie") or cookie


def fill_warehouse(port, keeper, signer, rows=50):
    """Adds batches to the demo's main warehouse until it holds `rows` rows of stock."""
    _, _, stock = call(port, "GET", "/api/v1/warehouses/1/stock", headers={"authorization": f"Bearer {keeper}"})
    item = stock[0]["item_id"]
    for i in range(len(stock), rows):
        _, _, b = call(port, "POST", f"/api/v1/items/{item}/batches", {"batch_no": f"BENCH-{i:03}", "ownership": "government"},
                       {"authorization": f"Bearer {keeper}"})
        _, _, m = call(port, "POST", "/api/v1/movements",
                       {"warehouse_id": 1, "kind": "purchase", "reason": "bench", "lines": [{"batch_id": b["id"], "qty": "100"}]},
                       {"authorization": f"Bearer {keeper}"})
        call(port, "POST", f"/api/v1/movements/{m['id']}/countersign", headers={"authorization": f"Bearer {signer}"})


def divisible_batch(port, keeper):
    """A batch of something kept by measure (diesel), with stock, to issue thousandths from."""
    _, _, stock = call(port, "GET", "/api/v1/warehouses/1/stock", headers={"authorization": f"Bearer {keeper}"})
    for row in sorted(stock, key=lambda r: -r["qty_milli"]):
        status, _, _ = call(port, "POST", "/api/v1/movements",
                            {"warehouse_id": 1, "kind": "use", "emergency": True, "reason": "bench",
                             "lines": [{"batch_id": row["batch_id"], "qty": "0.001"}]},
                            {"authorization": f"Bearer {keeper}"})
        if status == 201:
            return row["batch_id"]
    raise SystemExit("bench: no batch takes an issue of 0.001")


def prepare(port, work):
    """Fills the demo's main warehouse to 50 rows and signs the keeper in: their bearer token, their page session
    cookie, and a wrk script (in `work`) that posts an emergency issue of 0.001 of a divisible batch."""
    keeper, signer = token(port, "jianggp", DEMO), token(port, "macm", DEMO)
    fill_warehouse(port, keeper, signer)
    batch = divisible_batch(port, keeper)
    cookie = session_cookie(port, "jianggp", DEMO)
    post = os.path.join(work, "post.lua")
    with open(post, "w") as f:
        body = json.dumps({"warehouse_id": 1, "kind": "use", "emergency": True, "reason": "bench",
                           "lines": [{"batch_id": batch, "qty": "0.001"}]})
        f.write(f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\n'
                'wrk.headers["Content-Type"] = "application/json"\n')
    return keeper, cookie, post


def wrk(url, seconds, connections, headers=(), script=None):
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for h in headers:
        args += ["-H", h]
    if script:
        args += ["-s", script]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--short", action="store_true")
    p.add_argument("--bin", default="target/release/standby")
    p.add_argument("--bare", default="target/release/bare")
    p.add_argument("--database-url")
    p.add_argument("--instances", type=int, default=1)
    a = p.parse_args()
    seconds = 3 if a.short else a.seconds
    if not shutil.which("wrk"):
        cmd = ["apt-get", "install", "-y", "-qq", "wrk"]
        subprocess.run(cmd if os.geteuid() == 0 else ["sudo"] + cmd, check=True, stdout=subprocess.DEVNULL)

    work = tempfile.mkdtemp(prefix="bench-")
    port, bare_port = free_port(), free_port()
    if a.database_url:
        reset_postgres(a.database_url)
    env = dict(os.environ, STANDBY_DATA_DIR=f"{work}/data",
               STANDBY_DATABASE_URL=a.database_url or f"sqlite://{work}/standby.db",
               STANDBY_ADMIN_PASSWORD=PASSWORD, STANDBY_BIND=f"127.0.0.1:{port}", STANDBY_LOG="warn",
               STANDBY_BASE_URL=f"http://127.0.0.1:{port}",
               STANDBY_JOB_SCAN="off", STANDBY_JOB_DELIVER="off", STANDBY_JOB_DIGEST="off")
    subprocess.run([a.bin, "demo"], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs = [subprocess.Popen([a.bin, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
             subprocess.Popen([a.bare, f"127.0.0.1:{bare_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        wait_for(port)
        wait_for(bare_port)
        keeper, cookie, post = prepare(port, work)
        auth = f"Authorization: Bearer {keeper}"
        failed = []
        print(f"{'endpoint':38} {'standby/s':>10} {'bare/s':>10} {'share':>7} {'p99 ms':>8}")
        for name, what, bare_path, floor in PAIRS:
            method, path = what.split(" ", 1)
            headers = [f"Cookie: {cookie}"] if path == "/reserves" else [auth]
            script = post if method == "POST" else None
            rps, p99, errors = wrk(f"http://127.0.0.1:{port}{path}", seconds, a.connections, headers, script)
            base, _, _ = wrk(f"http://127.0.0.1:{bare_port}{bare_path}", seconds, a.connections, [], script)
            share = rps / base
            flag = "" if errors == 0 else f"  ({errors} unexpected statuses)"
            print(f"{name:38} {rps:10.0f} {base:10.0f} {share:7.1%} {p99:8.2f}{flag}")
            if errors or (a.short and share < floor):
                failed.append(f"{name}: {share:.1%} of the bare handler (floor {floor:.0%}), {errors} errors")
        if a.instances > 1:
            ports = [port] + [free_port() for _ in range(a.instances - 1)]
            for extra in ports[1:]:
                procs.append(subprocess.Popen([a.bin, "serve"], env=dict(env, STANDBY_BIND=f"127.0.0.1:{extra}"),
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                wait_for(extra)
            runs = [subprocess.Popen(["wrk", "-t1", f"-c{a.connections}", f"-d{seconds}s", "--latency", "-s", post,
                                      "-H", auth, f"http://127.0.0.1:{p}/api/v1/movements"],
                                     stdout=subprocess.PIPE, text=True) for p in ports]
            total = sum(float(re.search(r"Requests/sec:\s+([\d.]+)", r.communicate()[0]).group(1)) for r in runs)
            print(f"emergency issue through {a.instances} instances at once: {total:.0f}/s in all")
        if failed:
            print("bench: below the floor:\n  " + "\n  ".join(failed), file=sys.stderr)
            sys.exit(1)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
