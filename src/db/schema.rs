//! Table definitions shared by both backends (kept by hand: SQLite would print `INTEGER` ids as `Integer`).

diesel::table! {
    units (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        parent_id -> Nullable<BigInt>,
        contact_emails -> Text,
        phone -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sort_key -> Text,
    }
}

diesel::table! {
    people (id) {
        id -> BigInt,
        unit_id -> BigInt,
        name -> Text,
        post -> Text,
        phone -> Text,
        email -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        digest_opt_out -> Bool,
        sort_key -> Text,
    }
}

diesel::table! {
    accounts (id) {
        id -> BigInt,
        username -> Text,
        password_hash -> Text,
        person_id -> Nullable<BigInt>,
        language -> Text,
        active -> Bool,
        session_version -> BigInt,
        last_login_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    role_grants (id) {
        id -> BigInt,
        account_id -> BigInt,
        role -> Text,
        unit_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        account_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        username -> Text,
        address -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor_name -> Text,
        unit_id -> Nullable<BigInt>,
        entity -> Text,
        entity_id -> Nullable<BigInt>,
        action -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
    }
}

diesel::joinable!(people -> units (unit_id));
diesel::joinable!(accounts -> people (person_id));
diesel::joinable!(role_grants -> accounts (account_id));
diesel::joinable!(api_tokens -> accounts (account_id));

diesel::table! {
    item_categories (code) {
        code -> Text,
        name -> Text,
        parent_code -> Nullable<Text>,
        level -> Integer,
    }
}

diesel::table! {
    items (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        spec -> Text,
        uom -> Text,
        category_code -> Text,
        shelf_life_days -> Nullable<Integer>,
        track_expiry -> Bool,
        track_batches -> Bool,
        track_serial -> Bool,
        unit_price_fen -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        divisible -> Bool,
        inspection_interval_days -> Nullable<Integer>,
    }
}

diesel::table! {
    warehouses (id) {
        id -> BigInt,
        unit_id -> BigInt,
        name -> Text,
        address -> Text,
        stocktake_interval_days -> Integer,
        chain_seq -> BigInt,
        chain_head -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        kind -> Text,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
    }
}

diesel::table! {
    warehouse_custodians (warehouse_id, person_id) {
        warehouse_id -> BigInt,
        person_id -> BigInt,
    }
}

diesel::table! {
    batches (id) {
        id -> BigInt,
        item_id -> BigInt,
        batch_no -> Text,
        maker -> Text,
        production_date -> Nullable<Date>,
        expiry_date -> Nullable<Date>,
        ownership -> Text,
        custodian_id -> Nullable<BigInt>,
        quality -> Text,
        created_at -> Timestamp,
        needs_repair -> Bool,
    }
}

diesel::table! {
    voucher_counters (unit_id, prefix, year) {
        unit_id -> BigInt,
        prefix -> Text,
        year -> Integer,
        last_no -> BigInt,
    }
}

diesel::table! {
    movements (id) {
        id -> BigInt,
        warehouse_id -> BigInt,
        unit_id -> BigInt,
        kind -> Text,
        voucher_no -> Text,
        reason -> Text,
        state -> Text,
        emergency -> Bool,
        created_by -> BigInt,
        created_at -> Timestamp,
        countersigned_by -> Nullable<BigInt>,
        countersigned_at -> Nullable<Timestamp>,
        posted_at -> Nullable<Timestamp>,
        seq -> Nullable<BigInt>,
        prev_hash -> Nullable<Text>,
        hash -> Nullable<Text>,
        reverses_id -> Nullable<BigInt>,
        counterpart_warehouse_id -> Nullable<BigInt>,
        stocktake_id -> Nullable<BigInt>,
        supplier -> Text,
        document_no -> Text,
        received_on -> Nullable<Date>,
        rejected_reason -> Text,
        repair_override -> Text,
    }
}

diesel::table! {
    inspections (id) {
        id -> BigInt,
        batch_id -> BigInt,
        warehouse_id -> BigInt,
        inspected_on -> Date,
        result -> Text,
        findings -> Text,
        inspected_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    movement_lines (id) {
        id -> BigInt,
        movement_id -> BigInt,
        item_id -> BigInt,
        batch_id -> BigInt,
        qty -> BigInt,
    }
}

diesel::table! {
    balances (warehouse_id, batch_id) {
        warehouse_id -> BigInt,
        batch_id -> BigInt,
        item_id -> BigInt,
        qty -> BigInt,
        bin -> Text,
        custodian_id -> Nullable<BigInt>,
        reserved -> BigInt,
    }
}

diesel::table! {
    reservations (id) {
        id -> BigInt,
        warehouse_id -> BigInt,
        batch_id -> BigInt,
        item_id -> BigInt,
        held_qty -> BigInt,
        reserved_qty -> BigInt,
        state -> Text,
        purpose -> Text,
        held_for -> Text,
        until -> Nullable<Date>,
        created_by -> BigInt,
        created_at -> Timestamp,
        closed_by -> Nullable<BigInt>,
        closed_at -> Nullable<Timestamp>,
        note -> Text,
    }
}

diesel::table! {
    reserve_norms (warehouse_id, item_id) {
        warehouse_id -> BigInt,
        item_id -> BigInt,
        required_qty -> BigInt,
    }
}

diesel::table! {
    stocktakes (id) {
        id -> BigInt,
        warehouse_id -> BigInt,
        state -> Text,
        blind -> Bool,
        opened_by -> BigInt,
        opened_at -> Timestamp,
        closed_by -> Nullable<BigInt>,
        closed_at -> Nullable<Timestamp>,
        note -> Text,
        opened_seq -> BigInt,
    }
}

diesel::table! {
    stocktake_lines (id) {
        id -> BigInt,
        stocktake_id -> BigInt,
        item_id -> BigInt,
        batch_id -> BigInt,
        book_qty -> BigInt,
        bin -> Text,
        recount_requested -> Bool,
        reason -> Nullable<Text>,
        note -> Text,
    }
}

diesel::table! {
    stocktake_counts (id) {
        id -> BigInt,
        line_id -> BigInt,
        counted_by -> BigInt,
        qty -> BigInt,
        counted_at -> Timestamp,
        superseded -> Bool,
        book_qty -> BigInt,
    }
}

diesel::table! {
    notices (id) {
        id -> BigInt,
        kind -> Text,
        dedupe_key -> Text,
        unit_id -> Nullable<BigInt>,
        language -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        link -> Text,
        message_id -> Text,
        state -> Text,
        due_at -> Timestamp,
        next_attempt_at -> Timestamp,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        claimed_by -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    notice_recipients (notice_id, address) {
        notice_id -> BigInt,
        address -> Text,
        name -> Text,
        person_id -> Nullable<BigInt>,
        reason -> Text,
        state -> Text,
        error -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    unit_chats (unit_id) {
        unit_id -> BigInt,
        flavour -> Text,
        url -> Text,
        secret -> Text,
        kinds -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    unit_notice_settings (unit_id, kind) {
        unit_id -> BigInt,
        kind -> Text,
        mode -> Text,
    }
}

diesel::table! {
    job_runs (job, slot) {
        job -> Text,
        slot -> Timestamp,
        owner -> Text,
        started_at -> Timestamp,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    request_keys (account_id, key) {
        account_id -> BigInt,
        key -> Text,
        fingerprint -> Text,
        status -> Integer,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(notice_recipients -> notices (notice_id));
diesel::joinable!(items -> item_categories (category_code));
diesel::joinable!(warehouses -> units (unit_id));
diesel::joinable!(batches -> items (item_id));
diesel::joinable!(movement_lines -> movements (movement_id));
diesel::joinable!(movement_lines -> batches (batch_id));
diesel::joinable!(balances -> batches (batch_id));
diesel::joinable!(inspections -> batches (batch_id));
diesel::joinable!(stocktake_lines -> stocktakes (stocktake_id));
diesel::joinable!(stocktake_counts -> stocktake_lines (line_id));

diesel::allow_tables_to_appear_in_same_query!(
    units,
    people,
    accounts,
    role_grants,
    api_tokens,
    login_failures,
    audit_log,
    item_categories,
    items,
    warehouses,
    warehouse_custodians,
    batches,
    voucher_counters,
    movements,
    movement_lines,
    balances,
    reserve_norms,
    stocktakes,
    stocktake_lines,
    stocktake_counts,
    notices,
    notice_recipients,
    unit_notice_settings,
    reservations,
    inspections,
    unit_chats,
    job_runs,
    settings,
    request_keys,
);
