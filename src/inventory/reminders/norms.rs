//! Usable stock below a warehouse's reserve norm (储备定额): weekly while it lasts, to the custodians and the
//! unit (in its daily digest unless it chose otherwise).

use chrono::{DateTime, Datelike, Utc};

use super::mail::BelowNorm;
use super::{BELOW_NORM, CUSTODIAN};
use crate::clock::today;
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::inventory::model::{meets_norm, usable, Quantity};
use crate::inventory::store::{
    catalogue as cat_store, ledger as ledger_store, warehouses as wh_store,
};
use crate::notify::service::Outgoing;

/// The notices for `w`'s items below their norm at `now`.
pub(super) fn findings(
    conn: &mut DbConn,
    w: &wh_store::Warehouse,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<Vec<Outgoing>> {
    let norms = wh_store::norms(conn, w.id)?;
    if norms.is_empty() {
        return Ok(Vec::new());
    }
    let day = today(now, tz);
    let week = day.iso_week();
    let stock = ledger_store::stock(conn, w.id, None, None)?;
    let custodians: Vec<_> = wh_store::custodians(conn, w.id)?
        .into_iter()
        .map(|p| (p, &CUSTODIAN))
        .collect();
    let mut out = Vec::new();
    for (item_id, required) in norms {
        let lots = stock
            .iter()
            .filter(|s| s.item_id == item_id)
            .map(|s| (s.expiry_date, Quantity::from_milli(s.qty)));
        let (on_hand, required) = (usable(lots, day), Quantity::from_milli(required));
        if meets_norm(on_hand, required) {
            continue;
        }
        let item = cat_store::find_item(conn, item_id)?;
        out.push(Outgoing {
            kind: &BELOW_NORM,
            key: format!(
                "below_norm:{}:{item_id}:{}-W{:02}",
                w.id,
                week.year(),
                week.week()
            ),
            unit_id: Some(w.unit_id),
            path: format!("/reserves/warehouses/{}", w.id),
            people: custodians.clone(),
            to_unit: true,
            addresses: Vec::new(),
            content: Box::new(BelowNorm {
                item: item.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
                warehouse: w.name.clone(),
                required: required.to_string(),
                on_hand: on_hand.to_string(),
                uom: item.map(|i| i.uom).unwrap_or_default(),
            }),
        });
    }
    Ok(out)
}
