//! One's own duty: shifts ahead, changes waiting, days one cannot be on duty, how long before a shift one is
//! reminded of it.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::audit::{model::Change, service as audit};
use crate::clock::today;
use crate::db::{db_time, write_tx, DbConn};
use crate::duty::model::{manages_duty, reason, ChangeState, DutyRole, LeadChoice, ReminderLead};
use crate::duty::notices::span;
use crate::duty::store::changes::{self as change_store, DutyChange};
use crate::duty::store::leads;
use crate::duty::store::unavailable::{self, Unavailable};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// One of my shifts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MyShift {
    pub shift_id: i64,
    pub roster_id: i64,
    pub roster_name: String,
    pub day: NaiveDate,
    pub role: DutyRole,
    /// When, in office time (`2026-12-01 08:30 – 12-02 08:30`).
    pub when: String,
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: DateTime<Utc>,
}

/// My duty.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MyDuty {
    /// Shifts under way or starting in the next 60 days.
    pub shifts: Vec<MyShift>,
    /// Swaps and substitutions I am party to that are still open.
    pub waiting: Vec<DutyChange>,
    pub unavailable: Vec<Unavailable>,
}

/// The actor's shifts ahead, open changes and unavailability (empty for an account without a person).
pub fn of_actor(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: Tz,
) -> ServiceResult<MyDuty> {
    let Some(person) = actor.person_id else {
        return Ok(MyDuty {
            shifts: Vec::new(),
            waiting: Vec::new(),
            unavailable: Vec::new(),
        });
    };
    Ok(MyDuty {
        shifts: shifts_of(conn, person, now, now + Duration::days(60), tz)?,
        waiting: change_store::list(conn, None, Some(person), 50)?
            .into_iter()
            .filter(|c| matches!(c.state, ChangeState::Asked | ChangeState::Agreed))
            .collect(),
        unavailable: unavailable::of_person(conn, person, today(now, tz))?,
    })
}

/// A person's live shifts overlapping `[from, to)`.
pub fn shifts_of(
    conn: &mut DbConn,
    person: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    tz: Tz,
) -> ServiceResult<Vec<MyShift>> {
    Ok(
        crate::duty::store::held::of_person(conn, person, db_time(from), db_time(to))?
            .into_iter()
            .map(|(s, role, roster_name)| MyShift {
                shift_id: s.id,
                roster_id: s.roster_id,
                roster_name,
                day: s.day,
                role: DutyRole::parse(&role).unwrap_or(DutyRole::Officer),
                when: span(s.starts_at.and_utc(), s.ends_at.and_utc(), tz),
                starts_at: s.starts_at.and_utc(),
                ends_at: s.ends_at.and_utc(),
            })
            .collect(),
    )
}

/// Whether the actor may speak for the person's duty: themselves, or a manager of their unit's duty.
pub(super) fn speaks_for(conn: &mut DbConn, actor: &Actor, person: i64) -> ServiceResult<i64> {
    let p = org_store::find_person(conn, person)?
        .filter(|p| p.active)
        .ok_or_else(|| ServiceError::not_found("该人员", "Person"))?;
    let tree = org_store::tree_of(conn, actor)?;
    if actor.person_id == Some(person) || manages_duty(actor, p.unit_id, &tree) {
        Ok(p.unit_id)
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Records days a person cannot be on duty (within a year from today, at most 60 days at once).
pub fn add_unavailable(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: Tz,
    person: i64,
    (from, to): (NaiveDate, NaiveDate),
    why: &str,
) -> ServiceResult<Unavailable> {
    let why = reason(why)?;
    let day = today(now, tz);
    if to < from || (to - from).num_days() >= 60 || from < day || from > day + Duration::days(366) {
        return Err(ServiceError::invalid(
            "ends_on",
            "不可值班的日期应在今天起一年内，结束不早于开始，每次最多 60 天",
            "Unavailable days start within a year from today, end on or after they start, 60 days at most",
        ));
    }
    write_tx(conn, |c| {
        let unit = speaks_for(c, actor, person)?;
        if !unavailable::between(c, &[person], from, to)?.is_empty() {
            return Err(ServiceError::conflict(
                "这段时间已登记过不可值班",
                "Some of these days are already recorded as unavailable",
            ));
        }
        let u = unavailable::insert(c, person, (from, to), &why, actor.account_id, db_time(now))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_unavailable", u.id, Some(unit), None, Some(&u)),
        )?;
        Ok(u)
    })
}

/// Withdraws days a person said they cannot be on duty.
pub fn remove_unavailable(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    person: i64,
    id: i64,
) -> ServiceResult<()> {
    write_tx(conn, |c| {
        let unit = speaks_for(c, actor, person)?;
        if !unavailable::delete(c, person, id)? {
            return Err(ServiceError::not_found("该不可值班记录", "Unavailability"));
        }
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_unavailable", id, Some(unit), Some(&id), None::<&i64>),
        )?;
        Ok(())
    })
}

/// How long before each of my shifts I am reminded of it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MyReminder {
    /// `roster`: as each roster sets it (the default); `none`: no reminder; `hours`: `hours` before every
    /// shift.
    pub lead: LeadChoice,
    /// With `hours`: 1–72; otherwise `null`.
    pub hours: Option<i64>,
}

impl From<ReminderLead> for MyReminder {
    fn from(lead: ReminderLead) -> MyReminder {
        MyReminder {
            lead: lead.choice(),
            hours: match lead {
                ReminderLead::Hours(h) => Some(i64::from(h)),
                _ => None,
            },
        }
    }
}

/// The person the actor's account is (409 for an account without one: it holds no duty).
fn me(actor: &Actor) -> ServiceResult<i64> {
    actor.person_id.ok_or_else(|| {
        ServiceError::conflict(
            "您的账号未关联人员，没有值班提醒",
            "Your account is not linked to a person, so it has no duty reminders",
        )
    })
}

/// The actor's reminder lead.
pub fn reminder(conn: &mut DbConn, actor: &Actor) -> ServiceResult<MyReminder> {
    Ok(leads::of_person(conn, me(actor)?)?.into())
}

/// Sets the actor's reminder lead. A shift they were already reminded of is not told again, whatever the
/// new lead (the reminder's dedupe key names the shift, not the lead).
pub fn set_reminder(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    lead: ReminderLead,
) -> ServiceResult<MyReminder> {
    let person = me(actor)?;
    write_tx(conn, |c| {
        let unit = speaks_for(c, actor, person)?;
        let before: MyReminder = leads::of_person(c, person)?.into();
        leads::set(c, person, lead, actor.account_id, db_time(now))?;
        let after: MyReminder = lead.into();
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_lead", person, Some(unit), Some(&before), Some(&after)),
        )?;
        Ok(after)
    })
}
