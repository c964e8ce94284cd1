//! Presence checks (查岗): office staff or the roster's managers, or the roster's schedule of unannounced
//! checks (随机查岗), ask the people on a shift under way to confirm they are at their post within some
//! minutes; each gets an email with a secret link whose page confirms with one button (opening the link
//! confirms nothing: mail gateways follow links). The result is kept per shift; a miss reaches the duty
//! leaders (see the reminders).

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::{manages, names, roster_for};
use crate::audit::{model::Change, service as audit};
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::duty::model::{check_times, checks_due, confirm_minutes, CheckKey};
use crate::duty::notices::{self, span, DutyMessage};
use crate::duty::store::presence::{self as store, Check, NewCheck};
use crate::duty::store::rosters::{self as roster_store, Roster};
use crate::duty::store::shifts::{self as shift_store, ShiftRow};
use crate::error::{ServiceError, ServiceResult};
use crate::notify::service::{enqueue, Outgoing};
use crate::org::credentials::{random_token, token_hash};
use crate::org::model::Actor;

/// Who asks a presence check.
#[derive(Clone, Copy)]
enum Asker<'a> {
    /// Office staff or a manager of the roster.
    Person(&'a Actor),
    /// The roster's schedule of unannounced checks, at the time it planned.
    Schedule(DateTime<Utc>),
}

/// Asks everyone on shift `s` of roster `r` to confirm within `minutes`, each by email with their own link
/// (inside the caller's transaction). Returns the new checks' ids: none for the people the schedule already
/// asked at the same planned time.
#[allow(clippy::too_many_arguments)]
fn put(
    c: &mut DbConn,
    cfg: &Config,
    now: DateTime<Utc>,
    tz: Tz,
    (s, r): (&ShiftRow, &Roster),
    asker: Asker<'_>,
    minutes: i64,
) -> ServiceResult<Vec<i64>> {
    let due = now + Duration::minutes(minutes);
    let when = span(s.starts_at.and_utc(), s.ends_at.and_utc(), tz);
    let at = due.with_timezone(&tz).format("%H:%M");
    let (asked_by, planned_at, (zh, en)) = match asker {
        Asker::Person(a) => (
            a.account_id,
            None,
            (
                format!("{} 正在查岗：请打开下面的链接并点击“确认在岗”。班次：{when}", a.name),
                format!("{} is checking the duty room: open the link below and press “I am at my post”. Shift: {when}", a.name),
            ),
        ),
        Asker::Schedule(t) => (
            0,
            Some(db_time(t)),
            (
                format!("随机查岗：请打开下面的链接并点击“确认在岗”。班次：{when}"),
                format!("An unannounced presence check: open the link below and press “I am at my post”. Shift: {when}"),
            ),
        ),
    };
    let mut ids = Vec::new();
    for h in shift_store::holders(c, &[s.id])? {
        let token = random_token(24)?;
        let hash = token_hash(&token);
        let new = NewCheck {
            shift_id: s.id,
            person_id: h.person_id,
            asked_by,
            asked_at: db_time(now),
            due_at: db_time(due),
            token_hash: &hash,
            planned_at,
        };
        let Some(id) = store::insert(c, &new)? else {
            continue;
        };
        let msg = DutyMessage::new(
            (
                format!("【查岗】请于 {at} 前确认在岗 — {}", r.name),
                format!(
                    "[Presence check] Confirm you are at your post by {at} — {}",
                    r.name
                ),
            ),
            (zh.clone(), en.clone()),
        );
        enqueue(
            c,
            cfg,
            now,
            &Outgoing {
                kind: &notices::PRESENCE,
                key: format!("duty_presence:{id}"),
                unit_id: Some(r.unit_id),
                path: format!("/duty/presence/{token}"),
                people: vec![(h.person_id, &notices::ON_DUTY)],
                to_unit: false,
                addresses: Vec::new(),
                content: Box::new(msg),
            },
        )?;
        ids.push(id);
    }
    Ok(ids)
}

/// The checks of a shift with these ids.
fn checks_in(c: &mut DbConn, shift: i64, ids: &[i64]) -> ServiceResult<Vec<Check>> {
    Ok(store::of_shift(c, shift)?
        .into_iter()
        .filter(|x| ids.contains(&x.id))
        .collect())
}

/// Asks everyone on a shift under way to confirm within `minutes` (5–120); returns the checks.
#[allow(clippy::too_many_arguments)]
pub fn ask(
    conn: &mut DbConn,
    cfg: &Config,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: Tz,
    shift: i64,
    minutes: i64,
) -> ServiceResult<Vec<Check>> {
    let minutes = confirm_minutes(minutes)?;
    write_tx(conn, |c| {
        let s = shift_store::find_shift(c, shift)?
            .filter(|s| s.live)
            .ok_or_else(|| {
                ServiceError::not_found(
                    "该班次（已发布的值班表中）",
                    "Shift (of a published roster)",
                )
            })?;
        let r = roster_for(c, s.roster_id)?;
        if !manages(c, actor, &r)? {
            return Err(ServiceError::Forbidden);
        }
        if !(s.starts_at.and_utc() <= now && now < s.ends_at.and_utc()) {
            return Err(ServiceError::conflict(
                "只能对正在进行的班次查岗",
                "Only a shift under way can be checked",
            ));
        }
        let ids = put(c, cfg, now, tz, (&s, &r), Asker::Person(actor), minutes)?;
        if ids.is_empty() {
            return Err(ServiceError::conflict(
                "该班次没有值班人员",
                "Nobody is on that shift",
            ));
        }
        let checks = checks_in(c, s.id, &ids)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_presence", s.id, Some(r.unit_id), None, Some(&checks)),
        )?;
        Ok(checks)
    })
}

