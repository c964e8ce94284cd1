#!/usr/bin/env python3
"""Resident memory of a serving standby: idle, then under rounds of mixed load for a number of minutes.

Usage: scripts/soak.py [--minutes 20] [--bin target/release/standby]      (--minutes 0: idle only)
Builds nothing: run `cargo build --release --bin standby` first. Loads the demo district into a
fresh SQLite database (the main warehouse filled to 50 rows of stock, as scripts/bench.py does), reads the
process's resident memory 8 s after start, then repeats rounds of `wrk` (installed from Debian's packages when
missing) until the time is up: a unit by id and a warehouse's stock at 64 connections, the keeper's dashboard,
emergency issues, the ledger downloaded as CSV and as XLSX and the district's drill compliance report at 4
connections, 5 s each. After every round it prints the resident memory (VmRSS), its anonymous and file-backed
parts and the peak (VmHWM), and at the end the figures BENCHMARKS.md reports.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import PASSWORD, free_port, prepare, wait_for, wrk  # noqa: E402


def memory(pid):
    """VmRSS, RssAnon, RssFile and VmHWM of `pid` in MB."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields


def show(label, m):
    print(f"{label:>14}  rss {m['VmRSS']:6.1f} MB  (anonymous {m['RssAnon']:5.1f}, file {m['RssFile']:5.1f})"
          f"  peak {m['VmHWM']:6.1f} MB", flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--minutes", type=float, default=20)
    p.add_argument("--bin", default="target/release/standby")
    a = p.parse_args()
    if not shutil.which("wrk"):
        cmd = ["apt-get", "install", "-y", "-qq", "wrk"]
        subprocess.run(cmd if os.geteuid() == 0 else ["sudo"] + cmd, check=True, stdout=subprocess.DEVNULL)
    work = tempfile.mkdtemp(prefix="soak-")
    port = free_port()
    env = dict(os.environ, STANDBY_DATA_DIR=f"{work}/data", STANDBY_DATABASE_URL=f"sqlite://{work}/standby.db",
               STANDBY_ADMIN_PASSWORD=PASSWORD, STANDBY_BIND=f"127.0.0.1:{port}", STANDBY_LOG="warn",
               STANDBY_BASE_URL=f"http://127.0.0.1:{port}",
               STANDBY_JOB_SCAN="off", STANDBY_JOB_DELIVER="off", STANDBY_JOB_DIGEST="off")
    subprocess.run([a.bin, "demo"], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen([a.bin, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        time.sleep(8)
        idle = memory(server.pid)
        show("idle", idle)
        keeper, cookie, post = prepare(port, work)
        base = f"http://127.0.0.1:{port}"
        auth = [f"Authorization: Bearer {keeper}"]
        rounds = [
            ("/api/v1/units/3", 64, auth, None),
            ("/api/v1/warehouses/1/stock", 64, auth, None),
            ("/reserves", 8, [f"Cookie: {cookie}"], None),
            ("/api/v1/movements", 8, auth, post),
            ("/reserves/warehouses/1/ledger.csv", 4, [f"Cookie: {cookie}"], None),
            ("/reserves/warehouses/1/ledger.xlsx", 4, [f"Cookie: {cookie}"], None),
            ("/api/v1/drills/compliance", 4, auth, None),
        ]
        show("data loaded", memory(server.pid))
        started = time.monotonic()
        n = 0
        samples = []
        while time.monotonic() - started < a.minutes * 60:
            n += 1
            for path, connections, headers, script in rounds:
                _, _, errors = wrk(base + path, 5, connections, headers, script)
                if errors:
                    raise SystemExit(f"soak: {errors} unexpected statuses from {path}")
            m = memory(server.pid)
            samples.append(m)
            show(f"round {n} {int((time.monotonic() - started) / 60):>2}m", m)
        if not samples:
            return
        size = os.path.getsize(f"{work}/standby.db") / 1e6
        print(f"idle {idle['VmRSS']:.1f} MB; after {a.minutes:g} minutes ({n} rounds, database {size:.0f} MB): "
              f"{samples[-1]['VmRSS']:.1f} MB, peak {max(s['VmHWM'] for s in samples):.1f} MB")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
