//! Counting: opening a count, entering counts, adding goods found, asking for recounts, explaining
//! differences.

use chrono::{DateTime, Utc};

use super::get;
use super::StocktakeView;
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{check_counting, check_whole, Quantity, StockAction, VarianceReason};
use crate::inventory::service::warehouse_for;
use crate::inventory::store::stocktakes::{self as store, Stocktake, StocktakeLine};
use crate::inventory::store::{catalogue as cat_store, ledger as ledger_store};
use crate::org::model::{optional_text, Actor};

/// Opens a count: one line per batch on hand, with the book of this moment; ordinary movements wait until it
/// is approved or cancelled.
pub fn open(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    warehouse_id: i64,
    blind: bool,
    note: &str,
) -> ServiceResult<StocktakeView> {
    let note = optional_text("note", note, 500)?;
    let id = write_tx(conn, |c| {
        let w = warehouse_for(c, actor, warehouse_id, StockAction::Move)?;
        crate::inventory::model::check_kept_by_hand(w.kind, &w.name)?;
        if store::open_of(c, warehouse_id)?.is_some() {
            return Err(ServiceError::conflict(
                "该储备库已有进行中的盘点",
                "This warehouse already has a stocktake in progress",
            ));
        }
        let st = store::open(
            c,
            warehouse_id,
            blind,
            actor.account_id,
            db_time(now),
            &note,
            w.chain_seq,
        )?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("stocktake", st.id, None, None, Some(&st)),
        )?;
        Ok(st.id)
    })?;
    get(conn, actor, id)
}

fn open_line(
    conn: &mut DbConn,
    actor: &Actor,
    line_id: i64,
    action: StockAction,
) -> ServiceResult<(Stocktake, StocktakeLine)> {
    let line = store::find_line(conn, line_id)?
        .ok_or_else(|| ServiceError::not_found("该盘点行", "Stocktake line"))?;
    let st = store::find(conn, line.stocktake_id)?
        .ok_or_else(|| ServiceError::not_found("该盘点", "Stocktake"))?;
    warehouse_for(conn, actor, st.warehouse_id, action)?;
    check_counting(st.state)?;
    Ok((st, line))
}

/// Enters a count for a line, compared with the book of this moment (read under lock, so no movement slips
/// in between). A counter's new count replaces their own earlier one; several counters' counts add up.
pub fn count(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    line_id: i64,
    qty: Quantity,
) -> ServiceResult<i64> {
    write_tx(conn, |c| {
        let (st, line) = open_line(c, actor, line_id, StockAction::Move)?;
        if let Some(item) = cat_store::find_item(c, line.item_id)? {
            check_whole(item.divisible, qty, &item.name, &item.uom)?;
        }
        let book = ledger_store::balance_locked(c, st.warehouse_id, line.batch_id)?;
        store::add_count(
            c,
            line.id,
            actor.account_id,
            qty.milli(),
            book.milli(),
            db_time(now),
        )?;
        let after = serde_json::json!({"line_id": line.id, "batch_id": line.batch_id, "qty": qty.to_string()});
        let change = Change::of("stocktake", st.id, None, None, Some(&after)).action("count");
        audit::record(c, Some(actor), now, change)?;
        Ok(st.id)
    })
}

/// Adds a line for goods found that are not on the book (book quantity zero).
pub fn add_found(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    stocktake_id: i64,
    batch_id: i64,
) -> ServiceResult<StocktakeLine> {
    write_tx(conn, |c| {
        let st = store::find(c, stocktake_id)?
            .ok_or_else(|| ServiceError::not_found("该盘点", "Stocktake"))?;
        warehouse_for(c, actor, st.warehouse_id, StockAction::Move)?;
        check_counting(st.state)?;
        let batch = cat_store::find_batch(c, batch_id)?
            .ok_or_else(|| ServiceError::invalid("batch_id", "批次不存在", "No such batch"))?;
        if store::lines(c, st.id)?
            .iter()
            .any(|l| l.batch_id == batch_id)
        {
            return Err(ServiceError::conflict(
                "该批次已在盘点表中",
                "This batch is already on the count sheet",
            ));
        }
        let bin = ledger_store::bin_of(c, st.warehouse_id, batch_id)?;
        let line = store::add_line(c, st.id, batch.item_id, batch_id, 0, &bin)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("stocktake", st.id, None, None, Some(&line)).action("add_line"),
        )?;
        Ok(line)
    })
}

/// Asks for a line to be counted again: the earlier counts no longer count.
pub fn request_recount(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    line_id: i64,
) -> ServiceResult<i64> {
    write_tx(conn, |c| {
        let (st, line) = open_line(c, actor, line_id, StockAction::Move)?;
        store::request_recount(c, line.id)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "stocktake",
                st.id,
                None,
                None,
                Some(&serde_json::json!({"line_id": line.id})),
            )
            .action("recount"),
        )?;
        Ok(st.id)
    })
}

/// Explains a line's difference.
pub fn explain(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    line_id: i64,
    reason: Option<VarianceReason>,
    note: &str,
) -> ServiceResult<i64> {
    let note = optional_text("note", note, 500)?;
    write_tx(conn, |c| {
        let (st, line) = open_line(c, actor, line_id, StockAction::Move)?;
        store::set_reason(c, line.id, reason, &note)?;
        let after = serde_json::json!({"line_id": line.id, "reason": reason.map(|r| r.code()), "note": note});
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("stocktake", st.id, None, None, Some(&after)).action("explain"),
        )?;
        Ok(st.id)
    })
}
