//! Who is calling: the acting account of a bearer token or a session, read in the request's own blocking
//! call. Never commits (a token's last use is noted at most once a minute, outside any transaction).

use chrono::{DateTime, Utc};

use super::{find_account, find_live_token, find_person, grants_of, touch_token, Account};
use crate::db::{db_time, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::org::credentials::token_hash;
use crate::org::model::{Actor, Role};

/// The acting account of an active account row.
pub fn actor_of(conn: &mut DbConn, account: &Account) -> ServiceResult<Actor> {
    let person = match account.person_id {
        Some(p) => find_person(conn, p)?,
        None => None,
    };
    Ok(Actor {
        account_id: account.id,
        username: account.username.clone(),
        name: person
            .as_ref()
            .map_or_else(|| account.username.clone(), |p| p.name.clone()),
        person_id: person.as_ref().map(|p| p.id),
        unit_id: person.map(|p| p.unit_id),
        grants: grants_of(conn, account.id)?,
        lang: account.lang(),
        units: Some(std::sync::Arc::new(super::unit_tree(conn)?)),
    })
}

/// The acting account of a session cookie, if the account is still active and the session not cut.
pub fn actor_for_session(
    conn: &mut DbConn,
    account_id: i64,
    session_version: i64,
) -> ServiceResult<Option<Actor>> {
    match find_account(conn, account_id)? {
        Some(a) if a.active && a.session_version == session_version => {
            Ok(Some(actor_of(conn, &a)?))
        }
        _ => Ok(None),
    }
}

/// The acting account of a bearer token, if the token is live and its account active.
pub fn actor_for_token(conn: &mut DbConn, now: DateTime<Utc>, token: &str) -> ServiceResult<Actor> {
    let token = find_live_token(conn, &token_hash(token))?.ok_or(ServiceError::Unauthenticated)?;
    let account = find_account(conn, token.account_id)?
        .filter(|a| a.active)
        .ok_or(ServiceError::Unauthenticated)?;
    // Best effort, and at most once a minute: a read must not queue for the write lock on every request.
    let stale = db_time(now) - chrono::Duration::minutes(1);
    if token.last_used_at.is_none_or(|t| t < stale) {
        let _ = touch_token(conn, token.id, db_time(now));
    }
    actor_of(conn, &account)
}

/// The units an administrator oversees: `None` for a district administrator (everything, including records of
/// no unit), else every unit within their scopes; refused for someone who administers nothing.
pub fn administered_units(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Option<Vec<i64>>> {
    match actor.scopes(&[Role::Administrator]) {
        None => Ok(None),
        Some(scopes) if scopes.is_empty() => Err(ServiceError::Forbidden),
        Some(scopes) => Ok(Some(super::unit_tree(conn)?.units_within(&scopes))),
    }
}
