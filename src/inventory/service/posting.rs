//! Posting a movement: balances (decrements conditional, never below zero), the warehouse's hash chain, the
//! state, the matching transfer-in, and what a movement during a count does to the count sheet.

use chrono::{DateTime, Datelike, Utc};

use super::blind_count_open;
use crate::db::{db_time, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::Quantity;
use crate::inventory::model::{
    chain_hash, check_moves_during_count, check_serial_receipt, voucher_no, ChainEntry, Line,
    MovementKind, OpenCount,
};
use crate::inventory::store::ledger::{self as store, Movement, NewMovement};
use crate::inventory::store::reservations as res_store;
use crate::inventory::store::{
    catalogue as cat_store, stocktakes as st_store, warehouses as wh_store,
};

/// The refusal for an issue the stock cannot cover. During a blind count it does not say how much is there.
pub(crate) fn insufficient(conn: &mut DbConn, warehouse_id: i64, line: &Line) -> ServiceError {
    let batch = cat_store::find_batch(conn, line.batch_id)
        .ok()
        .flatten()
        .map(|b| b.batch_no)
        .unwrap_or_default();
    if blind_count_open(conn, warehouse_id).unwrap_or(true) {
        return ServiceError::conflict(
            format!(
                "库存不足：批次 {batch} 没有 {} 可出（正在盲盘，不显示账面数）",
                -line.qty
            ),
            format!(
                "Not enough stock: batch {batch} does not hold {} (counted blind: the book is not shown)",
                -line.qty
            ),
        );
    }
    let (have, reserved) =
        res_store::on_hand(conn, warehouse_id, line.batch_id).unwrap_or_default();
    if reserved > Quantity::ZERO {
        let free = have.checked_sub(reserved).unwrap_or_default();
        return ServiceError::conflict(
            format!(
                "库存不足：批次 {batch} 现有 {have}，其中 {reserved} 已预留（调拨、演练等），可出 {free}，需要 {}",
                -line.qty
            ),
            format!(
                "Not enough stock: batch {batch} has {have}, of which {reserved} is reserved (an allocation, a drill): {free} can go, {} needed",
                -line.qty
            ),
        );
    }
    ServiceError::conflict(
        format!("库存不足：批次 {batch} 现有 {have}，需要 {}", -line.qty),
        format!(
            "Not enough stock: batch {batch} has {have}, {} needed",
            -line.qty
        ),
    )
}

/// Refuses a movement in a warehouse being counted unless an emergency sends it; the refusal names the
/// warehouse and its count.
pub(crate) fn check_count_allows(
    conn: &mut DbConn,
    warehouse_id: i64,
    emergency: bool,
) -> ServiceResult<()> {
    let Some(st) = st_store::open_of(conn, warehouse_id)? else {
        return Ok(());
    };
    let name = wh_store::find(conn, warehouse_id)?
        .map(|w| w.name)
        .unwrap_or_default();
    check_moves_during_count(
        emergency,
        Some(OpenCount {
            id: st.id,
            warehouse: &name,
        }),
    )
}

/// Stock moved in a warehouse being counted (an emergency): a line already counted must be counted again,
/// since its count no longer matches the book; a batch new to the warehouse joins the sheet.
fn touch_open_count(conn: &mut DbConn, m: &Movement, lines: &[Line]) -> ServiceResult<()> {
    let Some(st) = st_store::open_of(conn, m.warehouse_id)? else {
        return Ok(());
    };
    if m.stocktake_id == Some(st.id) {
        return Ok(()); // the count's own adjustments, posted as it is approved
    }
    for l in lines {
        if !st_store::moved_after_counting(conn, st.id, l.batch_id)? {
            let bin = store::bin_of(conn, m.warehouse_id, l.batch_id)?;
            st_store::add_line(conn, st.id, l.item_id, l.batch_id, 0, &bin)?;
        }
    }
    Ok(())
}

/// Posts a movement: balances (decrements conditional), chain link, state. A transfer also moves the goods
/// on or off the road (`transit::legs`).
pub(crate) fn post(
    conn: &mut DbConn,
    m: &Movement,
    lines: &[Line],
    now: DateTime<Utc>,
    signer: Option<i64>,
    tz: chrono_tz::Tz,
) -> ServiceResult<()> {
    let received: Vec<i64> = lines
        .iter()
        .filter(|l| !l.qty.is_negative())
        .map(|l| l.item_id)
        .collect();
    let serial: Vec<i64> = if received.is_empty() {
        Vec::new()
    } else {
        cat_store::find_items(conn, &received)?
            .into_iter()
            .filter(|i| i.track_serial)
            .map(|i| i.id)
            .collect()
    };
    for l in lines {
        if l.qty.is_negative() {
            if m.kind == MovementKind::CountLoss {
                // The stock is not there: reservations beyond what is left shrink.
                super::reservations::make_room(conn, m.warehouse_id, l.batch_id, -l.qty, now)?;
            }
            if !store::decrease(conn, m.warehouse_id, l.batch_id, -l.qty)? {
                return Err(insufficient(conn, m.warehouse_id, l));
            }
        } else {
            if serial.contains(&l.item_id) {
                check_serial_receipt(store::total_balance(conn, l.batch_id)?)?;
            }
            store::increase(conn, m.warehouse_id, l)?;
        }
    }
    touch_open_count(conn, m, lines)?;
    let at = db_time(now);
    let (seq, prev) = wh_store::advance_chain(conn, m.warehouse_id)?;
    let entry = ChainEntry {
        warehouse_id: m.warehouse_id,
        seq,
        kind: m.kind.code(),
        voucher_no: &m.voucher_no,
        posted_at: at,
        lines,
    };
    let hash = chain_hash(&prev, &entry);
    wh_store::set_chain_head(conn, m.warehouse_id, &hash)?;
    if store::mark_posted(conn, m.id, seq, &prev, &hash, at, signer)? != 1 {
        return Err(ServiceError::conflict(
            "该凭证已过账",
            "This voucher is already posted",
        ));
    }
    super::transit::legs(conn, m, lines, now, signer, tz)?;
    Ok(())
}

/// Inserts a movement with a fresh voucher number of its unit and year.
pub(crate) fn insert(
    conn: &mut DbConn,
    unit_id: i64,
    mut new: NewMovement,
    lines: &[Line],
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<Movement> {
    let kind = new.kind;
    let year = now.with_timezone(&tz).year();
    let n = store::next_voucher(conn, unit_id, kind.voucher_prefix(), year)?;
    new.voucher_no = voucher_no(kind.voucher_prefix(), year, n);
    Ok(store::insert_movement(conn, &new, lines)?)
}
