//! Spreadsheet downloads and the import upload, on the pages.

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use futures_util::StreamExt;

use crate::error::ServiceError;
use crate::inventory::service::export;
use crate::inventory::service::import::{self, ImportSummary};
use crate::org::pages::render;
use crate::sheets::{render as render_file, MAX_UPLOAD};
use crate::web::auth::PageActor;
use crate::web::context::Ctx;
use crate::web::csrf;
use crate::web::error::PageError;
use crate::web::{attachment, AppState, InLang};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(stock_export)
        .service(ledger_export)
        .service(stocktake_export)
        .service(upload);
}

#[get("/reserves/warehouses/{id}/export.{format}")]
async fn stock_export(
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, PageError> {
    let (lang, (id, format)) = (actor.lang, path.into_inner());
    let table = state
        .db(move |c| export::stock_table(c, &actor, id, lang))
        .await
        .page(lang)?;
    let file = render_file(&table, &format).page(lang)?;
    Ok(attachment(file, &format!("库存-{id}")))
}

#[get("/reserves/warehouses/{id}/ledger.{format}")]
async fn ledger_export(
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, PageError> {
    let (lang, tz, (id, format)) = (actor.lang, state.config.timezone, path.into_inner());
    let table = state
        .db(move |c| export::ledger_table(c, &actor, id, lang, tz))
        .await
        .page(lang)?;
    let file = render_file(&table, &format).page(lang)?;
    Ok(attachment(file, &format!("台账-{id}")))
}

#[get("/reserves/stocktakes/{id}/export.{format}")]
async fn stocktake_export(
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, PageError> {
    let (lang, (id, format)) = (actor.lang, path.into_inner());
    let table = state
        .db(move |c| export::stocktake_table(c, &actor, id, lang))
        .await
        .page(lang)?;
    let file = render_file(&table, &format).page(lang)?;
    Ok(attachment(file, &format!("盘点-{id}")))
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

#[post("/reserves/import")]
async fn upload(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    form: Multipart,
) -> Result<HttpResponse, PageError> {
    let (lang, now, tz, a) = (
        actor.lang,
        state.now(),
        state.config.timezone,
        actor.clone(),
    );
    import::authorize(&actor).page(lang)?;
    let bytes = read_upload(form, &session).await.page(lang)?;
    let result = state
        .db(move |c| import::import_file(c, &a, now, tz, &bytes))
        .await;
    let ctx = Ctx::new(&req, &session, Some(&actor));
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
        Err(e @ ServiceError::InvalidRows(_)) => {
            let message = e.message(lang);
            let ServiceError::InvalidRows(rows) = e else {
                unreachable!("matched above")
            };
            let errors = rows
                .into_iter()
                .map(|(r, c, m)| (r, c, m.get(lang).to_string()))
                .collect();
            render(
                &ResultPage {
                    ctx,
                    summary: None,
                    message,
                    errors,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => Err(e).page(lang),
    }
}
