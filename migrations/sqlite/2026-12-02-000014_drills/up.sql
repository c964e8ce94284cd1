-- Drills (应急预案与演练): what each unit is (its sector and supervising department), the office's table of
-- minimum drill frequencies, the plans units hold, their annual drill plans, the drills themselves (scheme,
-- people, timeline, materials, evaluation) and the corrective actions (整改) that close the loop.

-- A unit's sector (行业类别) and supervising department (行业主管部门): the frequencies and the duty to report a
-- drill depend on them. Kept by the drills area beside the unit, one row per unit that has been classified.
CREATE TABLE drill_profiles (
    unit_id BIGINT PRIMARY KEY REFERENCES units (id),
    sector TEXT NOT NULL CHECK (sector IN ('government', 'hotel', 'tourist_site', 'crowded_place', 'hazardous_goods', 'mining', 'metallurgy', 'urban_rail', 'construction', 'production', 'other')),
    supervisor_unit_id BIGINT REFERENCES units (id),
    updated_by BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (supervisor_unit_id IS NULL OR supervisor_unit_id <> unit_id)
);

-- The office's changes to the minimum frequency (months between drills) of a sector and plan level; where
-- there is no row the regulations' default applies.
CREATE TABLE drill_rules (
    sector TEXT NOT NULL,
    level TEXT NOT NULL,
    months INTEGER NOT NULL CHECK (months IN (6, 12, 24, 36)),
    updated_by BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (sector, level)
);

-- An emergency plan (应急预案) a unit holds.
CREATE TABLE drill_plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    level TEXT NOT NULL CHECK (level IN ('general', 'special', 'departmental', 'enterprise_comprehensive', 'enterprise_special', 'onsite')),
    title TEXT NOT NULL,
    version TEXT NOT NULL DEFAULT '',
    approved_on DATE NOT NULL,
    filed BOOLEAN NOT NULL DEFAULT FALSE,
    filing_no TEXT NOT NULL DEFAULT '',
    revision_months INTEGER NOT NULL CHECK (revision_months BETWEEN 1 AND 120),
    next_revision_on DATE NOT NULL,
    freq_months INTEGER NOT NULL CHECK (freq_months IN (6, 12, 24, 36)),
    attachment_id BIGINT REFERENCES attachments (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX drill_plans_unit ON drill_plans (unit_id, active);

-- A unit's annual drill plan (年度演练计划): drafted, submitted, approved by office staff, published.
CREATE TABLE drill_annuals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'published')),
    decision_note TEXT NOT NULL DEFAULT '',
    decided_by BIGINT,
    decided_at TIMESTAMP,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (unit_id, year)
);

-- A drill a unit intends in the year.
CREATE TABLE drill_annual_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    annual_id BIGINT NOT NULL REFERENCES drill_annuals (id),
    plan_id BIGINT NOT NULL REFERENCES drill_plans (id),
    content TEXT NOT NULL CHECK (content IN ('comprehensive', 'single')),
    form TEXT NOT NULL CHECK (form IN ('live', 'tabletop')),
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    organiser TEXT NOT NULL,
    participants TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX drill_annual_items_annual ON drill_annual_items (annual_id);

-- Changes to an annual plan after its approval, in words.
CREATE TABLE drill_annual_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    annual_id BIGINT NOT NULL REFERENCES drill_annuals (id),
    what TEXT NOT NULL,
    changed_by BIGINT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);

-- A drill (演练): its scheme (方案), approval, the day, the evaluation (评估).
CREATE TABLE drills (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    plan_id BIGINT NOT NULL REFERENCES drill_plans (id),
    annual_item_id BIGINT REFERENCES drill_annual_items (id),
    title TEXT NOT NULL,
    content TEXT NOT NULL CHECK (content IN ('comprehensive', 'single')),
    form TEXT NOT NULL CHECK (form IN ('live', 'tabletop')),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    scenario TEXT NOT NULL,
    timeline TEXT NOT NULL DEFAULT '',
    roles TEXT NOT NULL DEFAULT '',
    participants TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'held', 'evaluated', 'cancelled')),
    decided_by BIGINT,
    decided_at TIMESTAMP,
    decision_note TEXT NOT NULL DEFAULT '',
    grade TEXT CHECK (grade IN ('excellent', 'good', 'fair', 'poor')),
    went_well TEXT NOT NULL DEFAULT '',
    problems TEXT NOT NULL DEFAULT '',
    evaluated_by BIGINT,
    evaluated_at TIMESTAMP,
    reported_at TIMESTAMP,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK ((state = 'evaluated') = (grade IS NOT NULL))
);
CREATE INDEX drills_plan ON drills (plan_id, state, starts_at);
CREATE INDEX drills_when ON drills (starts_at);

-- What a drill sets out to test, and how it went.
CREATE TABLE drill_objectives (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    drill_id BIGINT NOT NULL REFERENCES drills (id),
    text TEXT NOT NULL,
    result TEXT CHECK (result IN ('met', 'partly', 'not_met')),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX drill_objectives_drill ON drill_objectives (drill_id);

-- The people taking part, and who came (taken on the day).
CREATE TABLE drill_people (
    drill_id BIGINT NOT NULL REFERENCES drills (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    present BOOLEAN,
    marked_at TIMESTAMP,
    PRIMARY KEY (drill_id, person_id)
);

-- The day's timeline, as it happened.
CREATE TABLE drill_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    drill_id BIGINT NOT NULL REFERENCES drills (id),
    at TIMESTAMP NOT NULL,
    text TEXT NOT NULL,
    logged_by BIGINT NOT NULL
);
CREATE INDEX drill_log_drill ON drill_log (drill_id, at);

-- Materials a drill uses: held in the reserves area (`drill:{id}`), issued on a loan voucher, returned on a
-- return voucher; quantities in thousandths.
CREATE TABLE drill_materials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    drill_id BIGINT NOT NULL REFERENCES drills (id),
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    item_id BIGINT NOT NULL REFERENCES items (id),
    qty BIGINT NOT NULL CHECK (qty > 0),
    issued BIGINT NOT NULL DEFAULT 0 CHECK (issued >= 0 AND issued <= qty),
    returned BIGINT NOT NULL DEFAULT 0 CHECK (returned >= 0 AND returned <= issued),
    issue_movement_id BIGINT REFERENCES movements (id),
    return_movement_id BIGINT REFERENCES movements (id),
    UNIQUE (drill_id, warehouse_id, item_id)
);

-- A corrective action (整改): a problem found, its owner and deadline, evidence, verified closure.
CREATE TABLE drill_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    drill_id BIGINT NOT NULL REFERENCES drills (id),
    problem TEXT NOT NULL,
    owner_person_id BIGINT NOT NULL REFERENCES people (id),
    owner_unit_id BIGINT NOT NULL REFERENCES units (id),
    due_on DATE NOT NULL,
    revise_plan BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL CHECK (state IN ('open', 'submitted', 'closed')),
    evidence TEXT NOT NULL DEFAULT '',
    attachment_id BIGINT REFERENCES attachments (id),
    submitted_by BIGINT,
    submitted_at TIMESTAMP,
    rejections INTEGER NOT NULL DEFAULT 0,
    reject_note TEXT NOT NULL DEFAULT '',
    verified_by BIGINT,
    closed_at TIMESTAMP,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX drill_actions_drill ON drill_actions (drill_id);
CREATE INDEX drill_actions_open ON drill_actions (state, due_on);
