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

/// A warehouse holding an item, as the sourcing view shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StockHolder {
    pub warehouse_id: i64,
    pub warehouse: String,
    pub unit_id: i64,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Everything of the item on the book here.
    #[schema(value_type = String)]
    pub on_hand: Quantity,
    /// What may be drawn: good, not expired, not needing repair, not reserved.
    #[schema(value_type = String)]
    pub usable: Quantity,
    /// Found needing repair (待修): only an emergency order may draw it.
    #[schema(value_type = String)]
    pub needs_repair: Quantity,
    /// Being counted: only an emergency order may draw it now.
    pub counting: bool,
    /// Who keeps it, with phone numbers (人物对应).
    pub custodians: Vec<(String, String)>,
}

/// Every warehouse people keep that holds an item, with what may be drawn from each (for those who ask for
/// stock across the district; the caller checks who may).
pub fn holders(
    conn: &mut DbConn,
    item_id: i64,
    today: chrono::NaiveDate,
) -> ServiceResult<Vec<StockHolder>> {
    use std::collections::BTreeMap;
    let mut by: BTreeMap<i64, (Quantity, Quantity, Quantity)> = BTreeMap::new();
    for h in ledger_store::holdings(conn, item_id)? {
        let e = by.entry(h.warehouse_id).or_default();
        let qty = Quantity::from_milli(h.qty);
        e.0 = e.0.checked_add(qty).unwrap_or(e.0);
        if h.needs_repair {
            e.2 = e.2.checked_add(qty).unwrap_or(e.2);
        } else if h.quality == Quality::Good && h.expiry_date.is_none_or(|d| d >= today) {
            let free = Quantity::from_milli(h.qty - h.reserved);
            e.1 = e.1.checked_add(free).unwrap_or(e.1);
        }
    }
    let ids: Vec<i64> = by.keys().copied().collect();
    let counting = crate::inventory::store::stocktakes::counting_warehouses(conn)?;
    let mut keepers = crate::inventory::store::warehouses::custodians_of(conn, &ids)?;
    let mut out = Vec::with_capacity(ids.len());
    for w in crate::inventory::store::warehouses::find_many(conn, &ids)? {
        let (on_hand, usable, needs_repair) = by.get(&w.id).copied().unwrap_or_default();
        out.push(StockHolder {
            warehouse_id: w.id,
            unit_id: w.unit_id,
            latitude: w.latitude,
            longitude: w.longitude,
            on_hand,
            usable,
            needs_repair,
            counting: counting.contains(&w.id),
            custodians: keepers.remove(&w.id).unwrap_or_default(),
            warehouse: w.name,
        });
    }
    Ok(out)
}
