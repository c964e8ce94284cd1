-- Equipment inspection and maintenance (检查维护): an item that needs it carries an interval; each inspection
-- of a batch (a serial-numbered unit is its own batch) is kept; a batch found needing repair is marked until
-- an inspection says it is repaired (or fine), and an emergency voucher that takes it out anyway records the
-- override.
ALTER TABLE items ADD COLUMN inspection_interval_days INTEGER
    CHECK (inspection_interval_days IS NULL OR inspection_interval_days BETWEEN 1 AND 3650);
ALTER TABLE batches ADD COLUMN needs_repair BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE movements ADD COLUMN repair_override TEXT NOT NULL DEFAULT '';

CREATE TABLE inspections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id BIGINT NOT NULL REFERENCES batches (id),
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    inspected_on DATE NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('ok', 'needs_repair', 'repaired')),
    findings TEXT NOT NULL DEFAULT '',
    inspected_by BIGINT NOT NULL REFERENCES accounts (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX inspections_batch ON inspections (batch_id, inspected_on);
