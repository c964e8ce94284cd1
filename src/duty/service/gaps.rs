//! Gaps and conflicts ahead on the published rosters: what the roster page shows, what reminds the
//! roster's managers, and what `/metrics` counts.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::availability::away;
use super::roster_for;
use crate::clock::today;
use crate::db::{db_time, DbConn};
use crate::duty::model::{scan, Elsewhere, Finding, Held, People};
use crate::duty::store::rosters::Roster;
use crate::duty::store::shifts as store;
use crate::error::{ServiceError, ServiceResult};

/// Gaps and conflicts on a roster over the next `days` days (1–90) from today.
pub fn ahead(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    tz: Tz,
    roster: i64,
    days: i64,
) -> ServiceResult<Vec<Finding>> {
    if !(1..=90).contains(&days) {
        return Err(ServiceError::invalid(
            "days",
            "请查看 1–90 天",
            "Look 1–90 days ahead",
        ));
    }
    let r = roster_for(conn, roster)?;
    findings(conn, &r, now, tz, days)
}

/// The findings of one roster over the next `days` days.
pub fn findings(
    conn: &mut DbConn,
    r: &Roster,
    now: DateTime<Utc>,
    tz: Tz,
    days: i64,
) -> ServiceResult<Vec<Finding>> {
    let first = today(now, tz);
    let last = first + Duration::days(days - 1);
    let (start, _) = r.pattern.bounds(first, 0, tz);
    let (_, end) = r.pattern.bounds(last, r.pattern.len() - 1, tz);
    let live = store::live_between(conn, Some(&[r.id]), db_time(start), db_time(end))?;
    let ids: Vec<i64> = live.iter().map(|s| s.id).collect();
    let places = store::places(conn, &ids)?;
    let mut held = Vec::new();
    for day in first.iter_days().take_while(|d| *d <= last) {
        for no in 0..r.pattern.len() {
            let (s, e) = r.pattern.bounds(day, no, tz);
            if e <= now {
                continue;
            }
            let shift = live
                .iter()
                .find(|x| x.day == day && x.shift_no.max(0) as usize == no);
            held.push(Held {
                day,
                no,
                start: s,
                end: e,
                need: shift.map_or(r.composition.workday, |x| x.need()),
                places: shift.map(|x| places.get(&x.id).cloned().unwrap_or_default()),
            });
        }
    }
    let people: Vec<i64> = places
        .values()
        .flatten()
        .map(|(p, _)| *p)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut elsewhere: HashMap<i64, Vec<Elsewhere>> = HashMap::new();
    for (p, a, b, name) in
        crate::duty::store::held::elsewhere(conn, r.id, &people, db_time(start), db_time(end))?
    {
        elsewhere
            .entry(p)
            .or_default()
            .push((a.and_utc(), b.and_utc(), name));
    }
    let away = People {
        away: away(conn, &people, first, last)?,
        ..People::default()
    };
    Ok(scan(&held, &away, &elsewhere))
}
