//! Drills: the scheme written and approved, the day (attendance on a phone, a timeline), the evaluation,
//! cancelling, and the report to the supervising department.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use super::{name_of, no_drill, person_names, rights, stale, unit_names, visible_units, Rights};
use crate::audit::{model::Change, service as audit};
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::drills::model::{
    cancel_drill, decide_drill, evaluate, held_for, record_day, submit_drill, DrillState,
    EvaluationInput, PlanLevel, SchemeInput,
};
use crate::drills::notices::{DrillNotice, DRILL_REPORT, SUPERVISOR};
use crate::drills::store::actions::{self as action_store};
use crate::drills::store::annual as annual_store;
use crate::drills::store::drills::{
    self as store, Drill, DrillLogEntry, DrillMaterial, DrillObjective,
};
use crate::drills::store::registry as plan_store;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Lang;
use crate::inventory::model::Quantity;
use crate::notify::service::Outgoing;
use crate::org::model::Actor;
use crate::org::store as org_store;

/// A person taking part.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillPersonView {
    pub person_id: i64,
    pub name: String,
    /// Not yet taken when null.
    pub present: Option<bool>,
}

/// A line of materials, named.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillMaterialView {
    #[serde(flatten)]
    pub line: DrillMaterial,
    pub item_name: String,
    pub uom: String,
    pub warehouse_name: String,
    /// Exact decimals.
    pub qty_text: String,
    pub issued_text: String,
    pub returned_text: String,
    /// Not brought back (used up, broken or lost; `loss_note` says how).
    pub lost_text: String,
    pub issue_voucher: Option<String>,
    pub return_voucher: Option<String>,
}

/// What the viewer may do with a drill now.
#[derive(Debug, Clone, Copy, Default, Serialize, utoipa::ToSchema)]
pub struct DrillMays {
    pub edit: bool,
    pub submit: bool,
    pub decide: bool,
    pub run_day: bool,
    pub evaluate: bool,
    pub cancel: bool,
    pub add_actions: bool,
    pub report: bool,
}

/// A drill as people read it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillView {
    #[serde(flatten)]
    pub drill: Drill,
    pub unit_name: String,
    pub plan_title: String,
    pub plan_level: Option<PlanLevel>,
    pub objectives: Vec<DrillObjective>,
    pub people: Vec<DrillPersonView>,
    /// The rescue teams taking part (outside participants are in `participants`, in words).
    pub team_ids: Vec<i64>,
    pub teams: Vec<super::participants::DrillTeamView>,
    pub log: Vec<DrillLogEntry>,
    pub materials: Vec<DrillMaterialView>,
    pub actions: Vec<super::actions::DrillActionView>,
    /// The unit must report it to its supervising department.
    pub must_report: bool,
    pub supervisor_name: Option<String>,
    pub may: DrillMays,
}

/// A drill in a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillListRow {
    #[serde(flatten)]
    pub drill: Drill,
    pub unit_name: String,
}

