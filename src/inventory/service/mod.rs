//! Reserve use cases, one transaction each: load, apply the model's rules, persist, audit.

pub mod catalogue;
pub mod corrections;
pub mod dashboard;
pub mod export;
pub mod import;
pub mod ledger;
pub mod stocktakes;
pub mod verify;
pub mod warehouses;

use chrono::{DateTime, NaiveDate, Utc};

use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{authorize_stock, is_expired, Quantity, StockAction};
use crate::inventory::store::ledger::StockRow;
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

/// How much of an item in these stock rows is still usable on `day` (expired stock does not count towards
/// a reserve norm).
pub fn usable_on_hand(stock: &[StockRow], item_id: i64, day: NaiveDate) -> Quantity {
    Quantity::from_milli(
        stock
            .iter()
            .filter(|s| s.item_id == item_id && !is_expired(s.expiry_date, day))
            .map(|s| s.qty)
            .sum(),
    )
}

/// The office's calendar day at `now`.
pub fn today(now: DateTime<Utc>, tz: chrono_tz::Tz) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}
