//! Table definitions of the holiday calendar (kept by hand, like `schema`).

diesel::table! {
    calendar_days (day) {
        day -> Date,
        kind -> Text,
        name -> Text,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    calendar_years (year) {
        year -> Integer,
        note -> Text,
        marked_by -> Nullable<BigInt>,
        marked_at -> Timestamp,
    }
}
