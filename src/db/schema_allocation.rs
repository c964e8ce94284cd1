//! Table definitions of goods on the road (consignments, kept by the reserves area) and the allocation area
//! (kept by hand, like `schema`).

diesel::table! {
    consignments (id) {
        id -> BigInt,
        from_warehouse_id -> BigInt,
        transit_warehouse_id -> BigInt,
        to_warehouse_id -> BigInt,
        out_movement_id -> BigInt,
        carrier -> Text,
        sent_for -> Text,
        state -> Text,
        sent_at -> Timestamp,
        receipt_movement_id -> Nullable<BigInt>,
        loss_movement_id -> Nullable<BigInt>,
        received_by -> Nullable<BigInt>,
        received_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    alloc_requests (id) {
        id -> BigInt,
        no -> Text,
        kind -> Text,
        unit_id -> BigInt,
        to_warehouse_id -> BigInt,
        priority -> Text,
        needed_by -> Timestamp,
        purpose -> Text,
        return_due -> Nullable<Date>,
        emergency -> Bool,
        state -> Text,
        cancel_reason -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    alloc_lines (id) {
        id -> BigInt,
        request_id -> BigInt,
        item_id -> BigInt,
        from_warehouse_id -> Nullable<BigInt>,
        requested -> BigInt,
        approved -> Nullable<BigInt>,
        reserved -> BigInt,
        dispatched -> BigInt,
        received -> BigInt,
        lost -> BigInt,
        returned -> BigInt,
        state -> Text,
    }
}

diesel::table! {
    alloc_decisions (id) {
        id -> BigInt,
        line_id -> BigInt,
        step -> Text,
        qty -> BigInt,
        reason -> Text,
        decided_by -> BigInt,
        decided_at -> Timestamp,
        after_the_fact -> Bool,
    }
}

diesel::table! {
    alloc_shipments (id) {
        id -> BigInt,
        request_id -> BigInt,
        line_id -> BigInt,
        consignment_id -> Nullable<BigInt>,
        direction -> Text,
        qty -> BigInt,
        damaged -> BigInt,
        lost -> BigInt,
        loss_movement_id -> Nullable<BigInt>,
        note -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(alloc_lines -> alloc_requests (request_id));
diesel::joinable!(alloc_decisions -> alloc_lines (line_id));

diesel::allow_tables_to_appear_in_same_query!(
    consignments,
    alloc_requests,
    alloc_lines,
    alloc_decisions,
    alloc_shipments,
);
