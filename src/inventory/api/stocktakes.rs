//! `/api/v1/stocktakes`: open, count, recount, explain, approve, cancel.

use actix_web::{get, post, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::inventory::model::{Quantity, VarianceReason};
use crate::inventory::service::stocktakes::{self as service, StocktakeView};
use crate::inventory::store::stocktakes::{Stocktake, StocktakeLine};
use crate::web::auth::ApiActor;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{AppState, InLang};

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
    /// Non-negative decimal, e.g. "12" or "0.5".
    pub qty: String,
}

/// Why a line differs.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonIn {
    /// lost, damaged, expired, found, recording_error or other; null clears it.
    pub reason: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// Open a stocktake: the book is frozen and the warehouse's stock stops moving until it is approved or cancelled.
#[utoipa::path(tag = "stocktakes", request_body = OpenIn, security(("bearer" = [])),
    responses((status = 201, body = StocktakeView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/warehouses/{id}/stocktakes")]
pub async fn open(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    body: web::Json<OpenIn>,
) -> Result<HttpResponse, ApiError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    let b = body.into_inner();
    let st = state
        .db(move |c| service::open(c, &actor, now, id, b.blind, &b.note))
        .await
        .api(lang)?;
    Ok(HttpResponse::Created().json(st))
}

/// Stocktakes of a warehouse.
#[utoipa::path(tag = "stocktakes", security(("bearer" = [])), responses((status = 200, body = Vec<Stocktake>)))]
#[get("/warehouses/{id}/stocktakes")]
pub async fn list(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<Stocktake>>, ApiError> {
    let (lang, id) = (actor.lang, id.into_inner());
    Ok(web::Json(
        state
            .db(move |c| service::list(c, &actor, id))
            .await
            .api(lang)?,
    ))
}

/// One stocktake with its lines and variances (book hidden from counters of a blind count).
#[utoipa::path(tag = "stocktakes", security(("bearer" = [])), responses((status = 200, body = StocktakeView), (status = 404, body = ErrorBody)))]
#[get("/stocktakes/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<StocktakeView>, ApiError> {
    let (lang, id) = (actor.lang, id.into_inner());
    Ok(web::Json(
        state
            .db(move |c| service::get(c, &actor, id))
            .await
            .api(lang)?,
    ))
}

/// Add a line for goods found that are not on the book.
#[utoipa::path(tag = "stocktakes", request_body = FoundIn, security(("bearer" = [])),
    responses((status = 201, body = StocktakeLine), (status = 409, body = ErrorBody)))]
#[post("/stocktakes/{id}/lines")]
pub async fn add_found(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    body: web::Json<FoundIn>,
) -> Result<HttpResponse, ApiError> {
    let (lang, id, now, batch) = (actor.lang, id.into_inner(), state.now(), body.batch_id);
    let line = state
        .db(move |c| service::add_found(c, &actor, now, id, batch))
        .await
        .api(lang)?;
    Ok(HttpResponse::Created().json(line))
}

/// Enter a count for a line; counts of several counters are summed.
#[utoipa::path(tag = "stocktakes", request_body = CountIn, security(("bearer" = [])),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/stocktake-lines/{id}/counts")]
pub async fn count(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    body: web::Json<CountIn>,
) -> Result<HttpResponse, ApiError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    let qty = Quantity::parse("qty", &body.qty).api(lang)?;
    state
        .db(move |c| service::count(c, &actor, now, id, qty))
        .await
        .api(lang)?;
    Ok(HttpResponse::NoContent().finish())
}

/// Ask for a line to be counted again (earlier counts stop counting).
#[utoipa::path(tag = "stocktakes", security(("bearer" = [])), responses((status = 204), (status = 409, body = ErrorBody)))]
#[post("/stocktake-lines/{id}/recount")]
pub async fn recount(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    state
        .db(move |c| service::request_recount(c, &actor, now, id))
        .await
        .api(lang)?;
    Ok(HttpResponse::NoContent().finish())
}

/// Explain a line's difference.
#[utoipa::path(tag = "stocktakes", request_body = ReasonIn, security(("bearer" = [])),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/stocktake-lines/{id}/reason")]
pub async fn explain(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    body: web::Json<ReasonIn>,
) -> Result<HttpResponse, ApiError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    let b = body.into_inner();
    let reason = b
        .reason
        .as_deref()
        .map(VarianceReason::parse)
        .transpose()
        .api(lang)?;
    state
        .db(move |c| service::explain(c, &actor, now, id, reason, &b.note))
        .await
        .api(lang)?;
    Ok(HttpResponse::NoContent().finish())
}

/// Approve (unit head, not the opener): posts the gains and losses and closes the stocktake for good.
#[utoipa::path(tag = "stocktakes", security(("bearer" = [])),
    responses((status = 200, body = StocktakeView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/stocktakes/{id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<StocktakeView>, ApiError> {
    let (lang, id, now, tz) = (
        actor.lang,
        id.into_inner(),
        state.now(),
        state.config.timezone,
    );
    Ok(web::Json(
        state
            .db(move |c| service::approve(c, &actor, now, tz, id))
            .await
            .api(lang)?,
    ))
}

/// Abandon a stocktake without changing stock.
#[utoipa::path(tag = "stocktakes", security(("bearer" = [])), responses((status = 200, body = StocktakeView), (status = 409, body = ErrorBody)))]
#[post("/stocktakes/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<StocktakeView>, ApiError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    Ok(web::Json(
        state
            .db(move |c| service::cancel(c, &actor, now, id))
            .await
            .api(lang)?,
    ))
}
