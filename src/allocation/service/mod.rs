//! Allocation use cases, one transaction each: asking, deciding, fulfilling (reserve, dispatch, receive),
//! loans coming back, cancelling and closing; the views of a request and the lists.

pub mod asking;
pub mod deciding;
pub mod ending;
pub mod export;
pub mod fulfil;
pub mod lists;
pub mod loans;
pub mod may;
pub mod options;
pub mod sourcing;

use serde::Serialize;

use crate::allocation::model::{
    held_for, sees_request, LineState, RequestKind, ShipDirection, Step,
};
use crate::allocation::store::{self as store, AllocLine, Decision, Request, Shipment};
use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::Quantity;
use crate::inventory::service::transit::{self, ConsignmentView};
use crate::inventory::store::{catalogue as cat_store, warehouses as wh_store};
use crate::org::model::{Actor, UnitTree};
use crate::org::store as org_store;

/// A line as people read it: the item, where it comes from, its quantities as exact decimals.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RequestLineView {
    pub id: i64,
    pub item_id: i64,
    pub item_code: String,
    pub item_name: String,
    pub uom: String,
    pub from_warehouse_id: Option<i64>,
    pub from_warehouse: String,
    /// The unit holding the source warehouse, whose head decides second.
    pub holder_unit_id: Option<i64>,
    pub state: LineState,
    #[schema(value_type = String)]
    pub requested: Quantity,
    #[schema(value_type = Option<String>)]
    pub approved: Option<Quantity>,
    #[schema(value_type = String)]
    pub reserved: Quantity,
    #[schema(value_type = String)]
    pub dispatched: Quantity,
    #[schema(value_type = String)]
    pub received: Quantity,
    #[schema(value_type = String)]
    pub lost: Quantity,
    #[schema(value_type = String)]
    pub returned: Quantity,
    /// Sent, not yet counted in.
    #[schema(value_type = String)]
    pub on_the_road: Quantity,
}

/// A decision as people read it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DecisionView {
    #[serde(flatten)]
    pub decision: Decision,
    pub decided_by_name: String,
    pub item_name: String,
}

/// A request with everything about it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RequestView {
    #[serde(flatten)]
    pub request: Request,
    pub unit: String,
    pub to_warehouse: String,
    pub created_by_name: String,
    pub lines: Vec<RequestLineView>,
    pub decisions: Vec<DecisionView>,
    /// What was sent (and sent back), on the road or received.
    pub consignments: Vec<ConsignmentView>,
    /// Loan returns and what they said about the goods.
    pub returns: Vec<Shipment>,
    /// A loan past its return date with something still out.
    pub overdue: bool,
}

impl RequestView {
    /// The units the request concerns: the requester and every holder.
    pub fn units(&self) -> Vec<i64> {
        let mut u = vec![self.request.unit_id];
        u.extend(self.lines.iter().filter_map(|l| l.holder_unit_id));
        u.sort_unstable();
        u.dedup();
        u
    }

    /// The line for an item.
    pub fn line_of_item(&self, item_id: i64) -> Option<&RequestLineView> {
        self.lines.iter().find(|l| l.item_id == item_id)
    }
}

fn line_view(conn: &mut DbConn, l: &AllocLine) -> ServiceResult<RequestLineView> {
    let item = cat_store::find_item(conn, l.item_id)?;
    let from = match l.from_warehouse_id {
        Some(w) => wh_store::find(conn, w)?,
        None => None,
    };
    let f = l.facts();
    Ok(RequestLineView {
        id: l.id,
        item_id: l.item_id,
        item_code: item.as_ref().map(|i| i.code.clone()).unwrap_or_default(),
        item_name: item.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
        uom: item.map(|i| i.uom).unwrap_or_default(),
        from_warehouse_id: l.from_warehouse_id,
        from_warehouse: from.as_ref().map(|w| w.name.clone()).unwrap_or_default(),
        holder_unit_id: from.map(|w| w.unit_id),
        state: f.state,
        requested: f.requested,
        approved: f.approved,
        reserved: f.reserved,
        dispatched: f.dispatched,
        received: f.received,
        lost: f.lost,
        returned: f.returned,
        on_the_road: f.on_the_road(),
    })
}

