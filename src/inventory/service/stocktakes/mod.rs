//! Stocktakes (盘点). Decision: while a warehouse is being counted, its stock does not move (receipts,
//! issues and countersignatures wait), so the book frozen at opening stays the book being counted.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ledger::{insert, post};
use super::warehouse_for;
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{
    book_hidden, check_approvable, check_approver, check_counting, CountLine, Line, MovementKind,
    MovementState, Quantity, StockAction, StocktakeState, VarianceReason,
};
use crate::inventory::store::ledger::NewMovement;
use crate::inventory::store::stocktakes::{self as store, Stocktake, StocktakeLine};
use crate::inventory::store::{catalogue as cat_store, ledger as ledger_store};
use crate::org::model::{optional_text, Actor};

/// A stocktake line as shown: the book is hidden from counters of a blind count.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LineView {
    pub id: i64,
    pub item_id: i64,
    pub batch_id: i64,
    /// Where the batch lay when the count opened.
    pub bin: String,
    /// `None` when the count is blind and the viewer is a counter.
    #[schema(value_type = Option<String>)]
    pub book: Option<Quantity>,
    #[schema(value_type = Option<String>)]
    pub counted: Option<Quantity>,
    #[schema(value_type = Option<String>)]
    pub variance: Option<Quantity>,
    /// Number of current counts (several counters are summed).
    pub counts: usize,
    pub recount_requested: bool,
    pub reason: Option<VarianceReason>,
    pub note: String,
}

/// A stocktake with its lines.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StocktakeView {
    #[serde(flatten)]
    pub stocktake: Stocktake,
    pub lines: Vec<LineView>,
}

fn count_lines(
    conn: &mut DbConn,
    st: &Stocktake,
) -> ServiceResult<Vec<(StocktakeLine, CountLine)>> {
    let lines = store::lines(conn, st.id)?;
    let counts = store::counts(conn, st.id)?;
    Ok(lines
        .into_iter()
        .map(|l| {
            let rule = CountLine {
                book: Quantity::from_milli(l.book_qty),
                counts: counts
                    .iter()
                    .filter(|(line, _, _)| *line == l.id)
                    .map(|(_, _, q)| Quantity::from_milli(*q))
                    .collect(),
                recount_requested: l.recount_requested,
                reason: l.reason,
            };
            (l, rule)
        })
        .collect())
}

/// A stocktake the actor may see; the book shows unless the count is blind, still open, and the actor is
/// not an approver.
pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<StocktakeView> {
    let st =
        store::find(conn, id)?.ok_or_else(|| ServiceError::not_found("该盘点", "Stocktake"))?;
    warehouse_for(conn, actor, st.warehouse_id, StockAction::View)?;
    let may_see_book = !book_hidden(
        st.blind && st.state == StocktakeState::Counting,
        warehouse_for(conn, actor, st.warehouse_id, StockAction::Approve).is_ok(),
    );
    let lines = count_lines(conn, &st)?
        .into_iter()
        .map(|(l, rule)| LineView {
            id: l.id,
            item_id: l.item_id,
            batch_id: l.batch_id,
            bin: l.bin.clone(),
            book: may_see_book.then_some(rule.book),
            counted: rule.counted(),
            variance: if may_see_book { rule.variance() } else { None },
            counts: rule.counts.len(),
            recount_requested: l.recount_requested,
            reason: l.reason,
            note: l.note,
        })
        .collect();
    Ok(StocktakeView {
        stocktake: st,
        lines,
    })
}

/// A count sheet as its page shows it: the stocktake, its warehouse's name, and what the viewer may do.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub view: StocktakeView,
    pub warehouse: String,
    /// The viewer may enter counts, ask for recounts and explain differences.
    pub may_count: bool,
    /// The viewer may approve it (an approver other than its opener).
    pub may_approve: bool,
}

