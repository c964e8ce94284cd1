//! Reservations (预留): hold stock in a warehouse for a purpose (by batch, or by item first-expiry-first), let
//! it go, list it, and shrink it when a count finds less than is held. Other areas (allocation, drills) hold
//! stock through [`hold_stock`] inside their own transactions.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{check_book_visible, warehouse_for};
use crate::audit::{model::Change, service as audit};
use crate::clock::today;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{
    check_purpose, check_release, check_reservable, fefo, short_to_reserve, shrink, OnHand,
    Quality, Quantity, ReservationState, StockAction,
};
use crate::inventory::store::catalogue as cat_store;
use crate::inventory::store::ledger as ledger_store;
use crate::inventory::store::reservations::{self as store, NewReservation, Reservation};
use crate::org::model::Actor;

/// What to hold: one batch, or an item taken first-expiry-first from the warehouse's usable batches; for an
/// emergency order, an item taken from its usable batches first and then from those needing repair (the order
/// overrides the repair mark, and the voucher that sends it records the override).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    Batch(i64),
    Item(i64),
    Urgent(i64),
}

/// A reservation as people read it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReservationView {
    #[serde(flatten)]
    pub reservation: Reservation,
    /// Held now, an exact decimal.
    pub held: String,
    /// Reserved at first.
    pub reserved: String,
    pub item_name: String,
    pub batch_no: String,
    pub uom: String,
}

fn view(conn: &mut DbConn, r: Reservation) -> ServiceResult<ReservationView> {
    let item = cat_store::find_item(conn, r.item_id)?;
    let batch = cat_store::find_batch(conn, r.batch_id)?;
    Ok(ReservationView {
        held: Quantity::from_milli(r.held_qty).to_string(),
        reserved: Quantity::from_milli(r.reserved_qty).to_string(),
        item_name: item.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
        uom: item.map(|i| i.uom).unwrap_or_default(),
        batch_no: batch.map(|b| b.batch_no).unwrap_or_default(),
        reservation: r,
    })
}

/// Holds `qty` in a warehouse for `purpose` on behalf of account `by`, in the caller's transaction (the caller
/// has checked who may). A batch must be usable (good, not expired, not needing repair) and have that much
/// free; an item is taken from its usable batches, earliest expiry first. Returns the reservations made (one
/// per batch).
#[allow(clippy::too_many_arguments)]
pub fn hold_stock(
    conn: &mut DbConn,
    by: i64,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    warehouse_id: i64,
    what: Hold,
    qty: Quantity,
    purpose: &str,
    held_for: &str,
    until: Option<NaiveDate>,
) -> ServiceResult<Vec<i64>> {
    let purpose = check_purpose(purpose)?;
    let day = today(now, tz);
    let item_id = match what {
        Hold::Batch(b) => {
            let batch = cat_store::find_batch(conn, b)?
                .ok_or_else(|| ServiceError::not_found("该批次", "Batch"))?;
            check_reservable(batch.needs_repair, &batch.batch_no)?;
            batch.item_id
        }
        Hold::Item(i) | Hold::Urgent(i) => i,
    };
    crate::inventory::store::warehouses::lock(conn, warehouse_id)?;
    let picks = picks(conn, warehouse_id, item_id, what, qty, day)?;
    let got = picks
        .iter()
        .try_fold(Quantity::ZERO, |sum, (_, q)| sum.checked_add(*q))
        .unwrap_or_default();
    if got < qty {
        let name = match what {
            Hold::Batch(b) => cat_store::find_batch(conn, b)?
                .map(|b| b.batch_no)
                .unwrap_or_default(),
            Hold::Item(i) | Hold::Urgent(i) => cat_store::find_item(conn, i)?
                .map(|i| i.name)
                .unwrap_or_default(),
        };
        return Err(short_to_reserve(&name, got, qty));
    }
    let mut made = Vec::new();
    for (batch_id, q) in picks {
        if !store::hold(conn, warehouse_id, batch_id, q)? {
            // Someone else reserved or issued it since it was read: the caller's transaction rolls back.
            return Err(ServiceError::conflict(
                "库存刚被其他操作占用，请刷新后重试",
                "The stock was just taken by another operation; refresh and try again",
            ));
        }
        made.push(store::insert(
            conn,
            &NewReservation {
                warehouse_id,
                batch_id,
                item_id,
                held_qty: q.milli(),
                reserved_qty: q.milli(),
                state: ReservationState::Held,
                purpose: purpose.clone(),
                held_for: held_for.to_string(),
                until,
                created_by: by,
                created_at: db_time(now),
            },
        )?);
    }
    Ok(made)
}

