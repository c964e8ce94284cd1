//! `/api/v1/categories`, `/api/v1/items`, `/api/v1/batches`.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::inventory::model::{BatchInput, ItemInput, Quality};
use crate::inventory::service::catalogue as service;
use crate::inventory::store::catalogue::{Batch, Category, Item, ItemFilter};
use crate::pagination::{Page, PageRequest};
use crate::web::auth::ApiActor;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{double_option, non_blank, AppState, InLang};

/// A new category below an existing one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryIn {
    /// 3, 5 or 7 digits (GB/T 38565 `D MM SS XX`).
    pub code: String,
    pub name: String,
}

/// The category tree (GB/T 38565-2020).
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), responses((status = 200, body = Vec<Category>)))]
#[get("/categories")]
pub async fn categories(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<web::Json<Vec<Category>>, ApiError> {
    Ok(web::Json(
        state.db(service::categories).await.api(actor.lang)?,
    ))
}

/// Add a lower-level category.
#[utoipa::path(tag = "catalogue", request_body = CategoryIn, security(("bearer" = [])),
    responses((status = 201, body = Category), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/categories")]
pub async fn add_category(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    body: web::Json<CategoryIn>,
) -> Result<HttpResponse, ApiError> {
    let (lang, now) = (actor.lang, state.now());
    let cat = state
        .db(move |c| service::add_category(c, &actor, now, &body.code, &body.name))
        .await
        .api(lang)?;
    Ok(HttpResponse::Created().json(cat))
}

/// Item filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ItemQuery {
    /// Code or name contains.
    pub q: Option<String>,
    /// Category code prefix.
    pub category: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A new catalogue item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemIn {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub spec: String,
    /// Unit of measure (件, 个, 吨, 升 …).
    pub uom: String,
    pub category_code: String,
    pub shelf_life_days: Option<i32>,
    #[serde(default)]
    pub track_expiry: bool,
    /// Price per unit in yuan, e.g. "12.50".
    pub unit_price: Option<String>,
    /// Kept per batch (default true); false gives the item one standing batch.
    pub track_batches: Option<bool>,
    /// Each batch is one serial-numbered unit (default false).
    #[serde(default)]
    pub track_serial: bool,
}

/// List items.
#[utoipa::path(tag = "catalogue", params(ItemQuery), security(("bearer" = [])), responses((status = 200, body = Page<Item>)))]
#[get("/items")]
pub async fn items(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    q: web::Query<ItemQuery>,
) -> Result<web::Json<Page<Item>>, ApiError> {
    let filter = ItemFilter {
        q: non_blank(&q.q),
        category: non_blank(&q.category),
        active: Some(true),
    };
    let page = PageRequest::new(q.page, q.per_page);
    Ok(web::Json(
        state
            .db(move |c| service::items(c, &filter, page))
            .await
            .api(actor.lang)?,
    ))
}

/// One item.
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), responses((status = 200, body = Item), (status = 404, body = ErrorBody)))]
#[get("/items/{id}")]
pub async fn item(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<Item>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db(move |c| service::item(c, id))
            .await
            .api(actor.lang)?,
    ))
}

/// Add an item to the catalogue (administrators, the office, warehouse keepers).
#[utoipa::path(tag = "catalogue", request_body = ItemIn, security(("bearer" = [])),
    responses((status = 201, body = Item), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/items")]
pub async fn add_item(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    body: web::Json<ItemIn>,
) -> Result<HttpResponse, ApiError> {
    let lang = actor.lang;
    let b = body.into_inner();
    let input = ItemInput::parse(
        &b.code,
        &b.name,
        &b.spec,
        &b.uom,
        &b.category_code,
        b.shelf_life_days,
        b.track_expiry,
        b.unit_price.as_deref(),
    )
    .and_then(|i| i.tracking(b.track_batches.unwrap_or(true), b.track_serial))
    .api(lang)?;
    let now = state.now();
    let created = state
        .db(move |c| service::add_item(c, &actor, now, input))
        .await
        .api(lang)?;
    Ok(HttpResponse::Created().json(created))
}

/// A new batch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchIn {
    pub batch_no: String,
    #[serde(default)]
    pub maker: String,
    pub production_date: Option<NaiveDate>,
    /// Defaults to the production date plus the item's shelf life.
    pub expiry_date: Option<NaiveDate>,
    /// government, agreement, held_for_others or donated.
    pub ownership: String,
    /// The person answerable for the batch (保管责任人).
    pub custodian_id: Option<i64>,
}

/// Changes to a batch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchPatch {
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub custodian_id: Option<Option<i64>>,
    /// good, damaged or quarantined.
    pub quality: Option<String>,
}

/// Batches of an item.
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), responses((status = 200, body = Vec<Batch>), (status = 404, body = ErrorBody)))]
#[get("/items/{id}/batches")]
pub async fn batches(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<Batch>>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db(move |c| service::batches(c, id))
            .await
            .api(actor.lang)?,
    ))
}

/// Register a batch of an item.
#[utoipa::path(tag = "catalogue", request_body = BatchIn, security(("bearer" = [])),
    responses((status = 201, body = Batch), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/items/{id}/batches")]
pub async fn add_batch(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    body: web::Json<BatchIn>,
) -> Result<HttpResponse, ApiError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    let b = body.into_inner();
    let input = BatchInput::parse(
        &b.batch_no,
        &b.maker,
        b.production_date,
        b.expiry_date,
        &b.ownership,
        b.custodian_id,
    )
    .api(lang)?;
    let batch = state
        .db(move |c| service::add_batch(c, &actor, now, id, input))
        .await
        .api(lang)?;
    Ok(HttpResponse::Created().json(batch))
}

/// Change a batch's custodian or quality state.
#[utoipa::path(tag = "catalogue", request_body = BatchPatch, security(("bearer" = [])),
    responses((status = 200, body = Batch), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/batches/{id}")]
pub async fn update_batch(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    body: web::Json<BatchPatch>,
) -> Result<web::Json<Batch>, ApiError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    let quality = body
        .quality
        .as_deref()
        .map(Quality::parse)
        .transpose()
        .api(lang)?;
    let custodian = body.custodian_id;
    Ok(web::Json(
        state
            .db(move |c| service::update_batch(c, &actor, now, id, custodian, quality))
            .await
            .api(lang)?,
    ))
}
