//! Movements, their lines and voucher counters (balances are in `balances`, re-exported here).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use serde::Serialize;

use crate::db::codes::text_columns;
use crate::db::schema::{movement_lines, movements};
use crate::db::{DbConn, MultiBackend};
use crate::inventory::model::{Line, MovementKind, MovementState, Quantity};
use crate::pagination::{Page, PageRequest};

text_columns!(MovementKind, MovementState);

pub use super::balances::*;

/// A movement (voucher) of the ledger.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = movements)]
pub struct Movement {
    pub id: i64,
    pub warehouse_id: i64,
    pub unit_id: i64,
    pub kind: MovementKind,
    pub voucher_no: String,
    pub reason: String,
    pub state: MovementState,
    pub emergency: bool,
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    pub countersigned_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub countersigned_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub posted_at: Option<NaiveDateTime>,
    pub seq: Option<i64>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
    pub reverses_id: Option<i64>,
    pub counterpart_warehouse_id: Option<i64>,
    pub stocktake_id: Option<i64>,
    /// Who delivered a receipt (供货单位), empty otherwise.
    pub supplier: String,
    /// The delivery note or invoice number of a receipt.
    pub document_no: String,
    /// The day the goods were received, when the receipt says.
    pub received_on: Option<chrono::NaiveDate>,
    /// Why the voucher was sent back (empty unless rejected).
    pub rejected_reason: String,
    /// The batches found needing repair that this emergency voucher took out anyway (带病出库), by number;
    /// empty when none.
    pub repair_override: String,
}

#[derive(QueryableByName)]
struct Counter {
    #[diesel(sql_type = BigInt)]
    last_no: i64,
}

/// The next voucher number of a unit, kind prefix and year (an upsert both backends understand).
pub fn next_voucher(conn: &mut DbConn, unit_id: i64, prefix: &str, year: i32) -> QueryResult<i64> {
    diesel::sql_query(
        "INSERT INTO voucher_counters (unit_id, prefix, year, last_no) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (unit_id, prefix, year) DO UPDATE SET last_no = voucher_counters.last_no + 1 \
         RETURNING last_no",
    )
    .bind::<BigInt, _>(unit_id)
    .bind::<Text, _>(prefix)
    .bind::<Integer, _>(year)
    .get_result::<Counter>(conn)
    .map(|c| c.last_no)
}

/// What a new movement row holds.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = movements)]
pub struct NewMovement {
    pub warehouse_id: i64,
    pub unit_id: i64,
    pub kind: MovementKind,
    pub voucher_no: String,
    pub reason: String,
    pub state: MovementState,
    pub emergency: bool,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub reverses_id: Option<i64>,
    pub counterpart_warehouse_id: Option<i64>,
    pub stocktake_id: Option<i64>,
    #[diesel(embed)]
    pub receipt: Receipt,
}

/// What a receipt says about the delivery (all empty for other movements).
#[derive(Debug, Clone, Default, Insertable)]
#[diesel(table_name = movements)]
pub struct Receipt {
    pub supplier: String,
    pub document_no: String,
    pub received_on: Option<chrono::NaiveDate>,
}

/// Inserts a movement and its lines.
pub fn insert_movement(
    conn: &mut DbConn,
    m: &NewMovement,
    lines: &[Line],
) -> QueryResult<Movement> {
    let row: Movement = diesel::insert_into(movements::table)
        .values(m)
        .returning(movements::all_columns)
        .get_result(conn)?;
    for l in lines {
        diesel::insert_into(movement_lines::table)
            .values((
                movement_lines::movement_id.eq(row.id),
                movement_lines::item_id.eq(l.item_id),
                movement_lines::batch_id.eq(l.batch_id),
                movement_lines::qty.eq(l.qty.milli()),
            ))
            .execute(conn)?;
    }
    Ok(row)
}

/// Records on a voucher the batches needing repair that it takes out anyway (an emergency).
pub fn set_repair_override(conn: &mut DbConn, id: i64, batches: &str) -> QueryResult<usize> {
    diesel::update(movements::table.find(id))
        .set(movements::repair_override.eq(batches))
        .execute(conn)
}

/// One movement.
pub fn find_movement(conn: &mut DbConn, id: i64) -> QueryResult<Option<Movement>> {
    movements::table
        .find(id)
        .select(Movement::as_select())
        .first(conn)
        .optional()
}

/// The movement that reverses `id`, if any.
pub fn reversal_of(conn: &mut DbConn, id: i64) -> QueryResult<Option<Movement>> {
    movements::table
        .filter(movements::reverses_id.eq(id))
        .select(Movement::as_select())
        .first(conn)
        .optional()
}

/// The lines of a movement.
pub fn lines_of(conn: &mut DbConn, movement_id: i64) -> QueryResult<Vec<Line>> {
    let rows: Vec<(i64, i64, i64)> = movement_lines::table
        .filter(movement_lines::movement_id.eq(movement_id))
        .order(movement_lines::id.asc())
        .select((
            movement_lines::item_id,
            movement_lines::batch_id,
            movement_lines::qty,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(item_id, batch_id, q)| Line {
            item_id,
            batch_id,
            qty: Quantity::from_milli(q),
        })
        .collect())
}

