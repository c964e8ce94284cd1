#!/usr/bin/env python3
"""Checks duty and drills calendar feeds with an independent parser: Python's icalendar (from PyPI, pinned, in a virtual
environment under target/; the script re-runs itself there).

Usage: scripts/ical-check.py [--bin target/release/standby] [FILE_OR_URL ...]
Given files or URLs, checks each. Given --bin, starts that build on a fresh SQLite demo district, makes a feed
of every roster and of every person eligible on one (through the API, as the administrator) and drills feeds
(the administrator's and the demo drill coordinator hanx's), fetches each
with no credential and checks it; twice: in the office's zone (Asia/Shanghai) and, for a zone that changes its
clocks, in Europe/Berlin. A feed passes when icalendar reads it without complaint and: it is served
as text/calendar; its lines end in CRLF and hold at most 75 octets of UTF-8; the calendar has VERSION 2.0,
PRODID, CALSCALE GREGORIAN and X-WR-TIMEZONE; every event has UID, DTSTAMP, SUMMARY and DTSTART before DTEND;
no UID repeats; every TZID has its VTIMEZONE, and what that VTIMEZONE makes of each time agrees with the tz
database. Used by .ci/run (a few seconds); runs on its own too. Exits non-zero on any failure.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

VERSION = "7.3.0"
VENV = Path(__file__).resolve().parent.parent / "target" / "ical-check-venv"
PASSWORD = "ical-check-password-1"
# The demo's accounts other than the administrator.
DEMO_PASSWORD = "standby-demo"
# The office's zone, and one that changes its clocks.
ZONES = ["Asia/Shanghai", "Europe/Berlin"]


def in_venv():
    """Runs this script with icalendar VERSION, installing it into VENV first when needed."""
    try:
        import icalendar

        if icalendar.__version__ == VERSION:
            return
    except ImportError:
        pass
    py = VENV / "bin" / "python"
    if Path(sys.executable) == py:
        raise SystemExit(f"ical-check: icalendar {VERSION} is not in {VENV}")
    if not py.exists():
        if subprocess.run([sys.executable, "-m", "venv", str(VENV)]).returncode != 0:
            print("installing python3-venv")
            root = [] if os.geteuid() == 0 else ["sudo"]
            subprocess.run([*root, "apt-get", "install", "-y", "-qq", "python3-venv"], check=True)
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, f"icalendar=={VERSION}"], check=True)
    os.execv(py, [str(py), __file__, *sys.argv[1:]])


def read(source):
    """The bytes of a file or URL, and the content type a URL was served with."""
    if "://" not in source:
        return Path(source).read_bytes(), "text/calendar"
    with urllib.request.urlopen(source, timeout=10) as r:
        return r.read(), r.headers.get("content-type", "")


def check(data, content_type):
    """What is wrong with a feed (nothing: an empty list), and how many events it holds."""
    import zoneinfo

    import icalendar

    wrong = []
    if not content_type.startswith("text/calendar"):
        wrong.append(f"served as {content_type!r}")
    physical = data.split(b"\r\n")
    if physical[-1] != b"":
        wrong.append("the last line does not end in CRLF")
    for n, line in enumerate(physical[:-1], 1):
        if b"\n" in line or b"\r" in line:
            wrong.append(f"line {n}: a bare line break")
        if len(line) > 75:
            wrong.append(f"line {n}: {len(line)} octets")
    try:
        cal = icalendar.Calendar.from_ical(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        return wrong + [f"unreadable: {e}"], 0
    for c in cal.walk():
        wrong += [f"{c.name}: {e}" for e in c.errors]
    for prop, value in [("VERSION", "2.0"), ("CALSCALE", "GREGORIAN")]:
        if str(cal.get(prop)) != value:
            wrong.append(f"{prop} is {cal.get(prop)!r}")
    for prop in ["PRODID", "X-WR-TIMEZONE"]:
        if not cal.get(prop):
            wrong.append(f"no {prop}")
    zones = {str(z["TZID"]): z.to_tz(lookup_tzid=False) for z in cal.walk("VTIMEZONE")}
    uids = []
    events = cal.walk("VEVENT")
    for ev in events:
        uid = str(ev.get("UID"))
        for prop in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"]:
            if prop not in ev:
                wrong.append(f"{uid}: no {prop}")
        if "DTSTART" not in ev or "DTEND" not in ev:
            continue
        if not ev.decoded("DTSTART") < ev.decoded("DTEND"):
            wrong.append(f"{uid}: DTSTART is not before DTEND")
        for prop in ["DTSTART", "DTEND"]:
            tzid = ev[prop].params.get("TZID")
            if tzid is None:
                continue
            if tzid not in zones:
                wrong.append(f"{uid}: {prop} names {tzid}, which has no VTIMEZONE")
                continue
            local = ev[prop].dt.replace(tzinfo=None)
            ours = local.replace(tzinfo=zones[tzid]).utcoffset()
            theirs = local.replace(tzinfo=zoneinfo.ZoneInfo(tzid)).utcoffset()
            if ours != theirs:
                wrong.append(f"{uid}: {prop} {local} is {ours} by the VTIMEZONE, {theirs} by the tz database")
        uids.append(uid)
    repeated = sorted({u for u in uids if uids.count(u) > 1})
    if repeated:
        wrong.append(f"UIDs repeated: {repeated[:5]}")
    return wrong, len(events)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def call(base, method, path, token=None, body=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data, headers, method=method)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def demo_feeds(binary, work, zone):
    """Starts `binary` on a demo district in `zone`; returns the server and the addresses of its feeds."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, STANDBY_DATA_DIR=f"{work}/data", STANDBY_DATABASE_URL=f"sqlite://{work}/standby.db",
               STANDBY_ADMIN_PASSWORD=PASSWORD, STANDBY_BIND=f"127.0.0.1:{port}", STANDBY_BASE_URL=base,
               STANDBY_TIMEZONE=zone, STANDBY_LOG="warn", STANDBY_JOB_SCAN="off", STANDBY_JOB_DELIVER="off", STANDBY_JOB_DIGEST="off")
    demo = subprocess.run([binary, "demo"], env=env, capture_output=True, text=True)
    if demo.returncode != 0:
        raise SystemExit(f"ical-check: the demo did not load:\n{demo.stderr}")
    server = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/readyz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    token = call(base, "POST", "/api/v1/auth/tokens", body={"username": "admin", "password": PASSWORD,
                                                              "name": "ical-check"})["token"]
    urls, people = [], set()
    for roster in call(base, "GET", "/api/v1/duty/rosters", token):
        urls.append(call(base, "POST", "/api/v1/duty/feeds", token, {"roster_id": roster["id"]})["url"])
        view = call(base, "GET", f"/api/v1/duty/rosters/{roster['id']}", token)
        people |= {e["person_id"] for e in view["eligible"]}
    for person in sorted(people):
        urls.append(call(base, "POST", "/api/v1/duty/feeds", token, {"person_id": person})["url"])
    # The district's drills as the administrator sees them, and as the hotel's drill coordinator does.
    urls.append(call(base, "POST", "/api/v1/drills/feeds", token, {})["url"])
    hanx = call(base, "POST", "/api/v1/auth/tokens", body={"username": "hanx", "password": DEMO_PASSWORD,
                                                             "name": "ical-check"})["token"]
    urls.append(call(base, "POST", "/api/v1/drills/feeds", hanx, {})["url"])
    return server, urls


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", help="a build of standby to check on a demo district")
    parser.add_argument("sources", nargs="*", help=".ics files or URLs")
    args = parser.parse_args()
    in_venv()
    runs = [(None, args.sources)] + [(z, None) for z in (ZONES if args.bin else [])]
    feeds, failed, events = 0, 0, 0
    for zone, sources in runs:
        with tempfile.TemporaryDirectory() as work:
            server = None
            try:
                if zone:
                    server, sources = demo_feeds(args.bin, work, zone)
                for source in sources:
                    wrong, n = check(*read(source))
                    feeds, events = feeds + 1, events + n
                    if wrong:
                        failed += 1
                        print(f"ical-check: {source} ({zone or 'given'}):\n  " + "\n  ".join(wrong[:20]))
            finally:
                if server:
                    server.terminate()
                    server.wait()
    if not feeds:
        raise SystemExit("ical-check: no feed to check")
    print(f"ical-check: {feeds} feed(s), {events} event(s): {feeds - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
