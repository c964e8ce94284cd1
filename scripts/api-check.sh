#!/usr/bin/env bash
# Checks that the API does what its OpenAPI document says, with Schemathesis (from PyPI, pinned, in a
# virtual environment under target/) against the release binary serving a fresh demo district:
#   1. every operation but token revocation, with every check (no 5xx, responses and status codes as
#      documented, invalid data refused, valid data not refused as malformed, auth enforced);
#   2. the token operations on their own, which may revoke the very token the pass signs in with.
# Bounded: examples per operation and seconds per pass (API_CHECK_EXAMPLES, API_CHECK_SECONDS); a fixed
# seed (API_CHECK_SEED) makes a failure reproducible. Exits non-zero on any failure.
# Usage: scripts/api-check.sh [path to a release build of standby]. Used by .ci/run; runs on its own too.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-target/release/standby}
examples=${API_CHECK_EXAMPLES:-25}
seconds=${API_CHECK_SECONDS:-240}
seed=${API_CHECK_SEED:-1}
version=4.32.5

venv=target/api-check-venv
if ! "$venv/bin/st" --version 2>/dev/null | grep -q "$version"; then
    if ! python3 -m venv "$venv" 2>/dev/null; then
        echo "installing python3-venv"
        as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
        as_root apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi
[ -x "$bin" ] || cargo build --release --quiet --bin standby

work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export STANDBY_DATA_DIR="$work/data" STANDBY_DATABASE_URL="sqlite://$work/standby.db"
export STANDBY_ADMIN_PASSWORD="api-check-password-1" STANDBY_BIND="127.0.0.1:$port" STANDBY_LOG=warn
export STANDBY_BASE_URL="$base" STANDBY_JOB_SCAN=off STANDBY_JOB_DELIVER=off STANDBY_JOB_DIGEST=off
"$bin" demo >/dev/null
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
    python3 -c "import urllib.request as u; u.urlopen('$base/readyz', timeout=1)" 2>/dev/null && break
    sleep 0.1
done

token() {
    python3 - "$base" "$STANDBY_ADMIN_PASSWORD" "$1" <<'PY'
import json, sys, urllib.request
base, password, name = sys.argv[1:]
body = json.dumps({"username": "admin", "password": password, "name": f"api-check {name}"}).encode()
req = urllib.request.Request(f"{base}/api/v1/auth/tokens", body, {"content-type": "application/json"})
print(json.load(urllib.request.urlopen(req))["token"])
PY
}

st() {
    "$venv/bin/st" --config-file scripts/schemathesis.toml run "$base/api/v1/openapi.json" \
        --checks all --max-examples "$examples" --seed "$seed" --no-shrink --request-timeout 10 \
        --warnings off "$@"
}

# Both tokens before the first pass: its wrong passwords may rate-limit sign-in for a while.
ordinary=$(token ordinary)
revocable=$(token revocable)
status=0
echo "api-check 1/2: every operation but token revocation (${seconds}s, $examples examples each, seed $seed)"
st -H "Authorization: Bearer $ordinary" --max-time "$seconds" \
    --exclude-operation-id auth_revoke >"$work/ordinary.log" 2>&1 ||
    status=$?
tail -n 25 "$work/ordinary.log"
if [ "$status" -ne 0 ]; then
    sed -n '/FAILURES/,/SUMMARY/p' "$work/ordinary.log" | head -n 300
fi

echo "api-check 2/2: the token operations, which may revoke their own token"
status2=0
st -H "Authorization: Bearer $revocable" --max-time $((seconds / 4)) \
    --include-path-regex '^/api/v1/auth/tokens' >"$work/tokens.log" 2>&1 || status2=$?
tail -n 15 "$work/tokens.log"
if [ "$status2" -ne 0 ]; then
    sed -n '/FAILURES/,/SUMMARY/p' "$work/tokens.log" | head -n 200
fi

if grep -q "panicked" "$work/server.log"; then
    echo "api-check: the server panicked:"
    grep -m 5 -A 3 "panicked" "$work/server.log"
    status=1
fi
kill -0 "$server" 2>/dev/null || { echo "api-check: the server is gone"; status=1; }
[ "$status" -eq 0 ] && [ "$status2" -eq 0 ] && echo "api-check: the API does what its document says"
exit $((status | status2))
