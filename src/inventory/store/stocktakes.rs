//! Stocktakes, their lines (the book frozen at opening) and the counts entered against them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::codes::text_columns;
use crate::db::schema::{balances, stocktake_counts, stocktake_lines, stocktakes};
use crate::db::DbConn;
use crate::inventory::model::{StocktakeState, VarianceReason};

text_columns!(StocktakeState, VarianceReason);

/// A stocktake.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = stocktakes)]
pub struct Stocktake {
    pub id: i64,
    pub warehouse_id: i64,
    pub state: StocktakeState,
    pub blind: bool,
    pub opened_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub opened_at: NaiveDateTime,
    pub closed_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<NaiveDateTime>,
    pub note: String,
    /// The warehouse's chain position when the count opened: what posts after it moved during the count.
    pub opened_seq: i64,
}

/// A line of a stocktake.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = stocktake_lines)]
pub struct StocktakeLine {
    pub id: i64,
    pub stocktake_id: i64,
    pub item_id: i64,
    pub batch_id: i64,
    pub book_qty: i64,
    pub bin: String,
    pub recount_requested: bool,
    pub reason: Option<VarianceReason>,
    pub note: String,
}

/// Opens a stocktake and freezes the book: one line per batch on hand.
pub fn open(
    conn: &mut DbConn,
    warehouse_id: i64,
    blind: bool,
    by: i64,
    at: NaiveDateTime,
    note: &str,
    opened_seq: i64,
) -> QueryResult<Stocktake> {
    let st: Stocktake = diesel::insert_into(stocktakes::table)
        .values((
            stocktakes::warehouse_id.eq(warehouse_id),
            stocktakes::state.eq(StocktakeState::Counting),
            stocktakes::blind.eq(blind),
            stocktakes::opened_by.eq(by),
            stocktakes::opened_at.eq(at),
            stocktakes::note.eq(note),
            stocktakes::opened_seq.eq(opened_seq),
        ))
        .returning(stocktakes::all_columns)
        .get_result(conn)?;
    let book: Vec<(i64, i64, i64, String)> = balances::table
        .filter(balances::warehouse_id.eq(warehouse_id))
        .filter(balances::qty.gt(0))
        .order((balances::bin.asc(), balances::batch_id.asc()))
        .select((
            balances::item_id,
            balances::batch_id,
            balances::qty,
            balances::bin,
        ))
        .load(conn)?;
    for (item_id, batch_id, qty, bin) in book {
        add_line(conn, st.id, item_id, batch_id, qty, &bin)?;
    }
    Ok(st)
}

/// Adds a line (also used for goods found that are not on the book, with a book quantity of zero).
pub fn add_line(
    conn: &mut DbConn,
    stocktake_id: i64,
    item_id: i64,
    batch_id: i64,
    book_qty: i64,
    bin: &str,
) -> QueryResult<StocktakeLine> {
    diesel::insert_into(stocktake_lines::table)
        .values((
            stocktake_lines::stocktake_id.eq(stocktake_id),
            stocktake_lines::item_id.eq(item_id),
            stocktake_lines::batch_id.eq(batch_id),
            stocktake_lines::book_qty.eq(book_qty),
            stocktake_lines::bin.eq(bin),
            stocktake_lines::recount_requested.eq(false),
            stocktake_lines::note.eq(""),
        ))
        .returning(stocktake_lines::all_columns)
        .get_result(conn)
}

/// One stocktake.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Stocktake>> {
    stocktakes::table
        .find(id)
        .select(Stocktake::as_select())
        .first(conn)
        .optional()
}

/// The open stocktake of a warehouse, if any.
pub fn open_of(conn: &mut DbConn, warehouse_id: i64) -> QueryResult<Option<Stocktake>> {
    stocktakes::table
        .filter(stocktakes::warehouse_id.eq(warehouse_id))
        .filter(stocktakes::state.eq(StocktakeState::Counting))
        .select(Stocktake::as_select())
        .first(conn)
        .optional()
}

/// The warehouses being counted now.
pub fn counting_warehouses(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    stocktakes::table
        .filter(stocktakes::state.eq(StocktakeState::Counting))
        .select(stocktakes::warehouse_id)
        .load(conn)
}

/// Stocktakes of a warehouse, newest first.
pub fn of_warehouse(conn: &mut DbConn, warehouse_id: i64) -> QueryResult<Vec<Stocktake>> {
    stocktakes::table
        .filter(stocktakes::warehouse_id.eq(warehouse_id))
        .order(stocktakes::id.desc())
        .select(Stocktake::as_select())
        .load(conn)
}

/// When the last approved stocktake of a warehouse closed.
pub fn last_approved(conn: &mut DbConn, warehouse_id: i64) -> QueryResult<Option<NaiveDateTime>> {
    stocktakes::table
        .filter(stocktakes::warehouse_id.eq(warehouse_id))
        .filter(stocktakes::state.eq(StocktakeState::Approved))
        .select(diesel::dsl::max(stocktakes::closed_at))
        .first(conn)
}