/// The unannounced checks (随机查岗) that fall due at `now` on the shifts under way of the active rosters
/// that plan them: the people on each are asked as by hand, recorded and audited as asked by the schedule,
/// once per person and planned time whichever instance or rerun comes first. Returns how many were asked.
pub fn ask_scheduled(
    conn: &mut DbConn,
    cfg: &Config,
    key: &CheckKey,
    now: DateTime<Utc>,
    tz: Tz,
) -> ServiceResult<usize> {
    let rosters: Vec<Roster> = roster_store::all(conn)?
        .into_iter()
        .filter(|r| r.active && r.presence().checks > 0)
        .collect();
    if rosters.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = rosters.iter().map(|r| r.id).collect();
    let under_way = shift_store::live_between(
        conn,
        Some(&ids),
        db_time(now),
        db_time(now + Duration::seconds(1)),
    )?;
    let mut asked = 0;
    for s in under_way.iter().filter(|s| s.starts_at.and_utc() <= now) {
        let Some(r) = rosters.iter().find(|r| r.id == s.roster_id) else {
            continue;
        };
        let (plan, ends) = (r.presence(), s.ends_at.and_utc());
        let times = check_times(key, s.id, (s.starts_at.and_utc(), ends), plan);
        for t in checks_due(&times, now, ends, i64::from(plan.minutes)) {
            asked += write_tx(conn, |c| -> ServiceResult<usize> {
                let ids = put(
                    c,
                    cfg,
                    now,
                    tz,
                    (s, r),
                    Asker::Schedule(t),
                    i64::from(plan.minutes),
                )?;
                if !ids.is_empty() {
                    let checks = checks_in(c, s.id, &ids)?;
                    audit::record(
                        c,
                        None,
                        now,
                        Change::of("duty_presence", s.id, Some(r.unit_id), None, Some(&checks)),
                    )?;
                }
                Ok(ids.len())
            })?;
        }
    }
    Ok(asked)
}

/// What a presence link shows: who, which shift, by when, and whether it is answered.
#[derive(Debug, Clone, Serialize)]
pub struct Asked {
    pub check: Check,
    pub person: String,
    pub roster: String,
    pub when: String,
    pub due: String,
}

/// The check behind a link (404 for an unknown one).
pub fn asked(conn: &mut DbConn, token: &str, tz: Tz) -> ServiceResult<Asked> {
    let gone = || ServiceError::not_found("该查岗链接", "Presence check");
    let check = store::by_token(conn, &token_hash(token))?.ok_or_else(gone)?;
    let s = shift_store::find_shift(conn, check.shift_id)?.ok_or_else(gone)?;
    let r = roster_for(conn, s.roster_id)?;
    Ok(Asked {
        person: names(conn)?.remove(&check.person_id).unwrap_or_default(),
        roster: r.name,
        when: span(s.starts_at.and_utc(), s.ends_at.and_utc(), tz),
        due: check
            .due_at
            .and_utc()
            .with_timezone(&tz)
            .format("%H:%M")
            .to_string(),
        check,
    })
}

/// Confirms presence through a link: recorded with the time and address (late if after the limit, and only
/// while the shift is under way).
pub fn confirm(
    conn: &mut DbConn,
    token: &str,
    now: DateTime<Utc>,
    from: &str,
) -> ServiceResult<Check> {
    write_tx(conn, |c| {
        let gone = || ServiceError::not_found("该查岗链接", "Presence check");
        let check = store::by_token(c, &token_hash(token))?.ok_or_else(gone)?;
        let s = shift_store::find_shift(c, check.shift_id)?.ok_or_else(gone)?;
        if now >= s.ends_at.and_utc() {
            return Err(ServiceError::conflict(
                "该班次已结束，不能再确认",
                "The shift is over: it can no longer be confirmed",
            ));
        }
        if !store::confirm(c, check.id, db_time(now), from)? {
            return Err(ServiceError::conflict(
                "已确认过在岗",
                "Presence was already confirmed",
            ));
        }
        let after = store::by_token(c, &token_hash(token))?.ok_or_else(gone)?;
        audit::record(
            c,
            None,
            now,
            Change::of(
                "duty_presence",
                check.shift_id,
                None,
                Some(&check),
                Some(&after),
            ),
        )?;
        Ok(after)
    })
}

/// The checks of a shift (anyone signed in).
pub fn of_shift(conn: &mut DbConn, shift: i64) -> ServiceResult<Vec<Check>> {
    Ok(store::of_shift(conn, shift)?)
}
