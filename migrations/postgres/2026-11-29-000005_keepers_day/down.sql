ALTER TABLE stocktake_counts DROP COLUMN book_qty;
ALTER TABLE balances DROP COLUMN custodian_id;
ALTER TABLE movements DROP COLUMN rejected_reason;
ALTER TABLE movements DROP COLUMN received_on;
ALTER TABLE movements DROP COLUMN document_no;
ALTER TABLE movements DROP COLUMN supplier;
ALTER TABLE items DROP COLUMN divisible;
DROP TABLE request_keys;
DROP TABLE settings;
