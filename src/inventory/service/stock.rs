//! Reading a warehouse's stock: the balances by item and batch, and first-expiry-first-out suggestions for
//! an issue. Each read checks the caller may see the warehouse first.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::warehouse_for;
use crate::clock::today;
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::inventory::model::{fefo, OnHand, Quality, Quantity, StockAction};
use crate::inventory::store::ledger::{self as ledger_store, StockRow};
use crate::org::model::Actor;

/// The stock of a warehouse the actor may see, by item and batch (earliest expiry first).
pub fn stock(
    conn: &mut DbConn,
    actor: &Actor,
    warehouse_id: i64,
    item_id: Option<i64>,
    text: Option<&str>,
) -> ServiceResult<Vec<StockRow>> {
    warehouse_for(conn, actor, warehouse_id, StockAction::View)?;
    Ok(ledger_store::stock(conn, warehouse_id, item_id, text)?)
}

/// A batch and quantity suggested for an issue.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub batch_id: i64,
    /// An exact decimal, e.g. "12.5".
    pub qty: String,
}

/// Which batches to issue `needed` of an item from: first expiry first out, usable stock in good state only.
pub fn suggest(
    conn: &mut DbConn,
    actor: &Actor,
    warehouse_id: i64,
    item_id: i64,
    needed: Quantity,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<Vec<Suggestion>> {
    let on_hand = stock(conn, actor, warehouse_id, Some(item_id), None)?
        .into_iter()
        .filter(|r| r.quality == Quality::Good)
        .map(|r| OnHand {
            batch_id: r.batch_id,
            expiry: r.expiry_date,
            qty: Quantity::from_milli(r.qty),
        })
        .collect();
    Ok(fefo(on_hand, needed, today(now, tz))
        .into_iter()
        .map(|(batch_id, qty)| Suggestion {
            batch_id,
            qty: qty.to_string(),
        })
        .collect())
}
