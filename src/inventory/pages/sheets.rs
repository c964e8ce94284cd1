//! Spreadsheet downloads and the import upload, on the pages.

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use futures_util::StreamExt;

use crate::clock::today;
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::service::export;
use crate::inventory::service::import::{self, ImportSummary};
use crate::sheets::{render as render_file, Format, MAX_UPLOAD};
use crate::web::context::Ctx;
use crate::web::csrf;
use crate::web::error::PageError;
use crate::web::{attachment, render, stream_sheet, Call, InLang, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(stock_export)
        .service(ledger_export)
        .service(stocktake_export)
        .service(upload);
}

/// A table as a download named after what it holds.
async fn download<F>(page: &Page, format: String, f: F) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut Call<'_>) -> ServiceResult<crate::sheets::Table> + Send + 'static,
{
    let format = Format::parse(&format).page(crate::web::auth::request_lang(page.request()))?;
    let (_, file) = page.run(move |c| render_file(&f(c)?, format)).await?;
    Ok(attachment(file))
}

#[get("/reserves/warehouses/{id}/export.{format}")]
async fn stock_export(
    page: Page,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, format) = path.into_inner();
    download(&page, format, move |c| {
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
    download(&page, format, move |c| {
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

/// Reads the upload form: its CSRF token and the file (at most [`MAX_UPLOAD`] bytes).
async fn read_upload(mut form: Multipart, session: &Session) -> Result<Vec<u8>, ServiceError> {
    let (mut token, mut file) = (None, None);
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|_| {
            ServiceError::invalid("file", "上传失败，请重试", "The upload failed; try again")
        })?;
        let name = field.name().unwrap_or_default().to_string();
        let limit = if name == "file" { MAX_UPLOAD } else { 4096 };
        let bytes = field
            .bytes(limit)
            .await
            .map_err(|_| {
                ServiceError::invalid(
                    "file",
                    "文件不能超过 10 MB",
                    "The file may be at most 10 MB",
                )
            })?
            .map_err(|_| {
                ServiceError::invalid("file", "上传失败，请重试", "The upload failed; try again")
            })?;
        match name.as_str() {
            "csrf_token" => token = Some(String::from_utf8_lossy(&bytes).into_owned()),
            "file" => file = Some(bytes.to_vec()),
            _ => {}
        }
    }
    if !token.is_some_and(|t| csrf::verify(session, &t)) {
        return Err(ServiceError::CsrfRejected);
    }
    file.filter(|f| !f.is_empty()).ok_or_else(|| {
        ServiceError::invalid("file", "请选择要上传的文件", "Choose a file to upload")
    })
}

/// Imports an uploaded file: whether the account may import is settled before the upload is read.
#[post("/reserves/import")]
async fn upload(page: Page, form: Multipart) -> Result<HttpResponse, PageError> {
    let (ctx, _) = page.run(|c| import::authorize(c.actor)).await?;
    let lang = ctx.lang;
    let bytes = read_upload(form, page.session()).await.page(lang)?;
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
