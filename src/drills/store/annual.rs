//! Annual drill plans (年度演练计划), their drills and the changes made after approval.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_drills::{drill_annual_changes, drill_annual_items, drill_annuals};
use crate::db::{unique, DbConn, MultiBackend, WriteResult};
use crate::drills::model::{AnnualItemInput, AnnualState, DrillContent, DrillForm};

/// A unit's annual drill plan.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = drill_annuals)]
pub struct DrillAnnual {
    pub id: i64,
    pub unit_id: i64,
    pub year: i32,
    pub state: AnnualState,
    /// The office's note when it returned the plan.
    pub decision_note: String,
    pub decided_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<NaiveDateTime>,
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// A drill the unit intends in the year.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = drill_annual_items)]
pub struct DrillAnnualItem {
    pub id: i64,
    pub annual_id: i64,
    pub plan_id: i64,
    pub content: DrillContent,
    pub form: DrillForm,
    pub month: i32,
    pub organiser: String,
    pub participants: String,
    /// False once taken out of the plan.
    pub active: bool,
}

/// A change after approval.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = drill_annual_changes)]
pub struct DrillAnnualChange {
    pub id: i64,
    pub annual_id: i64,
    pub what: String,
    pub changed_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub changed_at: NaiveDateTime,
}

/// Starts a unit's plan for a year (one per unit and year).
pub fn insert(
    conn: &mut DbConn,
    unit_id: i64,
    year: i32,
    by: i64,
    now: NaiveDateTime,
) -> WriteResult<DrillAnnual> {
    unique(
        diesel::insert_into(drill_annuals::table)
            .values((
                drill_annuals::unit_id.eq(unit_id),
                drill_annuals::year.eq(year),
                drill_annuals::state.eq(AnnualState::Draft),
                drill_annuals::created_by.eq(by),
                drill_annuals::created_at.eq(now),
                drill_annuals::updated_at.eq(now),
            ))
            .returning(drill_annuals::all_columns)
            .get_result(conn),
    )
}

/// One plan.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<DrillAnnual>> {
    drill_annuals::table
        .find(id)
        .select(DrillAnnual::as_select())
        .first(conn)
        .optional()
}

/// Plans of the given units (all when `None`) for a year (all years when `None`).
pub fn list(
    conn: &mut DbConn,
    units: Option<&[i64]>,
    year: Option<i32>,
) -> QueryResult<Vec<DrillAnnual>> {
    let mut q = drill_annuals::table
        .select(DrillAnnual::as_select())
        .order((drill_annuals::year.desc(), drill_annuals::unit_id))
        .into_boxed::<MultiBackend>();
    if let Some(u) = units {
        q = q.filter(drill_annuals::unit_id.eq_any(u.to_vec()));
    }
    if let Some(y) = year {
        q = q.filter(drill_annuals::year.eq(y));
    }
    q.load(conn)
}

/// Moves a plan from `from` to `to` (false when it was no longer in `from`), with the decision when there is one.
pub fn set_state(
    conn: &mut DbConn,
    id: i64,
    from: AnnualState,
    to: AnnualState,
    decision: Option<(i64, &str)>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = drill_annuals::table
        .find(id)
        .filter(drill_annuals::state.eq(from));
    let n = match decision {
        Some((by, note)) => diesel::update(target)
            .set((
                drill_annuals::state.eq(to),
                drill_annuals::decided_by.eq(Some(by)),
                drill_annuals::decided_at.eq(Some(now)),
                drill_annuals::decision_note.eq(note),
                drill_annuals::updated_at.eq(now),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((
                drill_annuals::state.eq(to),
                drill_annuals::updated_at.eq(now),
            ))
            .execute(conn)?,
    };
    Ok(n == 1)
}

/// Adds a drill to a plan.
pub fn insert_item(
    conn: &mut DbConn,
    annual_id: i64,
    i: &AnnualItemInput,
) -> QueryResult<DrillAnnualItem> {
    diesel::insert_into(drill_annual_items::table)
        .values((
            drill_annual_items::annual_id.eq(annual_id),
            drill_annual_items::plan_id.eq(i.plan_id),
            drill_annual_items::content.eq(i.content),
            drill_annual_items::form.eq(i.form),
            drill_annual_items::month.eq(i.month),
            drill_annual_items::organiser.eq(&i.organiser),
            drill_annual_items::participants.eq(&i.participants),
            drill_annual_items::active.eq(true),
        ))
        .returning(drill_annual_items::all_columns)
        .get_result(conn)
}

/// Takes a drill out of a plan.
pub fn withdraw_item(conn: &mut DbConn, annual_id: i64, item_id: i64) -> QueryResult<usize> {
    diesel::update(
        drill_annual_items::table
            .find(item_id)
            .filter(drill_annual_items::annual_id.eq(annual_id))
            .filter(drill_annual_items::active.eq(true)),
    )
    .set(drill_annual_items::active.eq(false))
    .execute(conn)
}

/// The drills of a plan (taken-out ones too), by month.
pub fn items(conn: &mut DbConn, annual_id: i64) -> QueryResult<Vec<DrillAnnualItem>> {
    drill_annual_items::table
        .filter(drill_annual_items::annual_id.eq(annual_id))
        .select(DrillAnnualItem::as_select())
        .order((drill_annual_items::month, drill_annual_items::id))
        .load(conn)
}

/// One drill of a plan.
pub fn find_item(conn: &mut DbConn, id: i64) -> QueryResult<Option<DrillAnnualItem>> {
    drill_annual_items::table
        .find(id)
        .select(DrillAnnualItem::as_select())
        .first(conn)
        .optional()
}

/// Records a change after approval.
pub fn insert_change(
    conn: &mut DbConn,
    annual_id: i64,
    what: &str,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(drill_annual_changes::table)
        .values((
            drill_annual_changes::annual_id.eq(annual_id),
            drill_annual_changes::what.eq(what),
            drill_annual_changes::changed_by.eq(by),
            drill_annual_changes::changed_at.eq(now),
        ))
        .execute(conn)
}

/// The changes after approval, oldest first.
pub fn changes(conn: &mut DbConn, annual_id: i64) -> QueryResult<Vec<DrillAnnualChange>> {
    drill_annual_changes::table
        .filter(drill_annual_changes::annual_id.eq(annual_id))
        .select(DrillAnnualChange::as_select())
        .order(drill_annual_changes::id)
        .load(conn)
}
