-- A keeper's day without traps.

-- What a serving process records for the others (the public base URL that links in notices use).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The first answer to a request sent with a one-time key (a form's token, an API Idempotency-Key):
-- a repeat gets it again instead of doing the work twice.
CREATE TABLE request_keys (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, key)
);
CREATE INDEX request_keys_created ON request_keys (created_at);

-- Whether an item's unit may be split (litres, tonnes) or counts whole pieces (台, 个 …).
ALTER TABLE items ADD COLUMN divisible BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE items SET divisible = FALSE
WHERE track_serial OR uom IN ('台', '个', '件', '条', '顶', '艘', '只', '套', '把', '双', '块', '部', '辆', '张',
                              '箱', '包', '盏', '根', '副', '具', '桶', '袋', '瓶', '盒', '卷', '支', '片', '面');

-- A receipt's supplier, delivery document and date; why a voucher was sent back.
ALTER TABLE movements ADD COLUMN supplier TEXT NOT NULL DEFAULT '';
ALTER TABLE movements ADD COLUMN document_no TEXT NOT NULL DEFAULT '';
ALTER TABLE movements ADD COLUMN received_on DATE;
ALTER TABLE movements ADD COLUMN rejected_reason TEXT NOT NULL DEFAULT '';

-- Custody belongs to the stock where it lies (warehouse × batch). A batch's named custodian keeps the stock
-- in a warehouse they look after; stock elsewhere (transferred) falls to that warehouse's custodians.
ALTER TABLE balances ADD COLUMN custodian_id BIGINT REFERENCES people (id);
UPDATE balances SET custodian_id = (SELECT b.custodian_id FROM batches b WHERE b.id = balances.batch_id)
WHERE EXISTS (SELECT 1 FROM batches b
              JOIN warehouse_custodians wc ON wc.person_id = b.custodian_id
              WHERE b.id = balances.batch_id AND wc.warehouse_id = balances.warehouse_id);

-- A count is compared with the book at the moment it was entered; what moved since the count opened is what
-- posted after the warehouse's chain position at opening.
ALTER TABLE stocktakes ADD COLUMN opened_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stocktake_counts ADD COLUMN book_qty BIGINT NOT NULL DEFAULT 0;
UPDATE stocktake_counts SET book_qty = (SELECT l.book_qty FROM stocktake_lines l WHERE l.id = stocktake_counts.line_id);

-- Units and people sort by pinyin (拼音) as people look them up; filled by the service from the name, and
-- for existing rows at start-up.
ALTER TABLE units ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