/// Whether the actor keeps a warehouse this drill takes materials from (they see the drill to send them).
fn keeps_materials(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<bool> {
    for m in store::materials(conn, id)? {
        if crate::inventory::service::warehouse_for(
            conn,
            actor,
            m.warehouse_id,
            crate::inventory::model::StockAction::Move,
        )
        .is_ok()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

pub(crate) fn load_visible(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
) -> ServiceResult<(Drill, Rights)> {
    let d = store::find(conn, id)?.ok_or_else(no_drill)?;
    let r = rights(conn, actor, d.unit_id)?;
    if !r.see && !keeps_materials(conn, actor, id)? {
        return Err(no_drill());
    }
    Ok((d, r))
}

fn materials(conn: &mut DbConn, id: i64) -> ServiceResult<Vec<DrillMaterialView>> {
    use crate::inventory::store::{catalogue, ledger, warehouses};
    let q = |n: i64| Quantity::from_milli(n).to_string();
    store::materials(conn, id)?
        .into_iter()
        .map(|line| {
            let item = catalogue::find_item(conn, line.item_id)?;
            let w = warehouses::find(conn, line.warehouse_id)?;
            let voucher = |conn: &mut DbConn, m: Option<i64>| -> ServiceResult<Option<String>> {
                Ok(match m {
                    Some(m) => ledger::find_movement(conn, m)?.map(|m| m.voucher_no),
                    None => None,
                })
            };
            Ok(DrillMaterialView {
                issue_voucher: voucher(conn, line.issue_movement_id)?,
                return_voucher: voucher(conn, line.return_movement_id)?,
                item_name: item.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
                uom: item.map(|i| i.uom).unwrap_or_default(),
                warehouse_name: w.map(|w| w.name).unwrap_or_default(),
                qty_text: q(line.qty),
                issued_text: q(line.issued),
                returned_text: q(line.returned),
                lost_text: q(line.lost),
                line,
            })
        })
        .collect()
}

/// One drill with everything about it (those who may see its unit, or keep its materials).
pub fn get(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<DrillView> {
    let (d, r) = load_visible(conn, actor, id)?;
    let names = unit_names(conn)?;
    let people_names = person_names(conn)?;
    let plan = plan_store::find_plan(conn, d.plan_id)?;
    let profile = super::registry::load_profile(conn, d.unit_id)?;
    let started = now.naive_utc() >= d.starts_at - Duration::hours(1);
    let may = DrillMays {
        edit: r.manage && d.state == DrillState::Draft,
        submit: r.manage && d.state == DrillState::Draft,
        decide: r.decide && d.state == DrillState::Submitted && d.created_by != actor.account_id,
        run_day: r.manage && record_day(d.state, started).is_ok(),
        evaluate: r.manage && d.state == DrillState::Held,
        cancel: r.manage && cancel_drill(d.state).is_ok(),
        add_actions: r.manage && matches!(d.state, DrillState::Held | DrillState::Evaluated),
        report: r.manage
            && d.state == DrillState::Evaluated
            && profile.supervisor_unit_id.is_some(),
    };
    let people = store::people(conn, id)?
        .into_iter()
        .map(|p| DrillPersonView {
            name: name_of(&people_names, p.person_id),
            person_id: p.person_id,
            present: p.present,
        })
        .collect();
    let teams = super::participants::of_drill(conn, id)?;
    let actions = action_store::list(conn, Some(&[id]), false)?;
    let day = crate::clock::today(now, tz);
    let actions = actions
        .into_iter()
        .map(|a| super::actions::view_of(conn, actor, a, &d, &names, &people_names, day))
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok(DrillView {
        unit_name: name_of(&names, d.unit_id),
        plan_title: plan.as_ref().map(|p| p.title.clone()).unwrap_or_default(),
        plan_level: plan.map(|p| p.level),
        objectives: store::objectives(conn, id)?,
        people,
        team_ids: teams.iter().map(|t| t.team_id).collect(),
        teams,
        log: store::log(conn, id)?,
        materials: materials(conn, id)?,
        actions,
        must_report: profile.must_report,
        supervisor_name: profile.supervisor_name,
        may,
        drill: d,
    })
}

/// The drills the actor may see that start in `[from, to)`.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
    tz: chrono_tz::Tz,
) -> ServiceResult<Vec<DrillListRow>> {
    let units = visible_units(conn, actor)?;
    let start = |d: NaiveDate| super::day_start(d, tz);
    let names = unit_names(conn)?;
    Ok(store::list(conn, units.as_deref(), start(from), start(to))?
        .into_iter()
        .map(|drill| DrillListRow {
            unit_name: name_of(&names, drill.unit_id),
            drill,
        })
        .collect())
}

fn audited(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    before: Option<&DrillView>,
    id: i64,
    action: &'static str,
) -> ServiceResult<DrillView> {
    let after = get(conn, actor, id, now, tz)?;
    audit::record(
        conn,
        Some(actor),
        now,
        Change::of("drill", id, Some(after.drill.unit_id), before, Some(&after)).action(action),
    )?;
    Ok(after)
}

/// Writes a scheme (a draft) for a plan of a unit the actor manages.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    input: SchemeInput,
) -> ServiceResult<DrillView> {
    write_tx(conn, |c| {
        let plan = plan_store::find_plan(c, input.plan_id)?
            .filter(|p| p.active)
            .ok_or_else(|| {
                ServiceError::invalid("plan_id", "请选择在用的应急预案", "Choose an active plan")
            })?;
        let r = rights(c, actor, plan.unit_id)?;
        if !r.manage {
            return Err(if r.see {
                ServiceError::Forbidden
            } else {
                ServiceError::invalid("plan_id", "请选择在用的应急预案", "Choose an active plan")
            });
        }
        if let Some(item) = input.annual_item_id {
            let ok = match annual_store::find_item(c, item)? {
                Some(i) if i.plan_id == plan.id && i.active => {
                    annual_store::find(c, i.annual_id)?.is_some_and(|a| a.unit_id == plan.unit_id)
                }
                _ => false,
            };
            if !ok {
                return Err(ServiceError::invalid(
                    "annual_item_id",
                    "年度计划中没有这次演练",
                    "No such drill in the unit's annual plan",
                ));
            }
        }
        super::participants::check(c, &input.teams)?;
        for p in &input.people {
            if org_store::find_person(c, *p)?.is_none_or(|p| !p.active) {
                return Err(ServiceError::invalid(
                    "people",
                    "参演人员中有不存在或已停用的人员",
                    "A participant does not exist or is inactive",
                ));
            }
        }
        let d = store::insert(c, plan.unit_id, &input, actor.account_id, db_time(now))?;
        audited(c, actor, now, tz, None, d.id, "create")
    })
}

fn managed(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<DrillView> {
    let v = get(conn, actor, id, now, tz)?;
    if !rights(conn, actor, v.drill.unit_id)?.manage {
        return Err(ServiceError::Forbidden);
    }
    Ok(v)
}

fn move_to(
    conn: &mut DbConn,
    v: &DrillView,
    to: DrillState,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    if store::set_state(conn, v.drill.id, v.drill.state, to, db_time(now))? {
        Ok(())
    } else {
        Err(stale())
    }
}

/// Submits the scheme for approval.
pub fn submit(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
) -> ServiceResult<DrillView> {
    write_tx(conn, |c| {
        let before = managed(c, actor, id, now, tz)?;
        let to = submit_drill(before.drill.state, before.objectives.len())?;
        move_to(c, &before, to, now)?;
        audited(c, actor, now, tz, Some(&before), id, "submit")
    })
}

/// The unit's head (or office staff) approves the scheme, or returns it with a reason; never its author.
pub fn decide(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    approve: bool,
    note: &str,
) -> ServiceResult<DrillView> {
    write_tx(conn, |c| {
        let before = get(c, actor, id, now, tz)?;
        if !rights(c, actor, before.drill.unit_id)?.decide {
            return Err(ServiceError::Forbidden);
        }
        let note = crate::org::model::optional_text("note", note, 200)?;
        let to = decide_drill(
            before.drill.state,
            before.drill.created_by,
            actor.account_id,
            approve,
            &note,
        )?;
        move_to(c, &before, to, now)?;
        store::set_decision(c, id, actor.account_id, &note, db_time(now))?;
        audited(
            c,
            actor,
            now,
            tz,
            Some(&before),
            id,
            if approve { "approve" } else { "return" },
        )
    })
}

/// Cancels a drill not yet held; what was reserved for it is let go.
pub fn cancel(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
) -> ServiceResult<DrillView> {
    write_tx(conn, |c| {
        let before = managed(c, actor, id, now, tz)?;
        let to = cancel_drill(before.drill.state)?;
        if before
            .materials
            .iter()
            .any(|m| m.line.issued > m.line.returned)
        {
            return Err(ServiceError::conflict(
                "演练物资已出库，请先办理归还",
                "Materials are out: return them first",
            ));
        }
        for m in before.materials.iter().filter(|m| m.line.issued == 0) {
            crate::inventory::service::reservations::release_held_for(
                c,
                m.line.warehouse_id,
                &held_for(id),
                m.line.item_id,
                actor.account_id,
                now,
            )?;
        }
        store::drop_unissued(c, id)?;
        move_to(c, &before, to, now)?;
        audited(c, actor, now, tz, Some(&before), id, "cancel")
    })
}

/// Takes attendance (on a phone, on the day): each person present or not.
pub fn attendance(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    marks: &[(i64, bool)],
) -> ServiceResult<DrillView> {
    write_tx(conn, |c| {
        let before = managed(c, actor, id, now, tz)?;
        let started = now.naive_utc() >= before.drill.starts_at - Duration::hours(1);
        let to = record_day(before.drill.state, started)?;
        if marks.is_empty() {
            return Err(ServiceError::invalid("people", "请点名", "Mark who came"));
        }
        for (person, present) in marks {
            if !store::mark(c, id, *person, *present, db_time(now))? {
                return Err(ServiceError::invalid(
                    "people",
                    "点名的人员不在参演名单中",
                    "Someone marked is not on the drill's list",
                ));
            }
        }
        if to != before.drill.state {
            move_to(c, &before, to, now)?;
        }
        audited(c, actor, now, tz, Some(&before), id, "attendance")
    })
}

/// Adds to the day's timeline (at the time given, or now).
pub fn log(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    at: Option<DateTime<Utc>>,
    text: &str,
) -> ServiceResult<DrillLogEntry> {
    write_tx(conn, |c| {
        let before = managed(c, actor, id, now, tz)?;
        let started = now.naive_utc() >= before.drill.starts_at - Duration::hours(1);
        let to = record_day(before.drill.state, started)?;
        let text = crate::org::model::required_text("text", text, 300)?;
        let at = at.unwrap_or(now);
        if at > now + Duration::minutes(5) {
            return Err(ServiceError::invalid(
                "at",
                "记录时间不能晚于现在",
                "The time cannot be in the future",
            ));
        }
        let entry = store::insert_log(c, id, db_time(at), &text, actor.account_id)?;
        if to != before.drill.state {
            move_to(c, &before, to, now)?;
        }
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("drill", id, Some(before.drill.unit_id), None, Some(&entry)).action("log"),
        )?;
        Ok(entry)
    })
}

/// Evaluates a held drill: each objective met, partly or not, a grade, what went well, the problems.
pub fn evaluate_drill(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    input: EvaluationInput,
) -> ServiceResult<DrillView> {
    write_tx(conn, |c| {
        let before = managed(c, actor, id, now, tz)?;
        let mut judged: Vec<i64> = input.judged.iter().map(|j| j.objective_id).collect();
        judged.sort_unstable();
        judged.dedup();
        if judged.len() != input.judged.len()
            || judged
                .iter()
                .any(|j| !before.objectives.iter().any(|o| o.id == *j))
        {
            return Err(ServiceError::invalid(
                "objectives",
                "评价的目标不属于这次演练",
                "An objective judged is not this drill's",
            ));
        }
        evaluate(before.drill.state, before.objectives.len(), judged.len())?;
        if !store::set_evaluation(c, id, &input, actor.account_id, db_time(now))? {
            return Err(stale());
        }
        audited(c, actor, now, tz, Some(&before), id, "evaluate")
    })
}

/// Sends the drill's report to the unit's supervising department (email to its contact addresses); may be
/// sent again after a correction.
pub fn report(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    cfg: &Config,
    id: i64,
) -> ServiceResult<DrillView> {
    write_tx(conn, |c| {
        let before = managed(c, actor, id, now, tz)?;
        if before.drill.state != DrillState::Evaluated {
            return Err(ServiceError::conflict(
                "演练评估后才能报送",
                "A drill is reported once it is evaluated",
            ));
        }
        let profile = super::registry::load_profile(c, before.drill.unit_id)?;
        let Some(supervisor) = profile.supervisor_unit_id else {
            return Err(ServiceError::conflict(
                "本单位尚未登记行业主管部门，请联系安委办",
                "The unit has no supervising department on file; ask the office",
            ));
        };
        let addresses = crate::notify::service::unit_contacts(c, supervisor)?
            .into_iter()
            .map(|mut r| {
                r.reason = &SUPERVISOR;
                r
            })
            .collect::<Vec<_>>();
        if addresses.is_empty() {
            return Err(ServiceError::conflict(
                "行业主管部门没有登记联系邮箱，无法报送",
                "The supervising department has no contact address on file",
            ));
        }
        let out = Outgoing {
            kind: &DRILL_REPORT,
            key: format!("drill_report:{id}:{}", now.timestamp()),
            unit_id: Some(supervisor),
            path: format!("/drills/{id}?print=1"),
            people: Vec::new(),
            to_unit: false,
            addresses,
            content: Box::new(report_notice(&before, tz)),
        };
        crate::notify::service::enqueue(c, cfg, now, &out)?;
        store::set_reported(c, id, db_time(now))?;
        audited(c, actor, now, tz, Some(&before), id, "report")
    })
}

fn report_notice(v: &DrillView, tz: chrono_tz::Tz) -> DrillNotice {
    let when = v
        .drill
        .starts_at
        .and_utc()
        .with_timezone(&tz)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let came = v.people.iter().filter(|p| p.present == Some(true)).count();
    let judged = v
        .objectives
        .iter()
        .map(|o| {
            format!(
                "{}：{}",
                o.text,
                o.result.map_or("—", |r| r.label(Lang::Zh))
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    DrillNotice {
        title_zh: "演练情况报告".into(),
        title_en: "Drill report".into(),
        todo_zh: format!("{}已完成以下应急演练，现将演练情况报告如下。", v.unit_name),
        todo_en: format!("{} held the drill below; its report follows.", v.unit_name),
        facts: vec![
            ("单位", "Unit", v.unit_name.clone()),
            ("演练", "Drill", v.drill.title.clone()),
            ("预案", "Plan", v.plan_title.clone()),
            ("时间", "When", when),
            ("地点", "Place", v.drill.place.clone()),
            (
                "形式",
                "Type",
                format!(
                    "{} · {}",
                    v.drill.content.label(Lang::Zh),
                    v.drill.form.label(Lang::Zh)
                ),
            ),
            (
                "参演人数",
                "Took part",
                format!("{came}/{}", v.people.len()),
            ),
            ("目标达成", "Objectives", judged),
            (
                "总体评价",
                "Grade",
                v.drill.grade.map_or("—", |g| g.label(Lang::Zh)).to_string(),
            ),
            ("存在问题", "Problems", v.drill.problems.clone()),
            (
                "整改事项",
                "Corrective actions",
                v.actions.len().to_string(),
            ),
        ],
    }
}
