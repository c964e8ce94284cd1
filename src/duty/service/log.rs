//! The duty log (值班日志) and the signed handover (交接班): officers on a shift record what came in; at the
//! changeover the outgoing side lists open matters and ticks the roster's checklist, the incoming side
//! confirms; both are kept as signatures. A day's log prints as the office's 值班记录.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde::Serialize;

use super::now::{shift_now, ShiftNow};
use super::{manages, roster_for};
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::duty::store::log::{self as store, Entry, Handover, NewEntry};
use crate::duty::store::rosters::Roster;
use crate::duty::store::shifts::{self as shift_store, ShiftRow};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::{optional_text, phone, required_text, Actor};

/// A shift's log with its handover and what the caller may do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ShiftLog {
    pub roster_id: i64,
    pub roster_name: String,
    pub shift: ShiftNow,
    pub entries: Vec<Entry>,
    /// Open matters from earlier shifts still open.
    pub carried: Vec<Entry>,
    /// The roster's handover checklist.
    pub checklist: Vec<String>,
    pub handover: Option<Handover>,
    /// The caller is on this shift or manages the roster: may record and sign out.
    pub can_record: bool,
    /// The caller is on the next shift (or manages the roster) and may confirm the handover.
    pub can_sign_in: bool,
    /// Entries may be recorded now: the shift is under way or ended less than 12 hours ago.
    pub log_open: bool,
    /// The outgoing side may sign now: from 2 hours before the changeover to 12 hours after.
    pub handover_open: bool,
    /// The caller manages the roster (may check the duty room's presence).
    pub manage: bool,
    /// Presence checks of the shift (查岗) and their answers.
    pub presence: Vec<crate::duty::store::presence::Check>,
    /// Who signed the handover: `(account, name)`.
    pub signers: Vec<(i64, String)>,
}

fn shift_of(conn: &mut DbConn, id: i64) -> ServiceResult<(ShiftRow, Roster)> {
    let s = shift_store::find_shift(conn, id)?
        .filter(|s| s.live)
        .ok_or_else(|| {
            ServiceError::not_found(
                "该班次（已发布的值班表中）",
                "Shift (of a published roster)",
            )
        })?;
    let r = roster_for(conn, s.roster_id)?;
    Ok((s, r))
}

fn holds(conn: &mut DbConn, actor: &Actor, shift: i64) -> ServiceResult<bool> {
    Ok(match actor.person_id {
        Some(p) => shift_store::places(conn, &[shift])?
            .remove(&shift)
            .unwrap_or_default()
            .iter()
            .any(|(q, _)| *q == p),
        None => false,
    })
}

/// The shift after `s` on its roster (the one that takes over).
fn next_shift(conn: &mut DbConn, s: &ShiftRow) -> ServiceResult<Option<ShiftRow>> {
    Ok(shift_store::live_between(
        conn,
        Some(&[s.roster_id]),
        s.ends_at,
        s.ends_at + Duration::minutes(1),
    )?
    .into_iter()
    .find(|n| n.starts_at == s.ends_at))
}

