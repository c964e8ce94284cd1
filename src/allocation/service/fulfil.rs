//! Fulfilment: the holding keeper reserves what was approved and sends it (into the sending unit's
//! in-transit location), the receiving keeper counts what arrived. Cancelling and closing are in `ending`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::deciding::stale;
use super::{get, load, not_found, RequestView};
use crate::allocation::model::{
    dispatch as dispatch_line, held_for, receive as receive_line, reserve as reserve_line,
    LineState, RequestState, ShipDirection, Step,
};
use crate::allocation::store::{self as store, AllocLine, NewShipment};
use crate::audit::{model::Change, service as audit};
use crate::clock::today;
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{Quantity, StockAction};
use crate::inventory::service::reservations::{free_to_hold, hold_stock, use_reserved, Hold};
use crate::inventory::service::transit::{self, Dispatch};
use crate::inventory::service::{may, warehouse_for};
use crate::inventory::store::warehouses as wh_store;
use crate::org::model::Actor;

pub(crate) fn open(v: &RequestView) -> ServiceResult<()> {
    if v.request.state != RequestState::Open {
        return Err(ServiceError::conflict(
            "该申请已办结或已取消",
            "This request is closed or cancelled",
        ));
    }
    Ok(())
}

pub(crate) fn audited(
    c: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    day: chrono::NaiveDate,
    before: &RequestView,
    action: &'static str,
) -> ServiceResult<RequestView> {
    let after = load(c, before.request.id, day)?;
    let change = Change::of(
        "allocation",
        before.request.id,
        Some(before.request.unit_id),
        Some(before),
        Some(&after),
    )
    .action(action);
    audit::record(c, Some(actor), now, change)?;
    Ok(after)
}

/// Holds `amount` more of a line in its source warehouse, in the caller's transaction.
pub(crate) fn hold_line(
    c: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    request_id: i64,
    line: &AllocLine,
    amount: Quantity,
) -> ServiceResult<()> {
    let from = line.from_warehouse_id.ok_or_else(not_found)?;
    let was = line.facts();
    let next = reserve_line(was, amount)?;
    let r = store::find(c, request_id)?.ok_or_else(not_found)?;
    hold_stock(
        c,
        actor.account_id,
        now,
        tz,
        from,
        // An emergency order may hold equipment needing repair, after everything usable.
        if r.emergency {
            Hold::Urgent(line.item_id)
        } else {
            Hold::Item(line.item_id)
        },
        amount,
        &super::asking::purpose_of(&r),
        &held_for(request_id),
        None,
    )?;
    if !store::update_line(c, line.id, &was, &next)? {
        return Err(stale());
    }
    Ok(())
}

/// The holding keeper holds what was approved (all lines from warehouses the actor keeps, or the lines
/// named), as much as is free now; a line short of stock stays approved for the rest.
pub fn reserve(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    only: Option<&[i64]>,
) -> ServiceResult<RequestView> {
    let day = today(now, tz);
    write_tx(conn, |c| {
        let before = get(c, actor, id, day)?;
        open(&before)?;
        let mut held = false;
        let mut asked = false;
        for line in store::lines_of(c, id)? {
            if only.is_some_and(|o| !o.contains(&line.id)) {
                continue;
            }
            let Some(from) = line.from_warehouse_id else {
                continue;
            };
            let f = line.facts();
            if f.to_reserve() == Quantity::ZERO
                || !matches!(
                    f.state,
                    LineState::Approved | LineState::Reserved | LineState::Dispatched
                )
            {
                continue;
            }
            let w = warehouse_for(c, actor, from, StockAction::Move);
            if w.is_err() {
                if only.is_some() {
                    return Err(ServiceError::Forbidden);
                }
                continue;
            }
            asked = true;
            crate::inventory::store::warehouses::lock(c, from)?;
            let free = free_to_hold(c, from, line.item_id, before.request.emergency, day)?;
            let amount = if free < f.to_reserve() {
                free
            } else {
                f.to_reserve()
            };
            if amount > Quantity::ZERO {
                hold_line(c, actor, now, tz, id, &line, amount)?;
                held = true;
            }
        }
        if !asked {
            return Err(ServiceError::conflict(
                "没有您可以预留的已批准物资",
                "Nothing approved here is yours to reserve",
            ));
        }
        if !held {
            return Err(ServiceError::conflict(
                "调出储备库现在没有可预留的库存（都已预留、过期或损坏）",
                "The source warehouse has nothing free to reserve now (all reserved, expired or damaged)",
            ));
        }
        audited(c, actor, now, day, &before, "reserve")
    })
}

/// One line's part of a dispatch.
#[derive(Debug, Clone, Copy)]
pub struct SendLine {
    pub line_id: i64,
    pub qty: Quantity,
}

