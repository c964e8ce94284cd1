//! Annual drill plans (年度演练计划): a unit lists the drills it intends in the year, submits them, office
//! staff approve (or return them with a reason), the unit publishes; changes after approval are recorded.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{name_of, rights, unit_names, visible_units};
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::drills::model::{
    annual_change_recorded, decide_annual, publish_annual, submit_annual, AnnualItemInput,
    AnnualState,
};
use crate::drills::store::annual::{
    self as store, DrillAnnual, DrillAnnualChange, DrillAnnualItem,
};
use crate::drills::store::registry as plan_store;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Lang;
use crate::org::model::Actor;

/// A drill of the annual plan, with its plan's title.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillAnnualItemView {
    #[serde(flatten)]
    pub item: DrillAnnualItem,
    pub plan_title: String,
}

/// An annual plan as people read it, with what the viewer may do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillAnnualView {
    #[serde(flatten)]
    pub annual: DrillAnnual,
    pub unit_name: String,
    pub items: Vec<DrillAnnualItemView>,
    pub changes: Vec<DrillAnnualChange>,
    pub may_edit: bool,
    pub may_decide: bool,
}

fn no_annual() -> ServiceError {
    ServiceError::not_found("该年度计划", "Annual plan")
}

/// One annual plan (those who may see its unit).
pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<DrillAnnualView> {
    let a = store::find(conn, id)?.ok_or_else(no_annual)?;
    let r = rights(conn, actor, a.unit_id)?;
    if !r.see {
        return Err(no_annual());
    }
    let names = unit_names(conn)?;
    let items = store::items(conn, id)?
        .into_iter()
        .map(|item| {
            let plan_title = plan_store::find_plan(conn, item.plan_id)?
                .map(|p| p.title)
                .unwrap_or_default();
            Ok(DrillAnnualItemView { item, plan_title })
        })
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok(DrillAnnualView {
        unit_name: name_of(&names, a.unit_id),
        items,
        changes: store::changes(conn, id)?,
        may_edit: r.manage && a.state != AnnualState::Submitted,
        may_decide: r.office && a.state == AnnualState::Submitted,
        annual: a,
    })
}

/// The annual plans the actor may see, of a year or all.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    year: Option<i32>,
) -> ServiceResult<Vec<DrillAnnualView>> {
    let units = visible_units(conn, actor)?;
    let rows = store::list(conn, units.as_deref(), year)?;
    rows.into_iter().map(|a| get(conn, actor, a.id)).collect()
}

fn check_item(conn: &mut DbConn, unit: i64, item: &AnnualItemInput) -> ServiceResult<()> {
    match plan_store::find_plan(conn, item.plan_id)? {
        Some(p) if p.unit_id == unit && p.active => Ok(()),
        _ => Err(ServiceError::invalid(
            "plan_id",
            "请选择本单位在用的应急预案",
            "Choose an active plan of the unit",
        )),
    }
}

/// Starts a unit's plan for a year with its drills (those who manage the unit).
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    unit: i64,
    year: i32,
    items: Vec<AnnualItemInput>,
) -> ServiceResult<DrillAnnualView> {
    write_tx(conn, |c| {
        if !rights(c, actor, unit)?.manage {
            return Err(ServiceError::Forbidden);
        }
        if !(2000..=2100).contains(&year) {
            return Err(ServiceError::invalid(
                "year",
                "年份不正确",
                "Not a valid year",
            ));
        }
        for i in &items {
            check_item(c, unit, i)?;
        }
        let a = store::insert(c, unit, year, actor.account_id, db_time(now)).map_err(|e| {
            ServiceError::unless_duplicate(
                e,
                "该单位这一年的年度演练计划已经有了，请在原计划上修改",
                "The unit already has a plan for this year; change that one",
            )
        })?;
        for i in &items {
            store::insert_item(c, a.id, i)?;
        }
        let v = get(c, actor, a.id)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("drill_annual", a.id, Some(unit), None, Some(&v)),
        )?;
        Ok(v)
    })
}

fn describe(conn: &mut DbConn, item: &AnnualItemInput) -> ServiceResult<String> {
    let title = plan_store::find_plan(conn, item.plan_id)?
        .map(|p| p.title)
        .unwrap_or_default();
    Ok(format!(
        "{}月 {} {}{}（{}）",
        item.month,
        title,
        item.content.label(Lang::Zh),
        item.form.label(Lang::Zh),
        item.organiser
    ))
}

