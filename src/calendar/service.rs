//! Holiday-calendar use cases: a year or a span of dates (anyone signed in); setting or clearing a day, marking
//! a year covered and importing a year's arrangement (district administrators and office staff), each one
//! transaction with its audit record.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use crate::audit::{model::Change, service as audit};
use crate::calendar::model::{
    authorize, check_span, check_year, read_arrangement, weekday_name, year_bounds, Calendar,
    CalendarDay, DayKind, Festival, FileFormat, YearCounts,
};
use crate::calendar::store::{self, CoveredYear};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Lang;
use crate::org::model::{optional_text, Actor};

/// A year of the calendar.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct YearView {
    pub year: i32,
    /// Whether the year's official arrangement has been entered; if not, only weekends are known.
    pub covered: bool,
    /// Who marked it covered, when, and from what.
    pub mark: Option<CoveredYear>,
    /// The last year of the unbroken run of covered years from this year on ("covered through 2026"); null
    /// when this year is not covered.
    pub covered_through: Option<i32>,
    pub counts: YearCounts,
    /// The named holidays with their days off and days worked.
    pub festivals: Vec<Festival>,
    /// Every stored exception of the year (holidays, adjusted workdays, overrides), in date order.
    pub days: Vec<CalendarDay>,
    /// The year's calendar, for pages that draw it.
    #[serde(skip)]
    pub calendar: Calendar,
}

/// One date as it is.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DayView {
    #[serde(flatten)]
    pub day: CalendarDay,
    /// ISO weekday: 1 Monday … 7 Sunday.
    pub weekday: u32,
    /// A weekend or a public holiday.
    pub rest: bool,
    /// Whether the kind is stored for this date (else it follows from the weekday).
    pub stored: bool,
}

impl DayView {
    /// The date as `calendar` has it.
    pub fn of(calendar: &Calendar, date: NaiveDate) -> DayView {
        let day = calendar.day(date);
        DayView {
            weekday: date.weekday().number_from_monday(),
            rest: day.kind.is_rest(),
            stored: calendar.exception(date).is_some(),
            day,
        }
    }
}

/// Each date of a span with its kind.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Days {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Years of the span whose arrangement has not been entered: there only weekends are known.
    pub uncovered_years: Vec<i32>,
    pub days: Vec<DayView>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalendarImport {
    pub format: FileFormat,
    /// The years replaced and marked covered.
    pub years: Vec<i32>,
    pub holidays: usize,
    pub adjusted_workdays: usize,
    /// Ordinary days set otherwise (a weekday off, a weekend day worked that is not an adjusted workday).
    pub overrides: usize,
    /// Days of other years in the file, left alone.
    pub skipped: usize,
}

/// The account recorded as having changed the calendar (none for the system itself).
fn by(actor: &Actor) -> Option<i64> {
    (!actor.is_system()).then_some(actor.account_id)
}

/// A date as an audit id: 20261001.
fn day_id(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 10_000 + i64::from(date.month() * 100 + date.day())
}

/// One year: its exceptions, festivals, counts and whether its arrangement has been entered.
pub fn year(conn: &mut DbConn, year: i32) -> ServiceResult<YearView> {
    let (first, last) = year_bounds(year)?;
    let calendar = store::load(conn, first, last)?;
    let mark = store::find_year(conn, year)?;
    Ok(YearView {
        year,
        covered: calendar.covers(year),
        mark,
        covered_through: calendar.covered_through(year),
        counts: calendar.counts(year),
        festivals: calendar.festivals(year),
        days: calendar.exceptions().cloned().collect(),
        calendar,
    })
}

/// Every date from `from` to `to` (at most 400 days) with its kind, derived weekends included.
pub fn days(conn: &mut DbConn, from: NaiveDate, to: NaiveDate) -> ServiceResult<Days> {
    check_span(from, to)?;
    check_year("from", from.year())?;
    check_year("to", to.year())?;
    let calendar = store::load(conn, from, to)?;
    Ok(Days {
        from,
        to,
        uncovered_years: calendar.uncovered_years(from, to),
        days: from
            .iter_days()
            .take_while(|d| *d <= to)
            .map(|d| DayView::of(&calendar, d))
            .collect(),
    })
}

