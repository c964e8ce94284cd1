//! Categories, items and batches.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{batches, item_categories, items};
use crate::db::{unique, DbConn, MultiBackend, WriteResult};
use crate::inventory::model::{BatchInput, ItemInput, Ownership, Quality};
use crate::org::store::contains;
use crate::pagination::{Page, PageRequest};

/// A category of the GB/T 38565 tree.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = item_categories)]
pub struct Category {
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    pub level: i32,
}

/// A catalogue item.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = items)]
pub struct Item {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub spec: String,
    pub uom: String,
    pub category_code: String,
    pub shelf_life_days: Option<i32>,
    pub track_expiry: bool,
    pub track_batches: bool,
    pub track_serial: bool,
    pub unit_price_fen: Option<i64>,
    pub active: bool,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
    /// Its unit may be split (litres, tonnes); false: whole pieces only (台, 个).
    pub divisible: bool,
    /// Days between inspections (检查周期) of equipment that needs them; null for other items.
    pub inspection_interval_days: Option<i32>,
}

/// A batch (lot) of an item.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = batches)]
pub struct Batch {
    pub id: i64,
    pub item_id: i64,
    pub batch_no: String,
    pub maker: String,
    pub production_date: Option<NaiveDate>,
    pub expiry_date: Option<NaiveDate>,
    pub ownership: Ownership,
    pub custodian_id: Option<i64>,
    pub quality: Quality,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// Its last inspection found it needing repair (待修): not issued, loaned, transferred or reserved until
    /// repaired, except by an emergency issue.
    pub needs_repair: bool,
}

/// All categories by code.
pub fn categories(conn: &mut DbConn) -> QueryResult<Vec<Category>> {
    item_categories::table
        .order(item_categories::code.asc())
        .select(Category::as_select())
        .load(conn)
}

/// One category.
pub fn find_category(conn: &mut DbConn, code: &str) -> QueryResult<Option<Category>> {
    item_categories::table
        .find(code)
        .select(Category::as_select())
        .first(conn)
        .optional()
}

/// Adds a category.
pub fn insert_category(
    conn: &mut DbConn,
    code: &str,
    name: &str,
    parent: Option<&str>,
    level: i32,
) -> QueryResult<Category> {
    diesel::insert_into(item_categories::table)
        .values((
            item_categories::code.eq(code),
            item_categories::name.eq(name),
            item_categories::parent_code.eq(parent),
            item_categories::level.eq(level),
        ))
        .returning(item_categories::all_columns)
        .get_result(conn)
}

/// Item list filters.
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    pub q: Option<String>,
    pub category: Option<String>,
    pub active: Option<bool>,
}

fn items_filtered(f: &ItemFilter) -> items::BoxedQuery<'static, MultiBackend> {
    let mut q = items::table.into_boxed();
    if let Some(text) = &f.q {
        let p = contains(text);
        q = q.filter(
            items::name
                .like(p.clone())
                .escape('\\')
                .or(items::code.like(p).escape('\\')),
        );
    }
    if let Some(c) = &f.category {
        q = q.filter(items::category_code.like(format!("{c}%")));
    }
    if let Some(a) = f.active {
        q = q.filter(items::active.eq(a));
    }
    q
}

/// One page of items by code.
pub fn list_items(conn: &mut DbConn, f: &ItemFilter, page: PageRequest) -> QueryResult<Page<Item>> {
    let total = items_filtered(f).count().get_result(conn)?;
    let rows = items_filtered(f)
        .order(items::code.asc())
        .offset(page.offset())
        .limit(page.per_page)
        .select(Item::as_select())
        .load(conn)?;
    Ok(Page::new(rows, total, page))
}

/// One item.
pub fn find_item(conn: &mut DbConn, id: i64) -> QueryResult<Option<Item>> {
    items::table
        .find(id)
        .select(Item::as_select())
        .first(conn)
        .optional()
}