/// The batches and quantities to hold for `qty` (less when stock is short): good and not expired, first expiry
/// first; not needing repair, except that an emergency order takes such batches after all the others.
fn picks(
    conn: &mut DbConn,
    warehouse_id: i64,
    item_id: i64,
    what: Hold,
    qty: Quantity,
    day: NaiveDate,
) -> ServiceResult<Vec<(i64, Quantity)>> {
    let rows: Vec<_> = ledger_store::stock(conn, warehouse_id, Some(item_id), None)?
        .into_iter()
        .filter(|r| r.quality == Quality::Good)
        .filter(|r| !matches!(what, Hold::Batch(b) if b != r.batch_id))
        .collect();
    let on_hand = |broken: bool| -> Vec<OnHand> {
        rows.iter()
            .filter(|r| r.needs_repair == broken)
            .map(|r| OnHand {
                batch_id: r.batch_id,
                expiry: r.expiry_date,
                qty: Quantity::from_milli(r.qty - r.reserved),
            })
            .collect()
    };
    let mut out = fefo(on_hand(false), qty, day);
    if let Hold::Urgent(_) = what {
        let got = out
            .iter()
            .try_fold(Quantity::ZERO, |sum, (_, q)| sum.checked_add(*q))
            .unwrap_or_default();
        if let Some(left) = qty.checked_sub(got).filter(|l| *l > Quantity::ZERO) {
            out.extend(fefo(on_hand(true), left, day));
        }
    }
    Ok(out)
}

/// How much of an item a warehouse could hold now: good, not expired, not yet reserved, and not needing repair
/// unless `urgent` (an emergency order).
pub fn free_to_hold(
    conn: &mut DbConn,
    warehouse_id: i64,
    item_id: i64,
    urgent: bool,
    today: chrono::NaiveDate,
) -> ServiceResult<Quantity> {
    let what = if urgent {
        Hold::Urgent(item_id)
    } else {
        Hold::Item(item_id)
    };
    Ok(picks(
        conn,
        warehouse_id,
        item_id,
        what,
        Quantity::from_milli(i64::MAX / 4),
        today,
    )?
    .iter()
    .try_fold(Quantity::ZERO, |sum, (_, q)| sum.checked_add(*q))
    .unwrap_or_default())
}

