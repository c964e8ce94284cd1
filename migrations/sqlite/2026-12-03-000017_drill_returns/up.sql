-- What a drill did not bring back of the materials it borrowed (used up, broken or lost): the quantity and how,
-- recorded when the keeper takes the rest back. The loan voucher already took it off the book.
ALTER TABLE drill_materials ADD COLUMN lost BIGINT NOT NULL DEFAULT 0;
ALTER TABLE drill_materials ADD COLUMN loss_note TEXT NOT NULL DEFAULT '';
