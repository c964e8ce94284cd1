//! Organisation use cases, one transaction each: load, apply the model's rules, persist, audit.

pub mod accounts;
pub mod auth;
pub mod people;
pub mod units;

use crate::error::{ServiceError, ServiceResult};

/// Names to show instead of ids (units, people, accounts) on pages that show records of any kind.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub units: std::collections::HashMap<i64, String>,
    pub people: std::collections::HashMap<i64, String>,
    pub accounts: std::collections::HashMap<i64, String>,
}

/// The name to show for each account (its person's name, else its username).
pub fn account_names(
    conn: &mut crate::db::DbConn,
) -> ServiceResult<std::collections::HashMap<i64, String>> {
    Ok(crate::org::store::account_names(conn)?
        .into_iter()
        .collect())
}

/// Every unit, person and account by id.
pub fn directory(conn: &mut crate::db::DbConn) -> ServiceResult<Directory> {
    use crate::org::store;
    Ok(Directory {
        units: store::unit_names(conn, false)?.into_iter().collect(),
        people: store::all_person_names(conn)?.into_iter().collect(),
        accounts: account_names(conn)?,
    })
}

/// Passes a change's outcome on; a change that took effect forgets the callers this process remembers, so a
/// revoked token, a deactivated account or changed roles count from the next request (see
/// [`crate::org::callers`]).
fn forgetting_callers<T>(outcome: ServiceResult<T>) -> ServiceResult<T> {
    if outcome.is_ok() {
        crate::org::callers::forget_all();
    }
    outcome
}

/// Turns "no such row" into a 404 naming the thing.
fn found<T>(row: Option<T>, zh: &'static str, en: &'static str) -> ServiceResult<T> {
    row.ok_or_else(|| ServiceError::not_found(zh, en))
}

/// Whether `actor` may do `action` on records of `unit` (for showing or hiding buttons; services still check).
pub fn may(
    conn: &mut crate::db::DbConn,
    actor: &crate::org::model::Actor,
    action: crate::org::model::OrgAction,
    unit: Option<i64>,
) -> ServiceResult<bool> {
    let tree = crate::org::store::tree_of(conn, actor)?;
    Ok(crate::org::model::authorize(actor, action, unit, &tree).is_ok())
}
