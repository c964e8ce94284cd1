//! What the viewer of a request may do with it now, asked with the rules the use cases apply, so a page
//! offers only the forms that would be accepted (a refusal can still come: stock runs out, someone acts
//! first).

use super::fulfil::keeps;
use super::{tree, waiting_step, RequestLineView, RequestView};
use crate::allocation::model::{
    authorize_alloc, cancel, close, AllocAction, LineFacts, LineState, RequestKind, RequestState,
    Step,
};
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::inventory::model::{ConsignmentState, Quantity, StockAction};
use crate::inventory::service::{open_count, warehouse_for};
use crate::org::model::Actor;

/// A decision the viewer may record on a line now.
#[derive(Debug, Clone)]
pub struct MayDecide {
    pub line_id: i64,
    pub step: Step,
    /// The quantity the decision is about: asked (the requester's head), approved by the requester's head
    /// (the holder's), ordered (after the fact).
    pub awaited: Quantity,
}

/// A dispatch the viewer may make: from one warehouse they keep, of the lines held there.
#[derive(Debug, Clone)]
pub struct MayDispatch {
    pub warehouse_id: i64,
    pub warehouse: String,
    pub lines: Vec<i64>,
}

/// Everything the viewer may do with a request now.
#[derive(Debug, Clone, Default)]
pub struct Mays {
    /// Lines whose source the viewer may propose (or change).
    pub propose: Vec<i64>,
    pub decide: Vec<MayDecide>,
    /// A line the viewer keeps the source of has approved stock still to hold.
    pub reserve: bool,
    pub dispatch: Vec<MayDispatch>,
    /// Consignments the viewer may count in.
    pub receive: Vec<i64>,
    /// Consignments the viewer would count in but for the count under way in the receiving warehouse:
    /// `(consignment, stocktake)`.
    pub counting: Vec<(i64, i64)>,
    /// Lines of a loan the viewer may give back.
    pub give_back: Vec<i64>,
    pub extend: bool,
    pub cancel: bool,
    pub close: bool,
    /// Warehouses (and in-transit locations) whose vouchers the viewer may open.
    pub sees: Vec<i64>,
}

/// The model's view of a line as read.
pub fn facts(l: &RequestLineView) -> LineFacts {
    LineFacts {
        state: l.state,
        requested: l.requested,
        approved: l.approved,
        reserved: l.reserved,
        dispatched: l.dispatched,
        received: l.received,
        lost: l.lost,
        returned: l.returned,
    }
}

/// The decisions recorded on a line, by step.
fn recorded(v: &RequestView, line: i64, step: Step) -> Option<Quantity> {
    v.decisions
        .iter()
        .find(|d| d.decision.line_id == line && d.decision.step == step)
        .map(|d| Quantity::from_milli(d.decision.qty))
}

/// The decision a line waits for, as `deciding::decide` picks it.
fn decision_due(v: &RequestView, l: &RequestLineView) -> Option<(Step, Quantity)> {
    if v.request.emergency {
        let ordered = l.approved.unwrap_or(l.requested);
        return match (
            recorded(v, l.id, Step::Requester),
            recorded(v, l.id, Step::Holder),
        ) {
            (None, _) => Some((Step::Requester, ordered)),
            (Some(_), None) => Some((Step::Holder, ordered)),
            (Some(_), Some(_)) => None,
        };
    }
    match waiting_step(l, &v.decisions)? {
        Step::Requester => Some((Step::Requester, l.requested)),
        Step::Holder => Some((Step::Holder, recorded(v, l.id, Step::Requester)?)),
    }
}

/// Whether someone other than the viewer approved sending the line (the dispatch's second signature).
fn approved_by_another(v: &RequestView, actor: &Actor, line: i64) -> bool {
    v.request.emergency
        || v.decisions.iter().any(|d| {
            d.decision.line_id == line
                && d.decision.step == Step::Holder
                && d.decision.qty > 0
                && d.decision.decided_by != actor.account_id
        })
}

