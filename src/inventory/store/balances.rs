//! Balances: what each warehouse holds of each batch, where it lies and who keeps it. Decrements are
//! conditional updates whose affected-row count is checked, so stock never goes below zero and no update
//! is lost.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde::Serialize;

use crate::db::codes::text_columns;
use crate::db::schema::{balances, batches, items};
use crate::db::{DbConn, MultiBackend};
use crate::inventory::model::{Line, Ownership, Quality, Quantity};

text_columns!(Ownership, Quality);

/// A balance row joined with what a keeper needs to see.
#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct StockRow {
    pub warehouse_id: i64,
    pub batch_id: i64,
    pub item_id: i64,
    pub qty: i64,
    /// Held for a purpose (an allocation, a drill): not to be issued otherwise.
    pub reserved: i64,
    pub item_code: String,
    pub item_name: String,
    pub spec: String,
    pub uom: String,
    pub unit_price_fen: Option<i64>,
    pub batch_no: String,
    pub expiry_date: Option<chrono::NaiveDate>,
    pub ownership: Ownership,
    /// Who keeps this stock here (null: the warehouse's custodians).
    pub custodian_id: Option<i64>,
    pub quality: Quality,
    /// Where in the warehouse the batch lies (shelf, bin, zone); empty when not recorded.
    pub bin: String,
    /// The batch was found needing repair (待修): not to be issued, loaned, transferred or reserved except in
    /// an emergency.
    pub needs_repair: bool,
}

/// Adds `qty` (positive) to a balance, creating the row if needed. Stock arriving in a warehouse is kept by
/// the batch's named custodian when that person looks after this warehouse; otherwise by the warehouse's
/// custodians until someone is named for it here.
pub fn increase(conn: &mut DbConn, warehouse_id: i64, line: &Line) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO balances (warehouse_id, batch_id, item_id, qty, custodian_id) VALUES ($1, $2, $3, $4, \
           (SELECT b.custodian_id FROM batches b JOIN warehouse_custodians wc \
              ON wc.person_id = b.custodian_id AND wc.warehouse_id = $1 WHERE b.id = $2)) \
         ON CONFLICT (warehouse_id, batch_id) DO UPDATE SET qty = balances.qty + excluded.qty",
    )
    .bind::<BigInt, _>(warehouse_id)
    .bind::<BigInt, _>(line.batch_id)
    .bind::<BigInt, _>(line.item_id)
    .bind::<BigInt, _>(line.qty.milli())
    .execute(conn)
    .map(|_| ())
}

/// Takes `amount` (positive) out of a balance only if that much is there and not reserved; false when it is
/// not.
pub fn decrease(
    conn: &mut DbConn,
    warehouse_id: i64,
    batch_id: i64,
    amount: Quantity,
) -> QueryResult<bool> {
    let n = diesel::update(
        balances::table
            .filter(balances::warehouse_id.eq(warehouse_id))
            .filter(balances::batch_id.eq(batch_id))
            .filter(balances::qty.ge(balances::reserved + amount.milli())),
    )
    .set(balances::qty.eq(balances::qty - amount.milli()))
    .execute(conn)?;
    Ok(n == 1)
}

/// The quantity of one batch in one warehouse.
pub fn balance(conn: &mut DbConn, warehouse_id: i64, batch_id: i64) -> QueryResult<Quantity> {
    balances::table
        .filter(balances::warehouse_id.eq(warehouse_id))
        .filter(balances::batch_id.eq(batch_id))
        .select(balances::qty)
        .first::<i64>(conn)
        .optional()
        .map(|q| Quantity::from_milli(q.unwrap_or(0)))
}

/// A warehouse's stock with item and batch details; `item_id` narrows to one item; zero rows are omitted.
pub fn stock(
    conn: &mut DbConn,
    warehouse_id: i64,
    item_id: Option<i64>,
    q: Option<&str>,
) -> QueryResult<Vec<StockRow>> {
    let mut query = balances::table
        .inner_join(batches::table.inner_join(items::table))
        .filter(balances::warehouse_id.eq(warehouse_id))
        .filter(balances::qty.gt(0))
        .into_boxed::<MultiBackend>();
    if let Some(i) = item_id {
        query = query.filter(balances::item_id.eq(i));
    }
    if let Some(text) = q {
        let p = crate::org::store::contains(text);
        query = query.filter(
            items::name
                .like(p.clone())
                .escape('\\')
                .or(items::code.like(p).escape('\\')),
        );
    }
    query
        // Undated batches last on both backends (SQLite sorts NULL first, PostgreSQL last).
        .order((
            items::code.asc(),
            batches::expiry_date.is_null().asc(),
            batches::expiry_date.asc(),
            batches::id.asc(),
        ))
        .select((
            balances::warehouse_id,
            balances::batch_id,
            balances::item_id,
            balances::qty,
            balances::reserved,
            items::code,
            items::name,
            items::spec,
            items::uom,
            items::unit_price_fen,
            batches::batch_no,
            batches::expiry_date,
            batches::ownership,
            balances::custodian_id,
            batches::quality,
            balances::bin,
            batches::needs_repair,
        ))
        .load(conn)
}

