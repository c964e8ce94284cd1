//! A roster's year per person with fairness, for a desk or a phone, and the same table as a download.

use actix_web::{get, web, HttpResponse};
use askama::Template;
use chrono::Datelike;
use serde::Deserialize;

use crate::clock::today;
use crate::duty::model::month_label;
use crate::duty::service::reports::{self, DutyReport};
use crate::web::context::Ctx;
use crate::web::error::PageError;
use crate::web::{table_download, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(report).service(report_download);
}

#[derive(Deserialize)]
struct YearQuery {
    year: Option<i32>,
}

#[derive(Template)]
#[template(path = "duty/report.html")]
struct ReportPage {
    ctx: Ctx,
    r: DutyReport,
    /// Each line's months with shifts: `(12月 / Dec, shifts)`.
    months: Vec<Vec<(String, u32)>>,
}

#[get("/duty/rosters/{id}/report")]
async fn report(
    page: Page,
    id: web::Path<i64>,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let (id, year) = (id.into_inner(), q.year);
    page.show(
        move |c| {
            let year = year.unwrap_or_else(|| today(c.now, c.tz).year());
            reports::report(c.conn, id, year)
        },
        |ctx, r| ReportPage {
            months: r
                .lines
                .iter()
                .map(|l| {
                    (1..)
                        .zip(l.months.iter().copied())
                        .filter(|(_, n)| *n > 0)
                        .map(|(m, n)| (month_label(m, ctx.lang), n))
                        .collect()
                })
                .collect(),
            r,
            ctx,
        },
    )
    .await
}

#[get("/duty/rosters/{id}/report.{format}")]
async fn report_download(
    page: Page,
    path: web::Path<(i64, String)>,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let ((id, format), year) = (path.into_inner(), q.year);
    table_download(&page, &format, move |c| {
        let year = year.unwrap_or_else(|| today(c.now, c.tz).year());
        let r = reports::report(c.conn, id, year)?;
        Ok(reports::report_table(&r, c.actor.lang))
    })
    .await
}
