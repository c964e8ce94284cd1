//! Spreadsheet downloads and the import upload, on the pages.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use crate::clock::today;
use crate::error::ServiceError;
use crate::inventory::service::export;
use crate::inventory::service::import::{self, ImportSummary};
use crate::sheets::{Format, MAX_UPLOAD};
use crate::web::context::Ctx;
use crate::web::error::PageError;
use crate::web::upload::read_form;
use crate::web::{render, stream_sheet, table_download, InLang, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(stock_export)
        .service(ledger_export)
        .service(stocktake_export)
        .service(upload);
}

#[get("/reserves/warehouses/{id}/export.{format}")]
async fn stock_export(
    page: Page,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, format) = path.into_inner();
    table_download(&page, &format, move |c| {
        export::stock_table(c.conn, c.actor, id, c.actor.lang, today(c.now, c.tz))
    })
    .await
}

/// The ledger streams: it can hold hundreds of thousands of lines.
#[get("/reserves/warehouses/{id}/ledger.{format}")]
async fn ledger_export(
    page: Page,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, format) = path.into_inner();
    let format = Format::parse(&format).page(crate::web::auth::request_lang(page.request()))?;
    let pool = page.state().pool.clone();
    let (_, (head, lang, tz)) = page
        .run(move |c| {
            let head = export::ledger_head(c.conn, c.actor, id, c.actor.lang, today(c.now, c.tz))?;
            Ok((head, c.actor.lang, c.tz))
        })
        .await?;
    Ok(stream_sheet(head, format, move |emit| {
        export::ledger_rows(&pool, id, lang, tz, emit)
    }))
}

#[get("/reserves/stocktakes/{id}/export.{format}")]
async fn stocktake_export(
    page: Page,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, format) = path.into_inner();
    table_download(&page, &format, move |c| {
        export::stocktake_table(c.conn, c.actor, id, c.actor.lang, today(c.now, c.tz))
    })
    .await
}

#[derive(Template)]
#[template(path = "inventory/import_result.html")]
struct ResultPage {
    ctx: Ctx,
    summary: Option<ImportSummary>,
    message: String,
    errors: Vec<(usize, String, String)>,
}

/// Imports an uploaded file: whether the account may import is settled before the upload is read.
#[post("/reserves/import")]
async fn upload(page: Page, form: Multipart) -> Result<HttpResponse, PageError> {
    let (ctx, _) = page.run(|c| import::authorize(c.actor)).await?;
    let lang = ctx.lang;
    let bytes = read_form(form, page.request(), "file", MAX_UPLOAD)
        .await
        .and_then(|sent| sent.into_file(MAX_UPLOAD))
        .page(lang)?;
    let (ctx, _, result) = page
        .attempt(move |c| import::import_file(c.conn, c.actor, c.now, c.tz, &bytes))
        .await?;
    match result {
        Ok(summary) => render(
            &ResultPage {
                ctx,
                summary: Some(summary),
                message: String::new(),
                errors: Vec::new(),
            },
            StatusCode::OK,
        ),
        Err(ServiceError::InvalidRows(rows)) => {
            let message = ServiceError::InvalidRows(rows.clone()).message(lang);
            let errors = rows
                .into_iter()
                .map(|(r, c, m)| (r, c, m.get(lang).to_string()))
                .collect();
            let view = ResultPage {
                ctx,
                summary: None,
                message,
                errors,
            };
            render(&view, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e).page(lang),
    }
}
