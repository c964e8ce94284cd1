//! `/api/v1/…/export` and `/api/v1/imports`: spreadsheets through the API.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::clock::today;
use crate::inventory::service::export;
use crate::inventory::service::import::{self, ImportSummary};
use crate::sheets::{render, Format};
use crate::web::error::ApiError;
use crate::web::{attachment, stream_sheet, Api, Reply};

/// What to export and how.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// `stock` (balances, the default) or `ledger` (every voucher line).
    #[param(inline)]
    pub what: Option<Contents>,
    /// `csv` (UTF-8 with BOM, the default) or `xlsx`.
    #[param(inline)]
    pub format: Option<Format>,
}

/// Which table of a warehouse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Contents {
    Stock,
    Ledger,
}

/// A warehouse's balances or ledger as CSV or XLSX.
#[utoipa::path(tag = "warehouses", params(ExportQuery), security(("bearer" = [])),
    responses((status = 200, description = "The spreadsheet", content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
#[get("/warehouses/{id}/export")]
pub async fn warehouse_export(
    api: Api,
    id: web::Path<i64>,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (id, ledger, format) = (
        id.into_inner(),
        q.what == Some(Contents::Ledger),
        q.format.unwrap_or(Format::Csv),
    );
    if ledger {
        let pool = api.state().pool.clone();
        let (head, lang, tz) = api
            .run(move |c| {
                let head =
                    export::ledger_head(c.conn, c.actor, id, c.actor.lang, today(c.now, c.tz))?;
                Ok((head, c.actor.lang, c.tz))
            })
            .await?;
        return Ok(stream_sheet(head, format, move |emit| {
            export::ledger_rows(&pool, id, lang, tz, emit)
        }));
    }
    let file = api
        .run(move |c| {
            let table = export::stock_table(c.conn, c.actor, id, c.actor.lang, today(c.now, c.tz))?;
            render(&table, format)
        })
        .await?;
    Ok(attachment(file))
}

/// A stocktake's results as CSV or XLSX.
#[utoipa::path(tag = "stocktakes", params(ExportQuery), security(("bearer" = [])),
    responses((status = 200, description = "The spreadsheet", content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
#[get("/stocktakes/{id}/export")]
pub async fn stocktake_export(
    api: Api,
    id: web::Path<i64>,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (id, format) = (id.into_inner(), q.format.unwrap_or(Format::Csv));
    let file = api
        .run(move |c| {
            render(
                &export::stocktake_table(c.conn, c.actor, id, c.actor.lang, today(c.now, c.tz))?,
                format,
            )
        })
        .await?;
    Ok(attachment(file))
}

/// Import the catalogue and opening balances: the request body is the XLSX or CSV file itself (at most
/// 10 MB, 100,000 rows, 64 columns). Permission is checked before the file is read. All or nothing: any bad
/// row gives 422 `invalid_rows` with every error by row and column.
#[utoipa::path(tag = "catalogue", request_body(content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), security(("bearer" = [])),
    responses((status = 201, body = ImportSummary)))]
#[post("/imports")]
pub async fn import_file(api: Api, body: web::Bytes) -> Reply<ImportSummary> {
    api.reply(StatusCode::CREATED, move |c| {
        import::import_file(c.conn, c.actor, c.now, c.tz, &body)
    })
    .await
}
