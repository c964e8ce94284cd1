//! Sourcing (货源): where an item can come from — every warehouse holding it, with what may be drawn now
//! (good, not expired, not reserved), whether it is being counted (then only an emergency order draws it),
//! who keeps it and their phone, nearest first when both ends have coordinates, else most first.

use chrono::NaiveDate;
use serde::Serialize;

use crate::allocation::model::may_ask_somewhere;
use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{distance_km, Quantity};
use crate::inventory::service::stock::{holders, StockHolder};
use crate::inventory::store::{catalogue as cat_store, warehouses as wh_store};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// A warehouse that could send the item.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Source {
    #[serde(flatten)]
    pub holder: StockHolder,
    pub unit: String,
    /// Kilometres from the receiving warehouse, when both have coordinates.
    pub distance_km: Option<f64>,
}

/// The sourcing view of an item.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Sourcing {
    pub item_id: i64,
    pub item_name: String,
    pub uom: String,
    /// Everything usable across the district.
    #[schema(value_type = String)]
    pub usable_total: Quantity,
    pub sources: Vec<Source>,
}

/// Where an item can come from, for those who may ask for stock (any unit's head or keeper, office staff);
/// `to` (a warehouse) orders the sources by distance from it and leaves it out.
pub fn sourcing(
    conn: &mut DbConn,
    actor: &Actor,
    item_id: i64,
    to: Option<i64>,
    today: NaiveDate,
) -> ServiceResult<Sourcing> {
    if !may_ask_somewhere(actor) {
        return Err(ServiceError::Forbidden);
    }
    let item = cat_store::find_item(conn, item_id)?
        .ok_or_else(|| ServiceError::not_found("该物资", "Item"))?;
    let here = match to {
        Some(id) => wh_store::find(conn, id)?.and_then(|w| w.latitude.zip(w.longitude)),
        None => None,
    };
    let names: std::collections::HashMap<i64, String> =
        org_store::unit_names(conn, false)?.into_iter().collect();
    let mut usable_total = Quantity::ZERO;
    let mut sources: Vec<Source> = holders(conn, item_id, today)?
        .into_iter()
        .filter(|h| Some(h.warehouse_id) != to)
        .map(|h| {
            usable_total = usable_total.checked_add(h.usable).unwrap_or(usable_total);
            let there = h.latitude.zip(h.longitude);
            Source {
                unit: names.get(&h.unit_id).cloned().unwrap_or_default(),
                distance_km: here
                    .zip(there)
                    .map(|(a, b)| (distance_km(a, b) * 10.0).round() / 10.0),
                holder: h,
            }
        })
        .collect();
    sources.sort_by(|a, b| {
        let usable = |s: &Source| s.holder.usable > Quantity::ZERO;
        usable(b)
            .cmp(&usable(a))
            .then_with(|| match (a.distance_km, b.distance_km) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| b.holder.usable.cmp(&a.holder.usable))
    });
    Ok(Sourcing {
        item_id,
        item_name: item.name,
        uom: item.uom,
        usable_total,
        sources,
    })
}