/// Adds a drill to the plan; after approval the change is recorded with its reason.
pub fn add_item(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    item: AnnualItemInput,
    reason: &str,
) -> ServiceResult<DrillAnnualView> {
    write_tx(conn, |c| {
        let before = editable(c, actor, id)?;
        check_item(c, before.annual.unit_id, &item)?;
        let recorded = annual_change_recorded(before.annual.state)?;
        store::insert_item(c, id, &item)?;
        if recorded {
            let what = format!("增加：{}。{}", describe(c, &item)?, reason_of(reason)?);
            store::insert_change(c, id, &what, actor.account_id, db_time(now))?;
        }
        audited(c, actor, now, &before, "add_item")
    })
}

/// Takes a drill out of the plan; after approval the change is recorded with its reason.
pub fn withdraw_item(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    item_id: i64,
    reason: &str,
) -> ServiceResult<DrillAnnualView> {
    write_tx(conn, |c| {
        let before = editable(c, actor, id)?;
        let recorded = annual_change_recorded(before.annual.state)?;
        let item = store::find_item(c, item_id)?
            .filter(|i| i.annual_id == id && i.active)
            .ok_or_else(|| ServiceError::not_found("计划中的这次演练", "Drill of the plan"))?;
        if recorded {
            let input = AnnualItemInput {
                plan_id: item.plan_id,
                content: item.content,
                form: item.form,
                month: item.month,
                organiser: item.organiser.clone(),
                participants: item.participants.clone(),
            };
            let what = format!("取消：{}。{}", describe(c, &input)?, reason_of(reason)?);
            store::insert_change(c, id, &what, actor.account_id, db_time(now))?;
        }
        store::withdraw_item(c, id, item_id)?;
        audited(c, actor, now, &before, "withdraw_item")
    })
}

fn reason_of(reason: &str) -> ServiceResult<String> {
    let r = crate::org::model::optional_text("reason", reason, 200)?;
    if r.is_empty() {
        return Err(ServiceError::invalid(
            "reason",
            "计划批准后修改，请写明原因",
            "Say why an approved plan changes",
        ));
    }
    Ok(format!("原因：{r}"))
}

fn editable(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<DrillAnnualView> {
    let v = get(conn, actor, id)?;
    if !rights(conn, actor, v.annual.unit_id)?.manage {
        return Err(ServiceError::Forbidden);
    }
    Ok(v)
}

fn audited(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    before: &DrillAnnualView,
    action: &'static str,
) -> ServiceResult<DrillAnnualView> {
    let after = get(conn, actor, before.annual.id)?;
    audit::record(
        conn,
        Some(actor),
        now,
        Change::of(
            "drill_annual",
            before.annual.id,
            Some(before.annual.unit_id),
            Some(before),
            Some(&after),
        )
        .action(action),
    )?;
    Ok(after)
}

/// The unit submits its plan to the office.
pub fn submit(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> ServiceResult<DrillAnnualView> {
    write_tx(conn, |c| {
        let before = editable(c, actor, id)?;
        let live = before.items.iter().filter(|i| i.item.active).count();
        let to = submit_annual(before.annual.state, live)?;
        if !store::set_state(c, id, before.annual.state, to, None, db_time(now))? {
            return Err(super::stale());
        }
        audited(c, actor, now, &before, "submit")
    })
}

/// Office staff approve the plan, or return it with a reason.
pub fn decide(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    approve: bool,
    note: &str,
) -> ServiceResult<DrillAnnualView> {
    write_tx(conn, |c| {
        let before = get(c, actor, id)?;
        if !rights(c, actor, before.annual.unit_id)?.office {
            return Err(ServiceError::Forbidden);
        }
        let note = crate::org::model::optional_text("note", note, 200)?;
        let to = decide_annual(before.annual.state, approve, &note)?;
        let decision = Some((actor.account_id, note.as_str()));
        if !store::set_state(c, id, before.annual.state, to, decision, db_time(now))? {
            return Err(super::stale());
        }
        audited(
            c,
            actor,
            now,
            &before,
            if approve { "approve" } else { "return" },
        )
    })
}

/// The approved plan is published (the unit or the office).
pub fn publish(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> ServiceResult<DrillAnnualView> {
    write_tx(conn, |c| {
        let before = editable(c, actor, id)?;
        let to = publish_annual(before.annual.state)?;
        if !store::set_state(c, id, before.annual.state, to, None, db_time(now))? {
            return Err(super::stale());
        }
        audited(c, actor, now, &before, "publish")
    })
}
