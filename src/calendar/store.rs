//! Storage of the holiday calendar: the stored exceptions and the years whose arrangement has been entered.
//! Never commits.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::calendar::model::{Calendar, CalendarDay, DayKind};
use crate::db::codes::text_columns;
use crate::db::schema_calendar::{calendar_days, calendar_years};
use crate::db::DbConn;
use crate::error::ServiceResult;

text_columns!(DayKind);

#[derive(Queryable, Selectable)]
#[diesel(table_name = calendar_days)]
struct DayRow {
    day: NaiveDate,
    kind: DayKind,
    name: String,
}

impl From<DayRow> for CalendarDay {
    fn from(r: DayRow) -> CalendarDay {
        CalendarDay {
            date: r.day,
            kind: r.kind,
            name: r.name,
        }
    }
}

/// A year whose official arrangement has been entered.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = calendar_years)]
pub struct CoveredYear {
    pub year: i32,
    /// Where the arrangement comes from (the notice, the file imported).
    pub note: String,
    /// The account that marked it (none: shipped with the system, or the command line).
    pub marked_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub marked_at: NaiveDateTime,
}

/// The calendar for the dates from `from` to `to`: the exceptions stored among them and every covered year.
/// What a roster reads before it plans.
pub fn load(conn: &mut DbConn, from: NaiveDate, to: NaiveDate) -> ServiceResult<Calendar> {
    let days = days_between(conn, from, to)?;
    let years = calendar_years::table
        .select(calendar_years::year)
        .load::<i32>(conn)?;
    Ok(Calendar::new(days, years))
}

/// The exceptions stored from `from` to `to`, in date order.
pub fn days_between(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<CalendarDay>> {
    Ok(calendar_days::table
        .filter(calendar_days::day.between(from, to))
        .order(calendar_days::day)
        .select(DayRow::as_select())
        .load::<DayRow>(conn)?
        .into_iter()
        .map(CalendarDay::from)
        .collect())
}

/// The exception stored for one date.
pub fn find_day(conn: &mut DbConn, date: NaiveDate) -> QueryResult<Option<CalendarDay>> {
    Ok(calendar_days::table
        .find(date)
        .select(DayRow::as_select())
        .first::<DayRow>(conn)
        .optional()?
        .map(CalendarDay::from))
}

/// Stores a day (nothing may be stored for its date yet: remove it first).
pub fn insert_day(
    conn: &mut DbConn,
    day: &CalendarDay,
    by: Option<i64>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(calendar_days::table)
        .values((
            calendar_days::day.eq(day.date),
            calendar_days::kind.eq(day.kind),
            calendar_days::name.eq(&day.name),
            calendar_days::updated_by.eq(by),
            calendar_days::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes what is stored from `from` to `to`; returns how many days were removed.
pub fn remove_between(conn: &mut DbConn, from: NaiveDate, to: NaiveDate) -> QueryResult<usize> {
    diesel::delete(calendar_days::table.filter(calendar_days::day.between(from, to))).execute(conn)
}

/// A covered year, if it is one.
pub fn find_year(conn: &mut DbConn, year: i32) -> QueryResult<Option<CoveredYear>> {
    calendar_years::table
        .find(year)
        .select(CoveredYear::as_select())
        .first(conn)
        .optional()
}

/// Marks a year covered (replacing an earlier mark).
pub fn cover_year(conn: &mut DbConn, mark: &CoveredYear) -> QueryResult<()> {
    uncover_year(conn, mark.year)?;
    diesel::insert_into(calendar_years::table)
        .values((
            calendar_years::year.eq(mark.year),
            calendar_years::note.eq(&mark.note),
            calendar_years::marked_by.eq(mark.marked_by),
            calendar_years::marked_at.eq(mark.marked_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Takes a year's mark away; false when it was not covered.
pub fn uncover_year(conn: &mut DbConn, year: i32) -> QueryResult<bool> {
    Ok(diesel::delete(calendar_years::table.find(year)).execute(conn)? > 0)
}
