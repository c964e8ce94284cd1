//! The slot guard of scheduled jobs: one row per job and tick, taken by exactly one instance.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};

use crate::db::schema::job_runs;
use crate::db::DbConn;

/// Takes a job's tick for `owner`: true for exactly one instance per job and slot.
pub fn claim_slot(
    conn: &mut DbConn,
    job: &str,
    slot: NaiveDateTime,
    owner: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::sql_query(
        "INSERT INTO job_runs (job, slot, owner, started_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (job, slot) DO NOTHING",
    )
    .bind::<Text, _>(job)
    .bind::<Timestamp, _>(slot)
    .bind::<Text, _>(owner)
    .bind::<Timestamp, _>(now)
    .execute(conn)?;
    Ok(n == 1)
}

/// Forgets job slots from before `before`.
pub fn prune_slots(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(job_runs::table.filter(job_runs::slot.lt(before))).execute(conn)
}
