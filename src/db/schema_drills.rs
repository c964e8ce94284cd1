//! Table definitions of the drills area (kept by hand, like `schema`).

diesel::table! {
    drill_profiles (unit_id) {
        unit_id -> BigInt,
        sector -> Text,
        supervisor_unit_id -> Nullable<BigInt>,
        updated_by -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    drill_rules (sector, level) {
        sector -> Text,
        level -> Text,
        months -> Integer,
        updated_by -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    drill_plans (id) {
        id -> BigInt,
        unit_id -> BigInt,
        level -> Text,
        title -> Text,
        version -> Text,
        approved_on -> Date,
        filed -> Bool,
        filing_no -> Text,
        revision_months -> Integer,
        next_revision_on -> Date,
        freq_months -> Integer,
        attachment_id -> Nullable<BigInt>,
        active -> Bool,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    drill_annuals (id) {
        id -> BigInt,
        unit_id -> BigInt,
        year -> Integer,
        state -> Text,
        decision_note -> Text,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    drill_annual_items (id) {
        id -> BigInt,
        annual_id -> BigInt,
        plan_id -> BigInt,
        content -> Text,
        form -> Text,
        month -> Integer,
        organiser -> Text,
        participants -> Text,
        active -> Bool,
    }
}

diesel::table! {
    drill_annual_changes (id) {
        id -> BigInt,
        annual_id -> BigInt,
        what -> Text,
        changed_by -> BigInt,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    drills (id) {
        id -> BigInt,
        unit_id -> BigInt,
        plan_id -> BigInt,
        annual_item_id -> Nullable<BigInt>,
        title -> Text,
        content -> Text,
        form -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        place -> Text,
        scenario -> Text,
        timeline -> Text,
        roles -> Text,
        participants -> Text,
        state -> Text,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        decision_note -> Text,
        grade -> Nullable<Text>,
        went_well -> Text,
        problems -> Text,
        evaluated_by -> Nullable<BigInt>,
        evaluated_at -> Nullable<Timestamp>,
        reported_at -> Nullable<Timestamp>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    drill_objectives (id) {
        id -> BigInt,
        drill_id -> BigInt,
        text -> Text,
        result -> Nullable<Text>,
        note -> Text,
    }
}

diesel::table! {
    drill_people (drill_id, person_id) {
        drill_id -> BigInt,
        person_id -> BigInt,
        present -> Nullable<Bool>,
        marked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    drill_log (id) {
        id -> BigInt,
        drill_id -> BigInt,
        at -> Timestamp,
        text -> Text,
        logged_by -> BigInt,
    }
}

diesel::table! {
    drill_materials (id) {
        id -> BigInt,
        drill_id -> BigInt,
        warehouse_id -> BigInt,
        item_id -> BigInt,
        qty -> BigInt,
        issued -> BigInt,
        returned -> BigInt,
        issue_movement_id -> Nullable<BigInt>,
        return_movement_id -> Nullable<BigInt>,
        lost -> BigInt,
        loss_note -> Text,
    }
}

diesel::table! {
    drill_actions (id) {
        id -> BigInt,
        drill_id -> BigInt,
        problem -> Text,
        owner_person_id -> BigInt,
        owner_unit_id -> BigInt,
        due_on -> Date,
        revise_plan -> Bool,
        state -> Text,
        evidence -> Text,
        attachment_id -> Nullable<BigInt>,
        submitted_by -> Nullable<BigInt>,
        submitted_at -> Nullable<Timestamp>,
        rejections -> Integer,
        reject_note -> Text,
        verified_by -> Nullable<BigInt>,
        closed_at -> Nullable<Timestamp>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    drill_feeds (id) {
        id -> BigInt,
        token_hash -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    drill_teams (drill_id, team_id) {
        drill_id -> BigInt,
        team_id -> BigInt,
    }
}

diesel::joinable!(drills -> drill_plans (plan_id));
diesel::joinable!(drill_annual_items -> drill_annuals (annual_id));
diesel::joinable!(drill_actions -> drills (drill_id));

diesel::allow_tables_to_appear_in_same_query!(
    drill_profiles,
    drill_rules,
    drill_plans,
    drill_annuals,
    drill_annual_items,
    drill_annual_changes,
    drills,
    drill_objectives,
    drill_people,
    drill_log,
    drill_materials,
    drill_actions,
    drill_feeds,
    drill_teams,
);
