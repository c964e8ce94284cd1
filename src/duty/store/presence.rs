//! Presence checks (查岗): one per person on a shift, answered through a secret link.

use chrono::NaiveDateTime;
use diesel::prelude::*;
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
    /// The account that asked.
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
}

/// Stores a check; returns its id.
pub fn insert(
    conn: &mut DbConn,
    (shift, person): (i64, i64),
    by: i64,
    (asked_at, due_at): (NaiveDateTime, NaiveDateTime),
    token_hash: &str,
) -> QueryResult<i64> {
    diesel::insert_into(duty_presence::table)
        .values((
            duty_presence::shift_id.eq(shift),
            duty_presence::person_id.eq(person),
            duty_presence::asked_by.eq(by),
            duty_presence::asked_at.eq(asked_at),
            duty_presence::due_at.eq(due_at),
            duty_presence::token_hash.eq(token_hash),
        ))
        .returning(duty_presence::id)
        .get_result(conn)
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
