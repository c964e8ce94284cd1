//! Who can be rostered: the eligible people, who is away (approved leave, declared unavailability) and
//! what each has carried this year, read for generation, the gap scan and changes.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;

use crate::db::{db_time, DbConn};
use crate::duty::model::{DayClass, DutyRole, Load, People, Slot};
use crate::duty::store::rosters::{self as roster_store, Roster};
use crate::duty::store::shifts as store;
use crate::duty::store::unavailable;
use crate::error::ServiceResult;
use crate::teams::model::LeaveState;
use crate::teams::store::leaves as leave_store;

/// People away (approved leave, declared unavailability) on the days `from..=to`.
pub fn away(
    conn: &mut DbConn,
    people: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> ServiceResult<HashMap<i64, Vec<(NaiveDate, NaiveDate)>>> {
    let mut out: HashMap<i64, Vec<(NaiveDate, NaiveDate)>> = HashMap::new();
    for l in leave_store::leaves(conn, Some(people), Some(LeaveState::Approved), Some(from))? {
        if l.starts_on <= to {
            out.entry(l.person_id)
                .or_default()
                .push((l.starts_on, l.ends_on));
        }
    }
    for (person, a, b) in unavailable::between(conn, people, from, to)? {
        out.entry(person).or_default().push((a, b));
    }
    Ok(out)
}

/// The eligible people with what stands in their way and this year's load before the first slot.
pub(super) fn people_for(
    conn: &mut DbConn,
    r: &Roster,
    slots: &[Slot],
    tz: Tz,
) -> ServiceResult<People> {
    let (Some(first), Some(last)) = (slots.first(), slots.last()) else {
        return Ok(People::default());
    };
    let eligible = roster_store::eligible(conn, r.id)?;
    let pick = |role| {
        eligible
            .iter()
            .filter(|(_, x)| *x == role)
            .map(|(p, _)| *p)
            .collect::<Vec<_>>()
    };
    let ids: Vec<i64> = eligible.iter().map(|(p, _)| *p).collect();
    let year_start = crate::duty::model::local_instant(
        NaiveDate::from_ymd_opt(first.day.year(), 1, 1).unwrap_or(first.day),
        chrono::NaiveTime::MIN,
        tz,
    );
    let mut load: HashMap<i64, Load> = HashMap::new();
    for (person, class, start) in crate::duty::store::held::held_between(
        conn,
        r.id,
        db_time(year_start),
        db_time(first.start),
    )? {
        let l = load.entry(person).or_default();
        l.total += 1;
        match DayClass::parse(&class) {
            Ok(DayClass::Weekend) => l.weekend += 1,
            Ok(DayClass::Holiday) => l.holiday += 1,
            _ => {}
        }
        l.last = l.last.max(Some(start.and_utc()));
    }
    let before = store::live_between(
        conn,
        Some(&[r.id]),
        db_time(first.start - Duration::minutes(1)),
        db_time(first.start),
    )?;
    let before_ids: Vec<i64> = before.iter().map(|s| s.id).collect();
    let on_before = store::places(conn, &before_ids)?
        .into_iter()
        .flat_map(|(shift, places)| {
            let end = before
                .iter()
                .find(|s| s.id == shift)
                .map_or(first.start, |s| s.ends_at.and_utc());
            places.into_iter().map(move |(p, _)| (p, end))
        })
        .collect();
    Ok(People {
        leaders: pick(DutyRole::Leader),
        officers: pick(DutyRole::Officer),
        away: away(conn, &ids, first.day, last.day)?,
        load,
        on_before,
    })
}
