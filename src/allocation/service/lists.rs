//! The lists: a unit's requests out (what it asked for) and in (what is asked of its warehouses), loans
//! outstanding with the overdue first, and what is on the road.

use chrono::NaiveDate;

use super::{load, RequestView};
use crate::allocation::model::{RequestKind, RequestState};
use crate::allocation::store::{self as store, RequestFilter};
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::inventory::service::visible_warehouses;
use crate::org::model::{Actor, Role};
use crate::org::store as org_store;

/// Which requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Asked by my units, and asked of my warehouses.
    #[default]
    Both,
    /// Asked by my units.
    Out,
    /// Asked of my warehouses.
    In,
}

/// The requests the actor may see, newest first: by direction, state and kind.
pub fn requests(
    conn: &mut DbConn,
    actor: &Actor,
    direction: Direction,
    state: Option<RequestState>,
    kind: Option<RequestKind>,
    today: NaiveDate,
) -> ServiceResult<Vec<RequestView>> {
    let tree = org_store::tree_of(conn, actor)?;
    // Office staff and others with a district-wide grant see every request; in and out mean nothing to them.
    let (by_units, from_warehouses) = match actor.scopes(Role::ALL) {
        None => (None, None),
        Some(scopes) => {
            let units = tree.units_within(&scopes);
            let warehouses = visible_warehouses(conn, actor)?
                .iter()
                .map(|w| w.id)
                .collect();
            match direction {
                Direction::Both => (Some(units), Some(warehouses)),
                Direction::Out => (Some(units), None),
                Direction::In => (None, Some(warehouses)),
            }
        }
    };
    let filter = RequestFilter {
        by_units,
        from_warehouses,
        state,
        kind,
    };
    store::list(conn, &filter)?
        .into_iter()
        .map(|r| load(conn, r.id, today))
        .collect()
}

/// Open loans the actor may see, overdue first, then by return date.
pub fn loans(
    conn: &mut DbConn,
    actor: &Actor,
    today: NaiveDate,
) -> ServiceResult<Vec<RequestView>> {
    let mut all = requests(
        conn,
        actor,
        Direction::Both,
        Some(RequestState::Open),
        Some(RequestKind::Loan),
        today,
    )?;
    all.sort_by_key(|v| (!v.overdue, v.request.return_due));
    Ok(all)
}
