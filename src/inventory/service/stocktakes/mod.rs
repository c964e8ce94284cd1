//! Stocktakes (盘点). The book is taken at opening, one line per batch on hand. Decision: in an emergency the
//! material must leave, so emergency issues (and emergency transfers) still move a warehouse being counted;
//! ordinary movements wait. A count is compared with the book at the moment it was entered, and stock that
//! moves after a line was counted asks for that line to be counted again, so an approved count is exact.

mod closing;
mod counting;

pub use closing::{approve, cancel};
pub use counting::{add_found, count, explain, open, request_recount};

use serde::Serialize;

use super::warehouse_for;
use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{
    book_hidden, check_approver, check_counting, CountLine, Quantity, StockAction, StocktakeState,
    VarianceReason,
};
use crate::inventory::store::ledger as ledger_store;
use crate::inventory::store::stocktakes::{self as store, Stocktake, StocktakeLine};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// A voucher that moved a line's batch after the count opened.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LineMove {
    pub movement_id: i64,
    pub voucher_no: String,
    /// Signed: negative went out.
    #[schema(value_type = String)]
    pub qty: Quantity,
}

/// Who counted how much of a line.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CountBy {
    /// The counter's name.
    pub name: String,
    #[schema(value_type = String)]
    pub qty: Quantity,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub counted_at: chrono::NaiveDateTime,
}

/// A stocktake line as shown: the book is hidden from counters of a blind count.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LineView {
    pub id: i64,
    pub item_id: i64,
    pub batch_id: i64,
    /// Where the batch lay when the count opened.
    pub bin: String,
    /// The book the count is compared with: when it was entered, or now if nobody has counted. `None` when
    /// the count is blind and the viewer is a counter.
    #[schema(value_type = Option<String>)]
    pub book: Option<Quantity>,
    /// The book when the count opened (hidden like `book`).
    #[schema(value_type = Option<String>)]
    pub book_at_opening: Option<Quantity>,
    #[schema(value_type = Option<String>)]
    pub counted: Option<Quantity>,
    #[schema(value_type = Option<String>)]
    pub variance: Option<Quantity>,
    /// The current counts, by counter (several counters' counts add up; a counter's new count replaces
    /// their own earlier one).
    pub counts: Vec<CountBy>,
    /// What moved this batch since the count opened.
    pub moved: Vec<LineMove>,
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

/// A line with its current counts, as the rules see it.
struct Counted {
    line: StocktakeLine,
    rule: CountLine,
    counts: Vec<store::Count>,
}

/// Every line of `st` with its current counts, each compared with the book of its counts' moment (or the
/// book now, where nobody has counted).
fn counted_lines(conn: &mut DbConn, st: &Stocktake) -> ServiceResult<Vec<Counted>> {
    let lines = store::lines(conn, st.id)?;
    let mut counts = store::counts(conn, st.id)?;
    let now: std::collections::HashMap<i64, i64> =
        ledger_store::stock(conn, st.warehouse_id, None, None)?
            .into_iter()
            .map(|s| (s.batch_id, s.qty))
            .collect();
    Ok(lines
        .into_iter()
        .map(|line| {
            let mine: Vec<store::Count> = counts
                .iter()
                .filter(|c| c.line_id == line.id)
                .cloned()
                .collect();
            counts.retain(|c| c.line_id != line.id);
            let book = mine
                .last()
                .map_or_else(|| *now.get(&line.batch_id).unwrap_or(&0), |c| c.book_qty);
            let rule = CountLine {
                book: Quantity::from_milli(book),
                counts: mine.iter().map(|c| Quantity::from_milli(c.qty)).collect(),
                recount_requested: line.recount_requested,
                reason: line.reason,
            };
            Counted {
                line,
                rule,
                counts: mine,
            }
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
    let moved = ledger_store::posted_since(conn, st.warehouse_id, st.opened_seq)?;
    let mut lines = Vec::new();
    for Counted { line, rule, counts } in counted_lines(conn, &st)? {
        let mut by = Vec::with_capacity(counts.len());
        for c in counts {
            by.push(CountBy {
                name: org_store::display_name(conn, c.counted_by)?,
                qty: Quantity::from_milli(c.qty),
                counted_at: c.counted_at,
            });
        }
        lines.push(LineView {
            id: line.id,
            item_id: line.item_id,
            batch_id: line.batch_id,
            bin: line.bin.clone(),
            book: may_see_book.then_some(rule.book),
            book_at_opening: may_see_book.then(|| Quantity::from_milli(line.book_qty)),
            counted: rule.counted(),
            variance: if may_see_book { rule.variance() } else { None },
            counts: by,
            moved: moved
                .iter()
                .filter(|m| m.batch_id == line.batch_id)
                .map(|m| LineMove {
                    movement_id: m.movement_id,
                    voucher_no: m.voucher_no.clone(),
                    qty: Quantity::from_milli(m.qty),
                })
                .collect(),
            recount_requested: line.recount_requested,
            reason: line.reason,
            note: line.note,
        });
    }
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
    /// The viewer may cancel it.
    pub may_cancel: bool,
}

/// The count sheet of stocktake `id`.
pub fn sheet(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<Sheet> {
    let view = get(conn, actor, id)?;
    let st = &view.stocktake;
    let w = warehouse_for(conn, actor, st.warehouse_id, StockAction::View)?;
    let counting = check_counting(st.state).is_ok();
    let may = |c: &mut DbConn, a| super::may(c, actor, &w, a);
    let may_move = counting && may(conn, StockAction::Move)?;
    Ok(Sheet {
        may_count: may_move,
        may_approve: counting
            && may(conn, StockAction::Approve)?
            && check_approver(st.opened_by, actor.account_id).is_ok(),
        may_cancel: may_move,
        warehouse: w.name.clone(),
        view,
    })
}

/// Stocktakes of a warehouse.
pub fn list(conn: &mut DbConn, actor: &Actor, warehouse_id: i64) -> ServiceResult<Vec<Stocktake>> {
    warehouse_for(conn, actor, warehouse_id, StockAction::View)?;
    Ok(store::of_warehouse(conn, warehouse_id)?)
}
