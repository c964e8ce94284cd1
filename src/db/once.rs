//! Requests done once: a request sent with a one-time key (a form's token, an API `Idempotency-Key`)
//! is done in the same transaction that records its answer, so a repeat (a double tap, a browser or
//! client retry) gets the first answer back instead of doing the work twice.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DbError};

use super::schema::request_keys;
use super::{write_tx, DbConn};

/// What a request answered: a status and a body (JSON for the API; where to go next for a form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: i32,
    pub body: String,
}

/// The outcome of a keyed request.
#[derive(Debug)]
pub enum Once<E> {
    /// Done now (`repeat` false), or done before for the same request (`repeat` true).
    Answered { answer: Answer, repeat: bool },
    /// The key was used before for a different request.
    Reused,
    /// The work refused (or the database failed): nothing was recorded, so a corrected request may use
    /// the key again.
    Refused(E),
}

enum Fail<E> {
    Work(E),
    Db(DbError),
}

impl<E> From<DbError> for Fail<E> {
    fn from(e: DbError) -> Self {
        Fail::Db(e)
    }
}

fn recorded(
    conn: &mut DbConn,
    account_id: i64,
    key: &str,
    fingerprint: &str,
) -> QueryResult<Option<Once<std::convert::Infallible>>> {
    let before: Option<(String, i32, String)> = request_keys::table
        .find((account_id, key))
        .select((
            request_keys::fingerprint,
            request_keys::status,
            request_keys::body,
        ))
        .first(conn)
        .optional()?;
    Ok(before.map(|(fp, status, body)| {
        if fp == fingerprint {
            Once::Answered {
                answer: Answer { status, body },
                repeat: true,
            }
        } else {
            Once::Reused
        }
    }))
}

fn widen<E>(once: Once<std::convert::Infallible>) -> Once<E> {
    match once {
        Once::Answered { answer, repeat } => Once::Answered { answer, repeat },
        Once::Reused => Once::Reused,
        Once::Refused(never) => match never {},
    }
}

/// Runs `work` once per (account, key): a repeat with the same `fingerprint` (what the request was) gets the
/// first answer; a different request with a used key is [`Once::Reused`]. A refusal records nothing.
pub fn run<E, F>(
    conn: &mut DbConn,
    account_id: i64,
    key: &str,
    fingerprint: &str,
    now: NaiveDateTime,
    work: F,
) -> Once<E>
where
    F: FnOnce(&mut DbConn) -> Result<Answer, E>,
    E: From<DbError>,
{
    let outcome = write_tx(conn, |c| -> Result<Once<E>, Fail<E>> {
        if let Some(before) = recorded(c, account_id, key, fingerprint)? {
            return Ok(widen(before));
        }
        let answer = work(c).map_err(Fail::Work)?;
        diesel::insert_into(request_keys::table)
            .values((
                request_keys::account_id.eq(account_id),
                request_keys::key.eq(key),
                request_keys::fingerprint.eq(fingerprint),
                request_keys::status.eq(answer.status),
                request_keys::body.eq(&answer.body),
                request_keys::created_at.eq(now),
            ))
            .execute(c)?;
        Ok(Once::Answered {
            answer,
            repeat: false,
        })
    });
    match outcome {
        Ok(once) => once,
        Err(Fail::Work(e)) => Once::Refused(e),
        // The same request ran alongside and recorded first (PostgreSQL): this one's work was rolled
        // back, and its answer is the first one's.
        Err(Fail::Db(DbError::DatabaseError(DatabaseErrorKind::UniqueViolation, info))) => {
            match recorded(conn, account_id, key, fingerprint) {
                Ok(Some(first)) => widen(first),
                Ok(None) => Once::Refused(E::from(DbError::DatabaseError(
                    DatabaseErrorKind::UniqueViolation,
                    info,
                ))),
                Err(e) => Once::Refused(E::from(e)),
            }
        }
        Err(Fail::Db(e)) => Once::Refused(E::from(e)),
    }
}

/// Forgets answers recorded before `before` (a day is long enough for any retry).
pub fn prune(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(request_keys::table.filter(request_keys::created_at.lt(before))).execute(conn)
}
