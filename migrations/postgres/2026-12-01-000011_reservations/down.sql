DROP TABLE reservations;
ALTER TABLE balances DROP COLUMN reserved;
