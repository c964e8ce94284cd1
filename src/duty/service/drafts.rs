//! Making a draft plan, for generation and for an imported 值班表 alike: the range checked against the roster
//! and its other plans, its shifts laid out from the holiday calendar and the roster's composition, the
//! draft stored with its places and audited.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::managed_roster;
use super::plans::class_of;
use crate::audit::{model::Change, service as audit};
use crate::calendar::store as calendar;
use crate::db::{db_time, DbConn};
use crate::duty::model::{is_holiday_duty, need_on, Place, Slot};
use crate::duty::store::rosters::{self as roster_store, Roster};
use crate::duty::store::shifts::{self as store, NewShift};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Lang;
use crate::org::model::Actor;

/// The roster a new draft for `from..=to` goes on: one the actor manages, in use, with no plan sharing a
/// day with the range.
pub(super) fn open_range(
    c: &mut DbConn,
    actor: &Actor,
    roster: i64,
    (from, to): (NaiveDate, NaiveDate),
) -> ServiceResult<Roster> {
    let r = managed_roster(c, actor, roster)?;
    crate::duty::store::rosters::lock(c, r.id)?;
    if !r.active {
        return Err(ServiceError::conflict(
            "该值班表已停用",
            "The roster is retired",
        ));
    }
    if let Some(p) = store::plan_overlapping(c, roster, from, to)? {
        return Err(ServiceError::conflict(
            format!(
                "{} 至 {} 已有排班（{}），请修改或先废弃它",
                p.starts_on,
                p.ends_on,
                p.state().label(Lang::Zh)
            ),
            format!(
                "{} to {} is already rostered ({}); edit it or discard it first",
                p.starts_on,
                p.ends_on,
                p.state().label(Lang::En).to_lowercase()
            ),
        ));
    }
    Ok(r)
}

/// The shifts of `from..=to` on a roster, each with the kind of day the holiday calendar makes it and what
/// it needs; and whether the range holds holiday duty (so the office approves it first).
pub(super) fn slots_of(
    c: &mut DbConn,
    r: &Roster,
    (from, to): (NaiveDate, NaiveDate),
    tz: Tz,
) -> ServiceResult<(Vec<Slot>, bool)> {
    let cal = calendar::load(c, from, to)?;
    let periods = roster_store::periods(c, r.id)?;
    let mut slots = Vec::new();
    let mut holiday = false;
    for day in from.iter_days().take_while(|d| *d <= to) {
        let class = class_of(cal.kind(day));
        holiday |= is_holiday_duty(&periods, day, class);
        for no in 0..r.pattern.len() {
            let (start, end) = r.pattern.bounds(day, no, tz);
            let need = need_on(&r.composition, &periods, day, class);
            slots.push(Slot {
                day,
                no,
                start,
                end,
                class,
                need,
            });
        }
    }
    Ok((slots, holiday))
}

/// Stores a draft of `slots` with their `places` and audits it as `action`; returns its id.
#[allow(clippy::too_many_arguments)]
pub(super) fn store_draft(
    c: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    r: &Roster,
    range: (NaiveDate, NaiveDate),
    holiday: bool,
    slots: &[Slot],
    places: Vec<Vec<Place>>,
    action: &'static str,
) -> ServiceResult<i64> {
    let shifts: Vec<NewShift> = slots
        .iter()
        .zip(places)
        .map(|(s, places)| NewShift {
            day: s.day,
            no: s.no,
            starts_at: db_time(s.start),
            ends_at: db_time(s.end),
            class: s.class,
            need: s.need,
            places,
        })
        .collect();
    let id = store::insert_plan(
        c,
        r.id,
        range,
        holiday,
        &shifts,
        actor.account_id,
        db_time(now),
    )?;
    let plan =
        store::find_plan(c, id)?.ok_or_else(|| ServiceError::Internal("plan vanished".into()))?;
    audit::record(
        c,
        Some(actor),
        now,
        Change::of("duty_plan", id, Some(r.unit_id), None, Some(&plan)).action(action),
    )?;
    Ok(id)
}
