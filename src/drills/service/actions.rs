//! Corrective actions (整改): opened from a drill's problems with an owner and a deadline, evidence submitted
//! by the owner (text and a file), verified by someone else (the drill's coordinator), reopened on rejection.
//! An action that calls for revising the plan closes only once the plan has been revised.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{name_of, person_names, rights, stale, unit_names, visible_units};
use crate::attachments::{self, AttachmentInfo, Upload};
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::drills::model::{
    alarm, submit_evidence, verify as verify_rule, ActionAlarm, ActionInput, ActionState,
    DrillState, EscalationStep, Verifier,
};
use crate::drills::store::actions::{self as store, DrillAction};
use crate::drills::store::drills::{self as drill_store, Drill};
use crate::drills::store::registry as plan_store;
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// A corrective action as people read it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillActionView {
    #[serde(flatten)]
    pub action: DrillAction,
    pub drill_title: String,
    pub owner_name: String,
    pub owner_unit_name: String,
    pub overdue: bool,
    /// Who has been told it is overdue: owner, unit_head, office.
    pub escalated_to: Option<EscalationStep>,
    pub may_submit: bool,
    pub may_verify: bool,
}

fn no_action() -> ServiceError {
    ServiceError::not_found("该整改事项", "Corrective action")
}

pub(crate) fn view_of(
    conn: &mut DbConn,
    actor: &Actor,
    action: DrillAction,
    drill: &Drill,
    units: &HashMap<i64, String>,
    people: &HashMap<i64, String>,
    day: NaiveDate,
) -> ServiceResult<DrillActionView> {
    let owner = actor.person_id == Some(action.owner_person_id);
    let manage_owner = rights(conn, actor, action.owner_unit_id)?.manage;
    let coordinator = rights(conn, actor, drill.unit_id)?.manage;
    let alarmed = alarm(action.state, action.due_on, day);
    Ok(DrillActionView {
        drill_title: drill.title.clone(),
        owner_name: name_of(people, action.owner_person_id),
        owner_unit_name: name_of(units, action.owner_unit_id),
        overdue: matches!(alarmed, Some(ActionAlarm::Overdue(_))),
        escalated_to: match alarmed {
            Some(ActionAlarm::Overdue(s)) => Some(s),
            _ => None,
        },
        may_submit: (owner || manage_owner) && action.state == ActionState::Open,
        may_verify: coordinator
            && !owner
            && action.state == ActionState::Submitted
            && action.submitted_by != Some(actor.account_id),
        action,
    })
}

fn load(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    day: NaiveDate,
) -> ServiceResult<(DrillActionView, Drill)> {
    let a = store::find(conn, id)?.ok_or_else(no_action)?;
    let drill = drill_store::find(conn, a.drill_id)?.ok_or_else(no_action)?;
    let sees = actor.person_id == Some(a.owner_person_id)
        || rights(conn, actor, drill.unit_id)?.see
        || rights(conn, actor, a.owner_unit_id)?.see;
    if !sees {
        return Err(no_action());
    }
    let units = unit_names(conn)?;
    let people = person_names(conn)?;
    Ok((
        view_of(conn, actor, a, &drill, &units, &people, day)?,
        drill,
    ))
}

/// One action (its owner, and those who may see the drill's or the owner's unit).
pub fn get(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    day: NaiveDate,
) -> ServiceResult<DrillActionView> {
    Ok(load(conn, actor, id, day)?.0)
}

/// The actions the actor may see (their own among them), unclosed only when `open`, by deadline.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    open: bool,
    day: NaiveDate,
) -> ServiceResult<Vec<DrillActionView>> {
    let units = visible_units(conn, actor)?;
    let rows = store::list(conn, None, open)?;
    let unit_names = unit_names(conn)?;
    let people = person_names(conn)?;
    let mut drills: HashMap<i64, Drill> = HashMap::new();
    let mut out = Vec::new();
    for a in rows {
        let mine = actor.person_id == Some(a.owner_person_id);
        let visible = units.as_ref().is_none_or(|u| u.contains(&a.owner_unit_id));
        if !drills.contains_key(&a.drill_id) {
            if let Some(d) = drill_store::find(conn, a.drill_id)? {
                drills.insert(d.id, d);
            }
        }
        let Some(d) = drills.get(&a.drill_id) else {
            continue;
        };
        let drill_visible = units.as_ref().is_none_or(|u| u.contains(&d.unit_id));
        if mine || visible || drill_visible {
            let d = d.clone();
            out.push(view_of(conn, actor, a, &d, &unit_names, &people, day)?);
        }
    }
    Ok(out)
}

