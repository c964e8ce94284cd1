//! Batches nearing expiry: one notice per batch and lead reached (90/30/7 days by default), to the batch's
//! custodian (else the warehouse's) and the unit.

use chrono::{DateTime, Utc};

use super::mail::BatchExpiry;
use super::{keepers, BATCH_EXPIRY};
use crate::clock::today;
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::inventory::model::{expires_within, Quantity};
use crate::inventory::service::blind_count_open;
use crate::inventory::store::{ledger as ledger_store, warehouses as wh_store};
use crate::notify::model::lead_reached;
use crate::notify::service::Outgoing;

/// The notices for `w`'s batches that reached a lead at `now`.
pub(super) fn findings(
    conn: &mut DbConn,
    w: &wh_store::Warehouse,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    leads: &[i64],
) -> ServiceResult<Vec<Outgoing>> {
    let day = today(now, tz);
    let widest = leads.first().copied().unwrap_or(0);
    let stock = ledger_store::stock(conn, w.id, None, None)?;
    let hide = blind_count_open(conn, w.id)?;
    let mut custodians = None;
    let mut out = Vec::new();
    for s in stock
        .iter()
        .filter(|s| s.qty > 0 && expires_within(s.expiry_date, day, widest))
    {
        let Some(expiry) = s.expiry_date else {
            continue;
        };
        let Some(lead) = lead_reached(expiry, day, leads) else {
            continue;
        };
        let people = keepers(conn, w.id, s.custodian_id, &mut custodians)?;
        out.push(Outgoing {
            kind: &BATCH_EXPIRY,
            key: format!("batch_expiry:{}:{}:{lead}", w.id, s.batch_id),
            unit_id: Some(w.unit_id),
            path: format!("/reserves/warehouses/{}", w.id),
            people,
            to_unit: true,
            addresses: Vec::new(),
            content: Box::new(BatchExpiry {
                item: s.item_name.clone(),
                spec: s.spec.clone(),
                batch_no: s.batch_no.clone(),
                warehouse: w.name.clone(),
                expiry,
                days_left: (expiry - day).num_days(),
                qty: (!hide).then(|| Quantity::from_milli(s.qty).to_string()),
                uom: s.uom.clone(),
            }),
        });
    }
    Ok(out)
}
