//! `/api/v1/…/export` and `/api/v1/imports`: spreadsheets through the API.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::inventory::service::export;
use crate::inventory::service::import::{self, ImportSummary};
use crate::sheets::render;
use crate::web::auth::ApiActor;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{attachment, AppState, InLang};

/// What to export and how.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// `stock` (balances, the default) or `ledger` (every voucher line).
    pub what: Option<String>,
    /// `csv` (UTF-8 with BOM, the default) or `xlsx`.
    pub format: Option<String>,
}

/// A warehouse's balances or ledger as CSV or XLSX.
#[utoipa::path(tag = "warehouses", params(ExportQuery), security(("bearer" = [])),
    responses((status = 200, description = "The spreadsheet", content_type = "text/csv"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/warehouses/{id}/export")]
pub async fn warehouse_export(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (lang, tz, id) = (actor.lang, state.config.timezone, id.into_inner());
    let ledger = q.what.as_deref() == Some("ledger");
    let table = state
        .db(move |c| {
            if ledger {
                export::ledger_table(c, &actor, id, lang, tz)
            } else {
                export::stock_table(c, &actor, id, lang)
            }
        })
        .await
        .api(lang)?;
    let file = render(&table, q.format.as_deref().unwrap_or("csv")).api(lang)?;
    let name = format!("{}-{id}", if ledger { "ledger" } else { "stock" });
    Ok(attachment(file, &name))
}

/// A stocktake's results as CSV or XLSX.
#[utoipa::path(tag = "stocktakes", params(ExportQuery), security(("bearer" = [])),
    responses((status = 200, description = "The spreadsheet", content_type = "text/csv"), (status = 404, body = ErrorBody)))]
#[get("/stocktakes/{id}/export")]
pub async fn stocktake_export(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (lang, id) = (actor.lang, id.into_inner());
    let table = state
        .db(move |c| export::stocktake_table(c, &actor, id, lang))
        .await
        .api(lang)?;
    let file = render(&table, q.format.as_deref().unwrap_or("csv")).api(lang)?;
    Ok(attachment(file, &format!("stocktake-{id}")))
}

/// Import the catalogue and opening balances: the request body is the XLSX or CSV file itself.
/// All or nothing: any bad row gives 422 `invalid_rows` with every error by row and column.
#[utoipa::path(tag = "catalogue", request_body(content = Vec<u8>, content_type = "text/csv"), security(("bearer" = [])),
    responses((status = 201, body = ImportSummary), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/imports")]
pub async fn import_file(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (lang, now, tz) = (actor.lang, state.now(), state.config.timezone);
    let summary = state
        .db(move |c| import::import_file(c, &actor, now, tz, &body))
        .await
        .api(lang)?;
    Ok(HttpResponse::Created().json(summary))
}
