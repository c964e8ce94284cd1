//! The compliance report (a page that prints, and a spreadsheet), the month calendar and the iCalendar feed
//! for the signed-in browser.

use actix_web::{get, web, HttpResponse};
use askama::Template;
use chrono::{Datelike, NaiveDate};

use crate::clock::today;
use crate::drills::service::calendar::{self, DrillMonth};
use crate::drills::service::compliance::{self, DrillComplianceReport};
use crate::drills::service::export::compliance_paper;
use crate::web::context::Ctx;
use crate::web::error::PageError;
use crate::web::{table_download, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(report)
        .service(report_sheet)
        .service(month)
        .service(feed);
}

/// Query: the day of the report.
#[derive(Debug, serde::Deserialize)]
struct OnQuery {
    on: Option<NaiveDate>,
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
    let on = q.into_inner().on;
    page.show(
        move |c| {
            let day = on.unwrap_or_else(|| today(c.now, c.tz));
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
    let on = q.into_inner().on;
    table_download(&page, &format.into_inner(), move |c| {
        let day = on.unwrap_or_else(|| today(c.now, c.tz));
        let r = compliance::report(c.conn, c.actor, day, c.tz, None)?;
        Ok(compliance_paper(&r, c.actor.lang))
    })
    .await
}

/// Query: which month.
#[derive(Debug, serde::Deserialize)]
struct MonthQuery {
    year: Option<i32>,
    month: Option<u32>,
}

#[derive(Template)]
#[template(path = "drills/calendar.html")]
struct MonthPage {
    ctx: Ctx,
    m: DrillMonth,
    tz: chrono_tz::Tz,
    today: NaiveDate,
}

impl MonthPage {
    fn time(&self, t: &chrono::NaiveDateTime) -> String {
        t.and_utc()
            .with_timezone(&self.tz)
            .format("%H:%M")
            .to_string()
    }
}

/// 演练日历: a month of drills.
#[get("/drills/calendar")]
async fn month(page: Page, q: web::Query<MonthQuery>) -> Result<HttpResponse, PageError> {
    let q = q.into_inner();
    page.show(
        move |c| {
            let day = today(c.now, c.tz);
            let m = calendar::month(
                c.conn,
                c.actor,
                q.year.unwrap_or(day.year()),
                q.month.unwrap_or(day.month()),
                c.tz,
            )?;
            Ok((m, c.tz, day))
        },
        |ctx, (m, tz, today)| MonthPage { ctx, m, tz, today },
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
