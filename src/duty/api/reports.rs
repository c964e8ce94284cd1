//! `/api/v1/duty/…` on paper: a month of a roster as the office's 值班表 (XLSX or CSV), the year per person
//! with fairness, the contact directory (通讯录), and an existing 值班表 imported as a draft.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chrono::Datelike;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::clock::today;
use crate::duty::model::month_span;
use crate::duty::service::directory::{self, DirectoryUnit};
use crate::duty::service::plan_view::PlanView;
use crate::duty::service::reports::{self, DutyReport};
use crate::duty::service::{import, month};
use crate::sheets::{render_paper, Format};
use crate::web::error::ApiError;
use crate::web::{attachment, Api, Reply};

/// The format of a download.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PaperQuery {
    /// `xlsx` (the default) or `csv` (UTF-8 with BOM).
    #[param(inline)]
    pub format: Option<Format>,
}

/// A month of a roster (`2026-12`) as the office's 值班表: the title, one row per published shift (日期, 星期,
/// 班次, 带班领导 with post, 值班人员, 联系电话, 备注 from the holiday calendar), then the duty phone, the rules
/// and the date of issue. Phones are masked for read-only viewers.
#[utoipa::path(tag = "duty", params(PaperQuery), security(("bearer" = [])),
    responses((status = 200, description = "The spreadsheet", content((String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv")))))]
#[get("/duty/rosters/{id}/month/{month}/export")]
pub async fn month_export(
    api: Api,
    path: web::Path<(i64, String)>,
    q: web::Query<PaperQuery>,
) -> Result<HttpResponse, ApiError> {
    let ((id, month), format) = (path.into_inner(), q.format.unwrap_or(Format::Xlsx));
    let file = api
        .run(move |c| {
            let paper =
                month::month_paper(c.conn, c.actor, id, month_span(&month)?, today(c.now, c.tz))?;
            render_paper(&paper, format)
        })
        .await?;
    Ok(attachment(file))
}

/// Which year.
#[derive(Debug, Deserialize, IntoParams)]
pub struct YearQuery {
    /// The year (default: this year).
    pub year: Option<i32>,
}

/// A roster's year per person, from its published shifts: shifts in each month, weekend and holiday shifts,
/// hours and the total; the mean per person of weekend and holiday shifts among those on the same place
/// (leaders, officers), each person's difference from it, and `carried_more` for anyone more than one
/// shift above it.
#[utoipa::path(tag = "duty", params(YearQuery), security(("bearer" = [])), responses((status = 200, body = DutyReport)))]
#[get("/duty/rosters/{id}/report")]
pub async fn report(api: Api, id: web::Path<i64>, q: web::Query<YearQuery>) -> Reply<DutyReport> {
    let (id, year) = (id.into_inner(), q.year);
    api.json(move |c| {
        let year = year.unwrap_or_else(|| today(c.now, c.tz).year());
        reports::report(c.conn, id, year)
    })
    .await
}

/// The contact directory (通讯录): every unit in the tree's order with its contact phone, its rosters' duty
/// phones and the people who lead its duty (unit heads and duty leaders) with posts and mobile phones,
/// masked for read-only viewers.
#[utoipa::path(tag = "duty", security(("bearer" = [])), responses((status = 200, body = Vec<DirectoryUnit>)))]
#[get("/duty/directory")]
pub async fn contact_directory(api: Api) -> Reply<Vec<DirectoryUnit>> {
    api.json(|c| directory::directory(c.conn, c.actor)).await
}

/// Import an existing 值班表 into a draft of the days it covers: the body is the XLSX or CSV file with the
/// columns 日期, 带班领导 and 值班人员 (names separated by 、 or commas; a title above the header and notes below
/// are passed over). Names are matched among the roster's people and the unit's; the roster has one 24-hour
/// shift a day, and the range shares no day with another plan. All or nothing: any bad row gives 422
/// `invalid_rows`.
#[utoipa::path(tag = "duty", request_body(content((String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv"))), security(("bearer" = [])),
    responses((status = 201, body = PlanView)))]
#[post("/duty/rosters/{id}/import")]
pub async fn import_paper(api: Api, id: web::Path<i64>, body: web::Bytes) -> Reply<PlanView> {
    let id = id.into_inner();
    api.reply(StatusCode::CREATED, move |c| {
        import::import(c.conn, c.actor, c.now, c.tz, id, &body)
    })
    .await
}
