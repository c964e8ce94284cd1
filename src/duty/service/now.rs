//! Who is on duty now (当前值班): per roster, the leader and officers of the shift under way with their
//! phones, the next shift and the duty phone. The page everyone opens when something happens: a handful of
//! indexed reads.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::db::{db_time, DbConn};
use crate::duty::model::{DutyRole, Pattern};
use crate::duty::store::rosters as roster_store;
use crate::duty::store::shifts::{self as store, Holder, ShiftRow};
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::org::model::{mask_phone, Actor};
use crate::org::store as org_store;

/// A shift with the people on it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ShiftNow {
    pub shift_id: i64,
    pub day: NaiveDate,
    /// 24小时班, 白班, 夜班 …
    pub name: String,
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: DateTime<Utc>,
    pub leaders: Vec<Holder>,
    pub officers: Vec<Holder>,
}

/// A roster as the duty room's wall shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RosterNow {
    pub roster_id: i64,
    pub roster_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub duty_phone: String,
    /// The shift under way; none: nobody is rostered now (a gap).
    pub current: Option<ShiftNow>,
    /// The shift after it.
    pub next: Option<ShiftNow>,
}

/// Who is on duty at `now` on every active roster (of `unit` and the units below it, when given).
pub fn on_duty(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    unit: Option<i64>,
) -> ServiceResult<Vec<RosterNow>> {
    let units = match unit {
        Some(u) => Some(org_store::tree_of(conn, actor)?.units_within(&[u])),
        None => None,
    };
    let rosters = roster_store::active_with_units(conn, units.as_deref())?;
    if rosters.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rosters.iter().map(|r| r.id).collect();
    let at = db_time(now);
    let shifts = store::live_between(conn, Some(&ids), at, db_time(now + Duration::days(2)))?;
    let shift_ids: Vec<i64> = shifts.iter().map(|s| s.id).collect();
    let mut holders = store::holders(conn, &shift_ids)?;
    if !actor.sees_phones() {
        holders
            .iter_mut()
            .for_each(|h| h.phone = mask_phone(&h.phone));
    }
    Ok(rosters
        .into_iter()
        .map(|r| {
            let pattern = Pattern::parse(&r.shift_starts).unwrap_or_else(|_| Pattern::daily());
            let mut mine = shifts.iter().filter(|s| s.roster_id == r.id);
            let current = mine.clone().find(|s| s.starts_at <= at && at < s.ends_at);
            let next = mine.find(|s| s.starts_at >= current.map_or(at, |c| c.ends_at));
            let show = |s: &ShiftRow| shift_now(s, &pattern, &holders, actor.lang);
            RosterNow {
                roster_id: r.id,
                roster_name: r.name,
                unit_id: r.unit_id,
                unit_name: r.unit_name,
                duty_phone: r.duty_phone,
                current: current.map(show),
                next: next.map(show),
            }
        })
        .collect())
}

/// A stored shift with its holders, for showing.
pub fn shift_now(s: &ShiftRow, pattern: &Pattern, holders: &[Holder], lang: Lang) -> ShiftNow {
    let on = |role: DutyRole| {
        holders
            .iter()
            .filter(|h| h.shift_id == s.id && h.role == role.code())
            .cloned()
            .collect()
    };
    ShiftNow {
        shift_id: s.id,
        day: s.day,
        name: pattern.shift_name(s.shift_no.max(0) as usize, lang),
        starts_at: s.starts_at.and_utc(),
        ends_at: s.ends_at.and_utc(),
        leaders: on(DutyRole::Leader),
        officers: on(DutyRole::Officer),
    }
}
