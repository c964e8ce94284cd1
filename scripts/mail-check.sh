#!/usr/bin/env bash
# Sends real notices from the demo district through an independent SMTP server (Python's aiosmtpd, writing a
# Maildir) three times: plain SMTP, STARTTLS (?tls=required) and implicit TLS (smtps://), the TLS servers using a
# certificate from a throw-away CA given to standby with STANDBY_SMTP_CA_FILE. Each time it checks what arrived:
# every sent notice once, its subject (Chinese) decoding to the stored one, a plain-text and an HTML part.
# Used by .ci/run; runs on its own too.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
# The servers are started inside `$(…)`, a subshell, so their process ids are kept in a file.
cleanup() {
    if [ -f "$work/pids" ]; then xargs kill 2>/dev/null <"$work/pids" || true; fi
    rm -rf "$work"
}
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
if ! command -v openssl >/dev/null; then
    apt-get install -y -qq openssl >/dev/null
fi

# A throw-away certificate authority and a server certificate for 127.0.0.1.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=standby mail-check CA" \
    -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$work/key.pem" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    >"$work/ext.cnf"
openssl x509 -req -days 2 -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
    -CAcreateserial -extfile "$work/ext.cnf" -out "$work/cert.pem" 2>/dev/null

# start_smtp NAME [aiosmtpd options…]: a server writing to $work/NAME; prints its port.
start_smtp() {
    local name=$1
    shift
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$py" -m aiosmtpd -n -l "127.0.0.1:$port" "$@" -c aiosmtpd.handlers.Mailbox "$work/$name" \
        >"$work/$name.log" 2>&1 &
    echo $! >>"$work/pids"
    for _ in $(seq 50); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
        sleep 0.1
    done
    echo "$port"
}

cat >"$work/check.py" <<'PY'
import mailbox, sqlite3, sys
from email import policy
from email.parser import BytesParser

label, maildir, db = sys.argv[1], sys.argv[2], sys.argv[3]
rows = sqlite3.connect(db).execute("SELECT message_id, subject, state FROM notices").fetchall()
sent = {mid: subject for mid, subject, state in rows if state == "sent"}
unsent = [mid for mid, _, state in rows if state != "sent"]
assert sent, f"{label}: no notice was sent"
assert not unsent, f"{label}: {len(unsent)} notices were not sent"
seen = {}
for key in mailbox.Maildir(maildir, factory=None, create=False).keys():
    raw = mailbox.Maildir(maildir, factory=None, create=False).get_bytes(key)
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    mid, subject = msg["Message-ID"], str(msg["Subject"])
    assert mid in sent, f"{label}: unexpected message {mid}"
    assert subject == sent[mid], f"{label}: subject {subject!r} != stored {sent[mid]!r}"
    assert b"Subject: =?utf-8?b?" in raw, f"{label}: the subject is not an encoded word"
    assert msg.get_content_type() == "multipart/alternative", msg.get_content_type()
    kinds = sorted(p.get_content_type() for p in msg.iter_parts())
    assert kinds == ["text/html", "text/plain"], kinds
    assert msg.get_body(("plain",)).get_content().strip(), "empty plain part"
    seen[mid] = seen.get(mid, 0) + 1
assert set(seen) == set(sent), f"{label}: missing {set(sent) - set(seen)}"
assert all(n == 1 for n in seen.values()), f"{label}: a message arrived twice"
chinese = sum(1 for s in sent.values() if any("\u4e00" <= c <= "\u9fff" for c in s))
print(f"mail-check {label}: {len(seen)} messages arrived once each ({chinese} with Chinese subjects), both parts present")
PY

cargo build --quiet --bin standby
bin=target/debug/standby
db="$work/standby.db"
export STANDBY_DATA_DIR="$work/data"
export STANDBY_DATABASE_URL="sqlite://$db"
export STANDBY_ADMIN_PASSWORD="mail-check-password-1"
export STANDBY_LOG=warn

# 1. Plain SMTP: the demo's reminders, digests and owed signatures.
port=$(start_smtp plain)
export STANDBY_SMTP_URL="smtp://127.0.0.1:$port"
$bin demo >/dev/null 2>&1
$bin job scan
$bin job digest
$bin job deliver
"$py" "$work/check.py" plain "$work/plain" "$db"

# The same notices again over TLS: put them back in the queue between the passes.
# Delivery is recorded per recipient, so each recipient goes back to waiting too.
requeue() {
    python3 - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE notices SET state = 'pending', attempts = 0, next_attempt_at = due_at")
c.execute("UPDATE notice_recipients SET state = 'pending', sent_at = NULL, error = NULL")
c.commit()
PY
}
export STANDBY_SMTP_CA_FILE="$work/ca.pem"

# 2. STARTTLS, required by the server before MAIL.
requeue
port=$(start_smtp starttls --tlscert "$work/cert.pem" --tlskey "$work/key.pem")
STANDBY_SMTP_URL="smtp://127.0.0.1:$port?tls=required" $bin job deliver
"$py" "$work/check.py" starttls "$work/starttls" "$db"

# 3. Implicit TLS.
requeue
port=$(start_smtp smtps --smtpscert "$work/cert.pem" --smtpskey "$work/key.pem")
STANDBY_SMTP_URL="smtps://127.0.0.1:$port" $bin job deliver
"$py" "$work/check.py" smtps "$work/smtps" "$db"
