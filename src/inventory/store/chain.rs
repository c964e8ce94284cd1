//! Reading the ledger whole: the verifier's walk along each chain, the book it compares against, and
//! the full ledger of a warehouse for export.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ledger::Movement;
use crate::db::schema::{balances, movement_lines, movements};
use crate::db::DbConn;
use crate::inventory::model::{Line, Quantity};

/// One posted ledger row as the verifier reads it (movement fields repeated per line).
#[derive(Debug, Clone, Queryable)]
pub struct ChainRow {
    pub seq: Option<i64>,
    pub kind: String,
    pub voucher_no: String,
    pub posted_at: Option<NaiveDateTime>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
    pub item_id: i64,
    pub batch_id: i64,
    pub qty: i64,
}

/// Posted rows of a warehouse with `after < seq <= until`, in chain order.
pub fn chain_rows(
    conn: &mut DbConn,
    warehouse_id: i64,
    after: i64,
    until: i64,
) -> QueryResult<Vec<ChainRow>> {
    movement_lines::table
        .inner_join(movements::table)
        .filter(movements::warehouse_id.eq(warehouse_id))
        .filter(movements::seq.gt(after))
        .filter(movements::seq.le(until))
        .order((movements::seq.asc(), movement_lines::batch_id.asc()))
        .select((
            movements::seq,
            movements::kind,
            movements::voucher_no,
            movements::posted_at,
            movements::prev_hash,
            movements::hash,
            movement_lines::item_id,
            movement_lines::batch_id,
            movement_lines::qty,
        ))
        .load(conn)
}

/// A warehouse's balances as (batch, milli-units), zero rows included.
pub fn book(conn: &mut DbConn, warehouse_id: i64) -> QueryResult<Vec<(i64, i64)>> {
    balances::table
        .filter(balances::warehouse_id.eq(warehouse_id))
        .select((balances::batch_id, balances::qty))
        .load(conn)
}

/// Milli-units per batch: `(batch, quantity)`.
pub type PerBatch = Vec<(i64, i64)>;

/// The reserved part of each balance of a warehouse, and what its held reservations add up to, per batch.
pub fn reserved_book(conn: &mut DbConn, warehouse_id: i64) -> QueryResult<(PerBatch, PerBatch)> {
    use crate::db::schema::reservations;
    let book = balances::table
        .filter(balances::warehouse_id.eq(warehouse_id))
        .filter(balances::reserved.ne(0))
        .select((balances::batch_id, balances::reserved))
        .load(conn)?;
    let held: Vec<(i64, i64)> = reservations::table
        .filter(reservations::warehouse_id.eq(warehouse_id))
        .filter(reservations::state.eq("held"))
        .select((reservations::batch_id, reservations::held_qty))
        .load(conn)?;
    Ok((book, held))
}

/// How many posted lines a warehouse has with `after < seq <= until` (the verifier sizes its reads by it).
pub fn lines_between(
    conn: &mut DbConn,
    warehouse_id: i64,
    after: i64,
    until: i64,
) -> QueryResult<i64> {
    movement_lines::table
        .inner_join(movements::table)
        .filter(movements::warehouse_id.eq(warehouse_id))
        .filter(movements::seq.gt(after))
        .filter(movements::seq.le(until))
        .count()
        .get_result(conn)
}

/// The last movement of a warehouse now (a download of its ledger stops there).
pub fn last_movement_id(conn: &mut DbConn, warehouse_id: i64) -> QueryResult<i64> {
    movements::table
        .filter(movements::warehouse_id.eq(warehouse_id))
        .select(diesel::dsl::max(movements::id))
        .get_result::<Option<i64>>(conn)
        .map(Option::unwrap_or_default)
}

/// Up to `limit` movements of a warehouse with `after < id <= until`, in voucher order (for the ledger
/// export, a page at a time), each with how many lines it has.
pub fn movements_page(
    conn: &mut DbConn,
    warehouse_id: i64,
    after: i64,
    until: i64,
    limit: i64,
) -> QueryResult<Vec<(Movement, i64)>> {
    let page: Vec<Movement> = movements::table
        .filter(movements::warehouse_id.eq(warehouse_id))
        .filter(movements::id.gt(after))
        .filter(movements::id.le(until))
        .order(movements::id.asc())
        .limit(limit)
        .select(Movement::as_select())
        .load(conn)?;
    let ids: Vec<i64> = page.iter().map(|m| m.id).collect();
    let counts: std::collections::HashMap<i64, i64> = movement_lines::table
        .filter(movement_lines::movement_id.eq_any(&ids))
        .group_by(movement_lines::movement_id)
        .select((movement_lines::movement_id, diesel::dsl::count_star()))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(page
        .into_iter()
        .map(|m| {
            let n = counts.get(&m.id).copied().unwrap_or(0);
            (m, n)
        })
        .collect())
}

/// The lines of the movements `ids`, grouped by movement in the order of `ids` (ascending).
pub fn lines_of_movements(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Vec<Line>>> {
    let lines: Vec<(i64, i64, i64, i64)> = movement_lines::table
        .filter(movement_lines::movement_id.eq_any(ids))
        .order((movement_lines::movement_id.asc(), movement_lines::id.asc()))
        .select((
            movement_lines::movement_id,
            movement_lines::item_id,
            movement_lines::batch_id,
            movement_lines::qty,
        ))
        .load(conn)?;
    let mut lines = lines.into_iter().peekable();
    Ok(ids
        .iter()
        .map(|id| {
            let mut mine = Vec::new();
            while let Some((_, item_id, batch_id, q)) = lines.next_if(|l| l.0 == *id) {
                mine.push(Line {
                    item_id,
                    batch_id,
                    qty: Quantity::from_milli(q),
                });
            }
            mine
        })
        .collect())
}
