//! `/api/v1/warehouses`: the dashboard, stock, custodians, norms, FEFO suggestions, verification.

use actix_web::{get, post, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::qty;
use crate::inventory::model::{fefo, OnHand, Quantity, StockAction, WarehouseInput};
use crate::inventory::service::dashboard::{self, WarehouseStatus};
use crate::inventory::service::verify::{self, VerifyReport};
use crate::inventory::service::warehouses::{self as service, WarehouseView};
use crate::inventory::service::{today, visible_warehouses, warehouse_for};
use crate::inventory::store::ledger::{self as ledger_store, StockRow};
use crate::web::auth::ApiActor;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{AppState, InLang};

/// A new warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarehouseIn {
    pub unit_id: i64,
    pub name: String,
    #[serde(default)]
    pub address: String,
    /// Days between stocktakes (monthly 30, quarterly 90; default 90).
    pub stocktake_interval_days: Option<i32>,
    /// People answerable for the warehouse (at least one).
    pub custodians: Vec<i64>,
}

/// Custodians of a warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustodiansIn {
    pub custodians: Vec<i64>,
}

/// A reserve norm: the quantity of an item the warehouse must hold ("0" removes it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NormIn {
    pub required: String,
}

/// The account-matching dashboard of every warehouse the caller may see.
#[utoipa::path(tag = "warehouses", security(("bearer" = [])), responses((status = 200, body = Vec<WarehouseStatus>)))]
#[get("/warehouses")]
pub async fn list(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<web::Json<Vec<WarehouseStatus>>, ApiError> {
    let (lang, now, tz) = (actor.lang, state.now(), state.config.timezone);
    Ok(web::Json(
        state
            .db(move |c| dashboard::overview(c, &actor, now, tz))
            .await
            .api(lang)?,
    ))
}

/// Create a warehouse (administrators, office staff and unit heads covering its unit).
#[utoipa::path(tag = "warehouses", request_body = WarehouseIn, security(("bearer" = [])),
    responses((status = 201, body = WarehouseView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/warehouses")]
pub async fn create(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    body: web::Json<WarehouseIn>,
) -> Result<HttpResponse, ApiError> {
    let (lang, now) = (actor.lang, state.now());
    let b = body.into_inner();
    let input = WarehouseInput::parse(
        b.unit_id,
        &b.name,
        &b.address,
        b.stocktake_interval_days.unwrap_or(90),
        b.custodians,
    )
    .api(lang)?;
    let w = state
        .db(move |c| service::create(c, &actor, now, input))
        .await
        .api(lang)?;
    Ok(HttpResponse::Created().json(w))
}

/// One warehouse.
#[utoipa::path(tag = "warehouses", security(("bearer" = [])), responses((status = 200, body = WarehouseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/warehouses/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<WarehouseView>, ApiError> {
    let (lang, id) = (actor.lang, id.into_inner());
    Ok(web::Json(
        state
            .db(move |c| service::get(c, &actor, id))
            .await
            .api(lang)?,
    ))
}

/// Replace the custodians of a warehouse.
#[utoipa::path(tag = "warehouses", request_body = CustodiansIn, security(("bearer" = [])),
    responses((status = 200, body = WarehouseView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/warehouses/{id}/custodians")]
pub async fn set_custodians(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    body: web::Json<CustodiansIn>,
) -> Result<web::Json<WarehouseView>, ApiError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    let people = body.into_inner().custodians;
    Ok(web::Json(
        state
            .db(move |c| service::set_custodians(c, &actor, now, id, people))
            .await
            .api(lang)?,
    ))
}

/// Set the reserve norm (储备定额) of an item in a warehouse.
#[utoipa::path(tag = "warehouses", request_body = NormIn, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/warehouses/{id}/norms/{item_id}")]
pub async fn set_norm(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    path: web::Path<(i64, i64)>,
    body: web::Json<NormIn>,
) -> Result<HttpResponse, ApiError> {
    let (lang, now) = (actor.lang, state.now());
    let (id, item_id) = path.into_inner();
    let required = Quantity::parse("required", &body.required).api(lang)?;
    state
        .db(move |c| service::set_norm(c, &actor, now, id, item_id, required))
        .await
        .api(lang)?;
    Ok(HttpResponse::NoContent().finish())
}

/// Stock filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct StockQuery {
    pub item_id: Option<i64>,
    /// Item code or name contains.
    pub q: Option<String>,
}

/// The stock of a warehouse by item and batch (quantities in milli-units).
#[utoipa::path(tag = "warehouses", params(StockQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<StockRow>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/warehouses/{id}/stock")]
pub async fn stock(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    q: web::Query<StockQuery>,
) -> Result<web::Json<Vec<StockRow>>, ApiError> {
    let (lang, id) = (actor.lang, id.into_inner());
    let (item, text) = (q.item_id, q.q.clone().filter(|s| !s.trim().is_empty()));
    let rows = state
        .db(move |c| {
            warehouse_for(c, &actor, id, StockAction::View)?;
            Ok(ledger_store::stock(c, id, item, text.as_deref())?)
        })
        .await
        .api(lang)?;
    Ok(web::Json(rows))
}

/// What to suggest.
#[derive(Debug, Deserialize, IntoParams)]
pub struct FefoQuery {
    pub item_id: i64,
    pub qty: String,
}

/// A batch and quantity suggested for an issue.
#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestion {
    pub batch_id: i64,
    pub qty: String,
}

/// First-expiry-first-out suggestion of batches for issuing a quantity of an item.
#[utoipa::path(tag = "warehouses", params(FefoQuery), security(("bearer" = [])), responses((status = 200, body = Vec<Suggestion>), (status = 422, body = ErrorBody)))]
#[get("/warehouses/{id}/fefo")]
pub async fn suggest(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    q: web::Query<FefoQuery>,
) -> Result<web::Json<Vec<Suggestion>>, ApiError> {
    let (lang, id, now, tz) = (
        actor.lang,
        id.into_inner(),
        state.now(),
        state.config.timezone,
    );
    let needed = qty("qty", &q.qty).api(lang)?;
    let item = q.item_id;
    let rows = state
        .db(move |c| {
            warehouse_for(c, &actor, id, StockAction::View)?;
            Ok(ledger_store::stock(c, id, Some(item), None)?)
        })
        .await
        .api(lang)?;
    let on_hand = rows
        .iter()
        .filter(|r| r.quality == "good")
        .map(|r| OnHand {
            batch_id: r.batch_id,
            expiry: r.expiry_date,
            qty: Quantity::from_milli(r.qty),
        })
        .collect();
    let picks = fefo(on_hand, needed, today(now, tz));
    Ok(web::Json(
        picks
            .into_iter()
            .map(|(batch_id, q)| Suggestion {
                batch_id,
                qty: q.to_string(),
            })
            .collect(),
    ))
}

/// Recompute every balance from the ledger and re-check every hash chain of the warehouses the caller sees.
#[utoipa::path(tag = "warehouses", security(("bearer" = [])), responses((status = 200, body = VerifyReport)))]
#[get("/ledger/verify")]
pub async fn verify_ledger(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<web::Json<VerifyReport>, ApiError> {
    let lang = actor.lang;
    let report = state
        .db(move |c| {
            let ws = visible_warehouses(c, &actor)?;
            verify::verify(c, &ws)
        })
        .await
        .api(lang)?;
    Ok(web::Json(report))
}

/// Where a batch lies in the warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BinIn {
    /// Shelf, bin or zone code (at most 32 characters); empty clears it.
    pub bin: String,
}

/// Record where a batch lies in the warehouse; count sheets can then be printed per bin.
#[utoipa::path(tag = "warehouses", request_body = BinIn, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/warehouses/{id}/stock/{batch_id}/bin")]
pub async fn set_bin(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    path: web::Path<(i64, i64)>,
    body: web::Json<BinIn>,
) -> Result<HttpResponse, ApiError> {
    let (lang, now, (id, batch)) = (actor.lang, state.now(), path.into_inner());
    let bin = body.into_inner().bin;
    state
        .db(move |c| service::set_bin(c, &actor, now, id, batch, &bin))
        .await
        .api(lang)?;
    Ok(HttpResponse::NoContent().finish())
}
