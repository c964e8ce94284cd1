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

diesel::allow_tables_to_appear_in_same_query!(
    units,
    people,
    accounts,
    role_grants,
    api_tokens,
    login_failures,
    audit_log
);