/// What the actor may do with request `v` now.
pub fn mays(conn: &mut DbConn, actor: &Actor, v: &RequestView) -> ServiceResult<Mays> {
    let mut m = Mays::default();
    let mut warehouses: Vec<i64> = v
        .consignments
        .iter()
        .flat_map(|c| {
            let c = &c.consignment;
            [
                c.from_warehouse_id,
                c.transit_warehouse_id,
                c.to_warehouse_id,
            ]
        })
        .chain(v.lines.iter().filter_map(|l| l.from_warehouse_id))
        .chain([v.request.to_warehouse_id])
        .collect();
    warehouses.sort_unstable();
    warehouses.dedup();
    for w in warehouses {
        if warehouse_for(conn, actor, w, StockAction::View).is_ok() {
            m.sees.push(w);
        }
    }
    if v.request.state != RequestState::Open {
        return Ok(m);
    }
    let tree = tree(conn, actor)?;
    let asks = authorize_alloc(actor, AllocAction::Ask, v.request.unit_id, &tree).is_ok();
    let decides = |unit| authorize_alloc(actor, AllocAction::Decide, unit, &tree).is_ok();
    let mut kept = std::collections::HashMap::new();
    let mut keeps_w = |conn: &mut DbConn, w: i64| -> ServiceResult<bool> {
        if let Some(k) = kept.get(&w) {
            return Ok(*k);
        }
        let k = keeps(conn, actor, w)?;
        kept.insert(w, k);
        Ok(k)
    };
    for l in &v.lines {
        let f = facts(l);
        if asks && !v.request.emergency && l.state == LineState::Requested {
            m.propose.push(l.id);
        }
        if let Some((step, awaited)) = decision_due(v, l) {
            let unit = match step {
                Step::Requester => Some(v.request.unit_id),
                Step::Holder => l.holder_unit_id,
            };
            if unit.is_some_and(decides) {
                m.decide.push(MayDecide {
                    line_id: l.id,
                    step,
                    awaited,
                });
            }
        }
        let Some(from) = l.from_warehouse_id else {
            continue;
        };
        let moving = matches!(
            l.state,
            LineState::Approved | LineState::Reserved | LineState::Dispatched
        );
        if moving && f.to_reserve() > Quantity::ZERO && keeps_w(conn, from)? {
            m.reserve = true;
        }
        if moving
            && l.reserved > Quantity::ZERO
            && approved_by_another(v, actor, l.id)
            && keeps_w(conn, from)?
        {
            match m.dispatch.iter_mut().find(|d| d.warehouse_id == from) {
                Some(d) => d.lines.push(l.id),
                None => m.dispatch.push(MayDispatch {
                    warehouse_id: from,
                    warehouse: l.from_warehouse.clone(),
                    lines: vec![l.id],
                }),
            }
        }
        if v.request.kind == RequestKind::Loan && keeps_w(conn, from)? {
            m.extend = true;
        }
    }
    for c in &v.consignments {
        let to = c.consignment.to_warehouse_id;
        if c.consignment.state == ConsignmentState::InTransit && keeps_w(conn, to)? {
            match open_count(conn, to)? {
                Some(count) => m.counting.push((c.consignment.id, count)),
                None => m.receive.push(c.consignment.id),
            }
        }
    }
    if v.request.kind == RequestKind::Loan && keeps_w(conn, v.request.to_warehouse_id)? {
        m.give_back = v
            .lines
            .iter()
            .filter(|l| l.state == LineState::Received && facts(l).borrowed() > Quantity::ZERO)
            .map(|l| l.id)
            .collect();
    }
    if asks {
        m.cancel = v
            .lines
            .iter()
            .any(|l| cancel(facts(l)).is_ok_and(|(next, _)| next != facts(l)));
        m.close = settled(conn, v)?
            && v.lines
                .iter()
                .all(|l| close(facts(l), v.request.kind).is_ok());
    }
    Ok(m)
}

/// Every consignment counted in and its vouchers posted, and every write-off of a loss on loan posted, as
/// `ending::close` asks.
fn settled(conn: &mut DbConn, v: &RequestView) -> ServiceResult<bool> {
    use crate::inventory::model::MovementState;
    let unsigned = |s: Option<MovementState>| s.is_some_and(|s| s != MovementState::Posted);
    let counted = v.consignments.iter().all(|c| {
        c.consignment.state != ConsignmentState::InTransit
            && !unsigned(c.receipt_state)
            && !unsigned(c.loss_state)
    });
    if !counted {
        return Ok(false);
    }
    for m in v.returns.iter().filter_map(|r| r.loss_movement_id) {
        let state = crate::inventory::store::ledger::find_movement(conn, m)?.map(|m| m.state);
        if unsigned(state) || state.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}
