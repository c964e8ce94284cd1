//! Swaps (换班) and substitutions (替班) on published rosters: asked by the person giving up the shift (or a
//! manager on their behalf), agreed by the person taking over (or a manager), approved by a duty leader or
//! office staff of the roster's unit who is party to neither side, then applied; a manager may make one that
//! applies at once. Every step is audited; the people whose shifts move are told.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::availability::away;
use super::tell::{tell_changed, tell_waiting};
use super::{manages, roster_for};
use crate::audit::{model::Change, service as audit};
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::duty::model::{
    next_state, reason, ChangeAction, ChangeKind, ChangeState, Standing, MANAGERS,
};
use crate::duty::notices;
use crate::duty::store::changes::{self as store, DutyChange, NewChange};
use crate::duty::store::rosters::{self as roster_store, Roster};
use crate::duty::store::shifts::{self as shift_store, ShiftRow};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// A change as asked.
#[derive(Debug, Clone)]
pub struct Ask {
    pub kind: ChangeKind,
    /// The shift given up.
    pub shift_id: i64,
    /// Who gives it up.
    pub giver_id: i64,
    /// Who takes over.
    pub taker_id: i64,
    /// For a swap: the taker's shift, which the giver takes in return.
    pub taker_shift_id: Option<i64>,
    pub reason: String,
    /// A manager making the change directly: it applies at once.
    pub apply_now: bool,
    /// Apply it at once even though it clashes (someone in two places, or with no rest).
    pub despite_clashes: bool,
}

fn live_shift(conn: &mut DbConn, id: i64, now: DateTime<Utc>) -> ServiceResult<ShiftRow> {
    let s = shift_store::find_shift(conn, id)?
        .filter(|s| s.live)
        .ok_or_else(|| {
            ServiceError::not_found(
                "该班次（已发布的值班表中）",
                "Shift (of a published roster)",
            )
        })?;
    if s.ends_at.and_utc() <= now {
        return Err(ServiceError::conflict(
            "该班次已经结束",
            "That shift is over",
        ));
    }
    Ok(s)
}

fn role_on(
    conn: &mut DbConn,
    shift: i64,
    person: i64,
) -> ServiceResult<Option<crate::duty::model::DutyRole>> {
    Ok(shift_store::places(conn, &[shift])?
        .remove(&shift)
        .unwrap_or_default()
        .into_iter()
        .find(|(p, _)| *p == person)
        .map(|(_, r)| r))
}

/// Checks that the change can still be applied (and, unless `despite`, that it clashes with nothing) and
/// applies it, telling the people whose shifts moved.
fn apply(
    conn: &mut DbConn,
    (cfg, now, tz): (&Config, DateTime<Utc>, Tz),
    r: &Roster,
    ch: &DutyChange,
    despite: bool,
) -> ServiceResult<()> {
    let gone = || {
        ServiceError::conflict(
            "值班表已变化，该申请无法执行（当事人已不在原班次上，或接替人已在该班次上），请撤回后重新申请",
            "The roster has changed since it was asked: withdraw it and ask again",
        )
    };
    let shift = live_shift(conn, ch.shift_id, now)?;
    let role = role_on(conn, shift.id, ch.giver_id)?.ok_or_else(gone)?;
    if role_on(conn, shift.id, ch.taker_id)?.is_some() {
        return Err(gone());
    }
    let other = match ch.taker_shift_id {
        Some(id) => {
            let s = live_shift(conn, id, now)?;
            let role = role_on(conn, s.id, ch.taker_id)?.ok_or_else(gone)?;
            if role_on(conn, s.id, ch.giver_id)?.is_some() {
                return Err(gone());
            }
            Some((s, role))
        }
        None => None,
    };
    let on_leave = |conn: &mut DbConn, person: i64, s: &ShiftRow| -> ServiceResult<bool> {
        Ok(away(conn, &[person], s.day, s.day)?.contains_key(&person))
    };
    if on_leave(conn, ch.taker_id, &shift)?
        || other
            .as_ref()
            .is_some_and(|(s, _)| on_leave(conn, ch.giver_id, s).unwrap_or(true))
    {
        return Err(ServiceError::conflict(
            "接班人在该日请假或不可值班",
            "The person taking over is away that day",
        ));
    }
    super::clashes::check(conn, ch, despite)?;
    let mut moves = vec![(shift, ch.giver_id, ch.taker_id, role)];
    if let Some((s, role)) = other {
        moves.push((s, ch.taker_id, ch.giver_id, role));
    }
    let mut told = Vec::new();
    for (s, out, into, role) in &moves {
        let before = shift_store::places(conn, &[s.id])?
            .remove(&s.id)
            .unwrap_or_default();
        let after: Vec<_> = before
            .iter()
            .map(|(p, x)| if p == out { (*into, *role) } else { (*p, *x) })
            .collect();
        shift_store::set_places(conn, s.id, &after)?;
        told.push((s, before, after));
    }
    tell_changed(conn, cfg, now, tz, r, &told)
}

