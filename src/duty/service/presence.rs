//! Presence checks (查岗): office staff or the roster's managers ask the people on a shift under way to
//! confirm they are at their post within some minutes; each gets an email with a secret link whose page
//! confirms with one button (opening the link confirms nothing: mail gateways follow links). The result is
//! kept per shift; a miss reaches the duty leaders (see the reminders).

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::{manages, names, roster_for};
use crate::audit::{model::Change, service as audit};
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::duty::notices::{self, span, DutyMessage};
use crate::duty::store::presence::{self as store, Check};
use crate::duty::store::shifts as shift_store;
use crate::error::{ServiceError, ServiceResult};
use crate::notify::service::{enqueue, Outgoing};
use crate::org::credentials::{random_token, token_hash};
use crate::org::model::Actor;

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
    if !(5..=120).contains(&minutes) {
        return Err(ServiceError::invalid(
            "minutes",
            "确认时限应为 5–120 分钟",
            "Allow 5–120 minutes to confirm",
        ));
    }
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
        let due = now + Duration::minutes(minutes);
        let when = span(s.starts_at.and_utc(), s.ends_at.and_utc(), tz);
        let mut ids = Vec::new();
        for h in shift_store::holders(c, &[s.id])? {
            let token = random_token(24)?;
            let id = store::insert(
                c,
                (s.id, h.person_id),
                actor.account_id,
                (db_time(now), db_time(due)),
                &token_hash(&token),
            )?;
            let at = due.with_timezone(&tz).format("%H:%M");
            let msg = DutyMessage::new(
                (format!("【查岗】请于 {at} 前确认在岗 — {}", r.name), format!("[Presence check] Confirm you are at your post by {at} — {}", r.name)),
                (
                    format!("{} 正在查岗：请打开下面的链接并点击“确认在岗”。班次：{when}", actor.name),
                    format!("{} is checking the duty room: open the link below and press “I am at my post”. Shift: {when}", actor.name),
                ),
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
        if ids.is_empty() {
            return Err(ServiceError::conflict(
                "该班次没有值班人员",
                "Nobody is on that shift",
            ));
        }
        let checks: Vec<Check> = store::of_shift(c, s.id)?
            .into_iter()
            .filter(|x| ids.contains(&x.id))
            .collect();
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_presence", s.id, Some(r.unit_id), None, Some(&checks)),
        )?;
        Ok(checks)
    })
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