/// Sets what a date is (administrators and office staff). A date set to what it would be anyway stores
/// nothing.
pub fn set_day(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    day: CalendarDay,
) -> ServiceResult<DayView> {
    authorize(actor)?;
    let date = day.date;
    write_tx(conn, |c| {
        let before = store::find_day(c, date)?;
        let after = (!day.is_usual()).then_some(day);
        if before != after {
            store::remove_between(c, date, date)?;
            if let Some(d) = &after {
                store::insert_day(c, d, by(actor), db_time(now))?;
            }
            let change = Change::of(
                "calendar_day",
                day_id(date),
                None,
                before.as_ref(),
                after.as_ref(),
            );
            audit::record(c, Some(actor), now, change)?;
        }
        Ok(DayView::of(&store::load(c, date, date)?, date))
    })
}

/// Puts a date back to what its weekday makes it (administrators and office staff).
pub fn clear_day(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    date: NaiveDate,
) -> ServiceResult<DayView> {
    set_day(conn, actor, now, CalendarDay::usual(date))
}

/// Marks a year's official arrangement as entered, or not (administrators and office staff). A year without a
/// single public holiday cannot be covered: its arrangement has not been entered yet.
pub fn mark_year(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    year_no: i32,
    covered: bool,
    note: &str,
) -> ServiceResult<YearView> {
    authorize(actor)?;
    let (first, last) = year_bounds(year_no)?;
    let note = optional_text("note", note, 200)?;
    write_tx(conn, |c| {
        let before = store::find_year(c, year_no)?;
        let after = if covered {
            if store::load(c, first, last)?.counts(year_no).holidays == 0 {
                return Err(ServiceError::conflict(
                    format!("{year_no} 年还没有任何法定节假日：请先录入或导入该年的放假安排，再标记为已录入"),
                    format!("{year_no} has no public holiday yet: enter or import its arrangement before marking it covered"),
                ));
            }
            let mark = CoveredYear {
                year: year_no,
                note,
                marked_by: by(actor),
                marked_at: db_time(now),
            };
            store::cover_year(c, &mark)?;
            Some(mark)
        } else {
            store::uncover_year(c, year_no)?;
            None
        };
        if before.is_some() || after.is_some() {
            let change = Change::of(
                "calendar_year",
                i64::from(year_no),
                None,
                before.as_ref(),
                after.as_ref(),
            );
            audit::record(c, Some(actor), now, change)?;
        }
        year(c, year_no)
    })
}

/// A year as an import replaced it, for the audit trail.
#[derive(Serialize)]
struct Replaced<'a> {
    days: &'a [CalendarDay],
    mark: Option<&'a CoveredYear>,
}

/// Imports the arrangement of each year a file holds (only `only_year`, when given), replacing everything
/// stored for those years and marking them covered (administrators and office staff). All or nothing.
pub fn import(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    file: &[u8],
    file_name: &str,
    only_year: Option<i32>,
) -> ServiceResult<CalendarImport> {
    authorize(actor)?;
    let arrangement = read_arrangement(file, only_year)?;
    let source: String = match file_name.trim() {
        "" => arrangement.format.label(Lang::Zh).to_string(),
        name => name.chars().take(100).collect(),
    };
    let mut summary = CalendarImport {
        format: arrangement.format,
        years: arrangement.years.keys().copied().collect(),
        holidays: 0,
        adjusted_workdays: 0,
        overrides: 0,
        skipped: arrangement.skipped,
    };
    write_tx(conn, |c| {
        for (year_no, days) in &arrangement.years {
            let (first, last) = year_bounds(*year_no)?;
            let before = (
                store::days_between(c, first, last)?,
                store::find_year(c, *year_no)?,
            );
            store::remove_between(c, first, last)?;
            let stored: Vec<CalendarDay> = days.iter().filter(|d| !d.is_usual()).cloned().collect();
            for d in &stored {
                store::insert_day(c, d, by(actor), db_time(now))?;
                match d.kind {
                    DayKind::Holiday => summary.holidays += 1,
                    DayKind::AdjustedWorkday => summary.adjusted_workdays += 1,
                    _ => summary.overrides += 1,
                }
            }
            let mark = CoveredYear {
                year: *year_no,
                note: format!("导入自 {source}"),
                marked_by: by(actor),
                marked_at: db_time(now),
            };
            store::cover_year(c, &mark)?;
            let change = Change::of(
                "calendar_year",
                i64::from(*year_no),
                None,
                Some(&Replaced {
                    days: &before.0,
                    mark: before.1.as_ref(),
                }),
                Some(&Replaced {
                    days: &stored,
                    mark: Some(&mark),
                }),
            );
            audit::record(c, Some(actor), now, change.action("import"))?;
        }
        Ok(summary)
    })
}

/// The day's name in `lang` with its weekday, for messages: "2026-10-10 星期六".
pub fn dated(date: NaiveDate, lang: Lang) -> String {
    format!("{date} {}", weekday_name(date).get(lang))
}