/// The count sheet of stocktake `id`.
pub fn sheet(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<Sheet> {
    let view = get(conn, actor, id)?;
    let st = &view.stocktake;
    let w = warehouse_for(conn, actor, st.warehouse_id, StockAction::View)?;
    let counting = check_counting(st.state).is_ok();
    let may = |c: &mut DbConn, a| super::may(c, actor, &w, a);
    Ok(Sheet {
        may_count: counting && may(conn, StockAction::Move)?,
        may_approve: counting
            && may(conn, StockAction::Approve)?
            && check_approver(st.opened_by, actor.account_id).is_ok(),
        warehouse: w.name.clone(),
        view,
    })
}

/// Stocktakes of a warehouse.
pub fn list(conn: &mut DbConn, actor: &Actor, warehouse_id: i64) -> ServiceResult<Vec<Stocktake>> {
    warehouse_for(conn, actor, warehouse_id, StockAction::View)?;
    Ok(store::of_warehouse(conn, warehouse_id)?)
}

/// Opens a count: the book is frozen into the lines, and the warehouse's stock stops moving.
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
        warehouse_for(c, actor, warehouse_id, StockAction::Move)?;
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

/// Enters a count for a line (several counters' counts are summed).
pub fn count(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    line_id: i64,
    qty: Quantity,
) -> ServiceResult<i64> {
    write_tx(conn, |c| {
        let (st, line) = open_line(c, actor, line_id, StockAction::Move)?;
        store::add_count(c, line.id, actor.account_id, qty.milli(), db_time(now))?;
        let change = Change {
            entity: "stocktake",
            entity_id: Some(st.id),
            unit_id: None,
            action: "count",
            before: None,
            after: Some(
                serde_json::json!({"line_id": line.id, "batch_id": line.batch_id, "qty": qty.to_string()}),
            ),
        };
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
            Change {
                entity: "stocktake",
                entity_id: Some(st.id),
                unit_id: None,
                action: "add_line",
                before: None,
                after: serde_json::to_value(&line).ok(),
            },
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
            Change {
                entity: "stocktake",
                entity_id: Some(st.id),
                unit_id: None,
                action: "recount",
                before: None,
                after: Some(serde_json::json!({"line_id": line.id})),
            },
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
            Change {
                entity: "stocktake",
                entity_id: Some(st.id),
                unit_id: None,
                action: "explain",
                before: None,
                after: Some(after),
            },
        )?;
        Ok(st.id)
    })
}

/// The approver's signature: posts the gains and losses as movements (opener and approver are the two
/// signatures) and closes the stocktake for good.
pub fn approve(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
) -> ServiceResult<StocktakeView> {
    write_tx(conn, |c| {
        let st =
            store::find(c, id)?.ok_or_else(|| ServiceError::not_found("该盘点", "Stocktake"))?;
        let w = warehouse_for(c, actor, st.warehouse_id, StockAction::Approve)?;
        check_approver(st.opened_by, actor.account_id)?;
        let lines = count_lines(c, &st)?;
        let rules: Vec<CountLine> = lines.iter().map(|(_, r)| r.clone()).collect();
        check_approvable(st.state, &rules)?;
        let mut gains = Vec::new();
        let mut losses = Vec::new();
        for (l, r) in &lines {
            match r.variance() {
                Some(v) if v > Quantity::ZERO => gains.push(Line {
                    item_id: l.item_id,
                    batch_id: l.batch_id,
                    qty: v,
                }),
                Some(v) if v < Quantity::ZERO => losses.push(Line {
                    item_id: l.item_id,
                    batch_id: l.batch_id,
                    qty: v,
                }),
                _ => {}
            }
        }
        for (kind, adj) in [
            (MovementKind::CountLoss, losses),
            (MovementKind::CountGain, gains),
        ] {
            if adj.is_empty() {
                continue;
            }
            let new = NewMovement {
                warehouse_id: w.id,
                unit_id: w.unit_id,
                kind,
                voucher_no: String::new(),
                reason: format!("盘点 #{} 差异调整", st.id),
                state: MovementState::Pending,
                emergency: false,
                created_by: st.opened_by,
                created_at: db_time(now),
                reverses_id: None,
                counterpart_warehouse_id: None,
                stocktake_id: Some(st.id),
            };
            let m = insert(c, w.unit_id, new, &adj, now, tz)?;
            post(c, &m, &adj, now, Some(actor.account_id), tz)?;
        }
        finish(
            c,
            actor,
            now,
            &st,
            w.unit_id,
            StocktakeState::Approved,
            "approve",
        )
    })?;
    get(conn, actor, id)
}

/// Abandons a count without changing stock.
pub fn cancel(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> ServiceResult<StocktakeView> {
    write_tx(conn, |c| {
        let st =
            store::find(c, id)?.ok_or_else(|| ServiceError::not_found("该盘点", "Stocktake"))?;
        let w = warehouse_for(c, actor, st.warehouse_id, StockAction::Move)?;
        finish(
            c,
            actor,
            now,
            &st,
            w.unit_id,
            StocktakeState::Cancelled,
            "cancel",
        )
    })?;
    get(conn, actor, id)
}

/// Closes a counting stocktake as approved or cancelled (once only) and audits it.
fn finish(
    c: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    st: &Stocktake,
    unit_id: i64,
    state: StocktakeState,
    action: &'static str,
) -> ServiceResult<()> {
    if !store::close(c, st.id, state.code(), actor.account_id, db_time(now))? {
        return Err(ServiceError::conflict(
            "该盘点已结束",
            "This stocktake is already finished",
        ));
    }
    let after = store::find(c, st.id)?;
    audit::record(
        c,
        Some(actor),
        now,
        Change::of("stocktake", st.id, Some(unit_id), Some(st), after.as_ref()).action(action),
    )
}