/// Where a batch lies in a warehouse (empty when not recorded).
pub fn bin_of(conn: &mut DbConn, warehouse_id: i64, batch_id: i64) -> QueryResult<String> {
    balances::table
        .filter(balances::warehouse_id.eq(warehouse_id))
        .filter(balances::batch_id.eq(batch_id))
        .select(balances::bin)
        .first::<String>(conn)
        .optional()
        .map(Option::unwrap_or_default)
}

/// Records where a batch lies; false when the warehouse holds no row for that batch.
pub fn set_bin(
    conn: &mut DbConn,
    warehouse_id: i64,
    batch_id: i64,
    bin: &str,
) -> QueryResult<bool> {
    diesel::update(
        balances::table
            .filter(balances::warehouse_id.eq(warehouse_id))
            .filter(balances::batch_id.eq(batch_id)),
    )
    .set(balances::bin.eq(bin))
    .execute(conn)
    .map(|n| n == 1)
}

/// Who keeps a batch's stock in a warehouse (`None`: the warehouse's custodians, or no such stock).
pub fn custodian_of(
    conn: &mut DbConn,
    warehouse_id: i64,
    batch_id: i64,
) -> QueryResult<Option<i64>> {
    balances::table
        .filter(balances::warehouse_id.eq(warehouse_id))
        .filter(balances::batch_id.eq(batch_id))
        .select(balances::custodian_id)
        .first::<Option<i64>>(conn)
        .optional()
        .map(Option::flatten)
}

/// Names who keeps a batch's stock in a warehouse (`None`: the warehouse's custodians); false when the
/// warehouse holds no row for that batch.
pub fn set_custodian(
    conn: &mut DbConn,
    warehouse_id: i64,
    batch_id: i64,
    person_id: Option<i64>,
) -> QueryResult<bool> {
    diesel::update(
        balances::table
            .filter(balances::warehouse_id.eq(warehouse_id))
            .filter(balances::batch_id.eq(batch_id)),
    )
    .set(balances::custodian_id.eq(person_id))
    .execute(conn)
    .map(|n| n == 1)
}

/// The quantity of one batch in one warehouse, with the row locked until the transaction ends (on
/// PostgreSQL; SQLite's writer holds the whole file): a count entered now is compared with a book that
/// no movement can change before the count is recorded.
pub fn balance_locked(
    conn: &mut DbConn,
    warehouse_id: i64,
    batch_id: i64,
) -> QueryResult<Quantity> {
    #[derive(QueryableByName)]
    struct Held {
        #[diesel(sql_type = BigInt)]
        qty: i64,
    }
    let held: Option<Held> = diesel::sql_query(
        "UPDATE balances SET qty = qty WHERE warehouse_id = $1 AND batch_id = $2 RETURNING qty",
    )
    .bind::<BigInt, _>(warehouse_id)
    .bind::<BigInt, _>(batch_id)
    .get_result(conn)
    .optional()?;
    Ok(Quantity::from_milli(held.map_or(0, |h| h.qty)))
}

/// How much of a batch the whole district holds (a serial number exists once).
pub fn total_balance(conn: &mut DbConn, batch_id: i64) -> QueryResult<Quantity> {
    // A batch sits in a handful of warehouses at most; summing here avoids SUM's NUMERIC type on PostgreSQL.
    let rows: Vec<i64> = balances::table
        .filter(balances::batch_id.eq(batch_id))
        .select(balances::qty)
        .load(conn)?;
    Ok(Quantity::from_milli(rows.into_iter().sum()))
}

/// A batch of an item held in a warehouse people keep, as the sourcing view weighs it.
#[derive(Debug, Clone, Queryable)]
pub struct Holding {
    pub warehouse_id: i64,
    pub qty: i64,
    pub reserved: i64,
    pub quality: Quality,
    pub expiry_date: Option<chrono::NaiveDate>,
    /// Found needing repair (待修): drawn only by an emergency order.
    pub needs_repair: bool,
}

/// What each warehouse people keep holds of an item, batch by batch, for the sourcing view.
pub fn holdings(conn: &mut DbConn, item_id: i64) -> QueryResult<Vec<Holding>> {
    use crate::db::schema::warehouses;
    balances::table
        .inner_join(batches::table)
        .inner_join(warehouses::table.on(warehouses::id.eq(balances::warehouse_id)))
        .filter(balances::item_id.eq(item_id))
        .filter(balances::qty.gt(0))
        .filter(warehouses::kind.eq(crate::inventory::model::LocationKind::Store))
        .filter(warehouses::active.eq(true))
        .select((
            balances::warehouse_id,
            balances::qty,
            balances::reserved,
            batches::quality,
            batches::expiry_date,
            batches::needs_repair,
        ))
        .load(conn)
}
