//! Ending a request: cancelling what is not yet sent (reservations let go, what is on the road still counted
//! in) and closing it (办结) once everything is accounted for and posted.

use chrono::{DateTime, Utc};

use super::deciding::stale;
use super::fulfil::{audited, open};
use super::{get, tree, RequestView};
use crate::allocation::model::{
    authorize_alloc, cancel as cancel_line, close as close_line, held_for, AllocAction,
    RequestState,
};
use crate::allocation::store;
use crate::clock::today;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{ConsignmentState, MovementState, Quantity};
use crate::inventory::service::reservations::release_held_for;
use crate::org::model::Actor;

/// Cancels what is not yet sent (the requester, or office staff), with a reason: reservations are let go.
/// Lines already partly sent keep what was sent and go on to be received.
pub fn cancel(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    reason: &str,
) -> ServiceResult<RequestView> {
    let day = today(now, tz);
    let reason = crate::inventory::model::reason(reason).map_err(|_| {
        ServiceError::invalid("reason", "请写明取消原因", "Say why it is cancelled")
    })?;
    write_tx(conn, |c| {
        let before = get(c, actor, id, day)?;
        open(&before)?;
        authorize_alloc(
            actor,
            AllocAction::Ask,
            before.request.unit_id,
            &*tree(c, actor)?,
        )?;
        let key = held_for(id);
        let mut moving = false;
        for line in store::lines_of(c, id)? {
            let was = line.facts();
            let (next, release) = cancel_line(was)?;
            if release > Quantity::ZERO {
                if let Some(from) = line.from_warehouse_id {
                    release_held_for(c, from, &key, line.item_id, actor.account_id, now)?;
                }
            }
            if next != was && !store::update_line(c, line.id, &was, &next)? {
                return Err(stale());
            }
            moving |= !next.state.is_final();
        }
        let state = if moving {
            RequestState::Open
        } else {
            RequestState::Cancelled
        };
        store::set_state(c, id, state, &reason, db_time(now))?;
        audited(c, actor, now, day, &before, "cancel")
    })
}

/// Closes the request (办结) once every line is received (a loan: and all of it came back) or ended, every
/// consignment was counted in and every receipt and loss voucher has posted. The requester or office staff.
pub fn close(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
) -> ServiceResult<RequestView> {
    let day = today(now, tz);
    write_tx(conn, |c| {
        let before = get(c, actor, id, day)?;
        open(&before)?;
        authorize_alloc(
            actor,
            AllocAction::Ask,
            before.request.unit_id,
            &*tree(c, actor)?,
        )?;
        for cons in &before.consignments {
            let unsigned = |s: Option<MovementState>| s.is_some_and(|s| s != MovementState::Posted);
            if cons.consignment.state == ConsignmentState::InTransit
                || unsigned(cons.receipt_state)
                || unsigned(cons.loss_state)
            {
                return Err(ServiceError::conflict(
                    format!("在途单（{}）尚未接收完毕或凭证尚未复核过账，不能办结", cons.out_voucher_no),
                    format!("Consignment {} is not yet received and posted: the request cannot be closed", cons.out_voucher_no),
                ));
            }
        }
        for r in &before.returns {
            let posted = match r.loss_movement_id {
                Some(m) => crate::inventory::store::ledger::find_movement(c, m)?
                    .is_some_and(|m| m.state == MovementState::Posted),
                None => true,
            };
            if !posted {
                return Err(ServiceError::conflict(
                    "借用物资丢失的报损凭证尚未审批过账，不能办结",
                    "The write-off of what was lost on loan is not approved yet: the request cannot be closed",
                ));
            }
        }
        for line in store::lines_of(c, id)? {
            let was = line.facts();
            let next = close_line(was, before.request.kind)?;
            if next != was && !store::update_line(c, line.id, &was, &next)? {
                return Err(stale());
            }
        }
        store::set_state(
            c,
            id,
            RequestState::Closed,
            &before.request.cancel_reason,
            db_time(now),
        )?;
        audited(c, actor, now, day, &before, "close")
    })
}
