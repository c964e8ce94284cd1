//! Table definitions of the circulars area (kept by hand, like `schema`).

diesel::table! {
    circulars (id) {
        id -> BigInt,
        title -> Text,
        body -> Text,
        urgency -> Text,
        from_unit_id -> BigInt,
        state -> Text,
        ack_due -> Timestamp,
        notify_role -> Text,
        reply_mode -> Text,
        reply_file -> Bool,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        issued_by -> Nullable<BigInt>,
        issued_at -> Nullable<Timestamp>,
        withdrawn_by -> Nullable<BigInt>,
        withdrawn_at -> Nullable<Timestamp>,
        withdraw_reason -> Text,
    }
}

diesel::table! {
    circular_fields (id) {
        id -> BigInt,
        circular_id -> BigInt,
        position -> Integer,
        label -> Text,
    }
}

diesel::table! {
    circular_files (id) {
        id -> BigInt,
        circular_id -> BigInt,
        attachment_id -> BigInt,
    }
}

diesel::table! {
    circular_units (id) {
        id -> BigInt,
        circular_id -> BigInt,
        unit_id -> BigInt,
        acked_at -> Nullable<Timestamp>,
        acked_by -> Nullable<BigInt>,
        acked_name -> Text,
        acked_via -> Text,
        acked_address -> Text,
        replied_at -> Nullable<Timestamp>,
        replied_by -> Nullable<BigInt>,
        reply_text -> Text,
        reply_values -> Text,
        reply_attachment_id -> Nullable<BigInt>,
        reminders -> Integer,
        reminded_at -> Nullable<Timestamp>,
        escalated_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(circular_fields -> circulars (circular_id));
diesel::joinable!(circular_files -> circulars (circular_id));
diesel::joinable!(circular_units -> circulars (circular_id));

diesel::allow_tables_to_appear_in_same_query!(
    circulars,
    circular_fields,
    circular_files,
    circular_units,
);