/// The items `ids` (one query for a voucher's lines).
pub fn find_items(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Item>> {
    items::table
        .filter(items::id.eq_any(ids))
        .select(Item::as_select())
        .load(conn)
}

/// One item by code.
pub fn find_item_by_code(conn: &mut DbConn, code: &str) -> QueryResult<Option<Item>> {
    items::table
        .filter(items::code.eq(code))
        .select(Item::as_select())
        .first(conn)
        .optional()
}

/// Adds an item.
pub fn insert_item(conn: &mut DbConn, i: &ItemInput, now: NaiveDateTime) -> QueryResult<Item> {
    diesel::insert_into(items::table)
        .values((
            items::code.eq(&i.code),
            items::name.eq(&i.name),
            items::spec.eq(&i.spec),
            items::uom.eq(&i.uom),
            items::category_code.eq(i.category.as_str()),
            items::shelf_life_days.eq(i.shelf_life_days),
            items::track_expiry.eq(i.track_expiry),
            items::track_batches.eq(i.track_batches),
            items::track_serial.eq(i.track_serial),
            items::unit_price_fen.eq(i.unit_price_fen),
            items::divisible.eq(i.divisible),
            items::inspection_interval_days.eq(i.inspection_interval_days),
            items::active.eq(true),
            items::created_at.eq(now),
            items::updated_at.eq(now),
        ))
        .returning(items::all_columns)
        .get_result(conn)
}

/// Sets the days between inspections of an item (none: it needs no inspection).
pub fn set_inspection_interval(
    conn: &mut DbConn,
    id: i64,
    days: Option<i32>,
    now: NaiveDateTime,
) -> QueryResult<Item> {
    diesel::update(items::table.find(id))
        .set((
            items::inspection_interval_days.eq(days),
            items::updated_at.eq(now),
        ))
        .returning(items::all_columns)
        .get_result(conn)
}

/// Active items kept by batch, by code (what a receipt may add a new batch of).
pub fn batch_tracked_items(conn: &mut DbConn) -> QueryResult<Vec<Item>> {
    items::table
        .filter(items::active.eq(true))
        .filter(items::track_batches.eq(true))
        .order(items::code.asc())
        .select(Item::as_select())
        .load(conn)
}

/// Batches of an item, newest first.
pub fn batches_of(conn: &mut DbConn, item_id: i64) -> QueryResult<Vec<Batch>> {
    batches::table
        .filter(batches::item_id.eq(item_id))
        .order(batches::id.desc())
        .select(Batch::as_select())
        .load(conn)
}

/// Batches by id.
pub fn find_batches(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Batch>> {
    batches::table
        .filter(batches::id.eq_any(ids))
        .select(Batch::as_select())
        .load(conn)
}

/// One batch.
pub fn find_batch(conn: &mut DbConn, id: i64) -> QueryResult<Option<Batch>> {
    batches::table
        .find(id)
        .select(Batch::as_select())
        .first(conn)
        .optional()
}

/// Adds a batch.
pub fn insert_batch(
    conn: &mut DbConn,
    item_id: i64,
    b: &BatchInput,
    now: NaiveDateTime,
) -> WriteResult<Batch> {
    unique(
        diesel::insert_into(batches::table)
            .values((
                batches::item_id.eq(item_id),
                batches::batch_no.eq(&b.batch_no),
                batches::maker.eq(&b.maker),
                batches::production_date.eq(b.production_date),
                batches::expiry_date.eq(b.expiry_date),
                batches::ownership.eq(b.ownership),
                batches::custodian_id.eq(b.custodian_id),
                batches::quality.eq(Quality::Good),
                batches::created_at.eq(now),
            ))
            .returning(batches::all_columns)
            .get_result(conn),
    )
}

/// Changes a batch's custodian or quality state.
pub fn update_batch(
    conn: &mut DbConn,
    id: i64,
    custodian_id: Option<i64>,
    quality: Quality,
) -> QueryResult<Batch> {
    diesel::update(batches::table.find(id))
        .set((
            batches::custodian_id.eq(custodian_id),
            batches::quality.eq(quality),
        ))
        .returning(batches::all_columns)
        .get_result(conn)
}

/// What a person needs to recognise a batch on a voucher or count sheet.
#[derive(Debug, Clone, Default, Queryable, Serialize)]
pub struct BatchLabel {
    pub batch_id: i64,
    pub item_id: i64,
    pub item_code: String,
    pub item_name: String,
    pub spec: String,
    pub uom: String,
    pub unit_price_fen: Option<i64>,
    pub batch_no: String,
    pub expiry_date: Option<NaiveDate>,
    pub category_code: String,
}

/// Labels of the given batches, or of every batch when `ids` is `None` (for pickers).
pub fn batch_labels(conn: &mut DbConn, ids: Option<&[i64]>) -> QueryResult<Vec<BatchLabel>> {
    let mut q = batches::table
        .inner_join(items::table)
        .into_boxed::<MultiBackend>();
    if let Some(ids) = ids {
        q = q.filter(batches::id.eq_any(ids.to_vec()));
    }
    q.order((
        items::code.asc(),
        batches::expiry_date.asc(),
        batches::id.asc(),
    ))
    .select((
        batches::id,
        items::id,
        items::code,
        items::name,
        items::spec,
        items::uom,
        items::unit_price_fen,
        batches::batch_no,
        batches::expiry_date,
        items::category_code,
    ))
    .load(conn)
}
