//! Reading a warehouse's stock: the balances by item and batch, and first-expiry-first-out suggestions for
//! an issue. Each read checks the caller may see the warehouse first, and hides the book from the people
//! counting it blind.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{book_hidden_for, check_book_visible, warehouse_for};
use crate::clock::today;
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::inventory::model::{fefo, OnHand, Quality, Quantity, StockAction};
use crate::inventory::store::ledger::{self as ledger_store, StockRow};
use crate::org::model::Actor;

/// A warehouse's stock as the caller may see it.
#[derive(Debug, Clone)]
pub struct Stock {
    pub rows: Vec<StockRow>,
    /// A blind count is open and the caller counts: the quantities are not to be shown.
    pub book_hidden: bool,
}

/// The stock of a warehouse the actor may see, by item and batch (earliest expiry first).
pub fn stock(
    conn: &mut DbConn,
    actor: &Actor,
    warehouse_id: i64,
    item_id: Option<i64>,
    text: Option<&str>,
) -> ServiceResult<Stock> {
    let w = warehouse_for(conn, actor, warehouse_id, StockAction::View)?;
    Ok(Stock {
        book_hidden: book_hidden_for(conn, actor, &w)?,
        rows: ledger_store::stock(conn, warehouse_id, item_id, text)?,
    })
}

/// A batch and quantity suggested for an issue.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub batch_id: i64,
    /// An exact decimal, e.g. "12.5".
    pub qty: String,
}

/// Which batches to issue `needed` of an item from: first expiry first out, usable stock in good state (not
/// needing repair) only. Refused while the caller counts the warehouse blind (the suggestion would show the
/// book).
pub fn suggest(
    conn: &mut DbConn,
    actor: &Actor,
    warehouse_id: i64,
    item_id: i64,
    needed: Quantity,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<Vec<Suggestion>> {
    let w = warehouse_for(conn, actor, warehouse_id, StockAction::View)?;
    check_book_visible(conn, actor, &w)?;
    let on_hand = ledger_store::stock(conn, warehouse_id, Some(item_id), None)?
        .into_iter()
        .filter(|r| r.quality == Quality::Good && !r.needs_repair)
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