/// Reads a request with its lines, decisions and consignments (no access check).
pub(crate) fn load(
    conn: &mut DbConn,
    id: i64,
    today: chrono::NaiveDate,
) -> ServiceResult<RequestView> {
    let request = store::find(conn, id)?.ok_or_else(not_found)?;
    let lines = store::lines_of(conn, id)?
        .iter()
        .map(|l| line_view(conn, l))
        .collect::<ServiceResult<Vec<_>>>()?;
    let mut decisions = Vec::new();
    for d in store::decisions_of(conn, id)? {
        decisions.push(DecisionView {
            decided_by_name: org_store::display_name(conn, d.decided_by)?,
            item_name: lines
                .iter()
                .find(|v| v.id == d.line_id)
                .map(|v| v.item_name.clone())
                .unwrap_or_default(),
            decision: d,
        });
    }
    let returns = store::shipments_of(conn, id)?
        .into_iter()
        .filter(|s| s.direction == ShipDirection::Back)
        .collect();
    let overdue = request.kind == RequestKind::Loan
        && request.return_due.is_some_and(|d| d < today)
        && lines
            .iter()
            .any(|l| l.received > l.returned || l.on_the_road > Quantity::ZERO);
    Ok(RequestView {
        unit: org_store::find_unit(conn, request.unit_id)?
            .map(|u| u.name)
            .unwrap_or_default(),
        to_warehouse: wh_store::find(conn, request.to_warehouse_id)?
            .map(|w| w.name)
            .unwrap_or_default(),
        created_by_name: org_store::display_name(conn, request.created_by)?,
        consignments: transit::sent_for(conn, &held_for(id))?,
        lines,
        decisions,
        returns,
        overdue,
        request,
    })
}

pub(crate) fn not_found() -> ServiceError {
    ServiceError::not_found("该调拨申请", "Request")
}

/// A request the actor may see (404 otherwise: it does not say that it exists).
pub fn get(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    today: chrono::NaiveDate,
) -> ServiceResult<RequestView> {
    let v = load(conn, id, today)?;
    let tree = org_store::tree_of(conn, actor)?;
    if !sees_request(actor, &v.units(), &tree) {
        return Err(not_found());
    }
    Ok(v)
}

/// Whose decision a line waits for now: none, the requester's head, or the holder's.
pub fn waiting_step(line: &RequestLineView, decisions: &[DecisionView]) -> Option<Step> {
    if line.state != LineState::Requested {
        return None;
    }
    let decided = |s| {
        decisions
            .iter()
            .any(|d| d.decision.line_id == line.id && d.decision.step == s)
    };
    if !decided(Step::Requester) {
        Some(Step::Requester)
    } else if !decided(Step::Holder) {
        Some(Step::Holder)
    } else {
        None
    }
}

/// Refuses a fraction of an item kept in whole pieces (台, 个): approving, sending or giving back half a pump.
pub(crate) fn check_whole_of(
    conn: &mut DbConn,
    item_id: i64,
    quantities: &[Quantity],
) -> ServiceResult<()> {
    let item = cat_store::find_item(conn, item_id)?
        .ok_or_else(|| ServiceError::not_found("该物资", "Item"))?;
    for q in quantities {
        crate::inventory::model::check_whole(item.divisible, *q, &item.name, &item.uom)?;
    }
    Ok(())
}

/// The unit tree as the actor sees it (for authorisation).
pub(crate) fn tree(conn: &mut DbConn, actor: &Actor) -> ServiceResult<std::sync::Arc<UnitTree>> {
    Ok(org_store::tree_of(conn, actor)?)
}
