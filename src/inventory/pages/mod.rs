//! Keeper pages: the dashboard, a warehouse's stock, movement forms and vouchers, the countersign queue,
//! stocktake entry (made for a phone), the printable count sheet, equipment inspections, the catalogue,
//! verification, goods on the road and counting them in.

mod catalogue;
pub mod consignments;
mod inspections;
mod movements;
mod reservations;
mod sheets;
mod stocktakes;
mod vouchers;
mod warehouses;

use std::collections::HashMap;

use actix_web::web;

use crate::i18n::Lang;
use crate::inventory::store::catalogue::BatchLabel;
use crate::inventory::store::ledger::Movement;
use crate::web::context::local_time;

/// Registers the pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    warehouses::routes(cfg);
    movements::routes(cfg);
    reservations::routes(cfg);
    inspections::routes(cfg);
    stocktakes::routes(cfg);
    catalogue::routes(cfg);
    sheets::routes(cfg);
    vouchers::routes(cfg);
    consignments::routes(cfg);
}

/// "item code name spec" and "batch no (expiry)" for each batch.
fn labels(all: Vec<BatchLabel>) -> HashMap<i64, (String, String, BatchLabel)> {
    all.into_iter()
        .map(|b| {
            let item = format!("{} {} {}", b.item_code, b.item_name, b.spec)
                .trim()
                .to_string();
            let batch = match b.expiry_date {
                Some(e) => format!("{} (→{e})", b.batch_no),
                None => b.batch_no.clone(),
            };
            (b.batch_id, (item, batch, b))
        })
        .collect()
}

/// A movement as the lists show it.
struct MovementRow {
    id: i64,
    voucher_no: String,
    kind: &'static str,
    state: &'static str,
    emergency: bool,
    owed: bool,
    reason: String,
    created: String,
    /// Who recorded it, by name.
    by: String,
}

fn movement_rows(
    movements: Vec<Movement>,
    names: &std::collections::HashMap<i64, String>,
    lang: Lang,
    tz: chrono_tz::Tz,
) -> Vec<MovementRow> {
    movements
        .into_iter()
        .map(|m| MovementRow {
            by: names.get(&m.created_by).cloned().unwrap_or_default(),
            id: m.id,
            kind: m.kind.label(lang),
            state: m.state.label(lang),
            owed: m.emergency && m.countersigned_by.is_none(),
            emergency: m.emergency,
            created: local_time(&m.created_at, tz),
            voucher_no: m.voucher_no,
            reason: m.reason,
        })
        .collect()
}
