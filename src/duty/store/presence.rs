//! Presence checks (查岗): one per person on a shift, answered through a secret link.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};
use serde::Serialize;

use crate::db::schema_duty::{duty_presence, duty_shifts};
use crate::db::DbConn;

/// A presence check of one person on a shift.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = duty_presence)]
pub struct Check {
    pub id: i64,
    pub shift_id: i64,
    pub person_id: i64,
    /// The account that asked (0 when the schedule asked).
    pub asked_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub asked_at: NaiveDateTime,
    /// Confirm by then.
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub due_at: NaiveDateTime,
    #[serde(skip)]
    pub token_hash: String,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub confirmed_at: Option<NaiveDateTime>,
    /// The address the confirmation came from.
    pub confirmed_from: String,
    /// An unannounced check (随机查岗) asked by the schedule: the time it was planned for; `null` when a
    /// person asked.
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub planned_at: Option<NaiveDateTime>,
}

impl Check {
    /// Whether the schedule asked (an unannounced check) rather than a person.
    pub fn by_schedule(&self) -> bool {
        self.planned_at.is_some()
    }
}

/// A check to store.
#[derive(Debug, Clone, Copy)]
pub struct NewCheck<'a> {
    pub shift_id: i64,
    pub person_id: i64,
    /// The asking account (0: the schedule).
    pub asked_by: i64,
    pub asked_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub token_hash: &'a str,
    /// The planned time of an unannounced check.
    pub planned_at: Option<NaiveDateTime>,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Stores a check unless the person was already asked at that planned time (another instance, a rerun);
/// returns the new id, or `None`. A check asked by hand has no planned time and is always new.
pub fn insert(conn: &mut DbConn, c: &NewCheck<'_>) -> QueryResult<Option<i64>> {
    Ok(diesel::sql_query(
        "INSERT INTO duty_presence (shift_id, person_id, asked_by, asked_at, due_at, token_hash, planned_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (shift_id, person_id, planned_at) DO NOTHING RETURNING id",
    )
    .bind::<BigInt, _>(c.shift_id)
    .bind::<BigInt, _>(c.person_id)
    .bind::<BigInt, _>(c.asked_by)
    .bind::<Timestamp, _>(c.asked_at)
    .bind::<Timestamp, _>(c.due_at)
    .bind::<Text, _>(c.token_hash)
    .bind::<Nullable<Timestamp>, _>(c.planned_at)
    .get_result::<Id>(conn)
    .optional()?
    .map(|r| r.id))
}

/// The check a link's token belongs to.
pub fn by_token(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<Check>> {
    duty_presence::table
        .filter(duty_presence::token_hash.eq(token_hash))
        .select(Check::as_select())
        .first(conn)
        .optional()
}

/// Records the confirmation; false when it was already confirmed.
pub fn confirm(conn: &mut DbConn, id: i64, at: NaiveDateTime, from: &str) -> QueryResult<bool> {
    Ok(diesel::update(
        duty_presence::table
            .filter(duty_presence::id.eq(id))
            .filter(duty_presence::confirmed_at.is_null()),
    )
    .set((
        duty_presence::confirmed_at.eq(at),
        duty_presence::confirmed_from.eq(from),
    ))
    .execute(conn)?
        == 1)
}

/// The checks of a shift, newest first.
pub fn of_shift(conn: &mut DbConn, shift: i64) -> QueryResult<Vec<Check>> {
    duty_presence::table
        .filter(duty_presence::shift_id.eq(shift))
        .order((duty_presence::asked_at.desc(), duty_presence::person_id))
        .select(Check::as_select())
        .load(conn)
}

/// Unanswered checks that fell due in `[from, to)`, with their roster.
pub fn missed(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(Check, i64)>> {
    duty_presence::table
        .inner_join(duty_shifts::table)
        .filter(duty_presence::confirmed_at.is_null())
        .filter(duty_presence::due_at.ge(from))
        .filter(duty_presence::due_at.lt(to))
        .select((Check::as_select(), duty_shifts::roster_id))
        .load(conn)
}
