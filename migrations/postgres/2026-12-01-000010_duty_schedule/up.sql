-- Duty on a schedule: unannounced presence checks (随机查岗) per roster, each asked once per planned time
-- (a check asked by hand has no planned time), and each person's own reminder lead before a shift.
ALTER TABLE duty_rosters ADD COLUMN presence_checks INTEGER NOT NULL DEFAULT 0
    CHECK (presence_checks BETWEEN 0 AND 3);
ALTER TABLE duty_rosters ADD COLUMN presence_minutes INTEGER NOT NULL DEFAULT 15
    CHECK (presence_minutes BETWEEN 5 AND 120);

ALTER TABLE duty_presence ADD COLUMN planned_at TIMESTAMP;
CREATE UNIQUE INDEX duty_presence_planned ON duty_presence (shift_id, person_id, planned_at);

-- No row: the roster's lead; 0 hours: no reminder.
CREATE TABLE duty_leads (
    person_id BIGINT PRIMARY KEY NOT NULL REFERENCES people (id),
    hours INTEGER NOT NULL CHECK (hours BETWEEN 0 AND 72),
    updated_by BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
