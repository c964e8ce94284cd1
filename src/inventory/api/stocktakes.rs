//! `/api/v1/stocktakes`: open, count, recount, explain, approve, cancel.

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::inventory::model::{Quantity, VarianceReason};
use crate::inventory::service::stocktakes::{self as service, StocktakeView};
use crate::inventory::store::stocktakes::{Stocktake, StocktakeLine};
use crate::org::api::Reply;
use crate::web::error::ApiError;
use crate::web::json::{Json, OptionalJson};
use crate::web::Api;

/// Opening a count.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenIn {
    /// Counters do not see the book quantity.
    #[serde(default)]
    pub blind: bool,
    #[serde(default)]
    pub note: String,
}

/// Goods found that are not on the book.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FoundIn {
    pub batch_id: i64,
}

/// A counted quantity.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountIn {
    /// A non-negative decimal of at most 12 digits and 3 decimals, e.g. "12" or "0.5".
    #[schema(pattern = r"^[0-9]{1,12}(\.[0-9]{1,3})?$")]
    pub qty: String,
}

/// Why a line differs.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonIn {
    /// Null clears it.
    #[schema(value_type = Option<VarianceReason>)]
    pub reason: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// Open a stocktake: the book is frozen and the warehouse's stock stops moving until it is approved or cancelled.
#[utoipa::path(tag = "stocktakes", request_body(content = Option<OpenIn>), security(("bearer" = [])), responses((status = 201, body = StocktakeView)))]
#[post("/warehouses/{id}/stocktakes")]
pub async fn open(
    api: Api,
    id: web::Path<i64>,
    body: OptionalJson<OpenIn>,
) -> Reply<StocktakeView> {
    let (id, b) = (id.into_inner(), body.0.unwrap_or_default());
    api.reply(StatusCode::CREATED, move |c| {
        service::open(c.conn, c.actor, c.now, id, b.blind, &b.note)
    })
    .await
}

/// Stocktakes of a warehouse.
#[utoipa::path(tag = "stocktakes", security(("bearer" = [])), responses((status = 200, body = Vec<Stocktake>)))]
#[get("/warehouses/{id}/stocktakes")]
pub async fn list(api: Api, id: web::Path<i64>) -> Reply<Vec<Stocktake>> {
    let id = id.into_inner();
    api.json(move |c| service::list(c.conn, c.actor, id)).await
}

/// One stocktake with its lines and variances (book hidden from counters of a blind count).
#[utoipa::path(tag = "stocktakes", security(("bearer" = [])), responses((status = 200, body = StocktakeView)))]
#[get("/stocktakes/{id}")]
pub async fn get(api: Api, id: web::Path<i64>) -> Reply<StocktakeView> {
    let id = id.into_inner();
    api.json(move |c| service::get(c.conn, c.actor, id)).await
}

/// Add a line for goods found that are not on the book.
#[utoipa::path(tag = "stocktakes", request_body = FoundIn, security(("bearer" = [])), responses((status = 201, body = StocktakeLine)))]
#[post("/stocktakes/{id}/lines")]
pub async fn add_found(api: Api, id: web::Path<i64>, body: Json<FoundIn>) -> Reply<StocktakeLine> {
    let (id, batch) = (id.into_inner(), body.0.batch_id);
    api.reply(StatusCode::CREATED, move |c| {
        service::add_found(c.conn, c.actor, c.now, id, batch)
    })
    .await
}

/// Enter a count for a line; counts of several counters are summed.
#[utoipa::path(tag = "stocktakes", request_body = CountIn, security(("bearer" = [])), responses((status = 204)))]
#[post("/stocktake-lines/{id}/counts")]
pub async fn count(
    api: Api,
    id: web::Path<i64>,
    body: Json<CountIn>,
) -> Result<HttpResponse, ApiError> {
    let (id, qty) = (id.into_inner(), body.0.qty);
    api.run(move |c| service::count(c.conn, c.actor, c.now, id, Quantity::parse("qty", &qty)?))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Ask for a line to be counted again (earlier counts stop counting).
#[utoipa::path(tag = "stocktakes", security(("bearer" = [])), responses((status = 204)))]
#[post("/stocktake-lines/{id}/recount")]
pub async fn recount(api: Api, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    api.run(move |c| service::request_recount(c.conn, c.actor, c.now, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Explain a line's difference.
#[utoipa::path(tag = "stocktakes", request_body = ReasonIn, security(("bearer" = [])), responses((status = 204)))]
#[put("/stocktake-lines/{id}/reason")]
pub async fn explain(
    api: Api,
    id: web::Path<i64>,
    body: Json<ReasonIn>,
) -> Result<HttpResponse, ApiError> {
    let (id, b) = (id.into_inner(), body.0);
    api.run(move |c| {
        let reason = b.reason.as_deref().map(VarianceReason::parse).transpose()?;
        service::explain(c.conn, c.actor, c.now, id, reason, &b.note)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Approve (unit head, not the opener): posts the gains and losses and closes the stocktake for good.
#[utoipa::path(tag = "stocktakes", security(("bearer" = [])), responses((status = 200, body = StocktakeView)))]
#[post("/stocktakes/{id}/approve")]
pub async fn approve(api: Api, id: web::Path<i64>) -> Reply<StocktakeView> {
    let id = id.into_inner();
    api.json(move |c| service::approve(c.conn, c.actor, c.now, c.tz, id))
        .await
}

/// Abandon a stocktake without changing stock.
#[utoipa::path(tag = "stocktakes", security(("bearer" = [])), responses((status = 200, body = StocktakeView)))]
#[post("/stocktakes/{id}/cancel")]
pub async fn cancel(api: Api, id: web::Path<i64>) -> Reply<StocktakeView> {
    let id = id.into_inner();
    api.json(move |c| service::cancel(c.conn, c.actor, c.now, id))
        .await
}