/// The lines of a stocktake.
pub fn lines(conn: &mut DbConn, stocktake_id: i64) -> QueryResult<Vec<StocktakeLine>> {
    stocktake_lines::table
        .filter(stocktake_lines::stocktake_id.eq(stocktake_id))
        .order(stocktake_lines::id.asc())
        .select(StocktakeLine::as_select())
        .load(conn)
}

/// One line.
pub fn find_line(conn: &mut DbConn, id: i64) -> QueryResult<Option<StocktakeLine>> {
    stocktake_lines::table
        .find(id)
        .select(StocktakeLine::as_select())
        .first(conn)
        .optional()
}

/// A current (not superseded) count of a line.
#[derive(Debug, Clone, Queryable)]
pub struct Count {
    pub line_id: i64,
    pub counted_by: i64,
    pub qty: i64,
    /// The book when the count was entered.
    pub book_qty: i64,
    pub counted_at: NaiveDateTime,
}

/// Current (not superseded) counts of a stocktake's lines.
pub fn counts(conn: &mut DbConn, stocktake_id: i64) -> QueryResult<Vec<Count>> {
    stocktake_counts::table
        .inner_join(stocktake_lines::table)
        .filter(stocktake_lines::stocktake_id.eq(stocktake_id))
        .filter(stocktake_counts::superseded.eq(false))
        .order(stocktake_counts::id.asc())
        .select((
            stocktake_counts::line_id,
            stocktake_counts::counted_by,
            stocktake_counts::qty,
            stocktake_counts::book_qty,
            stocktake_counts::counted_at,
        ))
        .load(conn)
}

/// Records a count against the book of that moment; it replaces the counter's own earlier count of the line
/// (other counters' counts stay and add up) and clears a pending recount request.
pub fn add_count(
    conn: &mut DbConn,
    line_id: i64,
    by: i64,
    qty: i64,
    book_qty: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        stocktake_counts::table
            .filter(stocktake_counts::line_id.eq(line_id))
            .filter(stocktake_counts::counted_by.eq(by))
            .filter(stocktake_counts::superseded.eq(false)),
    )
    .set(stocktake_counts::superseded.eq(true))
    .execute(conn)?;
    diesel::insert_into(stocktake_counts::table)
        .values((
            stocktake_counts::line_id.eq(line_id),
            stocktake_counts::counted_by.eq(by),
            stocktake_counts::qty.eq(qty),
            stocktake_counts::counted_at.eq(at),
            stocktake_counts::superseded.eq(false),
            stocktake_counts::book_qty.eq(book_qty),
        ))
        .execute(conn)?;
    diesel::update(stocktake_lines::table.find(line_id))
        .set(stocktake_lines::recount_requested.eq(false))
        .execute(conn)?;
    Ok(())
}

/// Stock of a batch moved while it is being counted: counts already entered no longer match the book, so
/// they stop counting and the line asks for a recount. False when the batch is not on the sheet.
pub fn moved_after_counting(
    conn: &mut DbConn,
    stocktake_id: i64,
    batch_id: i64,
) -> QueryResult<bool> {
    let line: Option<i64> = stocktake_lines::table
        .filter(stocktake_lines::stocktake_id.eq(stocktake_id))
        .filter(stocktake_lines::batch_id.eq(batch_id))
        .select(stocktake_lines::id)
        .first(conn)
        .optional()?;
    let Some(line_id) = line else {
        return Ok(false);
    };
    let superseded = diesel::update(
        stocktake_counts::table
            .filter(stocktake_counts::line_id.eq(line_id))
            .filter(stocktake_counts::superseded.eq(false)),
    )
    .set(stocktake_counts::superseded.eq(true))
    .execute(conn)?;
    if superseded > 0 {
        diesel::update(stocktake_lines::table.find(line_id))
            .set(stocktake_lines::recount_requested.eq(true))
            .execute(conn)?;
    }
    Ok(true)
}

/// Asks for a recount: earlier counts stop counting (kept for the record).
pub fn request_recount(conn: &mut DbConn, line_id: i64) -> QueryResult<()> {
    diesel::update(stocktake_counts::table.filter(stocktake_counts::line_id.eq(line_id)))
        .set(stocktake_counts::superseded.eq(true))
        .execute(conn)?;
    diesel::update(stocktake_lines::table.find(line_id))
        .set(stocktake_lines::recount_requested.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Sets the reason (and note) of a line's difference.
pub fn set_reason(
    conn: &mut DbConn,
    line_id: i64,
    reason: Option<VarianceReason>,
    note: &str,
) -> QueryResult<usize> {
    diesel::update(stocktake_lines::table.find(line_id))
        .set((
            stocktake_lines::reason.eq(reason),
            stocktake_lines::note.eq(note),
        ))
        .execute(conn)
}

/// Closes a counting stocktake as approved or cancelled; false when it was no longer counting.
pub fn close(
    conn: &mut DbConn,
    id: i64,
    state: &str,
    by: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        stocktakes::table
            .find(id)
            .filter(stocktakes::state.eq(StocktakeState::Counting)),
    )
    .set((
        stocktakes::state.eq(state),
        stocktakes::closed_by.eq(by),
        stocktakes::closed_at.eq(at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}
