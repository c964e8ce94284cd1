//! What the request form offers the actor: the units they may ask for, those units' warehouses to deliver
//! to, the warehouses goods may come from, the items; and whether they may order at once (调令).

use super::tree;
use crate::allocation::model::{authorize_alloc, may_ask_somewhere, AllocAction};
use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::LocationKind;
use crate::inventory::service::catalogue;
use crate::inventory::store::catalogue::ItemFilter;
use crate::inventory::store::warehouses as wh_store;
use crate::org::model::Actor;
use crate::org::store as org_store;
use crate::pagination::PageRequest;

/// Most items a form lists (a larger catalogue is asked for through the API).
const MOST_ITEMS: i64 = 2000;

/// The choices of the request form.
#[derive(Debug, Clone, Default)]
pub struct AskOptions {
    /// Units the actor may ask for.
    pub units: Vec<(i64, String)>,
    /// Active warehouses of those units (and below them): where goods may go.
    pub destinations: Vec<(i64, String)>,
    /// Every active warehouse: where goods may come from.
    pub sources: Vec<(i64, String)>,
    /// Active items: `(id, "code name spec", unit of measure)`.
    pub items: Vec<(i64, String, String)>,
    /// The actor may order at once (调令).
    pub may_order: bool,
    /// The unit the form opens with: the actor's own when they may ask for it, else the first.
    pub default_unit: Option<i64>,
    /// The warehouse the form opens with: the first of that unit's own.
    pub default_destination: Option<i64>,
}

/// The choices for the actor's request form (403 for those who may ask for nothing).
pub fn ask_options(conn: &mut DbConn, actor: &Actor) -> ServiceResult<AskOptions> {
    if !may_ask_somewhere(actor) {
        return Err(ServiceError::Forbidden);
    }
    let tree = tree(conn, actor)?;
    let units: Vec<(i64, String)> = org_store::unit_names(conn, true)?
        .into_iter()
        .filter(|(u, _)| authorize_alloc(actor, AllocAction::Ask, *u, &tree).is_ok())
        .collect();
    let stores: Vec<_> = wh_store::all(conn)?
        .into_iter()
        .filter(|w| w.active && w.kind == LocationKind::Store)
        .collect();
    let default_unit = actor
        .unit_id
        .filter(|own| units.iter().any(|(u, _)| u == own))
        .or_else(|| units.first().map(|(u, _)| *u));
    let default_destination = stores
        .iter()
        .find(|w| Some(w.unit_id) == default_unit)
        .map(|w| w.id);
    let destinations = stores
        .iter()
        .filter(|w| units.iter().any(|(u, _)| tree.is_within(w.unit_id, *u)))
        .map(|w| (w.id, w.name.clone()))
        .collect();
    let sources = stores.into_iter().map(|w| (w.id, w.name)).collect();
    let mut items = Vec::new();
    let filter = ItemFilter {
        active: Some(true),
        ..Default::default()
    };
    for n in 1.. {
        let page = catalogue::items(
            conn,
            &filter,
            PageRequest::new(Some(n), Some(PageRequest::MAX_PER_PAGE)),
        )?;
        let last = page.items.len() < PageRequest::MAX_PER_PAGE as usize;
        items.extend(page.items.into_iter().map(|i| {
            let label = format!("{} {} {}", i.code, i.name, i.spec)
                .trim()
                .to_string();
            (i.id, label, i.uom)
        }));
        if last || n * PageRequest::MAX_PER_PAGE >= MOST_ITEMS {
            break;
        }
    }
    Ok(AskOptions {
        units,
        destinations,
        sources,
        items,
        may_order: authorize_alloc(actor, AllocAction::Order, 0, &tree).is_ok(),
        default_unit,
        default_destination,
    })
}

/// Whether the actor may ask for some unit, and whether they may order at once (调令): the buttons of the
/// lists.
pub fn may_ask(conn: &mut DbConn, actor: &Actor) -> ServiceResult<(bool, bool)> {
    let order = authorize_alloc(actor, AllocAction::Order, 0, &*tree(conn, actor)?).is_ok();
    Ok((may_ask_somewhere(actor), order))
}
