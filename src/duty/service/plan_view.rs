//! A plan as its page and the API show it: its days with their shifts and people, the gaps and conflicts
//! in it, the holiday calendar's years it does not cover, and what the caller may do.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::availability::away;
use super::now::{shift_now, ShiftNow};
use super::{manages, roster_for};
use crate::calendar::store as calendar;
use crate::db::DbConn;
use crate::duty::model::{
    across_edges, approves_holiday_roster, scan, DayClass, Finding, Held, People,
};
use crate::duty::store::rosters::Roster;
use crate::duty::store::shifts::{self as store, PlanRow, PlanState, ShiftRow};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// A day of a plan.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanDay {
    pub day: NaiveDate,
    pub class: DayClass,
    /// The holiday's or adjusted workday's name from the calendar, else the roster period's (汛期 …).
    pub holiday: String,
    pub shifts: Vec<ShiftNow>,
}

/// A plan with its days, what is wrong with it and what the caller may do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanView {
    pub plan: PlanRow,
    pub roster_id: i64,
    pub roster_name: String,
    pub days: Vec<PlanDay>,
    /// Gaps and conflicts in words (the caller's language).
    pub findings: Vec<String>,
    /// Years of the range the holiday calendar does not cover yet (weekends only are known there).
    pub uncovered_years: Vec<i32>,
    pub can_edit: bool,
    pub can_approve: bool,
}

/// A plan with its days, findings and the caller's rights.
pub fn view(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<PlanView> {
    let plan =
        store::find_plan(conn, id)?.ok_or_else(|| ServiceError::not_found("该排班", "Plan"))?;
    let r = roster_for(conn, plan.roster_id)?;
    let shifts = store::shifts_of_plan(conn, id)?;
    let ids: Vec<i64> = shifts.iter().map(|s| s.id).collect();
    let mut holders = store::holders(conn, &ids)?;
    if !actor.sees_phones() {
        holders
            .iter_mut()
            .for_each(|h| h.phone = crate::org::model::mask_phone(&h.phone));
    }
    let cal = calendar::load(conn, plan.starts_on, plan.ends_on)?;
    let periods = crate::duty::store::rosters::periods(conn, r.id)?;
    let findings = findings_of(conn, &r, id, &shifts, (plan.starts_on, plan.ends_on))?;
    let names = super::names(conn)?;
    let name = |p: i64| names.get(&p).cloned().unwrap_or_else(|| format!("#{p}"));
    let mut days: Vec<PlanDay> = Vec::new();
    for s in &shifts {
        if days.last().is_none_or(|d| d.day != s.day) {
            days.push(PlanDay {
                day: s.day,
                class: s.class(),
                holiday: cal
                    .name(s.day)
                    .or_else(|| {
                        periods
                            .iter()
                            .find(|p| p.holds(s.day))
                            .map(|p| p.name.as_str())
                    })
                    .unwrap_or_default()
                    .to_string(),
                shifts: Vec::new(),
            });
        }
        if let Some(d) = days.last_mut() {
            d.shifts
                .push(shift_now(s, &r.pattern, &holders, actor.lang));
        }
    }
    let tree = org_store::tree_of(conn, actor)?;
    Ok(PlanView {
        can_edit: manages(conn, actor, &r)? && plan.state() != PlanState::Discarded,
        can_approve: approves_holiday_roster(actor, r.unit_id, &tree),
        uncovered_years: cal.uncovered_years(plan.starts_on, plan.ends_on),
        findings: findings
            .iter()
            .map(|f| f.describe(actor.lang, &name))
            .collect(),
        roster_id: r.id,
        roster_name: r.name,
        days,
        plan,
    })
}

/// Gaps and conflicts among `shifts` (of one roster, in time order), and no rest across the plan's edges
/// (the roster's shifts of the plans before and after it).
fn findings_of(
    conn: &mut DbConn,
    r: &Roster,
    plan: i64,
    shifts: &[ShiftRow],
    (from, to): (NaiveDate, NaiveDate),
) -> ServiceResult<Vec<Finding>> {
    let (Some(first), Some(last)) = (shifts.first(), shifts.last()) else {
        return Ok(Vec::new());
    };
    let near = store::next_to(conn, r.id, plan, first.starts_at, last.ends_at)?;
    let before = near.iter().rfind(|s| s.starts_at < first.starts_at);
    let after = near.iter().find(|s| s.starts_at > first.starts_at);
    let ids: Vec<i64> = shifts
        .iter()
        .chain(before)
        .chain(after)
        .map(|s| s.id)
        .collect();
    let places = store::places(conn, &ids)?;
    let held = |s: &ShiftRow| Held {
        day: s.day,
        no: s.shift_no.max(0) as usize,
        start: s.starts_at.and_utc(),
        end: s.ends_at.and_utc(),
        need: s.need(),
        places: Some(places.get(&s.id).cloned().unwrap_or_default()),
    };
    let plan_held: Vec<Held> = shifts.iter().map(held).collect();
    let people: Vec<i64> = shifts
        .iter()
        .filter_map(|s| places.get(&s.id))
        .flatten()
        .map(|(p, _)| *p)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut elsewhere: HashMap<i64, Vec<crate::duty::model::Elsewhere>> = HashMap::new();
    for (p, a, b, name) in
        crate::duty::store::held::elsewhere(conn, r.id, &people, first.starts_at, last.ends_at)?
    {
        elsewhere
            .entry(p)
            .or_default()
            .push((a.and_utc(), b.and_utc(), name));
    }
    let away = People {
        away: away(conn, &people, from, to)?,
        ..People::default()
    };
    let mut found = scan(&plan_held, &away, &elsewhere);
    found.extend(across_edges(
        &plan_held,
        before.map(held).as_ref(),
        after.map(held).as_ref(),
    ));
    found.sort_by_key(Finding::day);
    Ok(found)
}