/// Takes `qty` of an item out of what is held for `held_for` in a warehouse, to be issued at once in the
/// caller's transaction: the balances' reserved part shrinks and the reservations are marked used (oldest
/// first). Returns the batches and quantities taken; refuses when less is held.
pub fn use_reserved(
    conn: &mut DbConn,
    warehouse_id: i64,
    held_for: &str,
    item_id: i64,
    qty: Quantity,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<(i64, Quantity)>> {
    let mut left = qty;
    let mut taken: Vec<(i64, Quantity)> = Vec::new();
    for r in store::held_for(conn, warehouse_id, held_for, item_id)? {
        if left <= Quantity::ZERO {
            break;
        }
        let held = Quantity::from_milli(r.held_qty);
        let take = if held < left { held } else { left };
        if !store::unhold(conn, warehouse_id, r.batch_id, take)? {
            return Err(ServiceError::Internal(
                "a reservation holds more than its balance records".into(),
            ));
        }
        let stays = held.checked_sub(take).unwrap_or_default();
        let closing =
            (stays == Quantity::ZERO).then_some((ReservationState::Used, None, db_time(now)));
        store::set_held(conn, r.id, stays, closing, &r.note)?;
        match taken.iter_mut().find(|t| t.0 == r.batch_id) {
            Some((_, q)) => *q = q.checked_add(take).unwrap_or(*q),
            None => taken.push((r.batch_id, take)),
        }
        left = left.checked_sub(take).unwrap_or_default();
    }
    if left > Quantity::ZERO {
        return Err(ServiceError::conflict(
            "预留的数量不足以发出这么多（预留可能已被释放或因盘点减少）",
            "Less is held than is to be sent (the reservation may have been released or shrunk by a count)",
        ));
    }
    Ok(taken)
}

/// Lets go of everything held for `held_for` of an item in a warehouse (a cancelled allocation), in the
/// caller's transaction; returns how much was let go.
pub fn release_held_for(
    conn: &mut DbConn,
    warehouse_id: i64,
    held_for: &str,
    item_id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> ServiceResult<Quantity> {
    let mut total = Quantity::ZERO;
    for r in store::held_for(conn, warehouse_id, held_for, item_id)? {
        let held = Quantity::from_milli(r.held_qty);
        if !store::unhold(conn, warehouse_id, r.batch_id, held)? {
            return Err(ServiceError::Internal(
                "a reservation holds more than its balance records".into(),
            ));
        }
        let closing = Some((ReservationState::Released, Some(by), db_time(now)));
        store::set_held(conn, r.id, Quantity::ZERO, closing, &r.note)?;
        total = total.checked_add(held).unwrap_or(total);
    }
    Ok(total)
}

/// A reservation asked for by hand.
#[derive(Debug, Clone)]
pub struct ReserveInput {
    pub what: Hold,
    pub qty: Quantity,
    pub purpose: String,
    pub until: Option<NaiveDate>,
}

/// Sets stock aside by hand (those who may move the warehouse's stock); audited.
pub fn reserve(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    warehouse_id: i64,
    input: ReserveInput,
) -> ServiceResult<Vec<ReservationView>> {
    let ids = write_tx(conn, |c| {
        let w = warehouse_for(c, actor, warehouse_id, StockAction::Move)?;
        check_book_visible(c, actor, &w)?;
        let ids = hold_stock(
            c,
            actor.account_id,
            now,
            tz,
            w.id,
            input.what,
            input.qty,
            &input.purpose,
            "",
            input.until,
        )?;
        for id in &ids {
            let after = store::find(c, *id)?;
            let change = Change::of("reservation", *id, Some(w.unit_id), None, after.as_ref())
                .action("create");
            audit::record(c, Some(actor), now, change)?;
        }
        Ok::<_, ServiceError>(ids)
    })?;
    let mut made = Vec::new();
    for id in ids {
        if let Some(r) = store::find(conn, id)? {
            made.push(view(conn, r)?);
        }
    }
    Ok(made)
}

/// Lets go of all or part of a reservation (those who may move the warehouse's stock); audited.
pub fn release(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    qty: Option<Quantity>,
) -> ServiceResult<ReservationView> {
    let r = write_tx(conn, |c| {
        let before =
            store::find(c, id)?.ok_or_else(|| ServiceError::not_found("该预留", "Reservation"))?;
        let w = warehouse_for(c, actor, before.warehouse_id, StockAction::Move)?;
        let held = Quantity::from_milli(before.held_qty);
        let amount = check_release(before.state, held, qty)?;
        if !store::unhold(c, w.id, before.batch_id, amount)? {
            return Err(ServiceError::Internal(
                "a reservation holds more than its balance records".into(),
            ));
        }
        let left = held.checked_sub(amount).unwrap_or_default();
        let closing = (left == Quantity::ZERO).then_some((
            ReservationState::Released,
            Some(actor.account_id),
            db_time(now),
        ));
        store::set_held(c, id, left, closing, &before.note)?;
        let after = store::find(c, id)?;
        let change = Change::of(
            "reservation",
            id,
            Some(w.unit_id),
            Some(&before),
            after.as_ref(),
        )
        .action("release");
        audit::record(c, Some(actor), now, change)?;
        after.ok_or_else(|| ServiceError::not_found("该预留", "Reservation"))
    })?;
    view(conn, r)
}

/// A warehouse's reservations (those held, or all), for anyone who may see its stock.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    warehouse_id: i64,
    held_only: bool,
) -> ServiceResult<Vec<ReservationView>> {
    let w = warehouse_for(conn, actor, warehouse_id, StockAction::View)?;
    check_book_visible(conn, actor, &w)?;
    store::of_warehouse(conn, w.id, held_only)?
        .into_iter()
        .map(|r| view(conn, r))
        .collect()
}

/// Before `amount` of a batch is written off as missing in a count: the reservations beyond what stays
/// shrink, newest first, and say why.
pub(crate) fn make_room(
    conn: &mut DbConn,
    warehouse_id: i64,
    batch_id: i64,
    amount: Quantity,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let (qty, reserved) = store::on_hand(conn, warehouse_id, batch_id)?;
    let stays = qty.checked_sub(amount).unwrap_or_default();
    let Some(excess) = reserved.checked_sub(stays).filter(|e| *e > Quantity::ZERO) else {
        return Ok(());
    };
    let held: Vec<(i64, Quantity)> = store::held_on(conn, warehouse_id, batch_id)?
        .into_iter()
        .map(|r| (r.id, Quantity::from_milli(r.held_qty)))
        .collect();
    for (id, new) in shrink(&held, excess) {
        let old = held.iter().find(|h| h.0 == id).map_or(new, |h| h.1);
        store::unhold(
            conn,
            warehouse_id,
            batch_id,
            old.checked_sub(new).unwrap_or_default(),
        )?;
        let closing =
            (new == Quantity::ZERO).then_some((ReservationState::Released, None, db_time(now)));
        let note =
            format!("盘点短少，预留由 {old} 减为 {new} / A count found less: held {old} → {new}");
        store::set_held(conn, id, new, closing, &note)?;
    }
    Ok(())
}
