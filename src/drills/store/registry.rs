//! The plan registry: units' sectors and supervising departments, the office's frequency rules, the plans.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_drills::{drill_plans, drill_profiles, drill_rules};
use crate::db::{DbConn, MultiBackend};
use crate::drills::model::{DrillSector, PlanInput, PlanLevel};

/// A unit's sector and supervising department.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = drill_profiles)]
pub struct DrillProfile {
    pub unit_id: i64,
    pub sector: DrillSector,
    /// The supervising department (行业主管部门), a unit.
    pub supervisor_unit_id: Option<i64>,
    pub updated_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// Every unit's profile.
pub fn profiles(conn: &mut DbConn) -> QueryResult<Vec<DrillProfile>> {
    drill_profiles::table
        .select(DrillProfile::as_select())
        .load(conn)
}

/// One unit's profile.
pub fn profile(conn: &mut DbConn, unit_id: i64) -> QueryResult<Option<DrillProfile>> {
    drill_profiles::table
        .find(unit_id)
        .select(DrillProfile::as_select())
        .first(conn)
        .optional()
}

/// Sets a unit's profile.
pub fn set_profile(
    conn: &mut DbConn,
    unit_id: i64,
    sector: DrillSector,
    supervisor: Option<i64>,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let n = diesel::update(drill_profiles::table.find(unit_id))
        .set((
            drill_profiles::sector.eq(sector),
            drill_profiles::supervisor_unit_id.eq(supervisor),
            drill_profiles::updated_by.eq(by),
            drill_profiles::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(drill_profiles::table)
            .values((
                drill_profiles::unit_id.eq(unit_id),
                drill_profiles::sector.eq(sector),
                drill_profiles::supervisor_unit_id.eq(supervisor),
                drill_profiles::updated_by.eq(by),
                drill_profiles::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The office's rules: (sector, level, months).
pub fn rules(conn: &mut DbConn) -> QueryResult<Vec<(DrillSector, PlanLevel, u32)>> {
    let rows: Vec<(DrillSector, PlanLevel, i32)> = drill_rules::table
        .select((drill_rules::sector, drill_rules::level, drill_rules::months))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(s, l, m)| (s, l, u32::try_from(m).unwrap_or(12)))
        .collect())
}

/// Sets the office's rule for a pair; `None` goes back to the regulations' default.
pub fn set_rule(
    conn: &mut DbConn,
    sector: DrillSector,
    level: PlanLevel,
    months: Option<u32>,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let key = drill_rules::table
        .filter(drill_rules::sector.eq(sector))
        .filter(drill_rules::level.eq(level));
    diesel::delete(key).execute(conn)?;
    if let Some(m) = months {
        diesel::insert_into(drill_rules::table)
            .values((
                drill_rules::sector.eq(sector),
                drill_rules::level.eq(level),
                drill_rules::months.eq(i32::try_from(m).unwrap_or(12)),
                drill_rules::updated_by.eq(by),
                drill_rules::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// An emergency plan (应急预案) on file.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = drill_plans)]
pub struct DrillPlan {
    pub id: i64,
    pub unit_id: i64,
    pub level: PlanLevel,
    pub title: String,
    pub version: String,
    /// Approved (published) on.
    pub approved_on: NaiveDate,
    /// Filed (备案) with the emergency management bureau.
    pub filed: bool,
    pub filing_no: String,
    /// The revision cycle, in months.
    pub revision_months: i32,
    pub next_revision_on: NaiveDate,
    /// The minimum drill frequency, in months.
    pub freq_months: i32,
    /// The plan's file.
    pub attachment_id: Option<i64>,
    pub active: bool,
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// Stores a new plan.
pub fn insert_plan(
    conn: &mut DbConn,
    p: &PlanInput,
    freq: u32,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<DrillPlan> {
    diesel::insert_into(drill_plans::table)
        .values((
            drill_plans::unit_id.eq(p.unit_id),
            drill_plans::level.eq(p.level),
            drill_plans::title.eq(&p.title),
            drill_plans::version.eq(&p.version),
            drill_plans::approved_on.eq(p.approved_on),
            drill_plans::filed.eq(p.filed),
            drill_plans::filing_no.eq(&p.filing_no),
            drill_plans::revision_months.eq(p.revision_months),
            drill_plans::next_revision_on.eq(p.next_revision()),
            drill_plans::freq_months.eq(i32::try_from(freq).unwrap_or(12)),
            drill_plans::active.eq(true),
            drill_plans::created_by.eq(by),
            drill_plans::created_at.eq(now),
            drill_plans::updated_at.eq(now),
        ))
        .returning(drill_plans::all_columns)
        .get_result(conn)
}

/// Changes a plan (a revision: new version, approval day, filing).
pub fn update_plan(
    conn: &mut DbConn,
    id: i64,
    p: &PlanInput,
    freq: u32,
    active: bool,
    now: NaiveDateTime,
) -> QueryResult<DrillPlan> {
    diesel::update(drill_plans::table.find(id))
        .set((
            drill_plans::level.eq(p.level),
            drill_plans::title.eq(&p.title),
            drill_plans::version.eq(&p.version),
            drill_plans::approved_on.eq(p.approved_on),
            drill_plans::filed.eq(p.filed),
            drill_plans::filing_no.eq(&p.filing_no),
            drill_plans::revision_months.eq(p.revision_months),
            drill_plans::next_revision_on.eq(p.next_revision()),
            drill_plans::freq_months.eq(i32::try_from(freq).unwrap_or(12)),
            drill_plans::active.eq(active),
            drill_plans::updated_at.eq(now),
        ))
        .returning(drill_plans::all_columns)
        .get_result(conn)
}

/// Attaches the plan's file.
pub fn set_plan_file(
    conn: &mut DbConn,
    id: i64,
    attachment: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(drill_plans::table.find(id))
        .set((
            drill_plans::attachment_id.eq(Some(attachment)),
            drill_plans::updated_at.eq(now),
        ))
        .execute(conn)
}

/// One plan.
pub fn find_plan(conn: &mut DbConn, id: i64) -> QueryResult<Option<DrillPlan>> {
    drill_plans::table
        .find(id)
        .select(DrillPlan::as_select())
        .first(conn)
        .optional()
}

/// Plans of the given units (all when `None`), active ones unless `all`, by unit and level.
pub fn plans(conn: &mut DbConn, units: Option<&[i64]>, all: bool) -> QueryResult<Vec<DrillPlan>> {
    let mut q = drill_plans::table
        .select(DrillPlan::as_select())
        .order((drill_plans::unit_id, drill_plans::level, drill_plans::id))
        .into_boxed::<MultiBackend>();
    if let Some(u) = units {
        q = q.filter(drill_plans::unit_id.eq_any(u.to_vec()));
    }
    if !all {
        q = q.filter(drill_plans::active.eq(true));
    }
    q.load(conn)
}

/// A unit as the compliance report needs it.
#[derive(Debug, Clone, Queryable)]
pub struct UnitBrief {
    pub id: i64,
    pub name: String,
    pub kind: crate::org::model::UnitKind,
    pub active: bool,
}

/// Every unit, in the organisation's order.
pub fn units(conn: &mut DbConn) -> QueryResult<Vec<UnitBrief>> {
    use crate::db::schema::units;
    units::table
        .select((units::id, units::name, units::kind, units::active))
        .order((units::sort_key.asc(), units::id.asc()))
        .load(conn)
}

/// Every active catalogue item: (id, name, unit of measure), by code (for the materials form).
pub fn item_names(conn: &mut DbConn) -> QueryResult<Vec<(i64, String, String)>> {
    use crate::db::schema::items;
    items::table
        .filter(items::active.eq(true))
        .select((items::id, items::name, items::uom))
        .order(items::code.asc())
        .load(conn)
}
