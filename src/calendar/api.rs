//! `/api/v1/calendar`: a year, a span of dates, setting and clearing a day, marking a year covered, imports.

use actix_web::{delete, get, post, put, web, HttpRequest};
use chrono::Datelike;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::calendar::model::{parse_day, CalendarDay, DayKind};
use crate::calendar::service::{self, CalendarImport, DayView, Days, YearView};
use crate::clock::today;
use crate::web::json::Json;
use crate::web::{Api, Reply};

/// Which year.
#[derive(Debug, Deserialize, IntoParams)]
pub struct YearQuery {
    /// The calendar year (default: this year).
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

/// A year of the calendar: every stored exception (holidays, adjusted workdays, overrides), its named holidays,
/// whether its official arrangement has been entered, and how its days fall (anyone signed in).
#[utoipa::path(tag = "calendar", params(YearQuery), security(("bearer" = [])), responses((status = 200, body = YearView)))]
#[get("/calendar")]
pub async fn get_year(api: Api, q: web::Query<YearQuery>) -> Reply<YearView> {
    let year = q.year;
    api.json(move |c| {
        let year = year.unwrap_or_else(|| today(c.now, c.tz).year());
        service::year(c.conn, year)
    })
    .await
}

/// A span of dates.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SpanQuery {
    /// The first date, `2026-12-01`.
    pub from: String,
    /// The last date (at most 400 days after `from`, counting both).
    pub to: String,
}

/// Each date of a span with its kind and holiday name, ordinary weekends included, and the years of the span
/// whose arrangement has not been entered (there only weekends are known).
#[utoipa::path(tag = "calendar", params(SpanQuery), security(("bearer" = [])), responses((status = 200, body = Days)))]
#[get("/calendar/days")]
pub async fn days(api: Api, q: web::Query<SpanQuery>) -> Reply<Days> {
    let q = q.into_inner();
    api.json(move |c| {
        let (from, to) = (parse_day("from", &q.from)?, parse_day("to", &q.to)?);
        service::days(c.conn, from, to)
    })
    .await
}

/// What a date is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayIn {
    pub kind: DayKind,
    /// The holiday it belongs to (required for `holiday` and `adjusted_workday`, at most 40 characters).
    #[serde(default)]
    pub name: String,
}

/// Set what a date is (district administrators and office staff). An adjusted workday falls on a Saturday or
/// Sunday; a date set to what its weekday makes it stores nothing.
#[utoipa::path(tag = "calendar", request_body = DayIn, security(("bearer" = [])), responses((status = 200, body = DayView)))]
#[put("/calendar/days/{date}")]
pub async fn set_day(api: Api, date: web::Path<String>, body: Json<DayIn>) -> Reply<DayView> {
    let (date, b) = (date.into_inner(), body.0);
    api.json(move |c| {
        let day = CalendarDay::parse(parse_day("date", &date)?, b.kind, &b.name)?;
        service::set_day(c.conn, c.actor, c.now, day)
    })
    .await
}

/// Put a date back to what its weekday makes it (district administrators and office staff).
#[utoipa::path(tag = "calendar", security(("bearer" = [])), responses((status = 200, body = DayView)))]
#[delete("/calendar/days/{date}")]
pub async fn clear_day(api: Api, date: web::Path<String>) -> Reply<DayView> {
    let date = date.into_inner();
    api.json(move |c| service::clear_day(c.conn, c.actor, c.now, parse_day("date", &date)?))
        .await
}

/// Whether a year's official arrangement has been entered.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct YearIn {
    pub covered: bool,
    /// Where the arrangement comes from, e.g. the notice (at most 200 characters).
    #[serde(default)]
    pub note: String,
}

/// Mark a year's arrangement as entered, or not (district administrators and office staff). A year without a
/// public holiday cannot be marked covered (409).
#[utoipa::path(tag = "calendar", request_body = YearIn, security(("bearer" = [])), responses((status = 200, body = YearView)))]
#[put("/calendar/years/{year}")]
pub async fn mark_year(api: Api, year: web::Path<i32>, body: Json<YearIn>) -> Reply<YearView> {
    let (year, b) = (year.into_inner(), body.0);
    api.json(move |c| service::mark_year(c.conn, c.actor, c.now, year, b.covered, &b.note))
        .await
}

/// Import a year's arrangement (district administrators and office staff): the body is the file, read by its
/// content. An ICS calendar: each all-day VEVENT (`DTSTART;VALUE=DATE`, optional exclusive `DTEND`) is a
/// holiday, or an adjusted workday when its SUMMARY says 班, 补班, 调休上班 or "working day". A CSV or XLSX
/// table: columns 日期/date, 类型/kind (a code or 法定节假日, 调休上班, 工作日, 休息日), 名称/name. Every year in the
/// file (only `year`, when given) is replaced and marked covered. All or nothing: a bad row or event gives 422
/// `invalid_rows` naming each; at most 1 MB. An `X-File-Name` header is kept in the year's note.
#[utoipa::path(tag = "calendar", params(YearQuery), request_body(content((String = "text/calendar"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), security(("bearer" = [])),
    responses((status = 200, body = CalendarImport)))]
#[post("/calendar/import")]
pub async fn import(
    api: Api,
    req: HttpRequest,
    q: web::Query<YearQuery>,
    body: web::Bytes,
) -> Reply<CalendarImport> {
    let year = q.year;
    let name = req
        .headers()
        .get("X-File-Name")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    api.json(move |c| service::import(c.conn, c.actor, c.now, &body, &name, year))
        .await
}
