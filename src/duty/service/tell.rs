//! Telling people about their duty: a published plan (each person their shifts, the unit the whole range)
//! changes to live shifts (exactly the people they move, one notice each) and swaps waiting for someone.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::config::Config;
use crate::db::DbConn;
use crate::duty::model::{DutyRole, Place};
use crate::duty::notices::{self, span, DutyMessage};
use crate::duty::store::changes::DutyChange;
use crate::duty::store::rosters::Roster;
use crate::duty::store::shifts::{self as store, PlanRow, ShiftRow};
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::notify::service::{enqueue, Outgoing};

/// Tells each person of a published plan their shifts, and the unit's contacts the whole range.
pub(super) fn tell_published(
    conn: &mut DbConn,
    cfg: &Config,
    now: DateTime<Utc>,
    tz: Tz,
    r: &Roster,
    plan: &PlanRow,
) -> ServiceResult<()> {
    let shifts = store::shifts_of_plan(conn, plan.id)?;
    let ids: Vec<i64> = shifts.iter().map(|s| s.id).collect();
    let holders = store::holders(conn, &ids)?;
    let mut by_person: HashMap<i64, Vec<(&ShiftRow, &str)>> = HashMap::new();
    for h in &holders {
        if let Some(s) = shifts.iter().find(|s| s.id == h.shift_id) {
            by_person
                .entry(h.person_id)
                .or_default()
                .push((s, h.role.as_str()));
        }
    }
    let title = |zh: &str, en: &str| {
        (
            format!("【{zh}】{} {} 至 {}", r.name, plan.starts_on, plan.ends_on),
            format!("[{en}] {} {} to {}", r.name, plan.starts_on, plan.ends_on),
        )
    };
    for (person, mine) in by_person {
        let mut msg = DutyMessage::new(
            title("值班安排", "Your duty"),
            (
                "值班表已发布，您的值班如下：".into(),
                "The roster is published; your shifts:".into(),
            ),
        );
        for (s, role) in mine {
            let role = DutyRole::parse(role).unwrap_or(DutyRole::Officer);
            let when = span(s.starts_at.and_utc(), s.ends_at.and_utc(), tz);
            msg = msg.line(
                format!("{when}　{}", role.label(Lang::Zh)),
                format!("{when}  {}", role.label(Lang::En)),
            );
        }
        enqueue(
            conn,
            cfg,
            now,
            &Outgoing {
                kind: &notices::PUBLISHED,
                key: format!("duty_published:{}:{person}", plan.id),
                unit_id: None,
                path: "/duty/mine".into(),
                people: vec![(person, &notices::ON_DUTY)],
                to_unit: false,
                addresses: Vec::new(),
                content: Box::new(msg),
            },
        )?;
    }
    let mut msg = DutyMessage::new(
        title("值班表", "Roster"),
        ("值班表已发布：".into(), "The roster is published:".into()),
    );
    for s in &shifts {
        let on: Vec<&str> = holders
            .iter()
            .filter(|h| h.shift_id == s.id)
            .map(|h| h.name.as_str())
            .collect();
        let when = span(s.starts_at.and_utc(), s.ends_at.and_utc(), tz);
        msg = msg.line(
            format!("{when}　{}", on.join("、")),
            format!("{when}  {}", on.join(", ")),
        );
    }
    enqueue(
        conn,
        cfg,
        now,
        &Outgoing {
            kind: &notices::PUBLISHED,
            key: format!("duty_roster:{}", plan.id),
            unit_id: Some(r.unit_id),
            path: format!("/duty/plans/{}", plan.id),
            people: Vec::new(),
            to_unit: true,
            addresses: Vec::new(),
            content: Box::new(msg),
        },
    )?;
    Ok(())
}

/// One shift's places before and after a change.
pub type Moved<'a> = (&'a ShiftRow, Vec<Place>, Vec<Place>);

