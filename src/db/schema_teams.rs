//! Table definitions of the rescue-teams area and the shared attachments (kept by hand, like `schema`).

diesel::table! {
    attachments (id) {
        id -> BigInt,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        data -> Binary,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    certificate_types (code) {
        code -> Text,
        name -> Text,
        name_en -> Text,
        active -> Bool,
    }
}

diesel::table! {
    specialities (code) {
        code -> Text,
        name -> Text,
        name_en -> Text,
        active -> Bool,
    }
}

diesel::table! {
    speciality_certificates (speciality_code, certificate_type) {
        speciality_code -> Text,
        certificate_type -> Text,
    }
}

diesel::table! {
    teams (id) {
        id -> BigInt,
        unit_id -> BigInt,
        name -> Text,
        kind -> Text,
        address -> Text,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        duty_phone -> Text,
        min_ready -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    team_specialities (team_id, speciality_code) {
        team_id -> BigInt,
        speciality_code -> Text,
    }
}

diesel::table! {
    team_equipment (id) {
        id -> BigInt,
        team_id -> BigInt,
        warehouse_id -> BigInt,
        item_id -> Nullable<BigInt>,
        note -> Text,
    }
}

diesel::table! {
    team_members (id) {
        id -> BigInt,
        team_id -> BigInt,
        person_id -> BigInt,
        role -> Text,
        joined_on -> Date,
        status -> Text,
        status_since -> Date,
        status_until -> Nullable<Date>,
        skills -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    leaves (id) {
        id -> BigInt,
        person_id -> BigInt,
        kind -> Text,
        starts_on -> Date,
        ends_on -> Date,
        reason -> Text,
        state -> Text,
        requested_by -> BigInt,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        decision_note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    certificates (id) {
        id -> BigInt,
        person_id -> BigInt,
        certificate_type -> Text,
        number -> Text,
        issuer -> Text,
        issued_on -> Date,
        expires_on -> Nullable<Date>,
        attachment_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    trainings (id) {
        id -> BigInt,
        team_id -> BigInt,
        held_on -> Date,
        minutes -> Integer,
        subject -> Text,
        trainer -> Text,
        place -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    training_attendance (training_id, person_id) {
        training_id -> BigInt,
        person_id -> BigInt,
        status -> Text,
    }
}

// `people` is the only table of another schema that these are queried with (each pair may be declared once).
use super::schema::people;

diesel::joinable!(team_members -> teams (team_id));
diesel::joinable!(team_members -> people (person_id));
diesel::joinable!(team_specialities -> teams (team_id));
diesel::joinable!(certificates -> people (person_id));
diesel::joinable!(training_attendance -> trainings (training_id));

diesel::allow_tables_to_appear_in_same_query!(
    attachments,
    certificate_types,
    specialities,
    speciality_certificates,
    teams,
    team_specialities,
    team_equipment,
    team_members,
    leaves,
    certificates,
    trainings,
    training_attendance,
    people,
);