/// The holding keeper sends what is held (all or part of each line) from one source warehouse, with who
/// carries it: one transfer out, one consignment to the requester's warehouse. Its second signature is the
/// holding unit's approval, given by someone other than the sender; an emergency order's is owed afterwards.
#[allow(clippy::too_many_arguments)]
pub fn dispatch(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    cfg: &Config,
    id: i64,
    from_warehouse_id: i64,
    lines: &[SendLine],
    carrier: &str,
) -> ServiceResult<RequestView> {
    let day = today(now, cfg.timezone);
    if lines.is_empty() || lines.iter().all(|l| l.qty == Quantity::ZERO) {
        return Err(ServiceError::invalid(
            "lines",
            "请填写发出数量",
            "Say how much is sent",
        ));
    }
    write_tx(conn, |c| {
        let before = get(c, actor, id, day)?;
        open(&before)?;
        let rows = store::lines_of(c, id)?;
        let key = held_for(id);
        let mut out = Vec::new();
        let mut approvers = Vec::new();
        let mut sent = Vec::new();
        for s in lines.iter().filter(|s| s.qty != Quantity::ZERO) {
            let line = rows
                .iter()
                .find(|r| r.id == s.line_id)
                .ok_or_else(not_found)?;
            if line.from_warehouse_id != Some(from_warehouse_id) {
                return Err(ServiceError::invalid(
                    "from_warehouse_id",
                    "一次发货只能发同一个调出储备库的物资",
                    "One dispatch sends from one source warehouse",
                ));
            }
            let was = line.facts();
            super::check_whole_of(c, line.item_id, &[s.qty])?;
            let next = dispatch_line(was, s.qty)?;
            for (batch_id, qty) in
                use_reserved(c, from_warehouse_id, &key, line.item_id, s.qty, now)?
            {
                out.push(crate::inventory::model::Line {
                    item_id: line.item_id,
                    batch_id,
                    qty,
                });
            }
            if !store::update_line(c, line.id, &was, &next)? {
                return Err(stale());
            }
            approvers.extend(
                before
                    .decisions
                    .iter()
                    .filter(|d| {
                        d.decision.line_id == line.id
                            && d.decision.step == Step::Holder
                            && d.decision.qty > 0
                    })
                    .map(|d| d.decision.decided_by),
            );
            sent.push((line.id, s.qty));
        }
        let cons = transit::dispatch(
            c,
            actor,
            now,
            cfg,
            Dispatch {
                from_warehouse_id,
                to_warehouse_id: before.request.to_warehouse_id,
                lines: out,
                reason: format!("调拨 {}：{}", before.request.no, before.request.purpose),
                carrier: carrier.to_string(),
                sent_for: key,
                emergency: before.request.emergency,
                approved_by: approvers.into_iter().find(|a| *a != actor.account_id),
            },
        )?;
        for (line_id, qty) in sent {
            store::insert_shipment(
                c,
                &NewShipment {
                    request_id: id,
                    line_id,
                    consignment_id: Some(cons.consignment.id),
                    direction: ShipDirection::Out,
                    qty: qty.milli(),
                    damaged: 0,
                    lost: 0,
                    loss_movement_id: None,
                    note: String::new(),
                    created_by: actor.account_id,
                    created_at: db_time(now),
                },
            )?;
        }
        audited(c, actor, now, day, &before, "dispatch")
    })
}

/// The receiving keeper counts a consignment of this request (`counted` per batch; a batch not listed arrived
/// in full): the transfer in waits for a second person of the receiving unit, a shortfall becomes a loss
/// voucher with `loss_reason`. A consignment going out moves its lines on; one coming back (a loan's
/// return) closes the loop at the lender.
#[allow(clippy::too_many_arguments)]
pub fn receive(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    consignment_id: i64,
    counted: &[(i64, Quantity)],
    loss_reason: &str,
) -> ServiceResult<RequestView> {
    let day = today(now, tz);
    write_tx(conn, |c| {
        let before = get(c, actor, id, day)?;
        let cons = before
            .consignments
            .iter()
            .find(|x| x.consignment.id == consignment_id)
            .ok_or_else(|| ServiceError::not_found("该在途单", "Consignment"))?;
        let outgoing = cons.consignment.to_warehouse_id == before.request.to_warehouse_id;
        let outcome = transit::receive(
            c,
            actor,
            now,
            tz,
            consignment_id,
            &held_for(id),
            counted,
            loss_reason,
        )?;
        if outgoing {
            let mut per_item: HashMap<i64, (Quantity, Quantity)> = HashMap::new();
            for l in outcome.receipt.iter().flat_map(|v| v.lines.iter()) {
                let e = per_item.entry(l.item_id).or_default();
                e.0 = e.0.checked_add(l.qty).unwrap_or(e.0);
            }
            for l in outcome.loss.iter().flat_map(|v| v.lines.iter()) {
                let e = per_item.entry(l.item_id).or_default();
                e.1 = e.1.checked_add(-l.qty).unwrap_or(e.1);
            }
            for line in store::lines_of(c, id)? {
                let Some((got, lost)) = per_item.get(&line.item_id).copied() else {
                    continue;
                };
                let was = line.facts();
                let next = receive_line(was, got, lost)?;
                if !store::update_line(c, line.id, &was, &next)? {
                    return Err(stale());
                }
            }
        }
        audited(c, actor, now, day, &before, "receive")
    })
}

/// Whether the actor keeps (may move the stock of) a warehouse.
pub(crate) fn keeps(conn: &mut DbConn, actor: &Actor, warehouse_id: i64) -> ServiceResult<bool> {
    match wh_store::find(conn, warehouse_id)? {
        Some(w) => may(conn, actor, &w, StockAction::Move),
        None => Ok(false),
    }
}
