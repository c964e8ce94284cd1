//! Days a person has said they cannot be on duty (besides leave): generation leaves them out.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_duty::duty_unavailable;
use crate::db::DbConn;

/// Days a person cannot be on duty.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = duty_unavailable)]
pub struct Unavailable {
    pub id: i64,
    pub person_id: i64,
    pub starts_on: NaiveDate,
    /// The last day.
    pub ends_on: NaiveDate,
    pub reason: String,
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

/// The given people's unavailable ranges touching `from..=to`: `(person, first day, last day)`.
pub fn between(
    conn: &mut DbConn,
    people: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(i64, NaiveDate, NaiveDate)>> {
    duty_unavailable::table
        .filter(duty_unavailable::person_id.eq_any(people.to_vec()))
        .filter(duty_unavailable::starts_on.le(to))
        .filter(duty_unavailable::ends_on.ge(from))
        .select((
            duty_unavailable::person_id,
            duty_unavailable::starts_on,
            duty_unavailable::ends_on,
        ))
        .load(conn)
}

/// A person's unavailable ranges ending on or after `from`.
pub fn of_person(conn: &mut DbConn, person: i64, from: NaiveDate) -> QueryResult<Vec<Unavailable>> {
    duty_unavailable::table
        .filter(duty_unavailable::person_id.eq(person))
        .filter(duty_unavailable::ends_on.ge(from))
        .order(duty_unavailable::starts_on)
        .select(Unavailable::as_select())
        .load(conn)
}

/// Records days a person cannot be on duty.
pub fn insert(
    conn: &mut DbConn,
    person: i64,
    (from, to): (NaiveDate, NaiveDate),
    reason: &str,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<Unavailable> {
    diesel::insert_into(duty_unavailable::table)
        .values((
            duty_unavailable::person_id.eq(person),
            duty_unavailable::starts_on.eq(from),
            duty_unavailable::ends_on.eq(to),
            duty_unavailable::reason.eq(reason),
            duty_unavailable::created_by.eq(by),
            duty_unavailable::created_at.eq(now),
        ))
        .returning(duty_unavailable::id)
        .get_result::<i64>(conn)
        .and_then(|id| {
            duty_unavailable::table
                .find(id)
                .select(Unavailable::as_select())
                .first(conn)
        })
}

/// Removes a range of a person; false when there was none.
pub fn delete(conn: &mut DbConn, person: i64, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(
        duty_unavailable::table
            .filter(duty_unavailable::id.eq(id))
            .filter(duty_unavailable::person_id.eq(person)),
    )
    .execute(conn)?
        == 1)
}
