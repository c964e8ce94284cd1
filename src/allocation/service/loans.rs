//! Loans (借用/归还): the borrower gives back all or part, saying what came back good, damaged or not at all;
//! the lender counts it in like any consignment; the lender may extend the return date.

use chrono::{DateTime, NaiveDate, Utc};

use super::deciding::stale;
use super::fulfil::audited;
use super::{get, not_found, RequestView};
use crate::allocation::model::{
    check_extension, give_back as give_back_line, held_for, RequestKind, RequestState,
    ShipDirection, Step,
};
use crate::allocation::store::{self as store, NewShipment};
use crate::clock::today;
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{Line, LineRequest, MovementKind, Quantity, StockAction};
use crate::inventory::service::ledger::{record, MovementRequest};
use crate::inventory::service::transit::{self, Dispatch};
use crate::inventory::service::warehouse_for;
use crate::inventory::store::ledger as ledger_store;
use crate::org::model::Actor;

/// What comes back of one line.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReturnLine {
    pub line_id: i64,
    pub good: Quantity,
    pub damaged: Quantity,
    pub lost: Quantity,
}

fn loan(v: &RequestView) -> ServiceResult<()> {
    if v.request.kind != RequestKind::Loan || v.request.state != RequestState::Open {
        return Err(ServiceError::conflict(
            "只有办理中的借用可以归还或延期",
            "Only an open loan can be returned or extended",
        ));
    }
    Ok(())
}

