DROP TABLE alloc_shipments;
DROP TABLE alloc_decisions;
DROP TABLE alloc_lines;
DROP TABLE alloc_requests;
DROP TABLE consignments;
ALTER TABLE warehouses DROP COLUMN longitude;
ALTER TABLE warehouses DROP COLUMN latitude;
DROP INDEX warehouses_one_transit;
ALTER TABLE warehouses DROP COLUMN kind;