/// A shift's log.
pub fn shift_log(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> ServiceResult<ShiftLog> {
    let (s, r) = shift_of(conn, id)?;
    let manager = manages(conn, actor, &r)?;
    let holders = shift_store::holders(conn, &[s.id])?;
    let handover = store::handover(conn, s.id)?;
    let can_sign_in = manager
        || match next_shift(conn, &s)? {
            Some(n) => holds(conn, actor, n.id)?,
            None => false,
        };
    Ok(ShiftLog {
        roster_id: r.id,
        roster_name: r.name.clone(),
        shift: shift_now(&s, &r.pattern, &holders, actor.lang),
        entries: store::of_shifts(conn, &[s.id])?,
        carried: store::open_of_roster(conn, r.id, s.starts_at)?,
        checklist: r.checklist.clone(),
        handover: handover.clone(),
        can_record: manager || holds(conn, actor, s.id)?,
        can_sign_in,
        manage: manager,
        log_open: s.starts_at.and_utc() <= now && now <= s.ends_at.and_utc() + Duration::hours(12),
        handover_open: s.ends_at.and_utc() - Duration::hours(2) <= now
            && now <= s.ends_at.and_utc() + Duration::hours(12),
        presence: crate::duty::store::presence::of_shift(conn, s.id)?,
        signers: signers_of(conn, handover.as_slice())?,
    })
}

/// The names of those who signed these handovers.
fn signers_of(conn: &mut DbConn, handovers: &[Handover]) -> ServiceResult<Vec<(i64, String)>> {
    let ids: Vec<i64> = handovers
        .iter()
        .flat_map(|h| [Some(h.outgoing_by), h.incoming_by])
        .flatten()
        .collect();
    Ok(store::signers(conn, &ids)?)
}

/// A log entry as submitted.
#[derive(Debug, Clone, Default)]
pub struct EntryInput {
    pub occurred_at: Option<DateTime<Utc>>,
    pub caller_unit: String,
    pub caller_name: String,
    pub caller_phone: String,
    pub summary: String,
    pub notified: String,
    pub handling: String,
    pub open: bool,
}

/// Records an entry on a shift (its people or a manager), during the shift or up to 12 hours after.
pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    shift: i64,
    e: EntryInput,
) -> ServiceResult<Entry> {
    let new = NewEntry {
        shift_id: shift,
        occurred_at: db_time(e.occurred_at.unwrap_or(now)),
        caller_unit: optional_text("caller_unit", &e.caller_unit, 100)?,
        caller_name: optional_text("caller_name", &e.caller_name, 50)?,
        caller_phone: phone("caller_phone", &e.caller_phone)?,
        summary: required_text("summary", &e.summary, 1000)?,
        notified: optional_text("notified", &e.notified, 200)?,
        handling: optional_text("handling", &e.handling, 1000)?,
        open: e.open,
    };
    write_tx(conn, |c| {
        let (s, r) = shift_of(c, shift)?;
        if !(manages(c, actor, &r)? || holds(c, actor, s.id)?) {
            return Err(ServiceError::Forbidden);
        }
        if now < s.starts_at.and_utc() || now > s.ends_at.and_utc() + Duration::hours(12) {
            return Err(ServiceError::conflict(
                "只能在班次进行中或结束后 12 小时内记录值班日志",
                "Log entries are recorded during the shift or within 12 hours after it",
            ));
        }
        if new.occurred_at < s.starts_at - Duration::hours(1) || new.occurred_at > db_time(now) {
            return Err(ServiceError::invalid(
                "occurred_at",
                "事件时间应在本班次内且不晚于现在",
                "The time falls within the shift and not in the future",
            ));
        }
        let entry = store::insert(c, &new, actor.account_id, db_time(now))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_log", entry.id, Some(r.unit_id), None, Some(&entry)),
        )?;
        Ok(entry)
    })
}

/// Closes an open matter with how it ended (the people of a shift of the same roster under way, or a
/// manager).
pub fn close(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    handling: &str,
) -> ServiceResult<Entry> {
    let handling = required_text("handling", handling, 1000)?;
    write_tx(conn, |c| {
        let before =
            store::find(c, id)?.ok_or_else(|| ServiceError::not_found("该日志", "Log entry"))?;
        let (s, r) = shift_of(c, before.shift_id)?;
        let on_now = shift_store::live_between(
            c,
            Some(&[r.id]),
            db_time(now),
            db_time(now) + Duration::seconds(1),
        )?;
        let mut allowed = manages(c, actor, &r)? || holds(c, actor, s.id)?;
        for n in &on_now {
            allowed |= holds(c, actor, n.id)?;
        }
        if !allowed {
            return Err(ServiceError::Forbidden);
        }
        if !store::close(c, id, &handling, actor.account_id, db_time(now))? {
            return Err(ServiceError::conflict(
                "该事项已办结",
                "That matter is already closed",
            ));
        }
        let after =
            store::find(c, id)?.ok_or_else(|| ServiceError::Internal("entry vanished".into()))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_log", id, Some(r.unit_id), Some(&before), Some(&after)),
        )?;
        Ok(after)
    })
}

