//! Warehouses, their custodians and reserve norms.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::codes::text_columns;
use crate::db::schema::{reserve_norms, warehouse_custodians, warehouses};
use crate::db::{unique, DbConn, WriteResult};
use crate::inventory::model::{transit_name, LocationKind, WarehouseInput};

text_columns!(LocationKind);

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
    /// A store people keep, or a unit's in-transit location.
    pub kind: LocationKind,
    /// Where it is (WGS-84 degrees), when recorded.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// Every warehouse people keep, by name (callers filter by what the actor may see); not the in-transit
/// locations.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Warehouse>> {
    warehouses::table
        .filter(warehouses::kind.eq(LocationKind::Store))
        .order(warehouses::name.asc())
        .select(Warehouse::as_select())
        .load(conn)
}

/// Every ledger location, the in-transit ones too (verification, the district's totals).
pub fn every(conn: &mut DbConn) -> QueryResult<Vec<Warehouse>> {
    warehouses::table
        .order(warehouses::id.asc())
        .select(Warehouse::as_select())
        .load(conn)
}

/// The in-transit location of a unit, made the first time the unit sends something.
pub fn transit_of(
    conn: &mut DbConn,
    unit_id: i64,
    unit_name: &str,
    now: NaiveDateTime,
) -> QueryResult<Warehouse> {
    let found = warehouses::table
        .filter(warehouses::unit_id.eq(unit_id))
        .filter(warehouses::kind.eq(LocationKind::Transit))
        .select(Warehouse::as_select())
        .first(conn)
        .optional()?;
    if let Some(w) = found {
        return Ok(w);
    }
    diesel::insert_into(warehouses::table)
        .values((
            warehouses::unit_id.eq(unit_id),
            warehouses::name.eq(transit_name(unit_name)),
            warehouses::address.eq(""),
            warehouses::stocktake_interval_days.eq(0),
            warehouses::chain_seq.eq(0),
            warehouses::chain_head.eq(""),
            warehouses::active.eq(true),
            warehouses::created_at.eq(now),
            warehouses::updated_at.eq(now),
            warehouses::kind.eq(LocationKind::Transit),
        ))
        .returning(warehouses::all_columns)
        .get_result(conn)
}

/// Holds a warehouse's row until the transaction ends, so that two reservations of its stock are decided one
/// after the other and the second sees what the first took (SQLite's writers already are).
pub fn lock(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    crate::db::lock_row(conn, "warehouses", id)
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
                warehouses::latitude.eq(w.coordinates.map(|c| c.0)),
                warehouses::longitude.eq(w.coordinates.map(|c| c.1)),
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

/// Records where a warehouse is (`None` forgets it).
pub fn set_coordinates(
    conn: &mut DbConn,
    warehouse_id: i64,
    at: Option<(f64, f64)>,
    now: NaiveDateTime,
) -> QueryResult<Warehouse> {
    diesel::update(warehouses::table.find(warehouse_id))
        .set((
            warehouses::latitude.eq(at.map(|c| c.0)),
            warehouses::longitude.eq(at.map(|c| c.1)),
            warehouses::updated_at.eq(now),
        ))
        .returning(warehouses::all_columns)
        .get_result(conn)
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

/// Some warehouses by id.
pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Warehouse>> {
    warehouses::table
        .filter(warehouses::id.eq_any(ids))
        .order(warehouses::id.asc())
        .select(Warehouse::as_select())
        .load(conn)
}

/// The custodians (name, phone) of some warehouses, by warehouse.
pub fn custodians_of(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, Vec<(String, String)>>> {
    use crate::db::schema::people;
    let rows: Vec<(i64, String, String)> = warehouse_custodians::table
        .inner_join(people::table.on(people::id.eq(warehouse_custodians::person_id)))
        .filter(warehouse_custodians::warehouse_id.eq_any(ids))
        .order((
            warehouse_custodians::warehouse_id.asc(),
            people::sort_key.asc(),
        ))
        .select((
            warehouse_custodians::warehouse_id,
            people::name,
            people::phone,
        ))
        .load(conn)?;
    let mut out: std::collections::HashMap<i64, Vec<(String, String)>> = Default::default();
    for (w, name, phone) in rows {
        out.entry(w).or_default().push((name, phone));
    }
    Ok(out)
}