/// Opens a corrective action from a held or evaluated drill (those who manage the drill's unit).
pub fn add(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    day: NaiveDate,
    drill_id: i64,
    input: ActionInput,
) -> ServiceResult<DrillActionView> {
    write_tx(conn, |c| {
        let (drill, r) = super::drills::load_visible(c, actor, drill_id)?;
        if !r.manage {
            return Err(ServiceError::Forbidden);
        }
        if !matches!(drill.state, DrillState::Held | DrillState::Evaluated) {
            return Err(ServiceError::conflict(
                "演练实施后才能提出整改事项",
                "Corrective actions follow a drill that was held",
            ));
        }
        let owner = org_store::find_person(c, input.owner_person_id)?
            .filter(|p| p.active)
            .ok_or_else(|| {
                ServiceError::invalid(
                    "owner_person_id",
                    "责任人不存在或已停用",
                    "The owner does not exist or is inactive",
                )
            })?;
        let a = store::insert(
            c,
            drill_id,
            owner.unit_id,
            &input,
            actor.account_id,
            db_time(now),
        )?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("drill_action", a.id, Some(drill.unit_id), None, Some(&a)),
        )?;
        get(c, actor, a.id, day)
    })
}

/// The owner (or someone who manages the owner's unit) submits evidence of completion, with a file.
pub fn submit(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    day: NaiveDate,
    id: i64,
    evidence: &str,
    file: Option<Upload>,
) -> ServiceResult<DrillActionView> {
    write_tx(conn, |c| {
        let (before, drill) = load(c, actor, id, day)?;
        let a = &before.action;
        if actor.person_id != Some(a.owner_person_id) && !rights(c, actor, a.owner_unit_id)?.manage
        {
            return Err(ServiceError::Forbidden);
        }
        submit_evidence(a.state)?;
        let evidence = crate::drills::model::long_text("evidence", evidence, 2000, true)?;
        let attachment = match &file {
            Some(u) => Some(attachments::insert(c, u, actor.account_id, db_time(now))?.id),
            None => None,
        };
        if !store::submit(c, id, &evidence, attachment, actor.account_id, db_time(now))? {
            return Err(stale());
        }
        let after = get(c, actor, id, day)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "drill_action",
                id,
                Some(drill.unit_id),
                Some(&before),
                Some(&after),
            )
            .action("submit"),
        )?;
        Ok(after)
    })
}

/// The drill's coordinator (not the owner, not whoever submitted) closes the action, or rejects the evidence
/// and reopens it. An action that calls for revising the plan closes once the plan was revised after it was
/// opened.
pub fn verify(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    day: NaiveDate,
    id: i64,
    accept: bool,
    note: &str,
) -> ServiceResult<DrillActionView> {
    write_tx(conn, |c| {
        let (before, drill) = load(c, actor, id, day)?;
        if !rights(c, actor, drill.unit_id)?.manage {
            return Err(ServiceError::Forbidden);
        }
        let a = &before.action;
        let note = crate::org::model::optional_text("note", note, 200)?;
        let to = verify_rule(
            a.state,
            a.owner_person_id,
            a.submitted_by,
            Verifier {
                account_id: actor.account_id,
                person_id: actor.person_id,
            },
            accept,
            &note,
        )?;
        if to == ActionState::Closed && a.revise_plan {
            let revised = plan_store::find_plan(c, drill.plan_id)?
                .is_some_and(|p| p.updated_at > a.created_at);
            if !revised {
                return Err(ServiceError::conflict(
                    "该整改要求修订预案：请先在预案登记中登记修订后的版本，再验证销号",
                    "This action calls for revising the plan: record the revised version in the registry first",
                ));
            }
        }
        if !store::verify(c, id, to, &note, actor.account_id, db_time(now))? {
            return Err(stale());
        }
        let after = get(c, actor, id, day)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "drill_action",
                id,
                Some(drill.unit_id),
                Some(&before),
                Some(&after),
            )
            .action(if accept { "close" } else { "reopen" }),
        )?;
        Ok(after)
    })
}

/// The evidence file (those who may see the action).
pub fn file(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    day: NaiveDate,
) -> ServiceResult<(AttachmentInfo, Vec<u8>)> {
    let v = get(conn, actor, id, day)?;
    let missing = || ServiceError::not_found("整改材料文件", "Evidence file");
    attachments::load(conn, v.action.attachment_id.ok_or_else(missing)?)?.ok_or_else(missing)
}

/// Attaches the evidence file to an open action (its owner, or those who manage the owner's unit).
pub fn attach(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    day: NaiveDate,
    id: i64,
    upload: Upload,
) -> ServiceResult<AttachmentInfo> {
    write_tx(conn, |c| {
        let (before, drill) = load(c, actor, id, day)?;
        let a = &before.action;
        if actor.person_id != Some(a.owner_person_id) && !rights(c, actor, a.owner_unit_id)?.manage
        {
            return Err(ServiceError::Forbidden);
        }
        if a.state != ActionState::Open {
            return Err(ServiceError::conflict(
                "只有整改中的事项可以上传整改材料",
                "Evidence is attached to an open action",
            ));
        }
        let info = attachments::insert(c, &upload, actor.account_id, db_time(now))?;
        if !store::set_attachment(c, id, info.id, db_time(now))? {
            return Err(stale());
        }
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("drill_action", id, Some(drill.unit_id), None, Some(&info)).action("attach"),
        )?;
        Ok(info)
    })
}