/// The outgoing side signs the handover: open matters, the checklist items ticked (every item, or a note
/// saying why not), from two hours before the changeover to twelve hours after.
pub fn sign_out(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    shift: i64,
    open_matters: &str,
    checked: &[String],
    note: &str,
) -> ServiceResult<Handover> {
    let open_matters = optional_text("open_matters", open_matters, 2000)?;
    let note = optional_text("note", note, 500)?;
    write_tx(conn, |c| {
        let (s, r) = shift_of(c, shift)?;
        if !(manages(c, actor, &r)? || holds(c, actor, s.id)?) {
            return Err(ServiceError::Forbidden);
        }
        let end = s.ends_at.and_utc();
        if now < end - Duration::hours(2) || now > end + Duration::hours(12) {
            return Err(ServiceError::conflict(
                "交班签字应在交接班前 2 小时至交接班后 12 小时之间",
                "The handover is signed from 2 hours before the changeover to 12 hours after",
            ));
        }
        if let Some(x) = checked.iter().find(|x| !r.checklist.contains(x)) {
            return Err(ServiceError::Invalid {
                field: "checked",
                message: crate::i18n::Text::new(
                    format!("检查项“{x}”不在本值班表的清单中"),
                    format!("“{x}” is not on this roster's checklist"),
                ),
            });
        }
        let missing: Vec<&String> = r
            .checklist
            .iter()
            .filter(|x| !checked.contains(x))
            .collect();
        if !missing.is_empty() && note.is_empty() {
            return Err(ServiceError::invalid(
                "note",
                "有未勾选的检查项，请在备注中说明原因",
                "Some checklist items are not ticked: say why in the note",
            ));
        }
        if store::handover(c, s.id)?.is_some() {
            return Err(ServiceError::conflict(
                "本班次已交班签字",
                "The handover of this shift is already signed",
            ));
        }
        store::sign_outgoing(
            c,
            s.id,
            (&open_matters, &checked.join("\n"), &note),
            actor.account_id,
            db_time(now),
        )?;
        let h = store::handover(c, s.id)?
            .ok_or_else(|| ServiceError::Internal("handover vanished".into()))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_handover", s.id, Some(r.unit_id), None, Some(&h)),
        )?;
        Ok(h)
    })
}

/// The incoming side confirms the handover (someone on the next shift, or a manager; never the account that
/// signed it out: a handover is face to face).
pub fn sign_in(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    shift: i64,
) -> ServiceResult<Handover> {
    write_tx(conn, |c| {
        let (s, r) = shift_of(c, shift)?;
        let before = store::handover(c, s.id)?.ok_or_else(|| {
            ServiceError::conflict("交班方尚未签字", "The outgoing side has not signed yet")
        })?;
        let next = next_shift(c, &s)?;
        let on_next = match &next {
            Some(n) => holds(c, actor, n.id)?,
            None => false,
        };
        if !(on_next || manages(c, actor, &r)?) {
            return Err(ServiceError::Forbidden);
        }
        if before.outgoing_by == actor.account_id {
            return Err(ServiceError::conflict(
                "交班和接班须由不同的人签字",
                "The outgoing and incoming signatures come from different people",
            ));
        }
        if !store::sign_incoming(c, s.id, actor.account_id, db_time(now))? {
            return Err(ServiceError::conflict(
                "接班方已签字",
                "The incoming side has already signed",
            ));
        }
        let after = store::handover(c, s.id)?
            .ok_or_else(|| ServiceError::Internal("handover vanished".into()))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "duty_handover",
                s.id,
                Some(r.unit_id),
                Some(&before),
                Some(&after),
            ),
        )?;
        Ok(after)
    })
}

/// A day's 值班记录: the roster's shifts that day with their people, log and handovers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DayRecord {
    pub roster_name: String,
    pub unit_id: i64,
    pub duty_phone: String,
    pub day: chrono::NaiveDate,
    pub shifts: Vec<ShiftNow>,
    pub entries: Vec<Entry>,
    pub handovers: Vec<Handover>,
    /// Who signed them: `(account, name)`.
    pub signers: Vec<(i64, String)>,
}

/// The record of a roster's day.
pub fn day_record(
    conn: &mut DbConn,
    actor: &Actor,
    roster: i64,
    day: chrono::NaiveDate,
) -> ServiceResult<DayRecord> {
    let r = roster_for(conn, roster)?;
    let from: NaiveDateTime = day.and_hms_opt(0, 0, 0).unwrap_or_default() - Duration::hours(14);
    let shifts: Vec<ShiftRow> =
        shift_store::live_between(conn, Some(&[r.id]), from, from + Duration::hours(52))?
            .into_iter()
            .filter(|s| s.day == day)
            .collect();
    let ids: Vec<i64> = shifts.iter().map(|s| s.id).collect();
    let holders = shift_store::holders(conn, &ids)?;
    let handovers = store::handovers(conn, &ids)?;
    Ok(DayRecord {
        roster_name: r.name.clone(),
        unit_id: r.unit_id,
        duty_phone: r.duty_phone.clone(),
        day,
        shifts: shifts
            .iter()
            .map(|s| shift_now(s, &r.pattern, &holders, actor.lang))
            .collect(),
        entries: store::of_shifts(conn, &ids)?,
        signers: signers_of(conn, &handovers)?,
        handovers,
    })
}