/// The borrowing keeper gives back a loan (all or part): what is good or damaged goes back to the lender's
/// warehouse (a consignment the lender counts in; its second signature is the lender's approval of the loan),
/// what was lost is written off from the borrower's warehouse (waiting for an approver, like any
/// write-off). Damaged goods arrive marked in the return so the lender can take them to repair or write-off.
#[allow(clippy::too_many_arguments)]
pub fn give_back(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    cfg: &Config,
    id: i64,
    returns: &[ReturnLine],
    note: &str,
    loss_reason: &str,
) -> ServiceResult<RequestView> {
    let day = today(now, cfg.timezone);
    let note = crate::org::model::optional_text("note", note, 500)?;
    write_tx(conn, |c| {
        let before = get(c, actor, id, day)?;
        loan(&before)?;
        let borrower = warehouse_for(c, actor, before.request.to_warehouse_id, StockAction::Move)?;
        let rows = store::lines_of(c, id)?;
        let key = held_for(id);
        let mut sent_any = false;
        for r in returns {
            let back = r.good.checked_add(r.damaged).unwrap_or_default();
            let total = back.checked_add(r.lost).unwrap_or_default();
            if r.good.is_negative() || r.damaged.is_negative() || r.lost.is_negative() {
                return Err(ServiceError::invalid(
                    "qty",
                    "数量不能为负",
                    "A quantity cannot be negative",
                ));
            }
            if total == Quantity::ZERO {
                continue;
            }
            let line = rows
                .iter()
                .find(|l| l.id == r.line_id)
                .ok_or_else(not_found)?;
            let lender = line.from_warehouse_id.ok_or_else(not_found)?;
            let was = line.facts();
            super::check_whole_of(c, line.item_id, &[r.good, r.damaged, r.lost])?;
            let next = give_back_line(was, total)?;
            // The batches that were lent, as the borrower holds them now.
            let lent: Vec<i64> = before
                .consignments
                .iter()
                .filter(|x| x.consignment.to_warehouse_id == borrower.id)
                .flat_map(|x| x.lines.iter())
                .filter(|l| l.item_id == line.item_id)
                .map(|l| l.batch_id)
                .collect();
            let mut picks = Vec::new();
            let mut left = total;
            for b in lent {
                if left == Quantity::ZERO || picks.iter().any(|(x, _): &(i64, Quantity)| *x == b) {
                    continue;
                }
                let (have, reserved) =
                    crate::inventory::store::reservations::on_hand(c, borrower.id, b)?;
                let free = have.checked_sub(reserved).unwrap_or_default();
                let take = if free < left { free } else { left };
                if take > Quantity::ZERO {
                    picks.push((b, take));
                    left = left.checked_sub(take).unwrap_or_default();
                }
            }
            if left > Quantity::ZERO {
                return Err(ServiceError::conflict(
                    "借用方储备库中已没有这么多借来的物资（可能已被领用），请先补办相应出入库",
                    "The borrowing warehouse no longer holds that much of what was lent (issued meanwhile?)",
                ));
            }
            // Lost first from the last batches picked, the rest goes back.
            let (mut to_send, mut to_lose) = (Vec::new(), Vec::new());
            let mut lose_left = r.lost;
            for (b, q) in picks.into_iter().rev() {
                let lose = if q < lose_left { q } else { lose_left };
                lose_left = lose_left.checked_sub(lose).unwrap_or_default();
                if lose > Quantity::ZERO {
                    to_lose.push(LineRequest {
                        batch_id: b,
                        qty: lose,
                        out: None,
                    });
                }
                let send = q.checked_sub(lose).unwrap_or_default();
                if send > Quantity::ZERO {
                    to_send.push(Line {
                        item_id: line.item_id,
                        batch_id: b,
                        qty: send,
                    });
                }
            }
            let consignment = if to_send.is_empty() {
                None
            } else {
                let approver = before
                    .decisions
                    .iter()
                    .find(|d| {
                        d.decision.line_id == line.id
                            && d.decision.step == Step::Holder
                            && d.decision.qty > 0
                    })
                    .map(|d| d.decision.decided_by)
                    .filter(|a| *a != actor.account_id);
                let cons = transit::dispatch(
                    c,
                    actor,
                    now,
                    cfg,
                    Dispatch {
                        from_warehouse_id: borrower.id,
                        to_warehouse_id: lender,
                        lines: to_send,
                        reason: format!(
                            "归还借用 {}：{}",
                            before.request.no, before.request.purpose
                        ),
                        carrier: String::new(),
                        sent_for: key.clone(),
                        emergency: approver.is_none(),
                        approved_by: approver,
                    },
                )?;
                sent_any = true;
                Some(cons.consignment.id)
            };
            let loss = if to_lose.is_empty() {
                None
            } else {
                let why = crate::inventory::model::reason(loss_reason).map_err(|_| {
                    ServiceError::invalid(
                        "loss_reason",
                        "有物资丢失：请写明丢失经过（将据此登记报损，经审批后核销）",
                        "Something was lost: say how (a write-off is recorded for approval)",
                    )
                })?;
                let v = record(
                    c,
                    actor,
                    now,
                    cfg,
                    MovementRequest {
                        warehouse_id: borrower.id,
                        kind: MovementKind::WriteOff,
                        reason: format!("借用物资丢失（{}）：{why}", before.request.no),
                        emergency: false,
                        counterpart_warehouse_id: None,
                        lines: to_lose,
                        receipt: ledger_store::Receipt::default(),
                    },
                )?;
                Some(v.movement.id)
            };
            if !store::update_line(c, line.id, &was, &next)? {
                return Err(stale());
            }
            store::insert_shipment(
                c,
                &NewShipment {
                    request_id: id,
                    line_id: line.id,
                    consignment_id: consignment,
                    direction: ShipDirection::Back,
                    qty: back.milli(),
                    damaged: r.damaged.milli(),
                    lost: r.lost.milli(),
                    loss_movement_id: loss,
                    note: note.clone(),
                    created_by: actor.account_id,
                    created_at: db_time(now),
                },
            )?;
        }
        if !sent_any && returns.iter().all(|r| r.lost == Quantity::ZERO) {
            return Err(ServiceError::invalid(
                "lines",
                "请填写归还数量",
                "Say how much comes back",
            ));
        }
        audited(c, actor, now, day, &before, "give_back")
    })
}

/// The lender extends a loan's return date (a keeper or head of a lending unit, or office staff).
pub fn extend(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    new_due: NaiveDate,
) -> ServiceResult<RequestView> {
    let day = today(now, tz);
    write_tx(conn, |c| {
        let before = get(c, actor, id, day)?;
        loan(&before)?;
        let lender = before
            .lines
            .iter()
            .filter_map(|l| l.from_warehouse_id)
            .any(|w| warehouse_for(c, actor, w, StockAction::Move).is_ok());
        if !lender {
            return Err(ServiceError::Forbidden);
        }
        let current = before.request.return_due.unwrap_or(day);
        let due = check_extension(current, new_due, day)?;
        store::set_return_due(c, id, due, db_time(now))?;
        audited(c, actor, now, day, &before, "extend")
    })
}
