-- Rescue teams: specialities and certificate types (maintained lists), teams, members, leave, certificates
-- with their scans (attachments), equipment linked to the reserves, training and attendance.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE certificate_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO certificate_types (code, name, name_en) VALUES
    ('special_operation', '特种作业操作证', 'Special operation permit'),
    ('water_rescue', '水域救援证', 'Water rescue'),
    ('first_aid', '急救员证', 'First aider'),
    ('diving', '潜水证', 'Diving'),
    ('driving', '驾驶证', 'Driving licence'),
    ('hazmat', '危化品处置证', 'Hazardous materials'),
    ('electrician', '电工证', 'Electrician');

CREATE TABLE specialities (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO specialities (code, name, name_en) VALUES
    ('flood', '防汛抢险', 'Flood fighting'),
    ('water_rescue', '水域救援', 'Water rescue'),
    ('fire', '消防', 'Firefighting'),
    ('hazmat', '危化品', 'Hazardous materials'),
    ('medical', '医疗救护', 'Medical aid'),
    ('power', '电力抢修', 'Power repair'),
    ('comms', '通信保障', 'Communications'),
    ('collapse', '建筑坍塌', 'Building collapse'),
    ('forest_fire', '森林防火', 'Forest fire');

-- The certificate types a speciality requires of the members who count for it.
CREATE TABLE speciality_certificates (
    speciality_code TEXT NOT NULL REFERENCES specialities (code),
    certificate_type TEXT NOT NULL REFERENCES certificate_types (code),
    PRIMARY KEY (speciality_code, certificate_type)
);
INSERT INTO speciality_certificates (speciality_code, certificate_type) VALUES
    ('water_rescue', 'water_rescue'),
    ('hazmat', 'hazmat'),
    ('medical', 'first_aid'),
    ('power', 'electrician');

CREATE TABLE teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('comprehensive', 'professional', 'enterprise', 'volunteer')),
    address TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    duty_phone TEXT NOT NULL DEFAULT '',
    min_ready INTEGER NOT NULL CHECK (min_ready BETWEEN 1 AND 10000),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX teams_unit ON teams (unit_id);

CREATE TABLE team_specialities (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    speciality_code TEXT NOT NULL REFERENCES specialities (code),
    PRIMARY KEY (team_id, speciality_code)
);

-- Equipment a team carries: a warehouse's stock, or one item of it.
CREATE TABLE team_equipment (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    item_id BIGINT REFERENCES items (id),
    note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX team_equipment_once ON team_equipment (team_id, warehouse_id, COALESCE(item_id, 0));

CREATE TABLE team_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    role TEXT NOT NULL CHECK (role IN ('captain', 'deputy', 'member', 'technician', 'driver', 'medic')),
    joined_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('in_post', 'injured', 'left')),
    status_since DATE NOT NULL,
    status_until DATE,
    skills TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (team_id, person_id)
);
CREATE INDEX team_members_person ON team_members (person_id);

-- Leave: one record per person and period, read by team readiness and by duty rosters.
CREATE TABLE leaves (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id BIGINT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL CHECK (kind IN ('personal', 'sick', 'annual', 'other')),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('requested', 'approved', 'refused', 'cancelled')),
    requested_by BIGINT NOT NULL REFERENCES accounts (id),
    decided_by BIGINT REFERENCES accounts (id),
    decided_at TIMESTAMP,
    decision_note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX leaves_person ON leaves (person_id, ends_on);

CREATE TABLE certificates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id BIGINT NOT NULL REFERENCES people (id),
    certificate_type TEXT NOT NULL REFERENCES certificate_types (code),
    number TEXT NOT NULL,
    issuer TEXT NOT NULL DEFAULT '',
    issued_on DATE NOT NULL,
    expires_on DATE,
    attachment_id BIGINT REFERENCES attachments (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (certificate_type, number),
    CHECK (expires_on IS NULL OR expires_on >= issued_on)
);
CREATE INDEX certificates_person ON certificates (person_id);

CREATE TABLE trainings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    held_on DATE NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    subject TEXT NOT NULL,
    trainer TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX trainings_team ON trainings (team_id, held_on);

CREATE TABLE training_attendance (
    training_id BIGINT NOT NULL REFERENCES trainings (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'leave')),
    PRIMARY KEY (training_id, person_id)
);
