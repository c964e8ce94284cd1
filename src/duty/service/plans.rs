//! Plans: a range of days generated from the roster's people (a month, a quarter, a holiday period), shown
//! as a draft to edit, approved by the office first when it holds holiday duty, then published; the people
//! hear their shifts and the unit the roster. Editing a published shift tells exactly the people it moves.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::drafts::{open_range, slots_of, store_draft};
use super::now::{shift_now, ShiftNow};
use super::plan_view::PlanView;
use super::{managed_roster, manages, roster_for};
use crate::audit::{model::Change, service as audit};
use crate::calendar::model::DayKind;
use crate::clock::today;
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::duty::model::{approves_holiday_roster, check_range, generate as fill, DayClass, Place};
use crate::duty::notices::{self, DutyMessage};
use crate::duty::store::rosters::Roster;
use crate::duty::store::shifts::{self as store, PlanRow, PlanState};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Lang;
use crate::notify::service::{enqueue, Outgoing};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// How a calendar day counts for duty (an adjusted workday is a workday).
pub fn class_of(kind: DayKind) -> DayClass {
    match kind {
        DayKind::Workday | DayKind::AdjustedWorkday => DayClass::Workday,
        DayKind::Weekend => DayClass::Weekend,
        DayKind::Holiday => DayClass::Holiday,
    }
}

/// Generates a draft for `from..=to` from the roster's eligible people, fairly over the year.
pub fn generate(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: Tz,
    roster: i64,
    (from, to): (NaiveDate, NaiveDate),
) -> ServiceResult<PlanView> {
    check_range(from, to, today(now, tz))?;
    let plan = write_tx(conn, |c| {
        let r = open_range(c, actor, roster, (from, to))?;
        let (slots, holiday) = slots_of(c, &r, (from, to), tz)?;
        let people = super::availability::people_for(c, &r, &slots, tz)?;
        let places = fill(&slots, &people);
        store_draft(
            c,
            actor,
            now,
            &r,
            (from, to),
            holiday,
            &slots,
            places,
            "create",
        )
    })?;
    super::plan_view::view(conn, actor, plan)
}

/// A plan of a roster the actor manages, in one of `states`.
fn managed_plan(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<(PlanRow, Roster)> {
    let plan = store::find_plan(conn, id)?
        .filter(|p| p.state() != PlanState::Discarded)
        .ok_or_else(|| ServiceError::not_found("该排班", "Plan"))?;
    let r = roster_for(conn, plan.roster_id)?;
    let tree = org_store::tree_of(conn, actor)?;
    if !(manages(conn, actor, &r)? || approves_holiday_roster(actor, r.unit_id, &tree)) {
        return Err(ServiceError::Forbidden);
    }
    Ok((plan, r))
}

fn wrong_state(plan: &PlanRow) -> ServiceError {
    ServiceError::conflict(
        format!("该排班已是“{}”状态", plan.state().label(Lang::Zh)),
        format!(
            "The plan is already {}",
            plan.state().label(Lang::En).to_lowercase()
        ),
    )
}

/// What happens to a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Send a holiday roster to the office (草稿 → 待审批).
    Submit,
    /// The office approves it (待审批 → 已审批).
    Approve,
    /// The office sends it back with a reason (待审批 → 草稿).
    Refuse,
    /// Make it the roster (草稿 without holiday duty, or 已审批 → 已发布): people and the unit hear of it.
    Publish,
    /// Throw a plan away before it is published.
    Discard,
}

