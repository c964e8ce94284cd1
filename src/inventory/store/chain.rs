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

/// Every movement of a warehouse in voucher order, with its lines (for the ledger export).
pub fn movements_with_lines(
    conn: &mut DbConn,
    warehouse_id: i64,
) -> QueryResult<Vec<(Movement, Vec<Line>)>> {
    let all: Vec<Movement> = movements::table
        .filter(movements::warehouse_id.eq(warehouse_id))
        .order(movements::id.asc())
        .select(Movement::as_select())
        .load(conn)?;
    let ids: Vec<i64> = all.iter().map(|m| m.id).collect();
    let mut lines: Vec<(i64, i64, i64, i64)> = Vec::new();
    for chunk in ids.chunks(500) {
        lines.extend(
            movement_lines::table
                .filter(movement_lines::movement_id.eq_any(chunk))
                .order(movement_lines::id.asc())
                .select((
                    movement_lines::movement_id,
                    movement_lines::item_id,
                    movement_lines::batch_id,
                    movement_lines::qty,
                ))
                .load::<(i64, i64, i64, i64)>(conn)?,
        );
    }
    Ok(all
        .into_iter()
        .map(|m| {
            let mine = lines
                .iter()
                .filter(|l| l.0 == m.id)
                .map(|&(_, item_id, batch_id, q)| Line {
                    item_id,
                    batch_id,
                    qty: Quantity::from_milli(q),
                })
                .collect();
            (m, mine)
        })
        .collect())
}
