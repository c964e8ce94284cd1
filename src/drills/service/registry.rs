//! The plan registry: units' sectors and supervising departments, the office's frequency rules, the plans
//! themselves with their files.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use super::{name_of, no_plan, rights, unit_names, visible_units};
use crate::attachments::{self, AttachmentInfo, Upload};
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::drills::model::{
    default_months, effective_months, must_report, plan_compliance, ActionState, DrillSector,
    PlanCompliance, PlanInput, PlanLevel,
};
use crate::drills::store::registry::{self as store, DrillPlan};
use crate::drills::store::{actions as action_store, drills as drill_store};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::{Actor, Role, UnitKind};
use crate::org::store as org_store;

/// A cell of the frequency table.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillRuleRow {
    pub sector: DrillSector,
    pub level: PlanLevel,
    /// In force, months between drills.
    pub months: u32,
    /// The regulations' default.
    pub default_months: u32,
    /// Set by the office (not the default).
    pub by_office: bool,
}

/// The frequency table in force, every sector × level.
pub fn rules(conn: &mut DbConn) -> ServiceResult<Vec<DrillRuleRow>> {
    let set = store::rules(conn)?;
    let mut out = Vec::new();
    for s in DrillSector::ALL {
        for l in PlanLevel::ALL {
            out.push(DrillRuleRow {
                sector: *s,
                level: *l,
                months: effective_months(&set, *s, *l),
                default_months: default_months(*s, *l),
                by_office: set.iter().any(|(a, b, _)| a == s && b == l),
            });
        }
    }
    Ok(out)
}

/// Whether the actor may set the frequency table (office staff and administrators).
pub fn may_set_rules(conn: &mut DbConn, actor: &Actor) -> ServiceResult<bool> {
    let tree = org_store::tree_of(conn, actor)?;
    Ok(actor.covers(&[Role::OfficeStaff, Role::Administrator], None, &tree))
}

fn office_or_admin(conn: &mut DbConn, actor: &Actor) -> ServiceResult<()> {
    if may_set_rules(conn, actor)? {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// The office sets the frequency of a sector and level (`None`: back to the default). Existing plans keep
/// theirs; new plans take it.
pub fn set_rule(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    sector: DrillSector,
    level: PlanLevel,
    months: Option<u32>,
) -> ServiceResult<Vec<DrillRuleRow>> {
    write_tx(conn, |c| {
        office_or_admin(c, actor)?;
        let before = rules(c)?
            .into_iter()
            .find(|r| r.sector == sector && r.level == level);
        store::set_rule(c, sector, level, months, actor.account_id, db_time(now))?;
        let after = rules(c)?
            .into_iter()
            .find(|r| r.sector == sector && r.level == level);
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("drill_rule", 0, None, before.as_ref(), after.as_ref()),
        )?;
        rules(c)
    })
}

/// A unit as the drills area sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillUnitProfile {
    pub unit_id: i64,
    pub unit_name: String,
    /// Set by the office; until then taken from the unit's kind.
    pub sector: DrillSector,
    pub sector_set: bool,
    pub supervisor_unit_id: Option<i64>,
    pub supervisor_name: Option<String>,
    /// Its drills must be reported to the supervising department.
    pub must_report: bool,
}

/// The sector a unit is taken to be in until the office says: governments, departments and streets are
/// government; enterprises production units.
pub fn sector_by_kind(kind: UnitKind) -> DrillSector {
    match kind {
        UnitKind::Office | UnitKind::Department | UnitKind::Street => DrillSector::Government,
        UnitKind::Enterprise => DrillSector::Production,
        UnitKind::RescueTeam | UnitKind::Other => DrillSector::Other,
    }
}

/// A unit's profile (those who may see its drills).
pub fn profile(conn: &mut DbConn, actor: &Actor, unit: i64) -> ServiceResult<DrillUnitProfile> {
    if !rights(conn, actor, unit)?.see {
        return Err(ServiceError::Forbidden);
    }
    load_profile(conn, unit)
}

pub(crate) fn load_profile(conn: &mut DbConn, unit: i64) -> ServiceResult<DrillUnitProfile> {
    let u = org_store::find_unit(conn, unit)?
        .ok_or_else(|| ServiceError::not_found("该单位", "Unit"))?;
    let p = store::profile(conn, unit)?;
    let sector = p.as_ref().map_or(sector_by_kind(u.kind), |p| p.sector);
    let supervisor_unit_id = p.as_ref().and_then(|p| p.supervisor_unit_id);
    let supervisor_name = match supervisor_unit_id {
        Some(s) => org_store::find_unit(conn, s)?.map(|s| s.name),
        None => None,
    };
    Ok(DrillUnitProfile {
        unit_id: unit,
        unit_name: u.name,
        sector,
        sector_set: p.is_some(),
        supervisor_unit_id,
        supervisor_name,
        must_report: must_report(sector),
    })
}

