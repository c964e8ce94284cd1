//! Reserve use cases, one transaction each: load, apply the model's rules, persist, audit.

pub mod catalogue;
pub mod corrections;
pub mod dashboard;
pub mod entry;
pub mod export;
pub mod import;
pub mod ledger;
pub mod stock;
pub mod stocktakes;
pub mod verify;
pub mod warehouses;

use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{authorize_stock, StockAction};
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
    authorize_stock(actor, action, w.unit_id, &org_store::unit_tree(conn)?)?;
    Ok(w)
}

/// The warehouses the actor may see.
pub fn visible_warehouses(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<Warehouse>> {
    let tree = org_store::unit_tree(conn)?;
    Ok(wh_store::all(conn)?
        .into_iter()
        .filter(|w| authorize_stock(actor, StockAction::View, w.unit_id, &tree).is_ok())
        .collect())
}

/// Whether the actor may act on the warehouse in this way now (pages ask this to show only what the account
/// may do; the use cases ask `warehouse_for`, which applies the same rule).
pub fn may(
    conn: &mut DbConn,
    actor: &Actor,
    w: &Warehouse,
    action: StockAction,
) -> ServiceResult<bool> {
    Ok(authorize_stock(actor, action, w.unit_id, &org_store::unit_tree(conn)?).is_ok())
}