/// Tells exactly the people whose place on live shifts changed (added, removed, or moved between roles),
/// one notice each however many of the shifts moved them.
pub fn tell_changed(
    conn: &mut DbConn,
    cfg: &Config,
    now: DateTime<Utc>,
    tz: Tz,
    r: &Roster,
    moves: &[Moved<'_>],
) -> ServiceResult<()> {
    let mut lines: Vec<(i64, Vec<(String, String)>)> = Vec::new();
    for (s, before, after) in moves {
        let when = span(s.starts_at.and_utc(), s.ends_at.and_utc(), tz);
        let moved: HashSet<i64> = before
            .iter()
            .filter(|p| !after.contains(p))
            .chain(after.iter().filter(|p| !before.contains(p)))
            .map(|(p, _)| *p)
            .collect();
        for person in moved {
            let line = match after.iter().find(|(p, _)| *p == person) {
                Some((_, role)) => (
                    format!("{when}：您担任{}", role.label(Lang::Zh)),
                    format!(
                        "{when}: you are on as {}",
                        role.label(Lang::En).to_lowercase()
                    ),
                ),
                None => (
                    format!("{when}：您不再值班"),
                    format!("{when}: you are no longer on duty"),
                ),
            };
            match lines.iter_mut().find(|(p, _)| *p == person) {
                Some((_, l)) => l.push(line),
                None => lines.push((person, vec![line])),
            }
        }
    }
    let first = moves.first().map_or(0, |m| m.0.id);
    for (person, changed) in lines {
        let mut msg = DutyMessage::new(
            (
                format!("【值班变动】{}", r.name),
                format!("[Duty changed] {}", r.name),
            ),
            ("您的值班有变动：".into(), "Your duty has changed:".into()),
        );
        for (zh, en) in changed {
            msg = msg.line(zh, en);
        }
        enqueue(
            conn,
            cfg,
            now,
            &Outgoing {
                kind: &notices::CHANGED,
                key: format!("duty_changed:{first}:{person}:{}", now.timestamp_micros()),
                unit_id: None,
                path: "/duty/mine".into(),
                people: vec![(person, &notices::ON_DUTY)],
                to_unit: false,
                addresses: Vec::new(),
                content: Box::new(msg),
            },
        )?;
    }
    Ok(())
}

/// Tells someone a change waits for them (the taker to agree, the approvers to decide).
#[allow(clippy::too_many_arguments)]
pub(super) fn tell_waiting(
    conn: &mut DbConn,
    cfg: &Config,
    now: DateTime<Utc>,
    tz: Tz,
    r: &Roster,
    ch: &DutyChange,
    shift: &ShiftRow,
    people: Vec<(i64, &'static crate::notify::model::Reason)>,
) -> ServiceResult<()> {
    let names = super::names(conn)?;
    let name = |p: i64| names.get(&p).cloned().unwrap_or_default();
    let when = span(shift.starts_at.and_utc(), shift.ends_at.and_utc(), tz);
    let msg = DutyMessage::new(
        (
            format!("【{}待处理】{} {when}", ch.kind.label(Lang::Zh), r.name),
            format!("[{} waiting] {} {when}", ch.kind.label(Lang::En), r.name),
        ),
        (
            format!(
                "{} 请 {} 接替 {when} 的值班（{}）",
                name(ch.giver_id),
                name(ch.taker_id),
                ch.state.label(Lang::Zh)
            ),
            format!(
                "{} asks {} to take over {when} ({})",
                name(ch.giver_id),
                name(ch.taker_id),
                ch.state.label(Lang::En).to_lowercase()
            ),
        ),
    );
    enqueue(
        conn,
        cfg,
        now,
        &Outgoing {
            kind: &notices::CHANGE_WAITING,
            key: format!("duty_change:{}:{}", ch.id, ch.state.code()),
            unit_id: Some(r.unit_id),
            path: format!("/duty/changes/{}", ch.id),
            people,
            to_unit: false,
            addresses: Vec::new(),
            content: Box::new(msg),
        },
    )?;
    Ok(())
}
