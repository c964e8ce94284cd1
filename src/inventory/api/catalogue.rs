//! `/api/v1/categories`, `/api/v1/items`, `/api/v1/batches`.

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::inventory::model::{BatchInput, ItemInput, Ownership, Quality};
use crate::inventory::service::catalogue as service;
use crate::inventory::store::catalogue::{Batch, Category, Item, ItemFilter};
use crate::org::api::Reply;
use crate::pagination::{Page, PageRequest};
use crate::web::json::Json;
use crate::web::{double_option, non_blank, Api};

/// A new category below an existing one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryIn {
    /// 3, 5 or 7 digits (GB/T 38565 `D MM SS XX`): level 1 is 1–3, each further level 01–99.
    #[schema(pattern = r"^\s*[1-3](0[1-9]|[1-9][0-9]){1,3}\s*$")]
    pub code: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

/// The category tree (GB/T 38565-2020).
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), responses((status = 200, body = Vec<Category>)))]
#[get("/categories")]
pub async fn categories(api: Api) -> Reply<Vec<Category>> {
    api.json(|c| service::categories(c.conn)).await
}

/// Add a lower-level category.
#[utoipa::path(tag = "catalogue", request_body = CategoryIn, security(("bearer" = [])), responses((status = 201, body = Category)))]
#[post("/categories")]
pub async fn add_category(api: Api, body: Json<CategoryIn>) -> Reply<Category> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        service::add_category(c.conn, c.actor, c.now, &b.code, &b.name)
    })
    .await
}

/// Item filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ItemQuery {
    /// Code or name contains.
    pub q: Option<String>,
    /// Category code prefix.
    pub category: Option<String>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// A new catalogue item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemIn {
    /// Letters, digits and `- _ .`, at most 32.
    #[schema(pattern = r"^\s*[A-Za-z0-9._-]{1,32}\s*$")]
    pub code: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub spec: String,
    /// Unit of measure (件, 个, 吨, 升 …).
    #[schema(min_length = 1, max_length = 16)]
    pub uom: String,
    /// The category: 1, 3, 5 or 7 digits (GB/T 38565).
    #[schema(pattern = r"^\s*[1-3](0[1-9]|[1-9][0-9]){0,3}\s*$")]
    pub category_code: String,
    #[schema(minimum = 1, maximum = 36500)]
    pub shelf_life_days: Option<i32>,
    #[serde(default)]
    pub track_expiry: bool,
    /// Price per unit in yuan, e.g. "12.50".
    #[schema(pattern = r"^\s*[0-9]{1,12}(\.[0-9]{1,2})?\s*$")]
    pub unit_price: Option<String>,
    /// Kept per batch (default true); false gives the item one standing batch.
    pub track_batches: Option<bool>,
    /// Each batch is one serial-numbered unit (default false).
    #[serde(default)]
    pub track_serial: bool,
    /// Whether quantities may have decimals (litres, tonnes). When absent it follows the unit of measure:
    /// whole pieces (台, 个, 件, 条 …) take whole numbers only.
    pub divisible: Option<bool>,
    /// Days between inspections (检查周期) of equipment that needs them (pumps, generators, boats, breathing
    /// apparatus); absent or null for other items.
    #[schema(minimum = 1, maximum = 3650)]
    pub inspection_interval_days: Option<i32>,
}

/// Changes to an item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemPatch {
    /// Days between inspections (1–3650); null: the item needs none.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 3650)]
    pub inspection_interval_days: Option<Option<i32>>,
}

/// List items.
#[utoipa::path(tag = "catalogue", params(ItemQuery), security(("bearer" = [])), responses((status = 200, body = Page<Item>)))]
#[get("/items")]
pub async fn items(api: Api, q: web::Query<ItemQuery>) -> Reply<Page<Item>> {
    let filter = ItemFilter {
        q: non_blank(&q.q),
        category: non_blank(&q.category),
        active: Some(true),
    };
    let page = PageRequest::asked(q.page, q.per_page);
    api.json(move |c| service::items(c.conn, &filter, page?))
        .await
}

/// One item.
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), responses((status = 200, body = Item)))]
#[get("/items/{id}")]
pub async fn item(api: Api, id: web::Path<i64>) -> Reply<Item> {
    let id = id.into_inner();
    api.json(move |c| service::item(c.conn, id)).await
}

/// Add an item to the catalogue (administrators, the office, warehouse keepers).
#[utoipa::path(tag = "catalogue", request_body = ItemIn, security(("bearer" = [])), responses((status = 201, body = Item)))]
#[post("/items")]
pub async fn add_item(api: Api, body: Json<ItemIn>) -> Reply<Item> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        let input = ItemInput::parse(
            &b.code,
            &b.name,
            &b.spec,
            &b.uom,
            &b.category_code,
            b.shelf_life_days,
            b.track_expiry,
            b.unit_price.as_deref(),
        )?
        .tracking(b.track_batches.unwrap_or(true), b.track_serial)?
        .divisible(b.divisible)?
        .inspection(b.inspection_interval_days)?;
        service::add_item(c.conn, c.actor, c.now, input)
    })
    .await
}

/// Change an item: how often its equipment is inspected (administrators, the office, warehouse keepers).
#[utoipa::path(tag = "catalogue", request_body = ItemPatch, security(("bearer" = [])), responses((status = 200, body = Item)))]
#[patch("/items/{id}")]
pub async fn update_item(api: Api, id: web::Path<i64>, body: Json<ItemPatch>) -> Reply<Item> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| service::update_item(c.conn, c.actor, c.now, id, b.inspection_interval_days))
        .await
}

/// A new batch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchIn {
    #[schema(min_length = 1, max_length = 64)]
    pub batch_no: String,
    #[serde(default)]
    pub maker: String,
    pub production_date: Option<NaiveDate>,
    /// Defaults to the production date plus the item's shelf life.
    pub expiry_date: Option<NaiveDate>,
    #[schema(value_type = Ownership)]
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
    #[schema(value_type = Option<Quality>)]
    pub quality: Option<String>,
}

/// Batches of an item.
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), responses((status = 200, body = Vec<Batch>)))]
#[get("/items/{id}/batches")]
pub async fn batches(api: Api, id: web::Path<i64>) -> Reply<Vec<Batch>> {
    let id = id.into_inner();
    api.json(move |c| service::batches(c.conn, id)).await
}

/// Register a batch of an item.
#[utoipa::path(tag = "catalogue", request_body = BatchIn, security(("bearer" = [])), responses((status = 201, body = Batch)))]
#[post("/items/{id}/batches")]
pub async fn add_batch(api: Api, id: web::Path<i64>, body: Json<BatchIn>) -> Reply<Batch> {
    let (id, b) = (id.into_inner(), body.0);
    api.reply(StatusCode::CREATED, move |c| {
        let input = BatchInput::parse(
            &b.batch_no,
            &b.maker,
            b.production_date,
            b.expiry_date,
            Ownership::parse(&b.ownership)?,
            b.custodian_id,
        )?;
        service::add_batch(c.conn, c.actor, c.now, id, input)
    })
    .await
}

/// Change a batch's custodian or quality state.
#[utoipa::path(tag = "catalogue", request_body = BatchPatch, security(("bearer" = [])), responses((status = 200, body = Batch)))]
#[patch("/batches/{id}")]
pub async fn update_batch(api: Api, id: web::Path<i64>, body: Json<BatchPatch>) -> Reply<Batch> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let quality = b.quality.as_deref().map(Quality::parse).transpose()?;
        service::update_batch(c.conn, c.actor, c.now, id, b.custodian_id, quality)
    })
    .await
}
