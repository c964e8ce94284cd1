//! Each person's own reminder lead before a shift (班前提醒); no row follows the roster's.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Timestamp};

use crate::db::schema_duty::duty_leads;
use crate::db::DbConn;
use crate::duty::model::ReminderLead;

/// A person's lead.
pub fn of_person(conn: &mut DbConn, person: i64) -> QueryResult<ReminderLead> {
    let hours = duty_leads::table
        .find(person)
        .select(duty_leads::hours)
        .first::<i32>(conn)
        .optional()?;
    Ok(ReminderLead::from_stored(hours))
}

/// The leads of everyone who chose their own (everyone else follows their rosters).
pub fn chosen(conn: &mut DbConn) -> QueryResult<HashMap<i64, ReminderLead>> {
    Ok(duty_leads::table
        .select((duty_leads::person_id, duty_leads::hours))
        .load::<(i64, i32)>(conn)?
        .into_iter()
        .map(|(p, h)| (p, ReminderLead::from_stored(Some(h))))
        .collect())
}

/// Records a person's lead (the roster's removes their own).
pub fn set(
    conn: &mut DbConn,
    person: i64,
    lead: ReminderLead,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    match lead.stored() {
        None => {
            diesel::delete(duty_leads::table.find(person)).execute(conn)?;
        }
        Some(hours) => {
            diesel::sql_query(
                "INSERT INTO duty_leads (person_id, hours, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (person_id) DO UPDATE SET hours = excluded.hours, \
                 updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind::<BigInt, _>(person)
            .bind::<Integer, _>(hours)
            .bind::<BigInt, _>(by)
            .bind::<Timestamp, _>(now)
            .execute(conn)?;
        }
    }
    Ok(())
}