/// The office sets a unit's sector and supervising department.
pub fn set_profile(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    unit: i64,
    sector: DrillSector,
    supervisor: Option<i64>,
) -> ServiceResult<DrillUnitProfile> {
    write_tx(conn, |c| {
        office_or_admin(c, actor)?;
        let before = load_profile(c, unit)?;
        if let Some(s) = supervisor {
            let ok = s != unit && org_store::find_unit(c, s)?.is_some_and(|u| u.active);
            if !ok {
                return Err(ServiceError::invalid(
                    "supervisor_unit_id",
                    "行业主管部门应是另一个在用的单位",
                    "The supervising department is another active unit",
                ));
            }
        }
        store::set_profile(c, unit, sector, supervisor, actor.account_id, db_time(now))?;
        let after = load_profile(c, unit)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "drill_profile",
                unit,
                Some(unit),
                Some(&before),
                Some(&after),
            ),
        )?;
        Ok(after)
    })
}

/// A plan as people read it: its unit, the frequency the rules give it, where it stands, its file.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillPlanView {
    #[serde(flatten)]
    pub plan: DrillPlan,
    pub unit_name: String,
    pub compliance: PlanCompliance,
    /// The revision is due (next_revision_on reached).
    pub revision_due: bool,
    /// Open corrective actions that call for revising this plan.
    pub revisions_asked: usize,
    pub file: Option<AttachmentInfo>,
    /// The viewer may change it.
    pub manageable: bool,
    /// The drills of this plan, by start.
    pub drills: Vec<DrillOfPlan>,
}

/// A drill of a plan, as the plan's page lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillOfPlan {
    pub id: i64,
    pub title: String,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: chrono::NaiveDateTime,
    pub state: crate::drills::model::DrillState,
}

fn view(
    conn: &mut DbConn,
    actor: &Actor,
    plan: DrillPlan,
    day: NaiveDate,
    tz: chrono_tz::Tz,
) -> ServiceResult<DrillPlanView> {
    let drills = drill_store::of_plans(conn, &[plan.id])?;
    let days: Vec<NaiveDate> = drills
        .iter()
        .filter(|d| d.state == crate::drills::model::DrillState::Evaluated)
        .map(|d| super::local_day(d.starts_at, tz))
        .collect();
    let ids: Vec<i64> = drills.iter().map(|d| d.id).collect();
    let revisions_asked = action_store::list(conn, Some(&ids), true)?
        .iter()
        .filter(|a| a.revise_plan && a.state != ActionState::Closed)
        .count();
    let file = match plan.attachment_id {
        Some(a) => attachments::load(conn, a)?.map(|(i, _)| i),
        None => None,
    };
    let names = unit_names(conn)?;
    Ok(DrillPlanView {
        unit_name: name_of(&names, plan.unit_id),
        compliance: plan_compliance(
            plan.approved_on,
            u32::try_from(plan.freq_months).unwrap_or(12),
            &days,
            day,
        ),
        revision_due: plan.next_revision_on <= day,
        revisions_asked,
        file,
        manageable: rights(conn, actor, plan.unit_id)?.manage,
        drills: drills_of(&drills, plan.id),
        plan,
    })
}

/// The drills of one plan among `drills`, as its page lists them.
fn drills_of(drills: &[crate::drills::store::drills::Drill], plan: i64) -> Vec<DrillOfPlan> {
    drills
        .iter()
        .filter(|d| d.plan_id == plan)
        .map(|d| DrillOfPlan {
            id: d.id,
            title: d.title.clone(),
            starts_at: d.starts_at,
            state: d.state,
        })
        .collect()
}

/// Active people, by name: those of one unit, or everyone (to pick participants and owners).
pub fn people(conn: &mut DbConn, unit: Option<i64>) -> ServiceResult<Vec<(i64, String)>> {
    Ok(org_store::people_with_units(conn)?
        .into_iter()
        .filter(|(_, _, u)| unit.is_none_or(|x| x == *u))
        .map(|(id, name, _)| (id, name))
        .collect())
}

/// Active catalogue items as `name（uom）` (to hold materials for a drill).
pub fn item_choices(conn: &mut DbConn) -> ServiceResult<Vec<(i64, String)>> {
    Ok(store::item_names(conn)?
        .into_iter()
        .map(|(id, name, uom)| (id, format!("{name}（{uom}）")))
        .collect())
}

fn frequency(conn: &mut DbConn, input: &PlanInput) -> ServiceResult<u32> {
    match input.freq_months {
        Some(m) => Ok(m),
        None => {
            let sector = load_profile(conn, input.unit_id)?.sector;
            Ok(effective_months(&store::rules(conn)?, sector, input.level))
        }
    }
}

/// Registers a plan (those who manage the unit); its frequency from the rules unless given.
pub fn create_plan(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    day: NaiveDate,
    tz: chrono_tz::Tz,
    input: PlanInput,
) -> ServiceResult<DrillPlanView> {
    write_tx(conn, |c| {
        if org_store::find_unit(c, input.unit_id)?.is_none_or(|u| !u.active) {
            return Err(ServiceError::invalid(
                "unit_id",
                "单位不存在或已停用",
                "No such active unit",
            ));
        }
        if !rights(c, actor, input.unit_id)?.manage {
            return Err(ServiceError::Forbidden);
        }
        let freq = frequency(c, &input)?;
        let plan = store::insert_plan(c, &input, freq, actor.account_id, db_time(now))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("drill_plan", plan.id, Some(plan.unit_id), None, Some(&plan)),
        )?;
        view(c, actor, plan, day, tz)
    })
}

