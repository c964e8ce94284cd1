ALTER TABLE drill_materials DROP COLUMN loss_note;
ALTER TABLE drill_materials DROP COLUMN lost;
