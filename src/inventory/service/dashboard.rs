//! The account-matching dashboard (账物相符): per warehouse, who answers for it, when it was last counted,
//! what waits for a signature, what expires, and which items fall below their reserve norm.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

use crate::clock::today;
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::inventory::model::{
    compliance_percent, expires_within, is_expired, meets_norm, next_due, overdue, usable,
    MovementState, Quantity,
};
use crate::inventory::store::ledger::{self as ledger_store, MovementFilter};
use crate::inventory::store::{
    catalogue as cat_store, stocktakes as st_store, warehouses as wh_store,
};
use crate::org::model::Actor;
use crate::pagination::PageRequest;

/// How one item stands against its norm.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NormStatus {
    pub item_id: i64,
    pub item_name: String,
    #[schema(value_type = String)]
    pub required: Quantity,
    #[schema(value_type = String)]
    pub on_hand: Quantity,
    pub met: bool,
}

/// One warehouse's account-matching picture.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WarehouseStatus {
    pub warehouse_id: i64,
    pub name: String,
    pub unit_id: i64,
    pub custodians: Vec<String>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_stocktake: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub next_stocktake: NaiveDateTime,
    pub stocktake_overdue: bool,
    pub open_stocktake: Option<i64>,
    pub open_variances: usize,
    pub awaiting_countersignature: i64,
    pub countersignature_owed: i64,
    pub batches_without_custodian: usize,
    pub expired: usize,
    pub expiring_30: usize,
    pub expiring_90: usize,
    /// The book's value; none while the caller counts the warehouse blind.
    pub value_fen: Option<i64>,
    /// Items against their norms; empty while the caller counts the warehouse blind.
    pub norms: Vec<NormStatus>,
    /// A blind count is open and the caller counts: figures from the book are left out.
    pub book_hidden: bool,
    /// Share of normed items that meet their norm, in percent (none when no norm is set).
    pub compliance_percent: Option<i64>,
}

/// The picture of every warehouse the actor may see.
pub fn overview(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<Vec<WarehouseStatus>> {
    let day = today(now, tz);
    let mut out = Vec::new();
    for w in super::visible_warehouses(conn, actor)? {
        let book_hidden = super::book_hidden_for(conn, actor, &w)?;
        let stock = ledger_store::stock(conn, w.id, None, None)?;
        let custodian_ids = wh_store::custodians(conn, w.id)?;
        let mut custodians = Vec::new();
        for p in custodian_ids {
            if let Some(person) = crate::org::store::find_person(conn, p)? {
                custodians.push(person.name);
            }
        }
        let last = st_store::last_approved(conn, w.id)?;
        let due = next_due(last, w.created_at, w.stocktake_interval_days);
        let open = st_store::open_of(conn, w.id)?;
        let open_variances = match &open {
            Some(st) => super::stocktakes::get(conn, actor, st.id)?
                .lines
                .iter()
                .filter(|l| l.variance.is_some_and(|v| v != Quantity::ZERO))
                .count(),
            None => 0,
        };
        let one = PageRequest::new(Some(1), Some(1));
        let ids = Some(vec![w.id]);
        let pending = ledger_store::list_movements(
            conn,
            &MovementFilter {
                warehouse_ids: ids.clone(),
                state: Some(MovementState::Pending),
                ..Default::default()
            },
            one,
        )?
        .total;
        let owed = ledger_store::list_movements(
            conn,
            &MovementFilter {
                warehouse_ids: ids,
                owed: true,
                ..Default::default()
            },
            one,
        )?
        .total;
        let expiring = |days: i64| {
            stock
                .iter()
                .filter(|s| expires_within(s.expiry_date, day, days))
                .count()
        };
        let mut norms = Vec::new();
        let normed = if book_hidden {
            Vec::new()
        } else {
            wh_store::norms(conn, w.id)?
        };
        for (item_id, required) in normed {
            let lots = stock
                .iter()
                .filter(|s| s.item_id == item_id)
                .map(|s| (s.expiry_date, Quantity::from_milli(s.qty)));
            let on_hand = usable(lots, day);
            let name = cat_store::find_item(conn, item_id)?
                .map(|i| i.name)
                .unwrap_or_default();
            norms.push(NormStatus {
                item_id,
                item_name: name,
                required: Quantity::from_milli(required),
                on_hand,
                met: meets_norm(on_hand, Quantity::from_milli(required)),
            });
        }
        let compliance_percent =
            compliance_percent(norms.iter().filter(|n| n.met).count(), norms.len());
        out.push(WarehouseStatus {
            warehouse_id: w.id,
            name: w.name.clone(),
            unit_id: w.unit_id,
            custodians,
            last_stocktake: last,
            next_stocktake: due,
            stocktake_overdue: overdue(due, now),
            open_stocktake: open.map(|s| s.id),
            open_variances,
            awaiting_countersignature: pending,
            countersignature_owed: owed,
            batches_without_custodian: stock.iter().filter(|s| s.custodian_id.is_none()).count(),
            expired: stock
                .iter()
                .filter(|s| is_expired(s.expiry_date, day))
                .count(),
            expiring_30: expiring(30),
            expiring_90: expiring(90),
            value_fen: (!book_hidden).then(|| {
                stock
                    .iter()
                    .map(|s| Quantity::from_milli(s.qty).value_fen(s.unit_price_fen.unwrap_or(0)))
                    .sum()
            }),
            norms,
            compliance_percent,
            book_hidden,
        });
    }
    Ok(out)
}

/// Norm compliance per unit: (unit, items meeting the norm, items with a norm).
pub fn compliance_by_unit(statuses: &[WarehouseStatus]) -> Vec<(i64, usize, usize)> {
    let mut by_unit: std::collections::BTreeMap<i64, (usize, usize)> = Default::default();
    for s in statuses {
        let e = by_unit.entry(s.unit_id).or_default();
        e.0 += s.norms.iter().filter(|n| n.met).count();
        e.1 += s.norms.len();
    }
    by_unit
        .into_iter()
        .map(|(u, (met, total))| (u, met, total))
        .collect()
}
