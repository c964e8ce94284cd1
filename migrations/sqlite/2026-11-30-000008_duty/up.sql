-- Emergency duty: rosters (pattern, composition by kind of day, periods, eligible people), plans (a generated
-- range: draft → submitted → approved → published), shifts and who holds them, changes (swaps and
-- substitutions), unavailability, the duty log, handovers, presence checks and calendar feeds.
CREATE TABLE duty_rosters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL UNIQUE,
    shift_starts TEXT NOT NULL,
    workday_leaders INTEGER NOT NULL,
    workday_officers INTEGER NOT NULL,
    weekend_leaders INTEGER NOT NULL,
    weekend_officers INTEGER NOT NULL,
    holiday_leaders INTEGER NOT NULL,
    holiday_officers INTEGER NOT NULL,
    duty_phone TEXT NOT NULL DEFAULT '',
    handover_minutes INTEGER NOT NULL,
    checklist TEXT NOT NULL DEFAULT '',
    remind_hours INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX duty_rosters_unit ON duty_rosters (unit_id);

CREATE TABLE duty_periods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    roster_id BIGINT NOT NULL REFERENCES duty_rosters (id),
    kind TEXT NOT NULL CHECK (kind IN ('flood', 'holiday', 'important')),
    name TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    leaders INTEGER NOT NULL,
    officers INTEGER NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX duty_periods_roster ON duty_periods (roster_id, starts_on);

CREATE TABLE duty_eligible (
    roster_id BIGINT NOT NULL REFERENCES duty_rosters (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    role TEXT NOT NULL CHECK (role IN ('leader', 'officer')),
    PRIMARY KEY (roster_id, person_id, role)
);

CREATE TABLE duty_unavailable (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id BIGINT NOT NULL REFERENCES people (id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX duty_unavailable_person ON duty_unavailable (person_id, ends_on);

CREATE TABLE duty_plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    roster_id BIGINT NOT NULL REFERENCES duty_rosters (id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'published', 'discarded')),
    holiday BOOLEAN NOT NULL,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    decided_by BIGINT,
    decided_at TIMESTAMP,
    decision_note TEXT NOT NULL DEFAULT '',
    published_by BIGINT,
    published_at TIMESTAMP,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX duty_plans_roster ON duty_plans (roster_id, starts_on);

CREATE TABLE duty_shifts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    roster_id BIGINT NOT NULL REFERENCES duty_rosters (id),
    plan_id BIGINT NOT NULL REFERENCES duty_plans (id),
    day DATE NOT NULL,
    shift_no INTEGER NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    day_class TEXT NOT NULL CHECK (day_class IN ('workday', 'weekend', 'holiday')),
    leaders INTEGER NOT NULL,
    officers INTEGER NOT NULL,
    live BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (plan_id, day, shift_no)
);
CREATE INDEX duty_shifts_live ON duty_shifts (live, ends_at, starts_at);
CREATE INDEX duty_shifts_roster ON duty_shifts (roster_id, day);

CREATE TABLE duty_assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    shift_id BIGINT NOT NULL REFERENCES duty_shifts (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    role TEXT NOT NULL CHECK (role IN ('leader', 'officer')),
    UNIQUE (shift_id, person_id)
);
CREATE INDEX duty_assignments_person ON duty_assignments (person_id);

CREATE TABLE duty_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    roster_id BIGINT NOT NULL REFERENCES duty_rosters (id),
    kind TEXT NOT NULL CHECK (kind IN ('substitution', 'swap')),
    state TEXT NOT NULL CHECK (state IN ('asked', 'agreed', 'applied', 'declined', 'refused', 'withdrawn')),
    shift_id BIGINT NOT NULL REFERENCES duty_shifts (id),
    giver_id BIGINT NOT NULL REFERENCES people (id),
    taker_id BIGINT NOT NULL REFERENCES people (id),
    taker_shift_id BIGINT REFERENCES duty_shifts (id),
    reason TEXT NOT NULL DEFAULT '',
    asked_by BIGINT NOT NULL,
    asked_at TIMESTAMP NOT NULL,
    agreed_by BIGINT,
    agreed_at TIMESTAMP,
    decided_by BIGINT,
    decided_at TIMESTAMP,
    decision_note TEXT NOT NULL DEFAULT '',
    CHECK (giver_id <> taker_id)
);
CREATE INDEX duty_changes_roster ON duty_changes (roster_id, state);

CREATE TABLE duty_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    shift_id BIGINT NOT NULL REFERENCES duty_shifts (id),
    occurred_at TIMESTAMP NOT NULL,
    caller_unit TEXT NOT NULL DEFAULT '',
    caller_name TEXT NOT NULL DEFAULT '',
    caller_phone TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL,
    notified TEXT NOT NULL DEFAULT '',
    handling TEXT NOT NULL DEFAULT '',
    open BOOLEAN NOT NULL,
    recorded_by BIGINT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    closed_by BIGINT,
    closed_at TIMESTAMP
);
CREATE INDEX duty_log_shift ON duty_log (shift_id, occurred_at);

-- The handover at the end of a shift: the outgoing side signs with the open matters and the checklist,
-- the incoming side confirms.
CREATE TABLE duty_handovers (
    shift_id BIGINT PRIMARY KEY REFERENCES duty_shifts (id),
    open_matters TEXT NOT NULL DEFAULT '',
    checked TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    outgoing_by BIGINT NOT NULL,
    outgoing_at TIMESTAMP NOT NULL,
    incoming_by BIGINT,
    incoming_at TIMESTAMP,
    reminded_at TIMESTAMP
);

CREATE TABLE duty_presence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    shift_id BIGINT NOT NULL REFERENCES duty_shifts (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    asked_by BIGINT NOT NULL,
    asked_at TIMESTAMP NOT NULL,
    due_at TIMESTAMP NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    confirmed_at TIMESTAMP,
    confirmed_from TEXT NOT NULL DEFAULT ''
);
CREATE INDEX duty_presence_shift ON duty_presence (shift_id);

-- Secret calendar feeds: per person or per roster, revocable; only the token's hash is kept.
CREATE TABLE duty_feeds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    person_id BIGINT REFERENCES people (id),
    roster_id BIGINT REFERENCES duty_rosters (id),
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    CHECK ((person_id IS NULL) <> (roster_id IS NULL))
);
