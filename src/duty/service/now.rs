//! Who is on duty now (当前值班): per roster, the leader and officers of the shift under way with their
//! phones, the next shift and the duty phone. The page everyone opens when something happens: served from
//! a snapshot that three indexed reads refresh after a change, at each changeover, or after a few seconds.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::db::{db_time, DbConn};
use crate::duty::model::{DutyRole, Pattern};
use crate::duty::store::rosters::{self as roster_store, RosterHead};
use crate::duty::store::shifts::{self as store, OnShift, ShiftRow};
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
    pub leaders: Vec<OnShift>,
    pub officers: Vec<OnShift>,
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

/// How long a snapshot of who is on duty is served before it is read again: the bound within which another
/// instance's change shows here. Changes made by this process show at once.
pub const FRESH: std::time::Duration = std::time::Duration::from_secs(5);

/// Bumped by every change to rosters, plans and shifts in this process: a snapshot read before is stale.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Marks every snapshot of who is on duty stale (call after a change to rosters, plans or shifts commits).
pub fn changed() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// The district's active rosters, their live shifts from a moment to two days on and the people on them,
/// as read at one moment.
#[derive(Debug)]
struct Snapshot {
    generation: u64,
    read: Instant,
    /// The office time it was read at, and the first changeover after it (when it stops being true).
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    rosters: Vec<RosterHead>,
    shifts: Vec<ShiftRow>,
    holders: Vec<OnShift>,
}

/// The last snapshot of who is on duty, shared by the requests of one process (one per app).
#[derive(Debug, Default)]
pub struct NowCache(RwLock<Option<Arc<Snapshot>>>);

impl NowCache {
    fn get(&self, conn: &mut DbConn, now: DateTime<Utc>) -> ServiceResult<Arc<Snapshot>> {
        let generation = GENERATION.load(Ordering::SeqCst);
        if let Ok(held) = self.0.read() {
            if let Some(s) = held.as_ref().filter(|s| {
                s.generation == generation
                    && s.read.elapsed() < FRESH
                    && s.from <= now
                    && now < s.until
            }) {
                return Ok(s.clone());
            }
        }
        let rosters = roster_store::active_with_units(conn, None)?;
        let ids: Vec<i64> = rosters.iter().map(|r| r.id).collect();
        let (at, horizon) = (db_time(now), db_time(now + Duration::days(2)));
        let shifts = if ids.is_empty() {
            Vec::new()
        } else {
            store::live_between(conn, Some(&ids), at, horizon)?
        };
        let shift_ids: Vec<i64> = shifts.iter().map(|s| s.id).collect();
        let holders = store::holders(conn, &shift_ids)?;
        // True until the first changeover: a shift under way ends or the next one begins.
        let until = shifts
            .iter()
            .map(|s| {
                if s.starts_at <= at {
                    s.ends_at
                } else {
                    s.starts_at
                }
            })
            .min()
            .map_or(now + Duration::days(1), |t| t.and_utc());
        let fresh = Arc::new(Snapshot {
            generation,
            read: Instant::now(),
            from: now,
            until,
            rosters,
            shifts,
            holders,
        });
        if let Ok(mut held) = self.0.write() {
            *held = Some(fresh.clone());
        }
        Ok(fresh)
    }
}

/// Who is on duty at `now` on every active roster (of `unit` and the units below it, when given), from the
/// process's snapshot (read again after a change here, at a changeover, or after [`FRESH`]).
pub fn on_duty(
    conn: &mut DbConn,
    cache: &NowCache,
    actor: &Actor,
    now: DateTime<Utc>,
    unit: Option<i64>,
) -> ServiceResult<Vec<RosterNow>> {
    let units = match unit {
        Some(u) => Some(org_store::tree_of(conn, actor)?.units_within(&[u])),
        None => None,
    };
    let snap = cache.get(conn, now)?;
    let at = db_time(now);
    let masked: Vec<OnShift>;
    let holders = if actor.sees_phones() {
        &snap.holders
    } else {
        masked = snap
            .holders
            .iter()
            .map(|h| OnShift {
                phone: mask_phone(&h.phone),
                ..h.clone()
            })
            .collect();
        &masked
    };
    Ok(snap
        .rosters
        .iter()
        .filter(|r| units.as_ref().is_none_or(|u| u.contains(&r.unit_id)))
        .map(|r| {
            let pattern = Pattern::parse(&r.shift_starts).unwrap_or_else(|_| Pattern::daily());
            let mut mine = snap.shifts.iter().filter(|s| s.roster_id == r.id);
            let current = mine.clone().find(|s| s.starts_at <= at && at < s.ends_at);
            let next = mine.find(|s| s.starts_at >= current.map_or(at, |c| c.ends_at));
            let show = |s: &ShiftRow| shift_now(s, &pattern, holders, actor.lang);
            RosterNow {
                roster_id: r.id,
                roster_name: r.name.clone(),
                unit_id: r.unit_id,
                unit_name: r.unit_name.clone(),
                duty_phone: r.duty_phone.clone(),
                current: current.map(show),
                next: next.map(show),
            }
        })
        .collect())
}

/// A stored shift with its holders, for showing.
pub fn shift_now(s: &ShiftRow, pattern: &Pattern, holders: &[OnShift], lang: Lang) -> ShiftNow {
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
