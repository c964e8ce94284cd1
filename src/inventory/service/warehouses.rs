//! Warehouses: create, edit, custodians (人物对应), reserve norms (储备定额).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::warehouse_for;
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{authorize_stock, Quantity, StockAction, WarehouseInput};
use crate::inventory::store::catalogue as cat_store;
use crate::inventory::store::warehouses::{self as store, Warehouse};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// A warehouse with its custodians, as audited and shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WarehouseView {
    #[serde(flatten)]
    pub warehouse: Warehouse,
    pub custodians: Vec<i64>,
}

fn check_custodians(conn: &mut DbConn, people: &[i64]) -> ServiceResult<()> {
    for p in people {
        if org_store::find_person(conn, *p)?.is_none_or(|p| !p.active) {
            return Err(ServiceError::invalid(
                "custodians",
                "保管责任人不存在或已停用",
                "A custodian does not exist or is inactive",
            ));
        }
    }
    Ok(())
}

/// Creates a warehouse for a unit the actor manages.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    input: WarehouseInput,
) -> ServiceResult<WarehouseView> {
    write_tx(conn, |c| {
        match org_store::find_unit(c, input.unit_id)? {
            Some(u) if u.active => {}
            _ => {
                return Err(ServiceError::invalid(
                    "unit_id",
                    "所属单位不存在或已停用",
                    "The unit does not exist or is inactive",
                ))
            }
        }
        authorize_stock(
            actor,
            StockAction::ManageWarehouse,
            input.unit_id,
            &org_store::unit_tree(c)?,
        )?;
        check_custodians(c, &input.custodians)?;
        let w = store::insert(c, &input, db_time(now)).map_err(|e| {
            let (zh, en) = (
                "已有同名储备库",
                "A warehouse with this name already exists",
            );
            ServiceError::unless_duplicate(e, zh, en)
        })?;
        let view = WarehouseView {
            custodians: input.custodians.clone(),
            warehouse: w,
        };
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "warehouse",
                view.warehouse.id,
                Some(input.unit_id),
                None,
                Some(&view),
            ),
        )?;
        Ok(view)
    })
}

/// One warehouse the actor may see.
pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<WarehouseView> {
    let warehouse = warehouse_for(conn, actor, id, StockAction::View)?;
    Ok(WarehouseView {
        custodians: store::custodians(conn, id)?,
        warehouse,
    })
}

/// Replaces a warehouse's custodians; there must always be at least one.
pub fn set_custodians(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    mut people: Vec<i64>,
) -> ServiceResult<WarehouseView> {
    people.sort_unstable();
    people.dedup();
    if people.is_empty() {
        return Err(ServiceError::invalid(
            "custodians",
            "每个储备库至少要有一名保管责任人",
            "Every warehouse needs at least one named custodian",
        ));
    }
    write_tx(conn, |c| {
        let w = warehouse_for(c, actor, id, StockAction::ManageWarehouse)?;
        check_custodians(c, &people)?;
        let before = WarehouseView {
            custodians: store::custodians(c, id)?,
            warehouse: w.clone(),
        };
        store::set_custodians(c, id, &people)?;
        let after = WarehouseView {
            custodians: people.clone(),
            warehouse: w,
        };
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "warehouse",
                id,
                Some(after.warehouse.unit_id),
                Some(&before),
                Some(&after),
            ),
        )?;
        Ok(after)
    })
}

/// Records where a warehouse is (latitude, longitude; `None` forgets it), so the sourcing view can put the
/// nearest first: those who manage the warehouse.
pub fn set_coordinates(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    at: Option<(f64, f64)>,
) -> ServiceResult<WarehouseView> {
    write_tx(conn, |c| {
        let w = warehouse_for(c, actor, id, StockAction::ManageWarehouse)?;
        crate::inventory::model::check_kept_by_hand(w.kind, &w.name)?;
        let custodians = store::custodians(c, id)?;
        let before = WarehouseView {
            custodians: custodians.clone(),
            warehouse: w,
        };
        let after = WarehouseView {
            custodians,
            warehouse: store::set_coordinates(c, id, at, db_time(now))?,
        };
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "warehouse",
                id,
                Some(after.warehouse.unit_id),
                Some(&before),
                Some(&after),
            ),
        )?;
        Ok(after)
    })
}

/// Sets the reserve norm (required quantity) of an item in a warehouse; zero removes it.
pub fn set_norm(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    item_id: i64,
    required: Quantity,
) -> ServiceResult<()> {
    write_tx(conn, |c| {
        let w = warehouse_for(c, actor, id, StockAction::ManageWarehouse)?;
        if cat_store::find_item(c, item_id)?.is_none() {
            return Err(ServiceError::invalid(
                "item_id",
                "该物资不存在",
                "No such item",
            ));
        }
        store::set_norm(c, id, item_id, required.milli())?;
        let change = Change {
            entity: "reserve_norm",
            entity_id: Some(item_id),
            unit_id: Some(w.unit_id),
            action: "update",
            before: None,
            after: Some(
                serde_json::json!({"warehouse_id": id, "item_id": item_id, "required": required.to_string()}),
            ),
        };
        audit::record(c, Some(actor), now, change)?;
        Ok(())
    })
}

/// Records where a batch lies in a warehouse (shelf, bin, zone), so count sheets can follow the layout.
pub fn set_bin(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    batch_id: i64,
    bin: &str,
) -> ServiceResult<()> {
    let bin = crate::org::model::optional_text("bin", bin, 32)?;
    write_tx(conn, |c| {
        let w = warehouse_for(c, actor, id, StockAction::Move)?;
        let before = crate::inventory::store::ledger::bin_of(c, id, batch_id)?;
        if !crate::inventory::store::ledger::set_bin(c, id, batch_id, &bin)? {
            return Err(ServiceError::not_found(
                "该储备库中这个批次的库存",
                "Stock of this batch in this warehouse",
            ));
        }
        let change = Change {
            entity: "warehouse",
            entity_id: Some(id),
            unit_id: Some(w.unit_id),
            action: "update",
            before: Some(serde_json::json!({"batch_id": batch_id, "bin": before})),
            after: Some(serde_json::json!({"batch_id": batch_id, "bin": bin})),
        };
        audit::record(c, Some(actor), now, change)
    })
}

/// Names who keeps a batch's stock in a warehouse (人物对应); `None` leaves it to the warehouse's custodians.
/// Reminders about that stock (expiry) go to this person.
pub fn set_custodian(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    batch_id: i64,
    person_id: Option<i64>,
) -> ServiceResult<()> {
    write_tx(conn, |c| {
        let w = warehouse_for(c, actor, id, StockAction::Move)?;
        if let Some(p) = person_id {
            if org_store::find_person(c, p)?.is_none_or(|p| !p.active) {
                return Err(ServiceError::invalid(
                    "custodian_id",
                    "保管责任人不存在或已停用",
                    "The custodian does not exist or is inactive",
                ));
            }
        }
        let before = crate::inventory::store::ledger::custodian_of(c, id, batch_id)?;
        if !crate::inventory::store::ledger::set_custodian(c, id, batch_id, person_id)? {
            return Err(ServiceError::not_found(
                "该储备库中这个批次的库存",
                "Stock of this batch in this warehouse",
            ));
        }
        let change = Change {
            entity: "warehouse",
            entity_id: Some(id),
            unit_id: Some(w.unit_id),
            action: "update",
            before: Some(serde_json::json!({"batch_id": batch_id, "custodian_id": before})),
            after: Some(serde_json::json!({"batch_id": batch_id, "custodian_id": person_id})),
        };
        audit::record(c, Some(actor), now, change)
    })
}
