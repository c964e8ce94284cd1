//! The district-wide catalogue: categories, items, batches.

use chrono::{DateTime, Utc};

use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{
    authorize_catalogue, check_inspection_interval, BatchInput, CategoryCode, ItemInput, Ownership,
    Quality, UNBATCHED,
};
use crate::inventory::store::catalogue::{self as store, Batch, Category, Item, ItemFilter};
use crate::org::model::{required_text, Actor};
use crate::pagination::{Page, PageRequest};

/// All categories.
pub fn categories(conn: &mut DbConn) -> ServiceResult<Vec<Category>> {
    Ok(store::categories(conn)?)
}

/// Adds a lower-level category under an existing parent (the three top classes ship with the product).
pub fn add_category(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    code: &str,
    name: &str,
) -> ServiceResult<Category> {
    authorize_catalogue(actor)?;
    let code = CategoryCode::parse(code)?;
    let name = required_text("name", name, 100)?;
    let parent = code.parent().ok_or_else(|| {
        ServiceError::invalid(
            "category_code",
            "一级分类由国家标准规定，不能新增",
            "Level-1 classes are fixed by the standard",
        )
    })?;
    write_tx(conn, |c| {
        if store::find_category(c, parent.as_str())?.is_none() {
            return Err(ServiceError::invalid(
                "category_code",
                "上级分类不存在，请先添加上级分类",
                "The parent category does not exist; add it first",
            ));
        }
        if store::find_category(c, code.as_str())?.is_some() {
            return Err(ServiceError::conflict(
                "该分类代码已存在",
                "This category code already exists",
            ));
        }
        let cat =
            store::insert_category(c, code.as_str(), &name, Some(parent.as_str()), code.level())?;
        let change = Change {
            entity: "category",
            entity_id: None,
            unit_id: None,
            action: "create",
            before: None,
            after: serde_json::to_value(&cat).ok(),
        };
        audit::record(c, Some(actor), now, change)?;
        Ok(cat)
    })
}

/// Items matching a filter.
pub fn items(conn: &mut DbConn, f: &ItemFilter, page: PageRequest) -> ServiceResult<Page<Item>> {
    Ok(store::list_items(conn, f, page)?)
}

/// One item.
pub fn item(conn: &mut DbConn, id: i64) -> ServiceResult<Item> {
    store::find_item(conn, id)?.ok_or_else(|| ServiceError::not_found("该物资", "Item"))
}

/// Adds an item to the catalogue.
pub fn add_item(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    input: ItemInput,
) -> ServiceResult<Item> {
    authorize_catalogue(actor)?;
    write_tx(conn, |c| {
        if store::find_category(c, input.category.as_str())?.is_none() {
            return Err(ServiceError::invalid(
                "category_code",
                "该分类不存在",
                "No such category",
            ));
        }
        if store::find_item_by_code(c, &input.code)?.is_some() {
            return Err(ServiceError::conflict(
                "该物资编码已存在",
                "This item code already exists",
            ));
        }
        let item = store::insert_item(c, &input, db_time(now))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("item", item.id, None, None, Some(&item)),
        )?;
        if !item.track_batches {
            let standing =
                BatchInput::parse(UNBATCHED, "", None, None, Ownership::Government, None)?;
            store::insert_batch(c, item.id, &standing, db_time(now))?;
        }
        Ok(item)
    })
}

/// Changes an item: how often its equipment is inspected (检查周期), `Some(None)` when it is not; `None`
/// leaves it as it is. Audited.
pub fn update_item(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    inspection_interval_days: Option<Option<i32>>,
) -> ServiceResult<Item> {
    authorize_catalogue(actor)?;
    let Some(days) = inspection_interval_days else {
        return item(conn, id);
    };
    let days = check_inspection_interval(days)?;
    write_tx(conn, |c| {
        let before = item(c, id)?;
        let after = store::set_inspection_interval(c, id, days, db_time(now))?;
        let change = Change::of("item", id, None, Some(&before), Some(&after));
        audit::record(c, Some(actor), now, change)?;
        Ok(after)
    })
}

/// Batches of an item.
pub fn batches(conn: &mut DbConn, item_id: i64) -> ServiceResult<Vec<Batch>> {
    item(conn, item_id)?;
    Ok(store::batches_of(conn, item_id)?)
}

/// Registers a batch of an item (before its first receipt).
pub fn add_batch(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    item_id: i64,
    input: BatchInput,
) -> ServiceResult<Batch> {
    authorize_catalogue(actor)?;
    write_tx(conn, |c| {
        let it = item(c, item_id)?;
        if !it.track_batches {
            return Err(ServiceError::conflict(
                "该物资不分批次管理，不能登记批次",
                "This item is not tracked by batch; it has no batches to register",
            ));
        }
        let input = input
            .clone()
            .for_item(it.shelf_life_days, it.track_expiry)?;
        if let Some(p) = input.custodian_id {
            if crate::org::store::find_person(c, p)?.is_none_or(|p| !p.active) {
                return Err(ServiceError::invalid(
                    "custodian_id",
                    "保管责任人不存在或已停用",
                    "The custodian does not exist or is inactive",
                ));
            }
        }
        let batch = store::insert_batch(c, item_id, &input, db_time(now)).map_err(|e| {
            let (zh, en) = (
                "该物资已有此批号",
                "This item already has a batch with this number",
            );
            ServiceError::unless_duplicate(e, zh, en)
        })?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("batch", batch.id, None, None, Some(&batch)),
        )?;
        Ok(batch)
    })
}

/// Changes who answers for a batch, or its quality state.
pub fn update_batch(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    custodian_id: Option<Option<i64>>,
    quality: Option<Quality>,
) -> ServiceResult<Batch> {
    authorize_catalogue(actor)?;
    write_tx(conn, |c| {
        let before =
            store::find_batch(c, id)?.ok_or_else(|| ServiceError::not_found("该批次", "Batch"))?;
        let custodian = custodian_id.unwrap_or(before.custodian_id);
        if let Some(p) = custodian {
            if crate::org::store::find_person(c, p)?.is_none_or(|p| !p.active) {
                return Err(ServiceError::invalid(
                    "custodian_id",
                    "保管责任人不存在或已停用",
                    "The custodian does not exist or is inactive",
                ));
            }
        }
        let after = store::update_batch(c, id, custodian, quality.unwrap_or(before.quality))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("batch", id, None, Some(&before), Some(&after)),
        )?;
        Ok(after)
    })
}

/// Labels of batches (all of them when `ids` is `None`).
pub fn batch_labels(
    conn: &mut DbConn,
    ids: Option<&[i64]>,
) -> ServiceResult<Vec<store::BatchLabel>> {
    Ok(store::batch_labels(conn, ids)?)
}
