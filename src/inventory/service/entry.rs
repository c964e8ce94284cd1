//! What a keeper picks from when recording a movement: the batches on hand (for an issue, earliest expiry
//! first, expired, near-expiry and needing-repair ones marked) or every batch of the catalogue (for a
//! receipt), and the warehouses a transfer may go to.

use chrono::{DateTime, Utc};

use super::{book_hidden_for, catalogue, warehouse_for};
use crate::clock::today;
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::inventory::model::{
    expires_within, fefo_order, is_expired, Direction, MovementKind, Quantity, StockAction,
};
use crate::inventory::store::ledger as ledger_store;
use crate::inventory::store::warehouses::{self as wh_store, Warehouse};
use crate::inventory::store::{catalogue as cat_store, stocktakes as st_store};
use crate::org::model::Actor;

/// Days before expiry a batch is marked as near expiry on the forms.
const NEAR_EXPIRY_DAYS: i64 = 30;

/// What the movement form offers.
#[derive(Debug, Clone)]
pub struct EntryOptions {
    pub warehouse: Warehouse,
    /// (batch id, label) in the order to offer them.
    pub batches: Vec<(i64, String)>,
    /// (warehouse id, name) a transfer may go to; a warehouse being counted says so.
    pub destinations: Vec<(i64, String)>,
    /// (item id, label) a new batch may be of (receipts), batch-tracked items only.
    pub items: Vec<(i64, String)>,
    /// The count under way in this warehouse, if any: only emergency issues move its stock meanwhile.
    pub counting: Option<i64>,
}

/// The choices for recording a movement of `kind` in warehouse `id` (the actor must be allowed to move its
/// stock). Labels are in `lang`.
pub fn options(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    kind: MovementKind,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<EntryOptions> {
    let warehouse = warehouse_for(conn, actor, id, StockAction::Move)?;
    let hidden = book_hidden_for(conn, actor, &warehouse)?;
    let lang = actor.lang;
    let day = today(now, tz);
    let batches = if kind.direction() != Direction::In {
        let mut stock = ledger_store::stock(conn, id, None, None)?;
        // Across the whole list, not per item: the batch to use first is on top.
        stock.sort_by_key(|s| fefo_order(s.expiry_date, s.batch_id));
        stock
            .into_iter()
            .filter(|s| s.qty > 0)
            .map(|s| {
                let mut mark = match s.expiry_date {
                    Some(_) if is_expired(s.expiry_date, day) => marker(lang, "已过期", "expired"),
                    Some(_) if expires_within(s.expiry_date, day, NEAR_EXPIRY_DAYS) => {
                        marker(lang, "临期", "expiring")
                    }
                    _ => String::new(),
                };
                if s.needs_repair {
                    mark.push_str(&marker(
                        lang,
                        "待修，仅限紧急出库",
                        "needs repair: emergency only",
                    ));
                }
                let expiry = s.expiry_date.map(|e| format!(" →{e}")).unwrap_or_default();
                let qty = match hidden {
                    true => String::new(),
                    false => format!(" · {} {}", Quantity::from_milli(s.qty), s.uom),
                };
                let label = format!(
                    "{} {} · {}{expiry}{mark}{qty}",
                    s.item_code, s.item_name, s.batch_no
                );
                (s.batch_id, label)
            })
            .collect()
    } else {
        catalogue::batch_labels(conn, None)?
            .into_iter()
            .map(|b| {
                let expiry = b.expiry_date.map(|e| format!(" →{e}")).unwrap_or_default();
                (
                    b.batch_id,
                    format!("{} {} · {}{expiry}", b.item_code, b.item_name, b.batch_no),
                )
            })
            .collect()
    };
    // A transfer may go to any active warehouse of the district (it is received there); other kinds have none.
    let mut destinations = Vec::new();
    if kind == MovementKind::TransferOut {
        for d in wh_store::all(conn)?
            .into_iter()
            .filter(|d| d.id != id && d.active)
        {
            let counted = st_store::open_of(conn, d.id)?.is_some();
            let label = match counted {
                true => format!(
                    "{}{}",
                    d.name,
                    marker(
                        lang,
                        "盘点中，仅收紧急调拨",
                        "being counted: emergency transfers only"
                    )
                ),
                false => d.name,
            };
            destinations.push((d.id, label));
        }
    }
    let items = if kind.direction() == Direction::In {
        cat_store::batch_tracked_items(conn)?
            .into_iter()
            .map(|i| (i.id, format!("{} {} ({})", i.code, i.name, i.uom)))
            .collect()
    } else {
        Vec::new()
    };
    Ok(EntryOptions {
        counting: st_store::open_of(conn, id)?.map(|s| s.id),
        warehouse,
        batches,
        destinations,
        items,
    })
}

fn marker(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => format!("【{zh}】"),
        Lang::En => format!(" [{en}]"),
    }
}
