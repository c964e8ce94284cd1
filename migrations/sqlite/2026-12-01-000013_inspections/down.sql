DROP TABLE inspections;
ALTER TABLE movements DROP COLUMN repair_override;
ALTER TABLE batches DROP COLUMN needs_repair;
ALTER TABLE items DROP COLUMN inspection_interval_days;
