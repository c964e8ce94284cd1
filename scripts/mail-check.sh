#!/usr/bin/env bash
# Sends real notices from the demo district through an independent SMTP server (Python's aiosmtpd, writing
# a Maildir) and checks what arrived: every sent notice arrived once, its Chinese subject decodes, and it
# carries both a plain-text and an HTML part. Used by .ci/run; runs on its own too.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
smtp_pid=""
cleanup() { [ -n "$smtp_pid" ] && kill "$smtp_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# aiosmtpd from PyPI, in a virtual environment under target/ (or the user's site-packages where venv is missing).
venv=target/mailcheck-venv
py="$venv/bin/python"
if ! "$py" -c 'import aiosmtpd' 2>/dev/null; then
    if python3 -m venv "$venv" 2>/dev/null; then
        "$venv/bin/pip" install --quiet --disable-pip-version-check aiosmtpd
    else
        py=python3
        "$py" -c 'import aiosmtpd' 2>/dev/null || "$py" -m pip install --quiet --user aiosmtpd
    fi
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"$py" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$work/maildir" &
smtp_pid=$!
for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
    sleep 0.1
done

cargo build --quiet --bin standby
export STANDBY_DATA_DIR="$work/data"
export STANDBY_DATABASE_URL="sqlite://$work/standby.db"
export STANDBY_ADMIN_PASSWORD="mail-check-password-1"
export STANDBY_SMTP_URL="smtp://127.0.0.1:$port"
export STANDBY_LOG=warn
bin=target/debug/standby
$bin demo >/dev/null 2>&1
$bin job scan
$bin job digest
$bin job deliver

"$py" - "$work/maildir" "$work/standby.db" <<'PY'
import mailbox, sqlite3, sys
from email import policy
from email.parser import BytesParser

maildir, db = sys.argv[1], sys.argv[2]
sent = {row[0]: row[1] for row in sqlite3.connect(db).execute(
    "SELECT message_id, subject FROM notices WHERE state = 'sent'")}
failed = sqlite3.connect(db).execute("SELECT count(*) FROM notices WHERE state != 'sent'").fetchone()[0]
box = mailbox.Maildir(maildir, factory=None, create=False)
seen = {}
for key in box.keys():
    msg = BytesParser(policy=policy.default).parsebytes(box.get_bytes(key))
    mid, subject = msg["Message-ID"], str(msg["Subject"])
    assert mid in sent, f"unexpected message {mid}"
    assert subject == sent[mid], f"subject {subject!r} != stored {sent[mid]!r}"
    assert any("\u4e00" <= c <= "\u9fff" for c in subject) or subject.startswith("["), subject
    assert msg.get_content_type() == "multipart/alternative", msg.get_content_type()
    kinds = sorted(p.get_content_type() for p in msg.iter_parts())
    assert kinds == ["text/html", "text/plain"], kinds
    assert msg.get_body(("plain",)).get_content().strip(), "empty plain part"
    seen[mid] = seen.get(mid, 0) + 1
assert sent, "no notice was sent"
assert failed == 0, f"{failed} notices were not sent"
assert set(seen) == set(sent), f"missing: {set(sent) - set(seen)}"
assert all(n == 1 for n in seen.values()), "a message arrived twice"
chinese = sum(1 for s in sent.values() if s.startswith("【"))
print(f"mail-check: {len(seen)} messages arrived once each via aiosmtpd ({chinese} with Chinese subjects); both parts present")
PY
