//! Leave (请假/休假): asked for by the person or by someone who manages them, decided by someone who manages
//! them (never by themselves); one record per person and period, read by readiness and by duty rosters.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::person_for;
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::org::store as org_store;
use crate::teams::model::{
    authorize_leave_decision, person_rights, LeaveInput, LeaveState, MemberStatus,
};
use crate::teams::store::leaves::{self as store, Leave};
use crate::teams::store::members as member_store;

/// Asks for leave for a person the actor may ask for (themselves, or someone they manage). Overlapping an
/// approved or pending leave of the same person is refused.
pub fn request(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    input: LeaveInput,
) -> ServiceResult<Leave> {
    write_tx(conn, |c| {
        let (person, rights) = person_for(c, actor, input.person_id)?;
        if !rights.request_leave {
            return Err(ServiceError::Forbidden);
        }
        store::lock_person(c, input.person_id)?;
        if store::overlapping(c, input.person_id, input.starts_on, input.ends_on)? {
            return Err(ServiceError::conflict(
                "这段时间已有请假记录（待审批或已批准）",
                "A pending or approved leave already covers some of these days",
            ));
        }
        let leave = store::insert_leave(c, &input, actor.account_id, db_time(now))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("leave", leave.id, Some(person.unit_id), None, Some(&leave)),
        )?;
        Ok(leave)
    })
}

/// A decision on a leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Approve it.
    Approve,
    /// Refuse it (with a reason).
    Refuse,
    /// Withdraw it (the person, or someone who manages them; an approved leave too, e.g. called back).
    Cancel,
}

/// Approves, refuses or withdraws a leave.
pub fn decide(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    decision: Decision,
    note: &str,
) -> ServiceResult<Leave> {
    let note = crate::org::model::optional_text("note", note, 200)?;
    if decision == Decision::Refuse && note.is_empty() {
        return Err(ServiceError::invalid(
            "note",
            "不批准时请写明理由",
            "Say why the leave is refused",
        ));
    }
    write_tx(conn, |c| {
        let before = store::find_leave(c, id)?
            .ok_or_else(|| ServiceError::not_found("该请假记录", "Leave"))?;
        let (person, rights) = person_for(c, actor, before.person_id)?;
        let (from, to, action) = match decision {
            Decision::Approve => (vec![LeaveState::Requested], LeaveState::Approved, "approve"),
            Decision::Refuse => (vec![LeaveState::Requested], LeaveState::Refused, "refuse"),
            Decision::Cancel => (
                vec![LeaveState::Requested, LeaveState::Approved],
                LeaveState::Cancelled,
                "cancel",
            ),
        };
        if decision == Decision::Cancel {
            if !rights.request_leave {
                return Err(ServiceError::Forbidden);
            }
        } else {
            authorize_leave_decision(actor, before.person_id, rights)?;
        }
        let moved = from.contains(&before.state)
            && store::decide_leave(
                c,
                id,
                before.state,
                to,
                actor.account_id,
                &note,
                db_time(now),
            )?;
        if !moved {
            return Err(ServiceError::conflict(
                format!(
                    "该请假已是“{}”状态",
                    before.state.label(crate::i18n::Lang::Zh)
                ),
                format!(
                    "The leave is already {}",
                    before.state.label(crate::i18n::Lang::En).to_lowercase()
                ),
            ));
        }
        let after =
            store::find_leave(c, id)?.ok_or_else(|| ServiceError::Internal("leave".into()))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "leave",
                id,
                Some(person.unit_id),
                Some(&before),
                Some(&after),
            )
            .action(action),
        )?;
        Ok(after)
    })
}

/// Leaves waiting for the actor's decision: of people in units they manage by role, or in teams they lead;
/// never their own.
pub fn awaiting(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<Leave>> {
    let pending = store::leaves(conn, None, Some(LeaveState::Requested), None)?;
    if pending.is_empty() {
        return Ok(pending);
    }
    let tree = org_store::tree_of(conn, actor)?;
    let led: Vec<i64> = match actor.person_id {
        Some(p) => member_store::teams_led_by(conn, p)?,
        None => Vec::new(),
    };
    // The members of the teams the actor leads, and everyone's unit, read once for the whole queue.
    let led_members: HashSet<i64> = member_store::of_teams(conn, Some(&led))?
        .iter()
        .filter(|m| m.status != MemberStatus::Left)
        .map(|m| m.person_id)
        .collect();
    let units: HashMap<i64, i64> = member_store::active_people(conn)?
        .into_iter()
        .map(|(id, _, _, unit)| (id, unit))
        .collect();
    Ok(pending
        .into_iter()
        .filter(|l| {
            units.get(&l.person_id).is_some_and(|unit| {
                let rights = person_rights(
                    actor,
                    l.person_id,
                    *unit,
                    led_members.contains(&l.person_id),
                    &tree,
                );
                authorize_leave_decision(actor, l.person_id, rights).is_ok()
            })
        })
        .collect())
}

/// A person's leaves ending on or after `from`, for those who may see their record.
pub fn of_person(
    conn: &mut DbConn,
    actor: &Actor,
    person: i64,
    from: Option<NaiveDate>,
) -> ServiceResult<Vec<Leave>> {
    let (_, rights) = person_for(conn, actor, person)?;
    if !rights.view {
        return Err(ServiceError::Forbidden);
    }
    Ok(store::leaves(conn, Some(&[person]), None, from)?)
}
