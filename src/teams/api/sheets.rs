//! Team spreadsheets through the API: roster and training hours of a team, the certificate register, and a
//! roster imported from a file.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chrono::Datelike;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::clock::today;
use crate::sheets::render;
use crate::sheets::Format;
use crate::teams::service::sheets::{self as service, RosterSummary};
use crate::web::error::ApiError;
use crate::web::{attachment, Api, Reply};

/// Which table of a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TeamTable {
    Roster,
    Training,
}

/// What to export and how.
#[derive(Debug, Deserialize, IntoParams)]
pub struct TeamExportQuery {
    /// `roster` (the default) or `training` (hours per member in `year`).
    #[param(inline)]
    pub what: Option<TeamTable>,
    /// `csv` (UTF-8 with BOM, the default) or `xlsx`.
    #[param(inline)]
    pub format: Option<Format>,
    /// The year of the training hours (default: this year).
    pub year: Option<i32>,
}

/// A team's roster or training hours as CSV or XLSX.
#[utoipa::path(tag = "teams", params(TeamExportQuery), security(("bearer" = [])),
    responses((status = 200, description = "The spreadsheet", content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
#[get("/teams/{id}/export")]
pub async fn team_export(
    api: Api,
    id: web::Path<i64>,
    q: web::Query<TeamExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (id, q) = (id.into_inner(), q.into_inner());
    let format = q.format.unwrap_or(Format::Csv);
    let file = api
        .run(move |c| {
            let lang = c.actor.lang;
            let table = match q.what.unwrap_or(TeamTable::Roster) {
                TeamTable::Roster => {
                    service::roster_table(c.conn, c.actor, id, lang, today(c.now, c.tz))?
                }
                TeamTable::Training => {
                    let year = q.year.unwrap_or_else(|| today(c.now, c.tz).year());
                    service::training_table(c.conn, id, year, lang)?
                }
            };
            render(&table, format)
        })
        .await?;
    Ok(attachment(file))
}

/// The format of a download.
#[derive(Debug, Deserialize, IntoParams)]
pub struct FormatQuery {
    /// `csv` (the default) or `xlsx`.
    #[param(inline)]
    pub format: Option<Format>,
}

/// The certificate register: every certificate of the people whose records the caller may see, with its
/// validity today.
#[utoipa::path(tag = "team people", params(FormatQuery), security(("bearer" = [])),
    responses((status = 200, description = "The spreadsheet", content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
#[get("/certificates/export")]
pub async fn certificates_export(
    api: Api,
    q: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = q.format.unwrap_or(Format::Csv);
    let file = api
        .run(move |c| {
            let table =
                service::certificates_table(c.conn, c.actor, c.actor.lang, today(c.now, c.tz))?;
            render(&table, format)
        })
        .await?;
    Ok(attachment(file))
}

/// Import a roster (花名册) into a team: the body is the XLSX or CSV file (姓名 required; 手机, 队内职务, 入队日期,
/// 状态, 技能特长 optional, headers in Chinese or English). People are matched by phone, else by name within
/// the team's unit, else created there. All or nothing: any bad row gives 422 `invalid_rows`.
#[utoipa::path(tag = "teams", request_body(content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), security(("bearer" = [])),
    responses((status = 201, body = RosterSummary)))]
#[post("/teams/{id}/roster")]
pub async fn import_roster(api: Api, id: web::Path<i64>, body: web::Bytes) -> Reply<RosterSummary> {
    let id = id.into_inner();
    api.reply(StatusCode::CREATED, move |c| {
        service::import_roster(c.conn, c.actor, c.now, c.tz, id, &body)
    })
    .await
}