/// Revises a plan (new version, approval day, filing, frequency) or retires it.
pub fn update_plan(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    input: PlanInput,
    active: bool,
) -> ServiceResult<DrillPlanView> {
    let day = crate::clock::today(now, tz);
    write_tx(conn, |c| {
        let before = store::find_plan(c, id)?.ok_or_else(no_plan)?;
        let r = rights(c, actor, before.unit_id)?;
        if !r.see {
            return Err(no_plan());
        }
        if !r.manage {
            return Err(ServiceError::Forbidden);
        }
        if input.unit_id != before.unit_id {
            return Err(ServiceError::invalid(
                "unit_id",
                "预案不能转到另一个单位",
                "A plan stays with its unit",
            ));
        }
        let freq = match input.freq_months {
            Some(m) => m,
            None => u32::try_from(before.freq_months).unwrap_or(12),
        };
        let plan = store::update_plan(c, id, &input, freq, active, db_time(now))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "drill_plan",
                id,
                Some(plan.unit_id),
                Some(&before),
                Some(&plan),
            ),
        )?;
        view(c, actor, plan, day, tz)
    })
}

/// One plan (those who may see its unit).
pub fn plan(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    day: NaiveDate,
    tz: chrono_tz::Tz,
) -> ServiceResult<DrillPlanView> {
    let plan = store::find_plan(conn, id)?.ok_or_else(no_plan)?;
    if !rights(conn, actor, plan.unit_id)?.see {
        return Err(no_plan());
    }
    view(conn, actor, plan, day, tz)
}

/// The plans the actor may see (of one unit when given), active ones unless `all`.
pub fn plans(
    conn: &mut DbConn,
    actor: &Actor,
    unit: Option<i64>,
    all: bool,
    day: NaiveDate,
    tz: chrono_tz::Tz,
) -> ServiceResult<Vec<DrillPlanView>> {
    let visible = visible_units(conn, actor)?;
    let units: Option<Vec<i64>> = match (unit, visible) {
        (Some(u), Some(v)) => Some(v.into_iter().filter(|x| *x == u).collect()),
        (Some(u), None) => Some(vec![u]),
        (None, v) => v,
    };
    let rows = store::plans(conn, units.as_deref(), all)?;
    let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
    let since = (day - Duration::days(366 * 7))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    let evaluated = drill_store::evaluated_since(conn, since)?;
    let drills = drill_store::of_plans(conn, &ids)?;
    let drill_ids: Vec<i64> = drills.iter().map(|d| d.id).collect();
    let open = action_store::list(conn, Some(&drill_ids), true)?;
    let names = unit_names(conn)?;
    let tree = org_store::tree_of(conn, actor)?;
    let mut out = Vec::with_capacity(rows.len());
    for plan in rows {
        let days: Vec<NaiveDate> = evaluated
            .iter()
            .filter(|(p, _)| *p == plan.id)
            .map(|(_, t)| super::local_day(*t, tz))
            .collect();
        let revisions_asked = open
            .iter()
            .filter(|a| {
                a.revise_plan
                    && drills
                        .iter()
                        .any(|d| d.id == a.drill_id && d.plan_id == plan.id)
            })
            .count();
        let manageable = actor.covers(super::MANAGERS, Some(plan.unit_id), &tree);
        out.push(DrillPlanView {
            unit_name: name_of(&names, plan.unit_id),
            compliance: plan_compliance(
                plan.approved_on,
                u32::try_from(plan.freq_months).unwrap_or(12),
                &days,
                day,
            ),
            revision_due: plan.next_revision_on <= day,
            revisions_asked,
            file: None,
            manageable,
            drills: drills_of(&drills, plan.id),
            plan,
        });
    }
    Ok(out)
}

/// Attaches the plan's file (PDF or a scan; replaces an earlier one).
pub fn attach_file(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    upload: Upload,
) -> ServiceResult<AttachmentInfo> {
    write_tx(conn, |c| {
        let plan = store::find_plan(c, id)?.ok_or_else(no_plan)?;
        let r = rights(c, actor, plan.unit_id)?;
        if !r.see {
            return Err(no_plan());
        }
        if !r.manage {
            return Err(ServiceError::Forbidden);
        }
        let info = attachments::insert(c, &upload, actor.account_id, db_time(now))?;
        store::set_plan_file(c, id, info.id, db_time(now))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("drill_plan", id, Some(plan.unit_id), None, Some(&info)).action("attach"),
        )?;
        Ok(info)
    })
}

/// The plan's file (those who may see the plan).
pub fn file(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<(AttachmentInfo, Vec<u8>)> {
    let plan = store::find_plan(conn, id)?.ok_or_else(no_plan)?;
    if !rights(conn, actor, plan.unit_id)?.see {
        return Err(no_plan());
    }
    let missing = || ServiceError::not_found("预案文件", "Plan file");
    attachments::load(conn, plan.attachment_id.ok_or_else(missing)?)?.ok_or_else(missing)
}
