//! Compliance (达标) on a day: per unit and plan, required drills against evaluated ones, the next due day,
//! overdue units first; the district's rate; units held to it with no plan on file.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::registry::sector_by_kind;
use super::{local_day, name_of, visible_units};
use crate::db::DbConn;
use crate::drills::model::{
    must_report, percent, plan_compliance, rate_permille, unit_complies, DrillSector,
    DrillStanding, PlanCompliance, PlanLevel,
};
use crate::drills::store::{drills as drill_store, registry as store};
use crate::error::ServiceResult;
use crate::org::model::Actor;

/// A plan's line of the report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillPlanStanding {
    pub plan_id: i64,
    pub title: String,
    pub level: PlanLevel,
    pub freq_months: i32,
    #[serde(flatten)]
    pub compliance: PlanCompliance,
}

/// A unit's line of the report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillUnitStanding {
    pub unit_id: i64,
    pub unit_name: String,
    pub sector: DrillSector,
    pub supervisor_name: Option<String>,
    pub must_report: bool,
    pub complies: bool,
    pub overdue_plans: usize,
    /// The earliest due day among its plans.
    pub next_due: Option<NaiveDate>,
    pub plans: Vec<DrillPlanStanding>,
}

/// The compliance report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillComplianceReport {
    pub on: NaiveDate,
    /// Units held to it (classified by the office, or holding a plan).
    pub units_total: usize,
    pub units_complying: usize,
    /// The district's rate in tenths of a percent.
    pub rate_permille: Option<u32>,
    /// The rate as people read it (`87.5%`).
    pub rate: String,
    /// Overdue units first, then by the next due day.
    pub units: Vec<DrillUnitStanding>,
    /// Units held to it with no plan on file.
    pub without_plans: Vec<String>,
}

/// The report on `day` over the units the actor sees (one unit when given).
pub fn report(
    conn: &mut DbConn,
    actor: &Actor,
    day: NaiveDate,
    tz: chrono_tz::Tz,
    unit: Option<i64>,
) -> ServiceResult<DrillComplianceReport> {
    let visible = visible_units(conn, actor)?;
    let units: Option<Vec<i64>> = match (unit, visible) {
        (Some(u), Some(v)) => Some(v.into_iter().filter(|x| *x == u).collect()),
        (Some(u), None) => Some(vec![u]),
        (None, v) => v,
    };
    let seen = |u: i64| units.as_ref().is_none_or(|v| v.contains(&u));
    let all_units = store::units(conn)?;
    let profiles: HashMap<i64, _> = store::profiles(conn)?
        .into_iter()
        .map(|p| (p.unit_id, p))
        .collect();
    let plans = store::plans(conn, units.as_deref(), false)?;
    // Enough history for the longest period and the one before it.
    let since = super::day_start(day - Duration::days(366 * 7), tz);
    let mut drilled: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for (plan, at) in drill_store::evaluated_since(conn, since)? {
        drilled.entry(plan).or_default().push(local_day(at, tz));
    }
    let names: HashMap<i64, String> = all_units.iter().map(|u| (u.id, u.name.clone())).collect();
    let mut by_unit: HashMap<i64, Vec<DrillPlanStanding>> = HashMap::new();
    for p in plans {
        let c = plan_compliance(
            p.approved_on,
            u32::try_from(p.freq_months).unwrap_or(12),
            drilled.get(&p.id).map_or(&[][..], Vec::as_slice),
            day,
        );
        by_unit
            .entry(p.unit_id)
            .or_default()
            .push(DrillPlanStanding {
                plan_id: p.id,
                title: p.title,
                level: p.level,
                freq_months: p.freq_months,
                compliance: c,
            });
    }
    let mut rows = Vec::new();
    let mut without_plans = Vec::new();
    for u in all_units.iter().filter(|u| u.active && seen(u.id)) {
        let profile = profiles.get(&u.id);
        let plans = by_unit.remove(&u.id).unwrap_or_default();
        if profile.is_none() && plans.is_empty() {
            continue;
        }
        if plans.is_empty() {
            without_plans.push(u.name.clone());
        }
        let sector = profile.map_or(sector_by_kind(u.kind), |p| p.sector);
        let standings: Vec<DrillStanding> = plans.iter().map(|p| p.compliance.standing).collect();
        rows.push(DrillUnitStanding {
            unit_id: u.id,
            unit_name: u.name.clone(),
            sector,
            supervisor_name: profile
                .and_then(|p| p.supervisor_unit_id)
                .map(|s| name_of(&names, s)),
            must_report: must_report(sector),
            complies: unit_complies(&standings),
            overdue_plans: standings
                .iter()
                .filter(|s| **s == DrillStanding::Overdue)
                .count(),
            next_due: plans.iter().map(|p| p.compliance.next_due).min(),
            plans,
        });
    }
    rows.sort_by(|a, b| {
        (b.overdue_plans > 0)
            .cmp(&(a.overdue_plans > 0))
            .then(a.complies.cmp(&b.complies))
            .then(a.next_due.cmp(&b.next_due))
            .then(a.unit_name.cmp(&b.unit_name))
    });
    let complying = rows.iter().filter(|r| r.complies).count();
    let rate = rate_permille(complying, rows.len());
    Ok(DrillComplianceReport {
        on: day,
        units_total: rows.len(),
        units_complying: complying,
        rate_permille: rate,
        rate: percent(rate),
        units: rows,
        without_plans,
    })
}
