-- Allocation (调拨/借用): goods on the road and the requests that send them.

-- A warehouse row is a ledger location: a store (储备库/点) people keep, or a unit's in-transit location (在途),
-- where what it has sent waits until the receiving keeper counts it in. In-transit stock is in the district's
-- total and in `ledger verify`, in no warehouse's usable stock.
ALTER TABLE warehouses ADD COLUMN kind TEXT NOT NULL DEFAULT 'store' CHECK (kind IN ('store', 'transit'));
CREATE UNIQUE INDEX warehouses_one_transit ON warehouses (unit_id) WHERE kind = 'transit';
-- Where a warehouse is (WGS-84 degrees), so the nearest stock is offered first.
ALTER TABLE warehouses ADD COLUMN latitude REAL CHECK (latitude BETWEEN -90 AND 90);
ALTER TABLE warehouses ADD COLUMN longitude REAL CHECK (longitude BETWEEN -180 AND 180);

-- A consignment (在途单): a transfer out into the sender's in-transit location, received by the destination's
-- keeper counting what arrived (a transfer in, countersigned) and, when less arrived, a loss voucher.
CREATE TABLE consignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    from_warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    transit_warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    to_warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    out_movement_id BIGINT NOT NULL UNIQUE REFERENCES movements (id),
    carrier TEXT NOT NULL DEFAULT '',
    sent_for TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('in_transit', 'received')),
    sent_at TIMESTAMP NOT NULL,
    receipt_movement_id BIGINT REFERENCES movements (id),
    loss_movement_id BIGINT REFERENCES movements (id),
    received_by BIGINT REFERENCES accounts (id),
    received_at TIMESTAMP
);
CREATE INDEX consignments_to ON consignments (to_warehouse_id, state);
CREATE INDEX consignments_for ON consignments (sent_for);

-- A request (调拨申请/借用申请) or an office's emergency order (调令).
CREATE TABLE alloc_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    no TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('transfer', 'loan')),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    to_warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    priority TEXT NOT NULL CHECK (priority IN ('urgent', 'normal')),
    needed_by TIMESTAMP NOT NULL,
    purpose TEXT NOT NULL,
    return_due DATE,
    emergency BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'cancelled')),
    cancel_reason TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'loan') = (return_due IS NOT NULL))
);
CREATE INDEX alloc_requests_unit ON alloc_requests (unit_id, state);

-- One line per item, its quantities exact (thousandths), its state stored, never derived.
CREATE TABLE alloc_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES alloc_requests (id),
    item_id BIGINT NOT NULL REFERENCES items (id),
    from_warehouse_id BIGINT REFERENCES warehouses (id),
    requested BIGINT NOT NULL CHECK (requested > 0),
    approved BIGINT CHECK (approved >= 0 AND approved <= requested),
    reserved BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    dispatched BIGINT NOT NULL DEFAULT 0 CHECK (dispatched >= 0),
    received BIGINT NOT NULL DEFAULT 0 CHECK (received >= 0),
    lost BIGINT NOT NULL DEFAULT 0 CHECK (lost >= 0),
    returned BIGINT NOT NULL DEFAULT 0 CHECK (returned >= 0),
    state TEXT NOT NULL CHECK (state IN ('requested', 'approved', 'reserved', 'dispatched', 'received', 'closed', 'refused', 'cancelled')),
    UNIQUE (request_id, item_id),
    CHECK (received + lost <= dispatched)
);
CREATE INDEX alloc_lines_from ON alloc_lines (from_warehouse_id, state);

-- Each decision on a line: the requesting unit's head, then the holding unit's head (or office staff in
-- place of either); a quantity (0 refuses) and a reason; after the fact for an emergency order.
CREATE TABLE alloc_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    line_id BIGINT NOT NULL REFERENCES alloc_lines (id),
    step TEXT NOT NULL CHECK (step IN ('requester', 'holder')),
    qty BIGINT NOT NULL CHECK (qty >= 0),
    reason TEXT NOT NULL DEFAULT '',
    decided_by BIGINT NOT NULL REFERENCES accounts (id),
    decided_at TIMESTAMP NOT NULL,
    after_the_fact BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (line_id, step)
);

-- What a line sent on which consignment (out to the requester), and what a borrower gave back (back to the
-- lender: the quantity sent back, of it how much damaged, and how much was lost, with its loss voucher).
CREATE TABLE alloc_shipments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES alloc_requests (id),
    line_id BIGINT NOT NULL REFERENCES alloc_lines (id),
    consignment_id BIGINT REFERENCES consignments (id),
    direction TEXT NOT NULL CHECK (direction IN ('out', 'back')),
    qty BIGINT NOT NULL DEFAULT 0 CHECK (qty >= 0),
    damaged BIGINT NOT NULL DEFAULT 0 CHECK (damaged >= 0 AND damaged <= qty),
    lost BIGINT NOT NULL DEFAULT 0 CHECK (lost >= 0),
    loss_movement_id BIGINT REFERENCES movements (id),
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX alloc_shipments_request ON alloc_shipments (request_id);
CREATE INDEX alloc_shipments_consignment ON alloc_shipments (consignment_id);
