-- Material reserves: catalogue, warehouses, batches, the append-only ledger, balances, norms, stocktakes.
CREATE TABLE item_categories (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    parent_code TEXT REFERENCES item_categories (code),
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4)
);
INSERT INTO item_categories (code, name, parent_code, level) VALUES
    ('1', '基本生活保障物资', NULL, 1),
    ('2', '应急装备及配套物资', NULL, 1),
    ('3', '工程材料与机械加工设备', NULL, 1);

CREATE TABLE items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    spec TEXT NOT NULL DEFAULT '',
    uom TEXT NOT NULL,
    category_code TEXT NOT NULL REFERENCES item_categories (code),
    shelf_life_days INTEGER,
    track_expiry BOOLEAN NOT NULL DEFAULT FALSE,
    track_batches BOOLEAN NOT NULL DEFAULT TRUE,
    track_serial BOOLEAN NOT NULL DEFAULT FALSE,
    unit_price_fen BIGINT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE warehouses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL DEFAULT '',
    stocktake_interval_days INTEGER NOT NULL,
    chain_seq BIGINT NOT NULL DEFAULT 0,
    chain_head TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE warehouse_custodians (
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    PRIMARY KEY (warehouse_id, person_id)
);

CREATE TABLE batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id BIGINT NOT NULL REFERENCES items (id),
    batch_no TEXT NOT NULL,
    maker TEXT NOT NULL DEFAULT '',
    production_date DATE,
    expiry_date DATE,
    ownership TEXT NOT NULL CHECK (ownership IN ('government', 'agreement', 'held_for_others', 'donated')),
    custodian_id BIGINT REFERENCES people (id),
    quality TEXT NOT NULL DEFAULT 'good' CHECK (quality IN ('good', 'damaged', 'quarantined')),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (item_id, batch_no)
);

CREATE TABLE voucher_counters (
    unit_id BIGINT NOT NULL REFERENCES units (id),
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL,
    last_no BIGINT NOT NULL,
    PRIMARY KEY (unit_id, prefix, year)
);

CREATE TABLE stocktakes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    state TEXT NOT NULL CHECK (state IN ('counting', 'approved', 'cancelled')),
    blind BOOLEAN NOT NULL,
    opened_by BIGINT NOT NULL REFERENCES accounts (id),
    opened_at TIMESTAMP NOT NULL,
    closed_by BIGINT REFERENCES accounts (id),
    closed_at TIMESTAMP,
    note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX stocktakes_one_open ON stocktakes (warehouse_id) WHERE state = 'counting';

CREATE TABLE movements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL CHECK (kind IN ('purchase', 'donation', 'transfer_in', 'return', 'use', 'transfer_out', 'loan',
                                       'rotation', 'write_off', 'count_gain', 'count_loss', 'reversal', 'opening')),
    voucher_no TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('pending', 'posted', 'rejected')),
    emergency BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    countersigned_by BIGINT REFERENCES accounts (id),
    countersigned_at TIMESTAMP,
    posted_at TIMESTAMP,
    seq BIGINT,
    prev_hash TEXT,
    hash TEXT,
    reverses_id BIGINT UNIQUE REFERENCES movements (id),
    counterpart_warehouse_id BIGINT REFERENCES warehouses (id),
    stocktake_id BIGINT REFERENCES stocktakes (id),
    UNIQUE (unit_id, voucher_no),
    UNIQUE (warehouse_id, seq)
);
CREATE INDEX movements_state ON movements (state, created_at);

CREATE TABLE movement_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    movement_id BIGINT NOT NULL REFERENCES movements (id),
    item_id BIGINT NOT NULL REFERENCES items (id),
    batch_id BIGINT NOT NULL REFERENCES batches (id),
    qty BIGINT NOT NULL CHECK (qty <> 0)
);
CREATE INDEX movement_lines_movement ON movement_lines (movement_id);

CREATE TABLE balances (
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    batch_id BIGINT NOT NULL REFERENCES batches (id),
    item_id BIGINT NOT NULL REFERENCES items (id),
    qty BIGINT NOT NULL CHECK (qty >= 0),
    bin TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (warehouse_id, batch_id)
);
CREATE INDEX balances_item ON balances (item_id);

CREATE TABLE reserve_norms (
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    item_id BIGINT NOT NULL REFERENCES items (id),
    required_qty BIGINT NOT NULL CHECK (required_qty >= 0),
    PRIMARY KEY (warehouse_id, item_id)
);

CREATE TABLE stocktake_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    stocktake_id BIGINT NOT NULL REFERENCES stocktakes (id),
    item_id BIGINT NOT NULL REFERENCES items (id),
    batch_id BIGINT NOT NULL REFERENCES batches (id),
    book_qty BIGINT NOT NULL,
    bin TEXT NOT NULL DEFAULT '',
    recount_requested BOOLEAN NOT NULL DEFAULT FALSE,
    reason TEXT CHECK (reason IS NULL OR reason IN ('lost', 'damaged', 'expired', 'found', 'recording_error', 'other')),
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (stocktake_id, batch_id)
);

CREATE TABLE stocktake_counts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    line_id BIGINT NOT NULL REFERENCES stocktake_lines (id),
    counted_by BIGINT NOT NULL REFERENCES accounts (id),
    qty BIGINT NOT NULL CHECK (qty >= 0),
    counted_at TIMESTAMP NOT NULL,
    superseded BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX stocktake_counts_line ON stocktake_counts (line_id);
