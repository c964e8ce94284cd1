//! Consignments: goods sent into a unit's in-transit location, waiting for the receiving warehouse.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::codes::text_columns;
use crate::db::schema_allocation::consignments;
use crate::db::DbConn;
use crate::inventory::model::ConsignmentState;

text_columns!(ConsignmentState);

/// A consignment (在途单).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = consignments)]
pub struct Consignment {
    pub id: i64,
    pub from_warehouse_id: i64,
    pub transit_warehouse_id: i64,
    pub to_warehouse_id: i64,
    /// The transfer out of the sending warehouse.
    pub out_movement_id: i64,
    /// Who carries it (a driver, a plate number).
    pub carrier: String,
    /// What sent it, e.g. `allocation:12` (empty for a plain transfer).
    pub sent_for: String,
    pub state: ConsignmentState,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub sent_at: NaiveDateTime,
    /// The transfer in, counted by the receiving keeper (posts when countersigned).
    pub receipt_movement_id: Option<i64>,
    /// The write-off of what did not arrive (posts when approved).
    pub loss_movement_id: Option<i64>,
    pub received_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub received_at: Option<NaiveDateTime>,
}

/// A consignment about to be stored.
#[derive(Debug, Insertable)]
#[diesel(table_name = consignments)]
pub struct NewConsignment {
    pub from_warehouse_id: i64,
    pub transit_warehouse_id: i64,
    pub to_warehouse_id: i64,
    pub out_movement_id: i64,
    pub carrier: String,
    pub sent_for: String,
    pub state: ConsignmentState,
    pub sent_at: NaiveDateTime,
}

/// Stores a consignment.
pub fn insert(conn: &mut DbConn, new: &NewConsignment) -> QueryResult<Consignment> {
    diesel::insert_into(consignments::table)
        .values(new)
        .returning(consignments::all_columns)
        .get_result(conn)
}

/// One consignment.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Consignment>> {
    consignments::table
        .find(id)
        .select(Consignment::as_select())
        .first(conn)
        .optional()
}

/// The consignment whose transfer out, receipt or loss is `movement_id`.
pub fn of_movement(conn: &mut DbConn, movement_id: i64) -> QueryResult<Option<Consignment>> {
    consignments::table
        .filter(
            consignments::out_movement_id
                .eq(movement_id)
                .or(consignments::receipt_movement_id.eq(movement_id))
                .or(consignments::loss_movement_id.eq(movement_id)),
        )
        .select(Consignment::as_select())
        .first(conn)
        .optional()
}

/// Marks a consignment received, only if it is still on the road (false when someone else received it).
pub fn mark_received(
    conn: &mut DbConn,
    id: i64,
    (receipt, loss): (Option<i64>, Option<i64>),
    by: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        consignments::table
            .find(id)
            .filter(consignments::state.eq(ConsignmentState::InTransit)),
    )
    .set((
        consignments::state.eq(ConsignmentState::Received),
        consignments::receipt_movement_id.eq(receipt),
        consignments::loss_movement_id.eq(loss),
        consignments::received_by.eq(by),
        consignments::received_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Consignments going to or coming from any of these warehouses (on the road only, or all), newest first.
pub fn touching(
    conn: &mut DbConn,
    warehouse_ids: &[i64],
    on_the_road: bool,
) -> QueryResult<Vec<Consignment>> {
    let mut q = consignments::table
        .filter(
            consignments::to_warehouse_id
                .eq_any(warehouse_ids)
                .or(consignments::from_warehouse_id.eq_any(warehouse_ids)),
        )
        .into_boxed::<crate::db::MultiBackend>();
    if on_the_road {
        q = q.filter(consignments::state.eq(ConsignmentState::InTransit));
    }
    q.order(consignments::id.desc())
        .limit(500)
        .select(Consignment::as_select())
        .load(conn)
}

/// The consignments sent for a purpose (e.g. one allocation), oldest first.
pub fn sent_for(conn: &mut DbConn, what: &str) -> QueryResult<Vec<Consignment>> {
    consignments::table
        .filter(consignments::sent_for.eq(what))
        .order(consignments::id.asc())
        .select(Consignment::as_select())
        .load(conn)
}

/// Notes who carries a consignment and what sent it.
pub fn describe(conn: &mut DbConn, id: i64, carrier: &str, sent_for: &str) -> QueryResult<usize> {
    diesel::update(consignments::table.find(id))
        .set((
            consignments::carrier.eq(carrier),
            consignments::sent_for.eq(sent_for),
        ))
        .execute(conn)
}
