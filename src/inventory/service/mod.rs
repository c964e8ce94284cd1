//! Reserve use cases, one transaction each: load, apply the model's rules, persist, audit.

pub mod catalogue;
pub mod corrections;
pub mod dashboard;
pub mod entry;
pub mod export;
pub mod import;
pub mod inspections;
pub mod ledger;
mod posting;
pub mod reservations;
pub mod stock;
pub mod stocktakes;
pub mod transit;
pub mod verify;
pub mod warehouses;

use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{authorize_stock, book_hidden, StockAction};
use crate::inventory::store::warehouses::{self as wh_store, Warehouse};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// Loads a warehouse the actor may act on in this way (404 when it does not exist).
pub fn warehouse_for(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    action: StockAction,
) -> ServiceResult<Warehouse> {
    let w = wh_store::find(conn, id)?
        .ok_or_else(|| ServiceError::not_found("该储备库", "Warehouse"))?;
    authorize_stock(actor, action, w.unit_id, &*org_store::tree_of(conn, actor)?)?;
    Ok(w)
}

/// The warehouses the actor may see.
pub fn visible_warehouses(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<Warehouse>> {
    let tree = org_store::tree_of(conn, actor)?;
    Ok(wh_store::all(conn)?
        .into_iter()
        .filter(|w| authorize_stock(actor, StockAction::View, w.unit_id, &tree).is_ok())
        .collect())
}

/// Every ledger location the actor may see: the warehouses and the in-transit locations (verification).
pub fn visible_locations(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<Warehouse>> {
    let tree = org_store::tree_of(conn, actor)?;
    Ok(wh_store::every(conn)?
        .into_iter()
        .filter(|w| authorize_stock(actor, StockAction::View, w.unit_id, &tree).is_ok())
        .collect())
}

/// Whether the book of warehouse `w` is hidden from the actor now (a blind count is open and the actor is
/// not one who may approve it).
pub fn book_hidden_for(conn: &mut DbConn, actor: &Actor, w: &Warehouse) -> ServiceResult<bool> {
    Ok(book_hidden(
        blind_count_open(conn, w.id)?,
        may(conn, actor, w, StockAction::Approve)?,
    ))
}

/// The stocktake open in the warehouse, if any.
pub fn open_count(conn: &mut DbConn, warehouse_id: i64) -> ServiceResult<Option<i64>> {
    Ok(crate::inventory::store::stocktakes::open_of(conn, warehouse_id)?.map(|s| s.id))
}

/// Whether a blind count is open in the warehouse.
pub fn blind_count_open(conn: &mut DbConn, warehouse_id: i64) -> ServiceResult<bool> {
    Ok(crate::inventory::store::stocktakes::open_of(conn, warehouse_id)?.is_some_and(|s| s.blind))
}

/// Refuses to show a warehouse's book to the people counting it blind.
pub fn check_book_visible(conn: &mut DbConn, actor: &Actor, w: &Warehouse) -> ServiceResult<()> {
    if book_hidden_for(conn, actor, w)? {
        return Err(ServiceError::conflict(
            format!("“{}”正在盲盘，盘点结束前不显示账面数量", w.name),
            format!(
                "“{}” is being counted blind; the book is not shown until the count ends",
                w.name
            ),
        ));
    }
    Ok(())
}

/// Whether the actor may act on the warehouse in this way now (pages ask this to show only what the account
/// may do; the use cases ask `warehouse_for`, which applies the same rule).
pub fn may(
    conn: &mut DbConn,
    actor: &Actor,
    w: &Warehouse,
    action: StockAction,
) -> ServiceResult<bool> {
    Ok(authorize_stock(actor, action, w.unit_id, &*org_store::tree_of(conn, actor)?).is_ok())
}
