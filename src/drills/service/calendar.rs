//! The district's drills as a month view and an iCalendar feed.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::drills::{list, DrillListRow};
use crate::db::DbConn;
use crate::drills::model::{ics_calendar, DrillState, IcsEvent};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::{Lang, Text};
use crate::org::model::Actor;

/// A day of the month view.
#[derive(Debug, Clone, Serialize)]
pub struct DrillCalendarDay {
    pub day: NaiveDate,
    pub in_month: bool,
    pub drills: Vec<DrillListRow>,
}

/// A month of drills, week by week (Monday first).
#[derive(Debug, Clone, Serialize)]
pub struct DrillMonth {
    pub year: i32,
    pub month: u32,
    pub weeks: Vec<Vec<DrillCalendarDay>>,
    pub prev: (i32, u32),
    pub next: (i32, u32),
}

fn first_of(year: i32, month: u32) -> ServiceResult<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
        .filter(|_| (2000..=2100).contains(&year))
        .ok_or_else(|| ServiceError::invalid("month", "年月不正确", "Not a valid month"))
}

/// The drills the actor may see in a month.
pub fn month(
    conn: &mut DbConn,
    actor: &Actor,
    year: i32,
    month: u32,
    tz: chrono_tz::Tz,
) -> ServiceResult<DrillMonth> {
    let first = first_of(year, month)?;
    let next_first = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let end_pad = (7 - next_first.weekday().num_days_from_monday()) % 7;
    let end = next_first + Duration::days(i64::from(end_pad));
    let drills = list(conn, actor, start, end, tz)?;
    let mut weeks = Vec::new();
    let mut day = start;
    while day < end {
        let mut week = Vec::with_capacity(7);
        for _ in 0..7 {
            week.push(DrillCalendarDay {
                day,
                in_month: day.month() == month,
                drills: drills
                    .iter()
                    .filter(|d| super::local_day(d.drill.starts_at, tz) == day)
                    .cloned()
                    .collect(),
            });
            day += Duration::days(1);
        }
        weeks.push(week);
    }
    let prev = first - Duration::days(1);
    Ok(DrillMonth {
        year,
        month,
        weeks,
        prev: (prev.year(), prev.month()),
        next: (next_first.year(), next_first.month()),
    })
}

/// The drills the actor may see in a year as an iCalendar feed.
pub fn feed(
    conn: &mut DbConn,
    actor: &Actor,
    year: i32,
    tz: chrono_tz::Tz,
    base_url: &str,
) -> ServiceResult<String> {
    let from = first_of(year, 1)?;
    let to = first_of(year + 1, 1).unwrap_or(from + Duration::days(366));
    let rows = list(conn, actor, from, to, tz)?;
    let name = Text::new(format!("{year} 年应急演练"), format!("Drills {year}"));
    Ok(ics_calendar(
        name.get(actor.lang),
        tz.name(),
        &events(&rows, base_url, actor.lang),
    ))
}

/// Drills as calendar events under their stable UIDs (`drill-{id}@standby`); a cancelled drill stays in the
/// feed, marked cancelled, so that a subscribed calendar drops it rather than keeping a stale copy.
pub(super) fn events(rows: &[DrillListRow], base_url: &str, lang: Lang) -> Vec<IcsEvent> {
    let base = base_url.trim_end_matches('/');
    let cancelled = Text::new("【已取消】", "[Cancelled] ");
    rows.iter()
        .map(|r| {
            let off = r.drill.state == DrillState::Cancelled;
            IcsEvent {
                uid: format!("drill-{}@standby", r.drill.id),
                stamp: r.drill.updated_at,
                starts: r.drill.starts_at,
                ends: r.drill.ends_at,
                summary: format!(
                    "{}{}{}{}",
                    if off { cancelled.get(lang) } else { "" },
                    r.unit_name,
                    if lang == Lang::Zh { "：" } else { ": " },
                    r.drill.title
                ),
                location: r.drill.place.clone(),
                description: format!(
                    "{} · {} · {}",
                    r.drill.content.label(lang),
                    r.drill.form.label(lang),
                    r.drill.state.label(lang)
                ),
                url: format!("{base}/drills/{}", r.drill.id),
                cancelled: off,
            }
        })
        .collect()
}
