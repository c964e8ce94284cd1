//! Warehouses, their custodians and reserve norms.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{reserve_norms, warehouse_custodians, warehouses};
use crate::db::{unique, DbConn, WriteResult};
use crate::inventory::model::WarehouseInput;

/// A warehouse (储备库/点).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = warehouses)]
pub struct Warehouse {
    pub id: i64,
    pub unit_id: i64,
    pub name: String,
    pub address: String,
    pub stocktake_interval_days: i32,
    pub chain_seq: i64,
    pub chain_head: String,
    pub active: bool,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// Every warehouse by name (callers filter by what the actor may see).
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Warehouse>> {
    warehouses::table
        .order(warehouses::name.asc())
        .select(Warehouse::as_select())
        .load(conn)
}

/// One warehouse.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Warehouse>> {
    warehouses::table
        .find(id)
        .select(Warehouse::as_select())
        .first(conn)
        .optional()
}

/// Adds a warehouse with its custodians.
pub fn insert(conn: &mut DbConn, w: &WarehouseInput, now: NaiveDateTime) -> WriteResult<Warehouse> {
    let row: Warehouse = unique(
        diesel::insert_into(warehouses::table)
            .values((
                warehouses::unit_id.eq(w.unit_id),
                warehouses::name.eq(&w.name),
                warehouses::address.eq(&w.address),
                warehouses::stocktake_interval_days.eq(w.stocktake_interval_days),
                warehouses::chain_seq.eq(0),
                warehouses::chain_head.eq(""),
                warehouses::active.eq(true),
                warehouses::created_at.eq(now),
                warehouses::updated_at.eq(now),
            ))
            .returning(warehouses::all_columns)
            .get_result(conn),
    )?;
    set_custodians(conn, row.id, &w.custodians)?;
    Ok(row)
}

/// Replaces a warehouse's custodians.
pub fn set_custodians(conn: &mut DbConn, warehouse_id: i64, people: &[i64]) -> QueryResult<()> {
    diesel::delete(
        warehouse_custodians::table.filter(warehouse_custodians::warehouse_id.eq(warehouse_id)),
    )
    .execute(conn)?;
    for p in people {
        diesel::insert_into(warehouse_custodians::table)
            .values((
                warehouse_custodians::warehouse_id.eq(warehouse_id),
                warehouse_custodians::person_id.eq(p),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The custodians of a warehouse.
pub fn custodians(conn: &mut DbConn, warehouse_id: i64) -> QueryResult<Vec<i64>> {
    warehouse_custodians::table
        .filter(warehouse_custodians::warehouse_id.eq(warehouse_id))
        .select(warehouse_custodians::person_id)
        .order(warehouse_custodians::person_id.asc())
        .load(conn)
}

/// Moves the hash chain one step: returns the new sequence number and the previous head. On PostgreSQL
/// this row lock serialises postings per warehouse; on SQLite the write transaction already does.
pub fn advance_chain(conn: &mut DbConn, warehouse_id: i64) -> QueryResult<(i64, String)> {
    diesel::update(warehouses::table.find(warehouse_id))
        .set(warehouses::chain_seq.eq(warehouses::chain_seq + 1))
        .returning((warehouses::chain_seq, warehouses::chain_head))
        .get_result(conn)
}

/// Stores the hash of the newest posted movement.
pub fn set_chain_head(conn: &mut DbConn, warehouse_id: i64, hash: &str) -> QueryResult<usize> {
    diesel::update(warehouses::table.find(warehouse_id))
        .set(warehouses::chain_head.eq(hash))
        .execute(conn)
}

/// Sets the required quantity of an item in a warehouse (储备定额); zero removes the norm.
pub fn set_norm(
    conn: &mut DbConn,
    warehouse_id: i64,
    item_id: i64,
    required_milli: i64,
) -> QueryResult<()> {
    diesel::delete(
        reserve_norms::table
            .filter(reserve_norms::warehouse_id.eq(warehouse_id))
            .filter(reserve_norms::item_id.eq(item_id)),
    )
    .execute(conn)?;
    if required_milli > 0 {
        diesel::insert_into(reserve_norms::table)
            .values((
                reserve_norms::warehouse_id.eq(warehouse_id),
                reserve_norms::item_id.eq(item_id),
                reserve_norms::required_qty.eq(required_milli),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The norms of a warehouse as (item, required milli-units).
pub fn norms(conn: &mut DbConn, warehouse_id: i64) -> QueryResult<Vec<(i64, i64)>> {
    reserve_norms::table
        .filter(reserve_norms::warehouse_id.eq(warehouse_id))
        .select((reserve_norms::item_id, reserve_norms::required_qty))
        .load(conn)
}