/// Asks for a swap or substitution (or, for a manager with `apply_now`, makes it).
pub fn ask(
    conn: &mut DbConn,
    cfg: &Config,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: Tz,
    a: Ask,
) -> ServiceResult<DutyChange> {
    let why = reason(&a.reason)?;
    if a.giver_id == a.taker_id {
        return Err(ServiceError::invalid(
            "taker_id",
            "不能与本人换班或替班",
            "A change needs two different people",
        ));
    }
    if (a.kind == ChangeKind::Swap) != a.taker_shift_id.is_some() {
        return Err(ServiceError::invalid(
            "taker_shift_id",
            "换班需指明对方的班次；替班则不需要",
            "A swap names the other person's shift; a substitution does not",
        ));
    }
    write_tx(conn, |c| {
        let shift = live_shift(c, a.shift_id, now)?;
        let r = roster_for(c, shift.roster_id)?;
        roster_store::lock(c, r.id)?;
        let manager = manages(c, actor, &r)?;
        if !(manager || actor.person_id == Some(a.giver_id)) {
            return Err(ServiceError::Forbidden);
        }
        if a.apply_now
            && (!manager
                || actor.person_id == Some(a.giver_id)
                || actor.person_id == Some(a.taker_id))
        {
            return Err(ServiceError::Forbidden);
        }
        if !org_store::find_person(c, a.taker_id)?.is_some_and(|p| p.active) {
            return Err(ServiceError::invalid(
                "taker_id",
                "没有这个在用人员",
                "No such active person",
            ));
        }
        if role_on(c, shift.id, a.giver_id)?.is_none() {
            return Err(ServiceError::invalid(
                "giver_id",
                "此人不在该班次上",
                "That person is not on the shift",
            ));
        }
        if let Some(other) = a.taker_shift_id {
            let s = live_shift(c, other, now)?;
            if s.roster_id != shift.roster_id || s.id == shift.id {
                return Err(ServiceError::invalid(
                    "taker_shift_id",
                    "换班的两个班次须属于同一值班表且不同",
                    "Both shifts of a swap belong to the same roster and differ",
                ));
            }
            if role_on(c, s.id, a.taker_id)?.is_none() {
                return Err(ServiceError::invalid(
                    "taker_shift_id",
                    "对方不在所指的班次上",
                    "The other person is not on that shift",
                ));
            }
            if role_on(c, s.id, a.giver_id)?.is_some() {
                return Err(ServiceError::conflict(
                    "您已在对方的班次上，不能与之换班",
                    "You are already on the other person's shift",
                ));
            }
        }
        if role_on(c, shift.id, a.taker_id)?.is_some() {
            return Err(ServiceError::conflict(
                "接替人已在该班次上",
                "The person taking over is already on that shift",
            ));
        }
        if store::open(c)?
            .iter()
            .any(|o| o.shift_id == a.shift_id && o.giver_id == a.giver_id)
        {
            return Err(ServiceError::conflict(
                "该班次已有一个待处理的换班/替班申请，请先撤回或等待处理",
                "A change of this shift is already waiting: withdraw it or wait for it",
            ));
        }
        let state = if a.apply_now {
            ChangeState::Applied
        } else {
            ChangeState::Asked
        };
        let ch = store::insert(
            c,
            &NewChange {
                roster_id: r.id,
                kind: a.kind,
                state,
                shift_id: a.shift_id,
                giver_id: a.giver_id,
                taker_id: a.taker_id,
                taker_shift_id: a.taker_shift_id,
                reason: &why,
                by: actor.account_id,
                now: db_time(now),
            },
        )?;
        if a.apply_now {
            apply(c, (cfg, now, tz), &r, &ch, a.despite_clashes)?;
        } else {
            tell_waiting(
                c,
                cfg,
                now,
                tz,
                &r,
                &ch,
                &shift,
                vec![(ch.taker_id, &notices::CHANGE_PARTY)],
            )?;
        }
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_change", ch.id, Some(r.unit_id), None, Some(&ch)),
        )?;
        Ok(ch)
    })
    .inspect(|_| super::now::changed())
}