/// Moves a plan a step; publishing tells each person their shifts and the unit's contacts the roster.
#[allow(clippy::too_many_arguments)]
pub fn step(
    conn: &mut DbConn,
    cfg: &Config,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: Tz,
    id: i64,
    step: Step,
    note: &str,
) -> ServiceResult<PlanView> {
    let note = crate::org::model::optional_text("note", note, 200)?;
    if step == Step::Refuse && note.is_empty() {
        return Err(ServiceError::invalid(
            "note",
            "退回时请写明理由",
            "Say why the plan is sent back",
        ));
    }
    write_tx(conn, |c| {
        let (plan, r) = managed_plan(c, actor, id)?;
        crate::duty::store::rosters::lock(c, r.id)?;
        let tree = org_store::tree_of(c, actor)?;
        let office = approves_holiday_roster(actor, r.unit_id, &tree);
        let manager = manages(c, actor, &r)?;
        let (from, to): (&[PlanState], PlanState) = match step {
            Step::Submit => (&[PlanState::Draft], PlanState::Submitted),
            Step::Approve | Step::Refuse if !office => return Err(ServiceError::Forbidden),
            Step::Approve => (&[PlanState::Submitted], PlanState::Approved),
            Step::Refuse => (&[PlanState::Submitted], PlanState::Draft),
            Step::Publish if plan.holiday => (&[PlanState::Approved], PlanState::Published),
            Step::Publish => (
                &[PlanState::Draft, PlanState::Approved],
                PlanState::Published,
            ),
            Step::Discard => (
                &[PlanState::Draft, PlanState::Submitted, PlanState::Approved],
                PlanState::Discarded,
            ),
        };
        if !manager && !matches!(step, Step::Approve | Step::Refuse) {
            return Err(ServiceError::Forbidden);
        }
        if step == Step::Publish && plan.holiday && plan.state() == PlanState::Draft {
            return Err(ServiceError::conflict(
                "含节假日值班的排班须先报安委办审批，审批后才能发布",
                "A roster with holiday duty is approved by the office before it is published",
            ));
        }
        if step == Step::Submit && !plan.holiday {
            return Err(ServiceError::conflict(
                "该排班不含节假日值班，无需审批，可直接发布",
                "This plan holds no holiday duty: publish it directly",
            ));
        }
        if !store::move_plan(c, id, from, to, actor.account_id, &note, db_time(now))? {
            return Err(wrong_state(&plan));
        }
        let after = store::find_plan(c, id)?
            .ok_or_else(|| ServiceError::Internal("plan vanished".into()))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_plan", id, Some(r.unit_id), Some(&plan), Some(&after)),
        )?;
        match step {
            Step::Publish => super::tell::tell_published(c, cfg, now, tz, &r, &after)?,
            Step::Submit => {
                let msg = DutyMessage::new(
                    (
                        format!(
                            "【待审批】{} {} 至 {} 节假日值班表",
                            r.name, plan.starts_on, plan.ends_on
                        ),
                        format!(
                            "[To approve] Holiday roster {} {} to {}",
                            r.name, plan.starts_on, plan.ends_on
                        ),
                    ),
                    (
                        "该值班表含节假日值班，请审批后发布。".into(),
                        "This roster holds holiday duty; approve it so it can be published.".into(),
                    ),
                );
                let office = super::people_over(c, r.unit_id, crate::duty::model::OFFICE)?;
                enqueue(
                    c,
                    cfg,
                    now,
                    &Outgoing {
                        kind: &notices::APPROVAL_WAITING,
                        key: format!("duty_approval:{id}:{}", now.timestamp_micros()),
                        unit_id: Some(r.unit_id),
                        path: format!("/duty/plans/{id}"),
                        people: office
                            .into_iter()
                            .map(|p| (p, &notices::DUTY_MANAGER))
                            .collect(),
                        to_unit: false,
                        addresses: Vec::new(),
                        content: Box::new(msg),
                    },
                )?;
            }
            _ => {}
        }
        Ok(())
    })?;
    super::now::changed();
    super::plan_view::view(conn, actor, id)
}

/// Sets who holds a shift's places (a draft's, or a published one not yet over: the people whose shift it
/// changes are told). Everyone named must be active, once.
#[allow(clippy::too_many_arguments)]
pub fn set_shift(
    conn: &mut DbConn,
    cfg: &Config,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: Tz,
    shift: i64,
    mut places: Vec<Place>,
) -> ServiceResult<ShiftNow> {
    places.sort_by_key(|(p, r)| (*r, *p));
    if places.windows(2).any(|w| w[0].0 == w[1].0)
        || places.iter().map(|(p, _)| p).collect::<HashSet<_>>().len() != places.len()
    {
        return Err(ServiceError::invalid(
            "places",
            "同一人在一个班次中只能出现一次",
            "A person holds one place on a shift",
        ));
    }
    if places.len() > 13 {
        return Err(ServiceError::invalid(
            "places",
            "一个班次最多 13 人",
            "At most 13 people on a shift",
        ));
    }
    write_tx(conn, |c| {
        let s = store::find_shift(c, shift)?
            .ok_or_else(|| ServiceError::not_found("该班次", "Shift"))?;
        let r = managed_roster(c, actor, s.roster_id)?;
        crate::duty::store::rosters::lock(c, r.id)?;
        let plan = store::find_plan(c, s.plan_id)?
            .ok_or_else(|| ServiceError::not_found("该排班", "Plan"))?;
        if plan.state() == PlanState::Discarded {
            return Err(wrong_state(&plan));
        }
        if s.live && s.ends_at.and_utc() <= now {
            return Err(ServiceError::conflict(
                "已结束的班次不能修改",
                "A shift that is over cannot be changed",
            ));
        }
        for (p, _) in &places {
            if !org_store::find_person(c, *p)?.is_some_and(|x| x.active) {
                return Err(ServiceError::invalid(
                    "places",
                    "名单中有不存在或已停用的人员",
                    "The list names someone who does not exist or is inactive",
                ));
            }
        }
        let before = store::places(c, &[shift])?
            .remove(&shift)
            .unwrap_or_default();
        store::set_places(c, shift, &places)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "duty_shift",
                shift,
                Some(r.unit_id),
                Some(&before),
                Some(&places),
            ),
        )?;
        if s.live {
            super::tell::tell_changed(c, cfg, now, tz, &r, &[(&s, before, places.clone())])?;
        }
        let holders = store::holders(c, &[shift])?;
        Ok(shift_now(&s, &r.pattern, &holders, actor.lang))
    })
    .inspect(|_| super::now::changed())
}

/// Plans waiting for the office, for its tasks.
pub fn awaiting_approval(conn: &mut DbConn) -> ServiceResult<Vec<PlanRow>> {
    Ok(store::plans_in(conn, PlanState::Submitted)?)
}
