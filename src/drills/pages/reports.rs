//! The compliance report (a page that prints, and a spreadsheet), the month calendar and the iCalendar feed
//! for the signed-in browser.

use actix_web::{get, web, HttpResponse};
use askama::Template;
use chrono::{Datelike, NaiveDate};

use crate::clock::today;
use crate::drills::service::calendar::{self, DrillMonth};
use crate::drills::service::compliance::{self, DrillComplianceReport};
use crate::drills::service::export::compliance_paper;
use crate::drills::service::feeds;
use crate::drills::store::feeds::DrillFeed;
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::web::context::Ctx;
use crate::web::error::PageError;
use crate::web::{table_download, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(report)
        .service(report_sheet)
        .service(month)
        .service(feed);
}

/// Query: the day of the report (`on`, or `date`), read as text so that a value not understood is said so
/// on the page instead of answering a bare 400 (or silently showing today).
#[derive(Debug, serde::Deserialize)]
struct OnQuery {
    on: Option<String>,
    date: Option<String>,
}

impl OnQuery {
    /// The day asked for, or today; a value that is not a date is refused with a message.
    fn day(&self, c: &crate::web::Call<'_>) -> Result<NaiveDate, ServiceError> {
        match self.on.as_deref().or(self.date.as_deref()).map(str::trim) {
            None | Some("") => Ok(today(c.now, c.tz)),
            Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                ServiceError::Malformed(Text::new(
                    format!("无法识别日期“{v}”：请按 年-月-日 填写，例如 2026-12-01"),
                    format!("The date “{v}” was not understood: write it as year-month-day, e.g. 2026-12-01"),
                ))
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "drills/compliance.html")]
struct ReportPage {
    ctx: Ctx,
    r: DrillComplianceReport,
}

/// 演练达标情况: per unit and plan, overdue units first, the district's rate; `?print=1` to print.
#[get("/drills/compliance")]
async fn report(page: Page, q: web::Query<OnQuery>) -> Result<HttpResponse, PageError> {
    let q = q.into_inner();
    page.show(
        move |c| {
            let day = q.day(c)?;
            compliance::report(c.conn, c.actor, day, c.tz, None)
        },
        |ctx, r| ReportPage { ctx, r },
    )
    .await
}

/// The report as XLSX or CSV.
#[get("/drills/compliance.{format}")]
async fn report_sheet(
    page: Page,
    format: web::Path<String>,
    q: web::Query<OnQuery>,
) -> Result<HttpResponse, PageError> {
    let q = q.into_inner();
    table_download(&page, &format.into_inner(), move |c| {
        let day = q.day(c)?;
        let r = compliance::report(c.conn, c.actor, day, c.tz, None)?;
        Ok(compliance_paper(&r, c.actor.lang))
    })
    .await
}

/// Query: which month, read as text: a value not understood falls back to this month with a notice.
#[derive(Debug, serde::Deserialize)]
struct MonthQuery {
    year: Option<String>,
    month: Option<String>,
}

impl MonthQuery {
    /// The month asked for, or this one with a notice saying what was not understood.
    fn month(&self, day: NaiveDate) -> ((i32, u32), Option<Text>) {
        let year = self
            .year
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty());
        let asked_month = self
            .month
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty());
        let y = year.map(|v| v.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)));
        let m = asked_month.map(|v| v.parse::<u32>().ok().filter(|m| (1..=12).contains(m)));
        match (y, m) {
            (Some(None), _) | (_, Some(None)) => {
                let said = [year, asked_month]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                (
                    (day.year(), day.month()),
                    Some(Text::new(
                        format!("无法识别的年月“{said}”（年份 2000–2100，月份 1–12），已显示本月。"),
                        format!("The year or month “{said}” was not understood (years 2000–2100, months 1–12); showing this month."),
                    )),
                )
            }
            (y, m) => (
                (
                    y.flatten().unwrap_or(day.year()),
                    m.flatten().unwrap_or(day.month()),
                ),
                None,
            ),
        }
    }
}

#[derive(Template)]
#[template(path = "drills/calendar.html")]
struct MonthPage {
    ctx: Ctx,
    m: DrillMonth,
    tz: chrono_tz::Tz,
    today: NaiveDate,
    /// The viewer's live calendar subscriptions.
    feeds: Vec<DrillFeed>,
    /// What in the address was not understood.
    notice: Option<String>,
}

impl MonthPage {
    fn time(&self, t: &chrono::NaiveDateTime) -> String {
        t.and_utc()
            .with_timezone(&self.tz)
            .format("%H:%M")
            .to_string()
    }

    fn made(&self, t: &chrono::NaiveDateTime) -> String {
        super::shown(*t, self.tz)
    }
}

/// 演练日历: a month of drills.
#[get("/drills/calendar")]
async fn month(page: Page, q: web::Query<MonthQuery>) -> Result<HttpResponse, PageError> {
    let q = q.into_inner();
    page.show(
        move |c| {
            let day = today(c.now, c.tz);
            let ((year, month), notice) = q.month(day);
            let m = calendar::month(c.conn, c.actor, year, month, c.tz)?;
            let feeds = feeds::mine(c.conn, c.actor)?;
            Ok((m, c.tz, day, feeds, notice))
        },
        |ctx, (m, tz, today, feeds, notice)| MonthPage {
            notice: notice.map(|n| n.get(ctx.lang).to_string()),
            ctx,
            m,
            tz,
            today,
            feeds,
        },
    )
    .await
}

/// Query: which year.
#[derive(Debug, serde::Deserialize)]
struct YearQuery {
    year: Option<i32>,
}

/// The year's drills as an iCalendar file (for the signed-in browser; clients use the API's feed).
#[get("/drills/calendar.ics")]
async fn feed(page: Page, q: web::Query<YearQuery>) -> Result<HttpResponse, PageError> {
    let year = q.into_inner().year;
    let (_, body) = page
        .run(move |c| {
            let y = year.unwrap_or_else(|| today(c.now, c.tz).year());
            calendar::feed(c.conn, c.actor, y, c.tz, &c.config.base_url)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"drills.ics\"",
        ))
        .body(body))
}
