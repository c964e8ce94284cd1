-- The notification outbox, its recipients, each unit's choices, digest opt-outs and the job slot guard.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    unit_id BIGINT REFERENCES units (id),
    language TEXT NOT NULL CHECK (language IN ('zh', 'en')),
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    link TEXT NOT NULL,
    message_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    due_at TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    claimed_by TEXT,
    lease_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX notices_due ON notices (state, next_attempt_at);
CREATE INDEX notices_unit ON notices (unit_id, created_at);

CREATE TABLE notice_recipients (
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    address TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    person_id BIGINT REFERENCES people (id),
    reason TEXT NOT NULL CHECK (reason IN ('custodian', 'countersigner', 'contact', 'administrator', 'digest', 'requested')),
    PRIMARY KEY (notice_id, address)
);
CREATE INDEX notice_recipients_person ON notice_recipients (person_id);

CREATE TABLE unit_notice_settings (
    unit_id BIGINT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('immediate', 'digest')),
    PRIMARY KEY (unit_id, kind)
);

ALTER TABLE people ADD COLUMN digest_opt_out BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE job_runs (
    job TEXT NOT NULL,
    slot TIMESTAMP NOT NULL,
    owner TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    PRIMARY KEY (job, slot)
);
