DROP TABLE duty_leads;
DROP INDEX duty_presence_planned;
ALTER TABLE duty_presence DROP COLUMN planned_at;
ALTER TABLE duty_rosters DROP COLUMN presence_minutes;
ALTER TABLE duty_rosters DROP COLUMN presence_checks;