/// Records posting: chain position, hashes, and (when given) the countersignature.
pub fn mark_posted(
    conn: &mut DbConn,
    id: i64,
    seq: i64,
    prev_hash: &str,
    hash: &str,
    at: NaiveDateTime,
    countersigned_by: Option<i64>,
) -> QueryResult<usize> {
    diesel::update(
        movements::table
            .find(id)
            .filter(movements::posted_at.is_null()),
    )
    .set((
        movements::state.eq(MovementState::Posted),
        movements::seq.eq(seq),
        movements::prev_hash.eq(prev_hash),
        movements::hash.eq(hash),
        movements::posted_at.eq(at),
        movements::countersigned_by.eq(countersigned_by),
        movements::countersigned_at.eq(countersigned_by.map(|_| at)),
    ))
    .execute(conn)
}

/// Records a countersignature given after an emergency posting (事后补办); only once.
pub fn mark_countersigned(
    conn: &mut DbConn,
    id: i64,
    by: i64,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        movements::table
            .find(id)
            .filter(movements::countersigned_by.is_null()),
    )
    .set((
        movements::countersigned_by.eq(by),
        movements::countersigned_at.eq(at),
    ))
    .execute(conn)
}

/// Sends a pending movement back, with why.
pub fn mark_rejected(conn: &mut DbConn, id: i64, reason: &str) -> QueryResult<usize> {
    diesel::update(
        movements::table
            .find(id)
            .filter(movements::state.eq(MovementState::Pending)),
    )
    .set((
        movements::state.eq(MovementState::Rejected),
        movements::rejected_reason.eq(reason),
    ))
    .execute(conn)
}

/// Movement list filters.
#[derive(Debug, Clone, Default)]
pub struct MovementFilter {
    pub warehouse_ids: Option<Vec<i64>>,
    pub state: Option<MovementState>,
    pub kind: Option<MovementKind>,
    /// Emergency issues still owing their countersignature.
    pub owed: bool,
    /// Recorded by this account.
    pub created_by: Option<i64>,
    /// Recorded at or after this time.
    pub since: Option<NaiveDateTime>,
}

fn movements_filtered(f: &MovementFilter) -> movements::BoxedQuery<'static, MultiBackend> {
    let mut q = movements::table.into_boxed();
    if let Some(ids) = &f.warehouse_ids {
        q = q.filter(movements::warehouse_id.eq_any(ids.clone()));
    }
    if let Some(s) = f.state {
        q = q.filter(movements::state.eq(s));
    }
    if let Some(k) = f.kind {
        q = q.filter(movements::kind.eq(k));
    }
    if let Some(a) = f.created_by {
        q = q.filter(movements::created_by.eq(a));
    }
    if let Some(t) = f.since {
        q = q.filter(movements::created_at.ge(t));
    }
    if f.owed {
        q = q
            .filter(movements::emergency.eq(true))
            .filter(movements::countersigned_by.is_null());
    }
    q
}

/// One page of movements, newest first.
pub fn list_movements(
    conn: &mut DbConn,
    f: &MovementFilter,
    page: PageRequest,
) -> QueryResult<Page<Movement>> {
    let total = movements_filtered(f).count().get_result(conn)?;
    let rows = movements_filtered(f)
        .order(movements::id.desc())
        .offset(page.offset())
        .limit(page.per_page)
        .select(Movement::as_select())
        .load(conn)?;
    Ok(Page::new(rows, total, page))
}

/// Movements still waiting for their countersignature that were recorded at or before `before`.
pub fn waiting_since(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<Vec<Movement>> {
    movements::table
        .filter(movements::state.eq(MovementState::Pending))
        .filter(movements::created_at.le(before))
        .order(movements::id)
        .select(Movement::as_select())
        .load(conn)
}

/// Emergency issues that posted first and still owe their countersignature.
pub fn owing_countersignature(conn: &mut DbConn) -> QueryResult<Vec<Movement>> {
    movements_filtered(&MovementFilter {
        state: Some(MovementState::Posted),
        owed: true,
        ..Default::default()
    })
    .order(movements::id)
    .select(Movement::as_select())
    .load(conn)
}

/// A posted line of a warehouse's movement: what moved a batch, by which voucher.
#[derive(Debug, Clone, Queryable)]
pub struct MovedLine {
    pub batch_id: i64,
    pub movement_id: i64,
    pub voucher_no: String,
    pub qty: i64,
}

/// The lines posted in a warehouse after its chain position `after_seq` (what moved during a count), in
/// order; a count's own adjustments are left out.
pub fn posted_since(
    conn: &mut DbConn,
    warehouse_id: i64,
    after_seq: i64,
) -> QueryResult<Vec<MovedLine>> {
    movement_lines::table
        .inner_join(movements::table)
        .filter(movements::warehouse_id.eq(warehouse_id))
        .filter(movements::seq.gt(after_seq))
        .filter(movements::stocktake_id.is_null())
        .order((movements::seq.asc(), movement_lines::id.asc()))
        .select((
            movement_lines::batch_id,
            movements::id,
            movements::voucher_no,
            movement_lines::qty,
        ))
        .load(conn)
}
