//! Table definitions of the duty area (kept by hand, like `schema`).

use super::schema::{people, units};

diesel::table! {
    duty_rosters (id) {
        id -> BigInt,
        unit_id -> BigInt,
        name -> Text,
        shift_starts -> Text,
        workday_leaders -> Integer,
        workday_officers -> Integer,
        weekend_leaders -> Integer,
        weekend_officers -> Integer,
        holiday_leaders -> Integer,
        holiday_officers -> Integer,
        duty_phone -> Text,
        handover_minutes -> Integer,
        checklist -> Text,
        remind_hours -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        presence_checks -> Integer,
        presence_minutes -> Integer,
    }
}

diesel::table! {
    duty_periods (id) {
        id -> BigInt,
        roster_id -> BigInt,
        kind -> Text,
        name -> Text,
        starts_on -> Date,
        ends_on -> Date,
        leaders -> Integer,
        officers -> Integer,
    }
}

diesel::table! {
    duty_eligible (roster_id, person_id, role) {
        roster_id -> BigInt,
        person_id -> BigInt,
        role -> Text,
    }
}

diesel::table! {
    duty_unavailable (id) {
        id -> BigInt,
        person_id -> BigInt,
        starts_on -> Date,
        ends_on -> Date,
        reason -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    duty_plans (id) {
        id -> BigInt,
        roster_id -> BigInt,
        starts_on -> Date,
        ends_on -> Date,
        state -> Text,
        holiday -> Bool,
        created_by -> BigInt,
        created_at -> Timestamp,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        decision_note -> Text,
        published_by -> Nullable<BigInt>,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    duty_shifts (id) {
        id -> BigInt,
        roster_id -> BigInt,
        plan_id -> BigInt,
        day -> Date,
        shift_no -> Integer,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        day_class -> Text,
        leaders -> Integer,
        officers -> Integer,
        live -> Bool,
    }
}

diesel::table! {
    duty_assignments (id) {
        id -> BigInt,
        shift_id -> BigInt,
        person_id -> BigInt,
        role -> Text,
    }
}

diesel::table! {
    duty_changes (id) {
        id -> BigInt,
        roster_id -> BigInt,
        kind -> Text,
        state -> Text,
        shift_id -> BigInt,
        giver_id -> BigInt,
        taker_id -> BigInt,
        taker_shift_id -> Nullable<BigInt>,
        reason -> Text,
        asked_by -> BigInt,
        asked_at -> Timestamp,
        agreed_by -> Nullable<BigInt>,
        agreed_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        decision_note -> Text,
    }
}

diesel::table! {
    duty_log (id) {
        id -> BigInt,
        shift_id -> BigInt,
        occurred_at -> Timestamp,
        caller_unit -> Text,
        caller_name -> Text,
        caller_phone -> Text,
        summary -> Text,
        notified -> Text,
        handling -> Text,
        open -> Bool,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
        closed_by -> Nullable<BigInt>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    duty_handovers (shift_id) {
        shift_id -> BigInt,
        open_matters -> Text,
        checked -> Text,
        note -> Text,
        outgoing_by -> BigInt,
        outgoing_at -> Timestamp,
        incoming_by -> Nullable<BigInt>,
        incoming_at -> Nullable<Timestamp>,
        reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    duty_presence (id) {
        id -> BigInt,
        shift_id -> BigInt,
        person_id -> BigInt,
        asked_by -> BigInt,
        asked_at -> Timestamp,
        due_at -> Timestamp,
        token_hash -> Text,
        confirmed_at -> Nullable<Timestamp>,
        confirmed_from -> Text,
        planned_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    duty_leads (person_id) {
        person_id -> BigInt,
        hours -> Integer,
        updated_by -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    duty_feeds (id) {
        id -> BigInt,
        token_hash -> Text,
        person_id -> Nullable<BigInt>,
        roster_id -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(duty_assignments -> people (person_id));
diesel::joinable!(duty_rosters -> units (unit_id));
diesel::joinable!(duty_periods -> duty_rosters (roster_id));
diesel::joinable!(duty_eligible -> duty_rosters (roster_id));
diesel::joinable!(duty_plans -> duty_rosters (roster_id));
diesel::joinable!(duty_shifts -> duty_rosters (roster_id));
diesel::joinable!(duty_shifts -> duty_plans (plan_id));
diesel::joinable!(duty_assignments -> duty_shifts (shift_id));
diesel::joinable!(duty_log -> duty_shifts (shift_id));
diesel::joinable!(duty_handovers -> duty_shifts (shift_id));
diesel::joinable!(duty_presence -> duty_shifts (shift_id));

diesel::allow_tables_to_appear_in_same_query!(
    duty_rosters,
    duty_periods,
    duty_eligible,
    duty_unavailable,
    duty_plans,
    duty_shifts,
    duty_assignments,
    duty_changes,
    duty_log,
    duty_handovers,
    duty_presence,
    duty_feeds,
    duty_leads,
);

// Each duty table with people and units (a pair may be declared only once in the whole schema).
diesel::allow_tables_to_appear_in_same_query!(duty_rosters, people);
diesel::allow_tables_to_appear_in_same_query!(duty_rosters, units);
diesel::allow_tables_to_appear_in_same_query!(duty_periods, people);
diesel::allow_tables_to_appear_in_same_query!(duty_periods, units);
diesel::allow_tables_to_appear_in_same_query!(duty_eligible, people);
diesel::allow_tables_to_appear_in_same_query!(duty_eligible, units);
diesel::allow_tables_to_appear_in_same_query!(duty_unavailable, people);
diesel::allow_tables_to_appear_in_same_query!(duty_unavailable, units);
diesel::allow_tables_to_appear_in_same_query!(duty_plans, people);
diesel::allow_tables_to_appear_in_same_query!(duty_plans, units);
diesel::allow_tables_to_appear_in_same_query!(duty_shifts, people);
diesel::allow_tables_to_appear_in_same_query!(duty_shifts, units);
diesel::allow_tables_to_appear_in_same_query!(duty_assignments, people);
diesel::allow_tables_to_appear_in_same_query!(duty_assignments, units);
diesel::allow_tables_to_appear_in_same_query!(duty_changes, people);
diesel::allow_tables_to_appear_in_same_query!(duty_changes, units);
diesel::allow_tables_to_appear_in_same_query!(duty_log, people);
diesel::allow_tables_to_appear_in_same_query!(duty_log, units);
diesel::allow_tables_to_appear_in_same_query!(duty_handovers, people);
diesel::allow_tables_to_appear_in_same_query!(duty_handovers, units);
diesel::allow_tables_to_appear_in_same_query!(duty_presence, people);
diesel::allow_tables_to_appear_in_same_query!(duty_presence, units);
diesel::allow_tables_to_appear_in_same_query!(duty_feeds, people);
diesel::allow_tables_to_appear_in_same_query!(duty_feeds, units);
diesel::allow_tables_to_appear_in_same_query!(duty_leads, people);
diesel::allow_tables_to_appear_in_same_query!(duty_leads, units);
