//! `/api/v1/warehouses`: the dashboard, stock, custodians, norms, FEFO suggestions, verification.

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::inventory::model::{parse_coordinates, Ownership, Quality, Quantity, WarehouseInput};
use crate::inventory::service::dashboard::{self, WarehouseStatus};
use crate::inventory::service::stock::{self as stock_service, Suggestion};
use crate::inventory::service::verify::{self, VerifyReport};
use crate::inventory::service::warehouses::{self as service, WarehouseView};
use crate::inventory::store::ledger::StockRow;
use crate::org::api::Reply;
use crate::web::error::ApiError;
use crate::web::json::Json;
use crate::web::{non_blank, Api};

/// A new warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarehouseIn {
    pub unit_id: i64,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[serde(default)]
    pub address: String,
    /// Days between stocktakes (monthly 30, quarterly 90; default 90).
    #[schema(minimum = 7, maximum = 730)]
    pub stocktake_interval_days: Option<i32>,
    /// People answerable for the warehouse (at least one).
    #[schema(min_items = 1)]
    pub custodians: Vec<i64>,
    /// Where it is, "latitude, longitude" in degrees (WGS-84, e.g. "31.06, 120.49"); the sourcing view puts
    /// the nearest warehouses first.
    #[serde(default)]
    pub coordinates: String,
}

/// Where a warehouse is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoordinatesIn {
    /// "latitude, longitude" in degrees (WGS-84, e.g. "31.06, 120.49"); empty forgets them.
    pub coordinates: String,
}

/// Custodians of a warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustodiansIn {
    #[schema(min_items = 1)]
    pub custodians: Vec<i64>,
}

/// A reserve norm: the quantity of an item the warehouse must hold ("0" removes it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NormIn {
    /// A non-negative decimal of at most 12 digits and 3 decimals.
    #[schema(pattern = r"^[0-9]{1,12}(\.[0-9]{1,3})?$")]
    pub required: String,
}

/// The account-matching dashboard of every warehouse the caller may see.
#[utoipa::path(tag = "warehouses", security(("bearer" = [])), responses((status = 200, body = Vec<WarehouseStatus>)))]
#[get("/warehouses")]
pub async fn list(api: Api) -> Reply<Vec<WarehouseStatus>> {
    api.json(|c| dashboard::overview(c.conn, c.actor, c.now, c.tz))
        .await
}

/// Create a warehouse (administrators, office staff and unit heads covering its unit).
#[utoipa::path(tag = "warehouses", request_body = WarehouseIn, security(("bearer" = [])), responses((status = 201, body = WarehouseView)))]
#[post("/warehouses")]
pub async fn create(api: Api, body: Json<WarehouseIn>) -> Reply<WarehouseView> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        let interval = b.stocktake_interval_days.unwrap_or(90);
        let input = WarehouseInput::parse(b.unit_id, &b.name, &b.address, interval, b.custodians)?
            .at(&b.coordinates)?;
        service::create(c.conn, c.actor, c.now, input)
    })
    .await
}

/// One warehouse.
#[utoipa::path(tag = "warehouses", security(("bearer" = [])), responses((status = 200, body = WarehouseView)))]
#[get("/warehouses/{id}")]
pub async fn get(api: Api, id: web::Path<i64>) -> Reply<WarehouseView> {
    let id = id.into_inner();
    api.json(move |c| service::get(c.conn, c.actor, id)).await
}

/// Replace the custodians of a warehouse.
#[utoipa::path(tag = "warehouses", request_body = CustodiansIn, security(("bearer" = [])), responses((status = 200, body = WarehouseView)))]
#[put("/warehouses/{id}/custodians")]
pub async fn set_custodians(
    api: Api,
    id: web::Path<i64>,
    body: Json<CustodiansIn>,
) -> Reply<WarehouseView> {
    let (id, people) = (id.into_inner(), body.0.custodians);
    api.json(move |c| service::set_custodians(c.conn, c.actor, c.now, id, people))
        .await
}

/// Record where a warehouse is (administrators, office staff and unit heads covering its unit).
#[utoipa::path(tag = "warehouses", request_body = CoordinatesIn, security(("bearer" = [])), responses((status = 200, body = WarehouseView)))]
#[put("/warehouses/{id}/coordinates")]
pub async fn set_coordinates(
    api: Api,
    id: web::Path<i64>,
    body: Json<CoordinatesIn>,
) -> Reply<WarehouseView> {
    let (id, text) = (id.into_inner(), body.0.coordinates);
    api.json(move |c| {
        let at = parse_coordinates(&text)?;
        service::set_coordinates(c.conn, c.actor, c.now, id, at)
    })
    .await
}

