//! Duty use cases, one transaction each: load, apply the model's rules, persist, audit, tell the people
//! concerned.

pub mod availability;
pub mod change_list;
pub mod changes;
pub mod clashes;
pub mod directory;
mod drafts;
pub mod feeds;
pub mod gaps;
pub mod import;
pub mod log;
pub mod mine;
pub mod month;
pub mod now;
pub mod options;
pub mod plan_view;
pub mod plans;
pub mod presence;
pub mod reports;
pub mod rosters;
pub mod tell;

use std::collections::HashMap;

use crate::db::DbConn;
use crate::duty::model::manages_duty;
use crate::duty::store::rosters::{self as store, Roster};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// A roster anyone signed in may look at (404 when there is none).
pub fn roster_for(conn: &mut DbConn, id: i64) -> ServiceResult<Roster> {
    store::find(conn, id)?.ok_or_else(|| ServiceError::not_found("该值班表", "Roster"))
}

/// Whether the actor manages the roster's duty.
pub fn manages(conn: &mut DbConn, actor: &Actor, roster: &Roster) -> ServiceResult<bool> {
    let tree = org_store::tree_of(conn, actor)?;
    Ok(manages_duty(actor, roster.unit_id, &tree))
}

/// A roster the actor manages (403 otherwise, 404 when there is none).
pub fn managed_roster(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<Roster> {
    let roster = roster_for(conn, id)?;
    if manages(conn, actor, &roster)? {
        Ok(roster)
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Every person's name, by id.
pub fn names(conn: &mut DbConn) -> ServiceResult<HashMap<i64, String>> {
    Ok(org_store::all_person_names(conn)?.into_iter().collect())
}

/// The people who hold one of `roles` over `unit` (district-wide grants included), each once.
pub fn people_over(
    conn: &mut DbConn,
    unit: i64,
    roles: &[crate::org::model::Role],
) -> ServiceResult<Vec<i64>> {
    let tree = org_store::unit_tree(conn)?;
    let mut out: Vec<i64> = store::role_holders(conn, roles)?
        .into_iter()
        .filter(|(_, scope)| scope.is_none_or(|s| tree.is_within(unit, s)))
        .map(|(p, _)| p)
        .collect();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}
