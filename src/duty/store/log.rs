//! The duty log (值班日志) of each shift and its handover (交接班记录).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_duty::{duty_handovers, duty_log, duty_shifts};
use crate::db::DbConn;

/// A duty log entry.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = duty_log)]
pub struct Entry {
    pub id: i64,
    pub shift_id: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub occurred_at: NaiveDateTime,
    pub caller_unit: String,
    pub caller_name: String,
    pub caller_phone: String,
    /// What happened.
    pub summary: String,
    /// Who was notified.
    pub notified: String,
    /// How it was handled.
    pub handling: String,
    /// Still open (handed over to the next shift).
    pub open: bool,
    pub recorded_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: NaiveDateTime,
    pub closed_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<NaiveDateTime>,
}

/// A new log entry.
pub struct NewEntry {
    pub shift_id: i64,
    pub occurred_at: NaiveDateTime,
    pub caller_unit: String,
    pub caller_name: String,
    pub caller_phone: String,
    pub summary: String,
    pub notified: String,
    pub handling: String,
    pub open: bool,
}

/// Stores a log entry.
pub fn insert(conn: &mut DbConn, e: &NewEntry, by: i64, now: NaiveDateTime) -> QueryResult<Entry> {
    diesel::insert_into(duty_log::table)
        .values((
            duty_log::shift_id.eq(e.shift_id),
            duty_log::occurred_at.eq(e.occurred_at),
            duty_log::caller_unit.eq(&e.caller_unit),
            duty_log::caller_name.eq(&e.caller_name),
            duty_log::caller_phone.eq(&e.caller_phone),
            duty_log::summary.eq(&e.summary),
            duty_log::notified.eq(&e.notified),
            duty_log::handling.eq(&e.handling),
            duty_log::open.eq(e.open),
            duty_log::recorded_by.eq(by),
            duty_log::recorded_at.eq(now),
        ))
        .returning(duty_log::id)
        .get_result::<i64>(conn)
        .and_then(|id| find(conn, id)?.ok_or(diesel::result::Error::NotFound))
}

/// A log entry by id.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Entry>> {
    duty_log::table
        .find(id)
        .select(Entry::as_select())
        .first(conn)
        .optional()
}

/// Closes an open entry with how it ended; false when it was already closed.
pub fn close(
    conn: &mut DbConn,
    id: i64,
    handling: &str,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    Ok(diesel::update(
        duty_log::table
            .filter(duty_log::id.eq(id))
            .filter(duty_log::open.eq(true)),
    )
    .set((
        duty_log::open.eq(false),
        duty_log::handling.eq(handling),
        duty_log::closed_by.eq(by),
        duty_log::closed_at.eq(now),
    ))
    .execute(conn)?
        == 1)
}

/// The entries of the given shifts, in time order.
pub fn of_shifts(conn: &mut DbConn, shifts: &[i64]) -> QueryResult<Vec<Entry>> {
    duty_log::table
        .filter(duty_log::shift_id.eq_any(shifts.to_vec()))
        .order((duty_log::occurred_at, duty_log::id))
        .select(Entry::as_select())
        .load(conn)
}

/// Open entries of a roster's shifts that started before `before` (matters carried to the next shift).
pub fn open_of_roster(
    conn: &mut DbConn,
    roster: i64,
    before: NaiveDateTime,
) -> QueryResult<Vec<Entry>> {
    duty_log::table
        .inner_join(duty_shifts::table)
        .filter(duty_shifts::roster_id.eq(roster))
        .filter(duty_shifts::starts_at.lt(before))
        .filter(duty_log::open.eq(true))
        .order(duty_log::occurred_at)
        .select(Entry::as_select())
        .load(conn)
}

/// A handover (交接班记录): the outgoing side's signature with open matters and the checklist ticked, then
/// the incoming side's.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = duty_handovers)]
pub struct Handover {
    /// The outgoing shift.
    pub shift_id: i64,
    pub open_matters: String,
    /// The checklist items ticked, one per line.
    pub checked: String,
    pub note: String,
    pub outgoing_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub outgoing_at: NaiveDateTime,
    pub incoming_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub incoming_at: Option<NaiveDateTime>,
}

/// The handover at the end of a shift.
pub fn handover(conn: &mut DbConn, shift: i64) -> QueryResult<Option<Handover>> {
    duty_handovers::table
        .find(shift)
        .select(Handover::as_select())
        .first(conn)
        .optional()
}

/// The handovers of the given shifts.
pub fn handovers(conn: &mut DbConn, shifts: &[i64]) -> QueryResult<Vec<Handover>> {
    duty_handovers::table
        .filter(duty_handovers::shift_id.eq_any(shifts.to_vec()))
        .select(Handover::as_select())
        .load(conn)
}

/// The outgoing side signs.
pub fn sign_outgoing(
    conn: &mut DbConn,
    shift: i64,
    (open_matters, checked, note): (&str, &str, &str),
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(duty_handovers::table)
        .values((
            duty_handovers::shift_id.eq(shift),
            duty_handovers::open_matters.eq(open_matters),
            duty_handovers::checked.eq(checked),
            duty_handovers::note.eq(note),
            duty_handovers::outgoing_by.eq(by),
            duty_handovers::outgoing_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The incoming side confirms; false when someone already had.
pub fn sign_incoming(
    conn: &mut DbConn,
    shift: i64,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    Ok(diesel::update(
        duty_handovers::table
            .filter(duty_handovers::shift_id.eq(shift))
            .filter(duty_handovers::incoming_by.is_null()),
    )
    .set((
        duty_handovers::incoming_by.eq(by),
        duty_handovers::incoming_at.eq(now),
    ))
    .execute(conn)?
        == 1)
}

/// Live shifts of active rosters that ended in `[from, to)` with no handover signed by both sides.
pub fn unsigned_between(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64, NaiveDateTime)>> {
    duty_shifts::table
        .left_join(duty_handovers::table)
        .filter(duty_shifts::live.eq(true))
        .filter(duty_shifts::ends_at.ge(from))
        .filter(duty_shifts::ends_at.lt(to))
        .filter(duty_handovers::incoming_at.is_null())
        .select((
            duty_shifts::id,
            duty_shifts::roster_id,
            duty_shifts::ends_at,
        ))
        .load(conn)
}

/// The names signatures show: each account's person's name, else its username.
pub fn signers(conn: &mut DbConn, accounts: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    use crate::db::schema::{accounts, people};
    let rows: Vec<(i64, String, Option<String>)> = accounts::table
        .left_join(people::table)
        .filter(accounts::id.eq_any(accounts.to_vec()))
        .select((accounts::id, accounts::username, people::name.nullable()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, user, name)| (id, name.unwrap_or(user)))
        .collect())
}
