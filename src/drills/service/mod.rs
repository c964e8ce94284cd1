//! Use cases of the drills area, one transaction each, and who may do what: those who may see a unit's
//! drills (any role covering it), manage them (its head or drill coordinator, office staff, administrators),
//! decide a scheme (its head or office staff) and approve an annual plan (office staff only).

pub mod actions;
pub mod annual;
pub mod calendar;
pub mod compliance;
pub mod drills;
pub mod export;
pub mod feeds;
pub mod materials;
pub mod participants;
pub mod registry;
pub mod worklist;

use std::collections::HashMap;

use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::{Actor, Role};
use crate::org::store as org_store;

/// Who manages a unit's plans and drills.
pub const MANAGERS: &[Role] = &[
    Role::UnitHead,
    Role::DrillCoordinator,
    Role::OfficeStaff,
    Role::Administrator,
];
/// Who approves a drill's scheme.
pub const DECIDERS: &[Role] = &[Role::UnitHead, Role::OfficeStaff];

/// What an actor may do with one unit's drills.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rights {
    pub see: bool,
    pub manage: bool,
    pub decide: bool,
    /// Office staff over the unit: approve its annual plan.
    pub office: bool,
}

/// The actor's rights over `unit`.
pub fn rights(conn: &mut DbConn, actor: &Actor, unit: i64) -> ServiceResult<Rights> {
    let tree = org_store::tree_of(conn, actor)?;
    Ok(Rights {
        see: actor.covers(Role::ALL, Some(unit), &tree),
        manage: actor.covers(MANAGERS, Some(unit), &tree),
        decide: actor.covers(DECIDERS, Some(unit), &tree),
        office: actor.covers(&[Role::OfficeStaff], Some(unit), &tree),
    })
}

/// The units whose drills the actor sees; `None`: every unit.
pub fn visible_units(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Option<Vec<i64>>> {
    match actor.scopes(Role::ALL) {
        None => Ok(None),
        Some(tops) => {
            let tree = org_store::tree_of(conn, actor)?;
            Ok(Some(tree.units_within(&tops)))
        }
    }
}

/// Whether the actor may manage plans anywhere (to offer the forms).
pub fn manages_any(actor: &Actor) -> bool {
    actor.holds_any(MANAGERS)
}

/// Every unit's name.
pub fn unit_names(conn: &mut DbConn) -> ServiceResult<HashMap<i64, String>> {
    Ok(org_store::unit_names(conn, false)?.into_iter().collect())
}

/// Every person's name.
pub fn person_names(conn: &mut DbConn) -> ServiceResult<HashMap<i64, String>> {
    Ok(org_store::all_person_names(conn)?.into_iter().collect())
}

pub(crate) fn name_of(names: &HashMap<i64, String>, id: i64) -> String {
    names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
}

pub(crate) fn no_drill() -> ServiceError {
    ServiceError::not_found("该演练", "Drill")
}

pub(crate) fn no_plan() -> ServiceError {
    ServiceError::not_found("该预案", "Plan")
}

pub(crate) fn stale() -> ServiceError {
    ServiceError::conflict(
        "该记录刚被其他人修改，请刷新后重试",
        "Someone else just changed this record; refresh and try again",
    )
}

/// The instant (UTC, as stored) the office's day `d` begins.
pub fn day_start(d: chrono::NaiveDate, tz: chrono_tz::Tz) -> chrono::NaiveDateTime {
    use chrono::TimeZone;
    let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&midnight)
        .earliest()
        .map_or(midnight, |t| t.naive_utc())
}

/// The office's day of a stored instant.
pub fn local_day(t: chrono::NaiveDateTime, tz: chrono_tz::Tz) -> chrono::NaiveDate {
    t.and_utc().with_timezone(&tz).date_naive()
}
