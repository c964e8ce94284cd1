#!/usr/bin/env bash
# Makes sure what the test suites need is present: libpq headers for `--features postgres`, a running
# PostgreSQL on 127.0.0.1:5432 (trust auth, database `postgres`), and headless Chromium with its WebDriver and
# a Chinese font for the browser test. Safe to run repeatedly.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! pkg-config --exists libpq 2>/dev/null; then
    echo "installing libpq-dev (PostgreSQL client library headers)"
    as_root apt-get update -qq
    as_root apt-get install -y -qq libpq-dev
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
        echo "installing PostgreSQL"
        as_root apt-get update -qq
        as_root apt-get install -y -qq postgresql
    fi
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432

# The tests connect as `postgres` over TCP without a password; a stock install asks for one.
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    echo "allowing local trust authentication for the tests in $hba"
    as_root sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
fi

# The browser test drives Chromium over WebDriver; screenshots need a font with Chinese glyphs.
if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1 \
    || ! fc-list 2>/dev/null | grep -qi -e wqy -e "noto sans cjk"; then
    echo "installing chromium, chromium-driver and a Chinese font for the browser test"
    as_root apt-get update -qq
    as_root apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null
fi

