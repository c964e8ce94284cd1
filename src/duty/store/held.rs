//! What people hold across rosters: the places of a roster's year so far (fairness), the shifts of other
//! rosters at the same time (double booking), one person's shifts (their duty, reminders, feeds).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::shifts::ShiftRow;
use crate::db::schema_duty::{duty_assignments, duty_rosters, duty_shifts};
use crate::db::DbConn;

/// The places held on a roster's live shifts starting in `[from, to)`: `(person, kind of day, start)`.
pub fn held_between(
    conn: &mut DbConn,
    roster: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(i64, String, NaiveDateTime)>> {
    duty_assignments::table
        .inner_join(duty_shifts::table)
        .filter(duty_shifts::roster_id.eq(roster))
        .filter(duty_shifts::live.eq(true))
        .filter(duty_shifts::starts_at.ge(from))
        .filter(duty_shifts::starts_at.lt(to))
        .select((
            duty_assignments::person_id,
            duty_shifts::day_class,
            duty_shifts::starts_at,
        ))
        .load(conn)
}

/// The live shifts of other rosters that the given people hold in `[from, to]`, those that only touch it
/// included (one ending as it begins leaves no rest): `(person, start, end, roster name)`.
pub fn elsewhere(
    conn: &mut DbConn,
    roster: i64,
    people: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(i64, NaiveDateTime, NaiveDateTime, String)>> {
    duty_assignments::table
        .inner_join(duty_shifts::table.inner_join(duty_rosters::table))
        .filter(duty_shifts::roster_id.ne(roster))
        .filter(duty_shifts::live.eq(true))
        .filter(duty_assignments::person_id.eq_any(people.to_vec()))
        .filter(duty_shifts::ends_at.ge(from))
        .filter(duty_shifts::starts_at.le(to))
        .select((
            duty_assignments::person_id,
            duty_shifts::starts_at,
            duty_shifts::ends_at,
            duty_rosters::name,
        ))
        .load(conn)
}

/// The live shifts a person holds in `[from, to)` with their roster's name, in time order.
pub fn of_person(
    conn: &mut DbConn,
    person: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(ShiftRow, String, String)>> {
    duty_assignments::table
        .inner_join(duty_shifts::table.inner_join(duty_rosters::table))
        .filter(duty_assignments::person_id.eq(person))
        .filter(duty_shifts::live.eq(true))
        .filter(duty_shifts::ends_at.gt(from))
        .filter(duty_shifts::starts_at.lt(to))
        .order(duty_shifts::starts_at)
        .select((
            ShiftRow::as_select(),
            duty_assignments::role,
            duty_rosters::name,
        ))
        .load(conn)
}
