-- Circulars (通知): a notice from the office (or a unit to its sub-units) that each addressed unit acknowledges
-- (签收) by a deadline and, when asked, answers (回执); escalated to the unit's head when it does not.

CREATE TABLE circulars (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    urgency TEXT NOT NULL CHECK (urgency IN ('routine', 'urgent', 'immediate')),
    from_unit_id BIGINT NOT NULL REFERENCES units (id),
    state TEXT NOT NULL CHECK (state IN ('draft', 'issued', 'withdrawn')),
    ack_due TIMESTAMP NOT NULL,
    -- The people with this role in each addressed unit hear it besides the unit's contact addresses.
    notify_role TEXT NOT NULL DEFAULT 'unit_head',
    reply_mode TEXT NOT NULL CHECK (reply_mode IN ('none', 'text', 'fields')),
    reply_file BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    issued_by BIGINT REFERENCES accounts (id),
    issued_at TIMESTAMP,
    withdrawn_by BIGINT REFERENCES accounts (id),
    withdrawn_at TIMESTAMP,
    withdraw_reason TEXT NOT NULL DEFAULT '',
    CHECK ((state = 'draft') = (issued_at IS NULL)),
    CHECK ((state = 'withdrawn') = (withdrawn_at IS NOT NULL))
);
CREATE INDEX circulars_from ON circulars (from_unit_id, state);

-- The fields of a reply form the sender defines (值班人员、联系电话).
CREATE TABLE circular_fields (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    circular_id BIGINT NOT NULL REFERENCES circulars (id),
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    UNIQUE (circular_id, position)
);

-- The circular's attachments (kept in the shared attachments table).
CREATE TABLE circular_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    circular_id BIGINT NOT NULL REFERENCES circulars (id),
    attachment_id BIGINT NOT NULL UNIQUE REFERENCES attachments (id)
);
CREATE INDEX circular_files_of ON circular_files (circular_id);

-- One row per addressed unit: its acknowledgement (who, when, how, from which address), its reply, the
-- reminders and the escalation to its head.
CREATE TABLE circular_units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    circular_id BIGINT NOT NULL REFERENCES circulars (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    acked_at TIMESTAMP,
    acked_by BIGINT REFERENCES accounts (id),
    acked_name TEXT NOT NULL DEFAULT '',
    acked_via TEXT NOT NULL DEFAULT '' CHECK (acked_via IN ('', 'link', 'signed_in', 'reply')),
    acked_address TEXT NOT NULL DEFAULT '',
    replied_at TIMESTAMP,
    replied_by BIGINT REFERENCES accounts (id),
    reply_text TEXT NOT NULL DEFAULT '',
    reply_values TEXT NOT NULL DEFAULT '[]',
    reply_attachment_id BIGINT REFERENCES attachments (id),
    reminders INTEGER NOT NULL DEFAULT 0,
    reminded_at TIMESTAMP,
    escalated_at TIMESTAMP,
    UNIQUE (circular_id, unit_id),
    CHECK ((acked_at IS NULL) = (acked_via = ''))
);
CREATE INDEX circular_units_unit ON circular_units (unit_id);
