//! Inspections of equipment and the needs-repair mark on batches. Other areas (allocation) ask
//! [`needs_repair`] which batches may not go out. Never commits on its own.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::codes::text_columns;
use crate::db::schema::{balances, batches, inspections, items};
use crate::db::DbConn;
use crate::inventory::model::InspectionResult;

text_columns!(InspectionResult);

/// An inspection as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = inspections)]
pub struct Inspection {
    pub id: i64,
    pub batch_id: i64,
    /// Where the batch was inspected.
    pub warehouse_id: i64,
    pub inspected_on: NaiveDate,
    pub result: InspectionResult,
    /// What was found wrong, or what was done; may be empty when all was fine.
    pub findings: String,
    /// The account that recorded it.
    pub inspected_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: NaiveDateTime,
}

/// A new inspection.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = inspections)]
pub struct NewInspection {
    pub batch_id: i64,
    pub warehouse_id: i64,
    pub inspected_on: NaiveDate,
    pub result: InspectionResult,
    pub findings: String,
    pub inspected_by: i64,
    pub recorded_at: NaiveDateTime,
}

/// Stores an inspection.
pub fn insert(conn: &mut DbConn, new: &NewInspection) -> QueryResult<Inspection> {
    diesel::insert_into(inspections::table)
        .values(new)
        .returning(inspections::all_columns)
        .get_result(conn)
}

/// A batch's inspections, latest first (at most `limit`).
pub fn of_batch(conn: &mut DbConn, batch_id: i64, limit: i64) -> QueryResult<Vec<Inspection>> {
    inspections::table
        .filter(inspections::batch_id.eq(batch_id))
        .order((inspections::inspected_on.desc(), inspections::id.desc()))
        .limit(limit)
        .select(Inspection::as_select())
        .load(conn)
}

/// The latest inspection of each of the batches that has one.
pub fn latest(conn: &mut DbConn, batch_ids: &[i64]) -> QueryResult<Vec<Inspection>> {
    let all: Vec<Inspection> = inspections::table
        .filter(inspections::batch_id.eq_any(batch_ids))
        .order((
            inspections::batch_id.asc(),
            inspections::inspected_on.desc(),
            inspections::id.desc(),
        ))
        .select(Inspection::as_select())
        .load(conn)?;
    let mut out: Vec<Inspection> = Vec::new();
    for i in all {
        if out.last().is_none_or(|l| l.batch_id != i.batch_id) {
            out.push(i);
        }
    }
    Ok(out)
}

/// Marks a batch as needing repair, or clears the mark.
pub fn set_needs_repair(conn: &mut DbConn, batch_id: i64, needs: bool) -> QueryResult<usize> {
    diesel::update(batches::table.find(batch_id))
        .set(batches::needs_repair.eq(needs))
        .execute(conn)
}

/// Which of `batch_ids` are marked as needing repair: they may not be issued, loaned, transferred or
/// reserved except in an emergency.
pub fn needs_repair(conn: &mut DbConn, batch_ids: &[i64]) -> QueryResult<Vec<i64>> {
    batches::table
        .filter(batches::id.eq_any(batch_ids))
        .filter(batches::needs_repair.eq(true))
        .select(batches::id)
        .load(conn)
}

/// A batch held in a warehouse that is inspected: of an item with an interval, or marked as needing repair.
#[derive(Debug, Clone, Queryable)]
pub struct EquipmentRow {
    pub batch_id: i64,
    pub item_id: i64,
    pub item_code: String,
    pub item_name: String,
    pub spec: String,
    pub uom: String,
    pub batch_no: String,
    pub qty: i64,
    /// Who keeps it here (none: the warehouse's custodians).
    pub custodian_id: Option<i64>,
    pub interval_days: Option<i32>,
    pub needs_repair: bool,
    /// When the batch was registered: its first inspection counts from then.
    pub registered_at: NaiveDateTime,
}

/// The equipment a warehouse holds, by item code and batch.
pub fn equipment(conn: &mut DbConn, warehouse_id: i64) -> QueryResult<Vec<EquipmentRow>> {
    balances::table
        .inner_join(batches::table.inner_join(items::table))
        .filter(balances::warehouse_id.eq(warehouse_id))
        .filter(balances::qty.gt(0))
        .filter(
            items::inspection_interval_days
                .is_not_null()
                .or(batches::needs_repair.eq(true)),
        )
        .order((items::code.asc(), batches::batch_no.asc()))
        .select((
            balances::batch_id,
            items::id,
            items::code,
            items::name,
            items::spec,
            items::uom,
            batches::batch_no,
            balances::qty,
            balances::custodian_id,
            items::inspection_interval_days,
            batches::needs_repair,
            batches::created_at,
        ))
        .load(conn)
}
