//! Team spreadsheets on the pages: roster, certificate register and training hours as downloads; a roster
//! imported from a file.

use actix_multipart::Multipart;
use actix_web::{get, post, web, HttpResponse};
use chrono::Datelike;
use serde::Deserialize;

use crate::clock::today;
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::sheets::MAX_UPLOAD;
use crate::teams::service::sheets::{self as service, RosterSummary};
use crate::web::auth::request_lang;
use crate::web::context::flash;
use crate::web::error::PageError;
use crate::web::upload::read_form;
use crate::web::{refused_rows, see_other, table_download, InLang, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(certificates_export)
        .service(roster_export)
        .service(training_export)
        .service(import_roster);
}

#[get("/teams/certificates.{format}")]
async fn certificates_export(
    page: Page,
    format: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    table_download(&page, &format.into_inner(), |c| {
        service::certificates_table(c.conn, c.actor, c.actor.lang, today(c.now, c.tz))
    })
    .await
}

#[get("/teams/{id}/roster.{format}")]
async fn roster_export(
    page: Page,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, format) = path.into_inner();
    table_download(&page, &format, move |c| {
        service::roster_table(c.conn, c.actor, id, c.actor.lang, today(c.now, c.tz))
    })
    .await
}

#[derive(Deserialize)]
struct YearQuery {
    year: Option<i32>,
}

#[get("/teams/{id}/training.{format}")]
async fn training_export(
    page: Page,
    path: web::Path<(i64, String)>,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let ((id, format), year) = (path.into_inner(), q.year);
    table_download(&page, &format, move |c| {
        let year = year.unwrap_or_else(|| today(c.now, c.tz).year());
        service::training_table(c.conn, id, year, c.actor.lang)
    })
    .await
}

/// Imports a roster file into a team: done, back to the team; refused, every error by row and column.
#[post("/teams/{id}/roster")]
async fn import_roster(
    page: Page,
    id: web::Path<i64>,
    form: Multipart,
) -> Result<HttpResponse, PageError> {
    let team = id.into_inner();
    let lang = request_lang(page.request());
    let bytes = read_form(form, page.request(), "file", MAX_UPLOAD)
        .await
        .and_then(|sent| sent.into_file(MAX_UPLOAD))
        .page(lang)?;
    let (ctx, _, result) = page
        .attempt(move |c| service::import_roster(c.conn, c.actor, c.now, c.tz, team, &bytes))
        .await?;
    match result {
        Ok(RosterSummary {
            rows,
            added,
            updated,
            people_created,
        }) => {
            let text = Text::new(
                format!("花名册已导入：{rows} 行，新加入 {added} 人，更新 {updated} 人，新建人员 {people_created} 人"),
                format!("Roster imported: {rows} rows, {added} joined, {updated} updated, {people_created} people created"),
            );
            flash(page.session(), true, text);
            Ok(see_other(&format!("/teams/{team}")))
        }
        Err(ServiceError::InvalidRows(rows)) => {
            refused_rows(ctx, "teams.import_roster", format!("/teams/{team}"), rows)
        }
        Err(e) => Err(e).page(ctx.lang),
    }
}