/// Agrees, declines, approves, refuses or withdraws a change. Approving one that clashes (someone in two
/// places, or with no rest) is refused unless `despite` says to apply it even so.
#[allow(clippy::too_many_arguments)]
pub fn act(
    conn: &mut DbConn,
    cfg: &Config,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: Tz,
    id: i64,
    action: ChangeAction,
    note: &str,
    despite: bool,
) -> ServiceResult<DutyChange> {
    let note = reason(note)?;
    if action == ChangeAction::Refuse && note.is_empty() {
        return Err(ServiceError::invalid(
            "note",
            "不批准时请写明理由",
            "Say why the change is refused",
        ));
    }
    write_tx(conn, |c| {
        let ch = store::find(c, id)?
            .ok_or_else(|| ServiceError::not_found("该换班/替班申请", "Change"))?;
        let r = roster_for(c, ch.roster_id)?;
        roster_store::lock(c, r.id)?;
        let who = Standing {
            giver: actor.person_id == Some(ch.giver_id)
                || (action == ChangeAction::Withdraw && ch.asked_by == actor.account_id),
            taker: actor.person_id == Some(ch.taker_id),
            manager: manages(c, actor, &r)?,
        };
        let to = next_state(ch.state, action, who)?;
        if !store::move_state(c, id, ch.state, to, actor.account_id, &note, db_time(now))? {
            return Err(ServiceError::conflict(
                "该申请刚刚已被处理",
                "The change was just handled by someone else",
            ));
        }
        let after =
            store::find(c, id)?.ok_or_else(|| ServiceError::Internal("change vanished".into()))?;
        match to {
            ChangeState::Applied => apply(c, (cfg, now, tz), &r, &after, despite)?,
            ChangeState::Agreed => {
                let shift = live_shift(c, ch.shift_id, now)?;
                let approvers = super::people_over(c, r.unit_id, MANAGERS)?
                    .into_iter()
                    .filter(|p| *p != ch.giver_id && *p != ch.taker_id)
                    .map(|p| (p, &notices::DUTY_MANAGER))
                    .collect();
                tell_waiting(c, cfg, now, tz, &r, &after, &shift, approvers)?;
            }
            _ => {}
        }
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_change", id, Some(r.unit_id), Some(&ch), Some(&after)),
        )?;
        Ok(after)
    })
    .inspect(|_| super::now::changed())
}

/// Changes of a roster (everyone may read) or those the actor is party to.
pub fn list(
    conn: &mut DbConn,
    roster: Option<i64>,
    person: Option<i64>,
) -> ServiceResult<Vec<DutyChange>> {
    if let Some(r) = roster {
        roster_for(conn, r)?;
    }
    Ok(store::list(conn, roster, person, 200)?)
}
