//! Rosters (值班表): created and changed by those who manage the unit's duty, with their periods and the
//! people eligible for each role.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{managed_roster, manages, roster_for};
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn, WriteError};
use crate::duty::model::{manages_duty, DutyRole, Period, PeriodInput, RosterInput};
use crate::duty::store::rosters::{self as store, Roster};
use crate::duty::store::shifts::{self as shift_store, PlanRow};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::org::store as org_store;
use crate::teams::model::MemberStatus;
use crate::teams::store::members as member_store;

fn taken(e: WriteError) -> ServiceError {
    match e {
        WriteError::AlreadyExists => {
            ServiceError::conflict("已有同名值班表", "A roster with this name exists")
        }
        WriteError::Db(e) => e.into(),
    }
}

/// A roster with everything its page shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RosterView {
    pub roster: Roster,
    pub unit_name: String,
    pub periods: Vec<Period>,
    /// Eligible people: `(person, name, role)`.
    pub eligible: Vec<Eligible>,
    pub plans: Vec<PlanRow>,
    /// Whether the caller manages this roster.
    pub manage: bool,
}

/// A person eligible for a role on a roster.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Eligible {
    pub person_id: i64,
    pub name: String,
    pub role: DutyRole,
}

/// Every roster with its unit's name.
pub fn list(conn: &mut DbConn) -> ServiceResult<Vec<(Roster, String)>> {
    let units: std::collections::HashMap<i64, String> =
        org_store::unit_names(conn, false)?.into_iter().collect();
    Ok(store::all(conn)?
        .into_iter()
        .map(|r| {
            let unit = units.get(&r.unit_id).cloned().unwrap_or_default();
            (r, unit)
        })
        .collect())
}

/// A roster with its periods, people and plans.
pub fn view(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<RosterView> {
    let roster = roster_for(conn, id)?;
    let names = super::names(conn)?;
    let eligible = store::eligible(conn, id)?
        .into_iter()
        .map(|(person_id, role)| Eligible {
            person_id,
            name: names.get(&person_id).cloned().unwrap_or_default(),
            role,
        })
        .collect();
    Ok(RosterView {
        unit_name: org_store::find_unit(conn, roster.unit_id)?
            .map(|u| u.name)
            .unwrap_or_default(),
        periods: store::periods(conn, id)?,
        plans: shift_store::plans_of(conn, id)?,
        manage: manages(conn, actor, &roster)?,
        eligible,
        roster,
    })
}

/// Creates a roster for a unit the actor manages the duty of.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    input: RosterInput,
) -> ServiceResult<Roster> {
    write_tx(conn, |c| {
        let unit = org_store::find_unit(c, input.unit_id)?
            .filter(|u| u.active)
            .ok_or_else(|| {
                ServiceError::invalid("unit_id", "没有这个在用单位", "No such active unit")
            })?;
        let tree = org_store::tree_of(c, actor)?;
        if !manages_duty(actor, unit.id, &tree) {
            return Err(ServiceError::Forbidden);
        }
        let roster = store::insert(c, &input, db_time(now)).map_err(taken)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("roster", roster.id, Some(unit.id), None, Some(&roster)),
        )?;
        Ok(roster)
    })
    .inspect(|_| super::now::changed())
}

/// Changes a roster (its unit stays; a roster is retired by making it inactive).
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    input: RosterInput,
    active: bool,
) -> ServiceResult<Roster> {
    write_tx(conn, |c| {
        let before = managed_roster(c, actor, id)?;
        if input.unit_id != before.unit_id {
            return Err(ServiceError::invalid(
                "unit_id",
                "值班表所属单位不能更改",
                "A roster stays with its unit",
            ));
        }
        store::update(c, id, &input, active, db_time(now)).map_err(taken)?;
        let after = roster_for(c, id)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "roster",
                id,
                Some(after.unit_id),
                Some(&before),
                Some(&after),
            ),
        )?;
        Ok(after)
    })
    .inspect(|_| super::now::changed())
}

/// Adds a period with its own composition (汛期, 节假日, 重要时段); overlapping another is refused.
pub fn add_period(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    roster: i64,
    parse: impl FnOnce(&[Period]) -> ServiceResult<PeriodInput>,
) -> ServiceResult<Period> {
    write_tx(conn, |c| {
        let r = managed_roster(c, actor, roster)?;
        let others = store::periods(c, roster)?;
        let input = parse(&others)?;
        let id = store::insert_period(c, roster, &input)?;
        let period = store::periods(c, roster)?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| ServiceError::Internal("period vanished".into()))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_period", id, Some(r.unit_id), None, Some(&period)),
        )?;
        Ok(period)
    })
}

/// Removes a period.
pub fn remove_period(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    roster: i64,
    id: i64,
) -> ServiceResult<()> {
    write_tx(conn, |c| {
        let r = managed_roster(c, actor, roster)?;
        let before = store::periods(c, roster)?.into_iter().find(|p| p.id == id);
        if !store::delete_period(c, roster, id)? {
            return Err(ServiceError::not_found("该时段", "Period"));
        }
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "duty_period",
                id,
                Some(r.unit_id),
                before.as_ref(),
                None::<&Period>,
            ),
        )?;
        Ok(())
    })
}

/// Where the eligible people come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// These people for these roles.
    People(Vec<(i64, DutyRole)>),
    /// The people of the roster's unit whose accounts hold the duty leader or duty officer role.
    UnitRoles,
    /// The members in post of a team, as officers (its 队长/副队长 as leaders), added to those already named.
    Team(i64),
}

/// Sets who is eligible for each role; every person must be active.
pub fn set_eligible(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    roster: i64,
    source: Source,
) -> ServiceResult<Vec<Eligible>> {
    write_tx(conn, |c| {
        let r = managed_roster(c, actor, roster)?;
        let before = store::eligible(c, roster)?;
        let mut people = match source {
            Source::People(p) => p,
            Source::UnitRoles => store::people_with_duty_roles(c, r.unit_id)?,
            Source::Team(team) => {
                let mut out = before.clone();
                for m in member_store::of_teams(c, Some(&[team]))? {
                    if m.status == MemberStatus::InPost {
                        let role = if m.role.leads() {
                            DutyRole::Leader
                        } else {
                            DutyRole::Officer
                        };
                        out.push((m.person_id, role));
                    }
                }
                out
            }
        };
        people.sort_unstable();
        people.dedup();
        if people.len() > 500 {
            return Err(ServiceError::invalid(
                "people",
                "一张值班表最多 500 名值班人员",
                "A roster has at most 500 eligible people",
            ));
        }
        for (p, _) in &people {
            if !org_store::find_person(c, *p)?.is_some_and(|x| x.active) {
                return Err(ServiceError::invalid(
                    "people",
                    "名单中有不存在或已停用的人员",
                    "The list names someone who does not exist or is inactive",
                ));
            }
        }
        store::set_eligible(c, roster, &people)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "duty_eligible",
                roster,
                Some(r.unit_id),
                Some(&before),
                Some(&people),
            ),
        )?;
        let names = super::names(c)?;
        Ok(people
            .into_iter()
            .map(|(person_id, role)| Eligible {
                person_id,
                name: names.get(&person_id).cloned().unwrap_or_default(),
                role,
            })
            .collect())
    })
}
