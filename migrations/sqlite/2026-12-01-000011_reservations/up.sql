-- Reservations (预留): stock held in a warehouse for a purpose (an allocation, a drill, set aside by hand).
-- Each balance carries the quantity reserved out of it; ordinary issues take only what is not reserved, and the
-- database refuses a balance reserved beyond what it holds.
ALTER TABLE balances ADD COLUMN reserved BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= qty);

CREATE TABLE reservations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    batch_id BIGINT NOT NULL REFERENCES batches (id),
    item_id BIGINT NOT NULL REFERENCES items (id),
    held_qty BIGINT NOT NULL CHECK (held_qty >= 0),
    reserved_qty BIGINT NOT NULL CHECK (reserved_qty > 0),
    state TEXT NOT NULL CHECK (state IN ('held', 'released', 'used')),
    purpose TEXT NOT NULL,
    held_for TEXT NOT NULL DEFAULT '',
    until DATE,
    created_by BIGINT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    closed_by BIGINT REFERENCES accounts (id),
    closed_at TIMESTAMP,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reservations_held ON reservations (warehouse_id, batch_id, state);
CREATE INDEX reservations_for ON reservations (held_for);