/// Set the reserve norm (储备定额) of an item in a warehouse.
#[utoipa::path(tag = "warehouses", request_body = NormIn, security(("bearer" = [])), responses((status = 204)))]
#[put("/warehouses/{id}/norms/{item_id}")]
pub async fn set_norm(
    api: Api,
    path: web::Path<(i64, i64)>,
    body: Json<NormIn>,
) -> Result<HttpResponse, ApiError> {
    let ((id, item_id), required) = (path.into_inner(), body.0.required);
    api.run(move |c| {
        let required = Quantity::parse("required", &required)?;
        service::set_norm(c.conn, c.actor, c.now, id, item_id, required)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Stock filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct StockQuery {
    pub item_id: Option<i64>,
    /// Item code or name contains.
    pub q: Option<String>,
}

/// A balance by item and batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockOut {
    pub warehouse_id: i64,
    pub batch_id: i64,
    pub item_id: i64,
    /// The book quantity as an exact decimal (`"12.5"`); null while the caller counts this warehouse blind.
    pub qty: Option<String>,
    /// The same in thousandths (`12500`); null while the caller counts this warehouse blind.
    pub qty_milli: Option<i64>,
    /// Of it, held by reservations (an allocation, a drill): only the rest can be issued otherwise. Null while
    /// the caller counts this warehouse blind.
    pub reserved: Option<String>,
    pub item_code: String,
    pub item_name: String,
    pub spec: String,
    pub uom: String,
    /// Price per unit in fen.
    pub unit_price_fen: Option<i64>,
    pub batch_no: String,
    pub expiry_date: Option<chrono::NaiveDate>,
    pub ownership: Ownership,
    pub custodian_id: Option<i64>,
    pub quality: Quality,
    /// Where in the warehouse the batch lies; empty when not recorded.
    pub bin: String,
    /// Found needing repair (待修): not issued, loaned, transferred or reserved except by an emergency issue.
    pub needs_repair: bool,
}

impl StockOut {
    fn of(s: StockRow, hidden: bool) -> StockOut {
        StockOut {
            warehouse_id: s.warehouse_id,
            batch_id: s.batch_id,
            item_id: s.item_id,
            qty: (!hidden).then(|| Quantity::from_milli(s.qty).to_string()),
            qty_milli: (!hidden).then_some(s.qty),
            reserved: (!hidden).then(|| Quantity::from_milli(s.reserved).to_string()),
            item_code: s.item_code,
            item_name: s.item_name,
            spec: s.spec,
            uom: s.uom,
            unit_price_fen: s.unit_price_fen,
            batch_no: s.batch_no,
            expiry_date: s.expiry_date,
            ownership: s.ownership,
            custodian_id: s.custodian_id,
            quality: s.quality,
            bin: s.bin,
            needs_repair: s.needs_repair,
        }
    }
}

/// The stock of a warehouse by item and batch, earliest expiry first.
#[utoipa::path(tag = "warehouses", params(StockQuery), security(("bearer" = [])), responses((status = 200, body = Vec<StockOut>)))]
#[get("/warehouses/{id}/stock")]
pub async fn stock(
    api: Api,
    id: web::Path<i64>,
    q: web::Query<StockQuery>,
) -> Reply<Vec<StockOut>> {
    let (id, item, text) = (id.into_inner(), q.item_id, non_blank(&q.q));
    api.json(move |c| {
        let stock = stock_service::stock(c.conn, c.actor, id, item, text.as_deref())?;
        let hidden = stock.book_hidden;
        Ok(stock
            .rows
            .into_iter()
            .map(|s| StockOut::of(s, hidden))
            .collect())
    })
    .await
}

/// What to suggest.
#[derive(Debug, Deserialize, IntoParams)]
pub struct FefoQuery {
    pub item_id: i64,
    /// The quantity to issue: a positive decimal of at most 12 digits and 3 decimals.
    #[param(pattern = r"^(?!0+(\.0+)?$)[0-9]{1,12}(\.[0-9]{1,3})?$")]
    pub qty: String,
}

/// First-expiry-first-out suggestion of batches for issuing a quantity of an item.
#[utoipa::path(tag = "warehouses", params(FefoQuery), security(("bearer" = [])), responses((status = 200, body = Vec<Suggestion>)))]
#[get("/warehouses/{id}/fefo")]
pub async fn suggest(
    api: Api,
    id: web::Path<i64>,
    q: web::Query<FefoQuery>,
) -> Reply<Vec<Suggestion>> {
    let (id, item, qty) = (id.into_inner(), q.item_id, q.qty.clone());
    api.json(move |c| {
        let needed = Quantity::parse_positive("qty", &qty)?;
        stock_service::suggest(c.conn, c.actor, id, item, needed, c.now, c.tz)
    })
    .await
}

/// Recompute every balance from the ledger and re-check every hash chain of the warehouses the caller sees.
#[utoipa::path(tag = "warehouses", security(("bearer" = [])), responses((status = 200, body = VerifyReport)))]
#[get("/ledger/verify")]
pub async fn verify_ledger(api: Api) -> Reply<VerifyReport> {
    api.json(|c| verify::verify_visible(c.conn, c.actor)).await
}

/// Where a batch lies in the warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BinIn {
    /// Shelf, bin or zone code (at most 32 characters); empty clears it.
    #[schema(max_length = 32)]
    pub bin: String,
}

/// Record where a batch lies in the warehouse; count sheets can then be printed per bin.
#[utoipa::path(tag = "warehouses", request_body = BinIn, security(("bearer" = [])), responses((status = 204)))]
#[put("/warehouses/{id}/stock/{batch_id}/bin")]
pub async fn set_bin(
    api: Api,
    path: web::Path<(i64, i64)>,
    body: Json<BinIn>,
) -> Result<HttpResponse, ApiError> {
    let ((id, batch), bin) = (path.into_inner(), body.0.bin);
    api.run(move |c| service::set_bin(c.conn, c.actor, c.now, id, batch, &bin))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Who keeps a batch's stock in the warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustodyIn {
    /// A person; `null` leaves the stock to the warehouse's custodians.
    pub custodian_id: Option<i64>,
}

/// Name who keeps a batch's stock in this warehouse (人物对应); expiry reminders about it go to them.
#[utoipa::path(tag = "warehouses", request_body = CustodyIn, security(("bearer" = [])), responses((status = 204)))]
#[put("/warehouses/{id}/stock/{batch_id}/custodian")]
pub async fn set_custodian(
    api: Api,
    path: web::Path<(i64, i64)>,
    body: Json<CustodyIn>,
) -> Result<HttpResponse, ApiError> {
    let ((id, batch), person) = (path.into_inner(), body.0.custodian_id);
    api.run(move |c| service::set_custodian(c.conn, c.actor, c.now, id, batch, person))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
