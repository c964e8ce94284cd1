//! Drills: the scheme, objectives, people, the day's timeline, materials, the evaluation.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_drills::{
    drill_log, drill_materials, drill_objectives, drill_people, drill_teams, drills,
};
use crate::db::{DbConn, MultiBackend};
use crate::drills::model::{
    DrillContent, DrillForm, DrillGrade, DrillState, EvaluationInput, ObjectiveResult, SchemeInput,
};

/// A drill (演练).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = drills)]
pub struct Drill {
    pub id: i64,
    pub unit_id: i64,
    pub plan_id: i64,
    pub annual_item_id: Option<i64>,
    pub title: String,
    pub content: DrillContent,
    pub form: DrillForm,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: NaiveDateTime,
    pub place: String,
    pub scenario: String,
    pub timeline: String,
    pub roles: String,
    pub participants: String,
    pub state: DrillState,
    pub decided_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<NaiveDateTime>,
    pub decision_note: String,
    pub grade: Option<DrillGrade>,
    pub went_well: String,
    pub problems: String,
    pub evaluated_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub evaluated_at: Option<NaiveDateTime>,
    /// When the report went to the supervising department.
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub reported_at: Option<NaiveDateTime>,
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// An objective and how it went.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = drill_objectives)]
pub struct DrillObjective {
    pub id: i64,
    pub drill_id: i64,
    pub text: String,
    pub result: Option<ObjectiveResult>,
    pub note: String,
}

/// A person taking part, and whether they came.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = drill_people)]
pub struct DrillPerson {
    pub drill_id: i64,
    pub person_id: i64,
    /// Not yet taken when null.
    pub present: Option<bool>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub marked_at: Option<NaiveDateTime>,
}

/// An entry of the day's timeline.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = drill_log)]
pub struct DrillLogEntry {
    pub id: i64,
    pub drill_id: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub at: NaiveDateTime,
    pub text: String,
    pub logged_by: i64,
}

/// Materials a drill uses (quantities in thousandths).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = drill_materials)]
pub struct DrillMaterial {
    pub id: i64,
    pub drill_id: i64,
    pub warehouse_id: i64,
    pub item_id: i64,
    pub qty: i64,
    pub issued: i64,
    pub returned: i64,
    pub issue_movement_id: Option<i64>,
    pub return_movement_id: Option<i64>,
    /// What did not come back (used up, broken or lost), and how.
    pub lost: i64,
    pub loss_note: String,
}

/// Stores a new scheme (a draft) with its objectives, people and teams.
pub fn insert(
    conn: &mut DbConn,
    unit_id: i64,
    s: &SchemeInput,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<Drill> {
    let d: Drill = diesel::insert_into(drills::table)
        .values((
            drills::unit_id.eq(unit_id),
            drills::plan_id.eq(s.plan_id),
            drills::annual_item_id.eq(s.annual_item_id),
            drills::title.eq(&s.title),
            drills::content.eq(s.content),
            drills::form.eq(s.form),
            drills::starts_at.eq(s.starts_at.naive_utc()),
            drills::ends_at.eq(s.ends_at.naive_utc()),
            drills::place.eq(&s.place),
            drills::scenario.eq(&s.scenario),
            drills::timeline.eq(&s.timeline),
            drills::roles.eq(&s.roles),
            drills::participants.eq(&s.participants),
            drills::state.eq(DrillState::Draft),
            drills::created_by.eq(by),
            drills::created_at.eq(now),
            drills::updated_at.eq(now),
        ))
        .returning(drills::all_columns)
        .get_result(conn)?;
    for text in &s.objectives {
        diesel::insert_into(drill_objectives::table)
            .values((
                drill_objectives::drill_id.eq(d.id),
                drill_objectives::text.eq(text),
            ))
            .execute(conn)?;
    }
    for p in &s.people {
        diesel::insert_into(drill_people::table)
            .values((
                drill_people::drill_id.eq(d.id),
                drill_people::person_id.eq(p),
            ))
            .execute(conn)?;
    }
    for t in &s.teams {
        diesel::insert_into(drill_teams::table)
            .values((drill_teams::drill_id.eq(d.id), drill_teams::team_id.eq(t)))
            .execute(conn)?;
    }
    Ok(d)
}

/// The teams a drill's scheme names, by id.
pub fn teams(conn: &mut DbConn, id: i64) -> QueryResult<Vec<i64>> {
    drill_teams::table
        .filter(drill_teams::drill_id.eq(id))
        .select(drill_teams::team_id)
        .order(drill_teams::team_id)
        .load(conn)
}

/// One drill.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Drill>> {
    drills::table
        .find(id)
        .select(Drill::as_select())
        .first(conn)
        .optional()
}

/// Drills in a state, by start.
pub fn in_state(conn: &mut DbConn, state: DrillState) -> QueryResult<Vec<Drill>> {
    drills::table
        .select(Drill::as_select())
        .filter(drills::state.eq(state))
        .order((drills::starts_at, drills::id))
        .load(conn)
}

/// Drills of the given units (all when `None`) starting in `[from, to)`, by start.
pub fn list(
    conn: &mut DbConn,
    units: Option<&[i64]>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<Drill>> {
    let mut q = drills::table
        .select(Drill::as_select())
        .filter(drills::starts_at.ge(from))
        .filter(drills::starts_at.lt(to))
        .order((drills::starts_at, drills::id))
        .into_boxed::<MultiBackend>();
    if let Some(u) = units {
        q = q.filter(drills::unit_id.eq_any(u.to_vec()));
    }
    q.load(conn)
}

/// Drills of some plans.
pub fn of_plans(conn: &mut DbConn, plans: &[i64]) -> QueryResult<Vec<Drill>> {
    drills::table
        .select(Drill::as_select())
        .filter(drills::plan_id.eq_any(plans.to_vec()))
        .order((drills::starts_at.desc(), drills::id))
        .load(conn)
}

/// Every evaluated drill's plan and start since `since` (for compliance).
pub fn evaluated_since(
    conn: &mut DbConn,
    since: NaiveDateTime,
) -> QueryResult<Vec<(i64, NaiveDateTime)>> {
    drills::table
        .filter(drills::state.eq(DrillState::Evaluated))
        .filter(drills::starts_at.ge(since))
        .select((drills::plan_id, drills::starts_at))
        .load(conn)
}

/// Moves a drill from `from` to `to`; false when it was no longer in `from`.
pub fn set_state(
    conn: &mut DbConn,
    id: i64,
    from: DrillState,
    to: DrillState,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(drills::table.find(id).filter(drills::state.eq(from)))
        .set((drills::state.eq(to), drills::updated_at.eq(now)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Records a decision on the scheme.
pub fn set_decision(
    conn: &mut DbConn,
    id: i64,
    by: i64,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(drills::table.find(id))
        .set((
            drills::decided_by.eq(Some(by)),
            drills::decided_at.eq(Some(now)),
            drills::decision_note.eq(note),
        ))
        .execute(conn)
}

/// Records the evaluation (the drill moves to evaluated in the same statement).
pub fn set_evaluation(
    conn: &mut DbConn,
    id: i64,
    e: &EvaluationInput,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        drills::table
            .find(id)
            .filter(drills::state.eq(DrillState::Held)),
    )
    .set((
        drills::state.eq(DrillState::Evaluated),
        drills::grade.eq(Some(e.grade)),
        drills::went_well.eq(&e.went_well),
        drills::problems.eq(&e.problems),
        drills::evaluated_by.eq(Some(by)),
        drills::evaluated_at.eq(Some(now)),
        drills::updated_at.eq(now),
    ))
    .execute(conn)?;
    for j in &e.judged {
        diesel::update(
            drill_objectives::table
                .find(j.objective_id)
                .filter(drill_objectives::drill_id.eq(id)),
        )
        .set((
            drill_objectives::result.eq(Some(j.result)),
            drill_objectives::note.eq(&j.note),
        ))
        .execute(conn)?;
    }
    Ok(n == 1)
}

/// Marks when the report went to the supervising department.
pub fn set_reported(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(drills::table.find(id))
        .set(drills::reported_at.eq(Some(now)))
        .execute(conn)
}

/// A drill's objectives.
pub fn objectives(conn: &mut DbConn, id: i64) -> QueryResult<Vec<DrillObjective>> {
    drill_objectives::table
        .filter(drill_objectives::drill_id.eq(id))
        .select(DrillObjective::as_select())
        .order(drill_objectives::id)
        .load(conn)
}

/// A drill's people.
pub fn people(conn: &mut DbConn, id: i64) -> QueryResult<Vec<DrillPerson>> {
    drill_people::table
        .filter(drill_people::drill_id.eq(id))
        .select(DrillPerson::as_select())
        .order(drill_people::person_id)
        .load(conn)
}

/// Marks a person present or absent; false when they are not on the drill's list.
pub fn mark(
    conn: &mut DbConn,
    id: i64,
    person: i64,
    present: bool,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(drill_people::table.find((id, person)))
        .set((
            drill_people::present.eq(Some(present)),
            drill_people::marked_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Adds to the day's timeline.
pub fn insert_log(
    conn: &mut DbConn,
    id: i64,
    at: NaiveDateTime,
    text: &str,
    by: i64,
) -> QueryResult<DrillLogEntry> {
    diesel::insert_into(drill_log::table)
        .values((
            drill_log::drill_id.eq(id),
            drill_log::at.eq(at),
            drill_log::text.eq(text),
            drill_log::logged_by.eq(by),
        ))
        .returning(drill_log::all_columns)
        .get_result(conn)
}

/// The day's timeline, in order.
pub fn log(conn: &mut DbConn, id: i64) -> QueryResult<Vec<DrillLogEntry>> {
    drill_log::table
        .filter(drill_log::drill_id.eq(id))
        .select(DrillLogEntry::as_select())
        .order((drill_log::at, drill_log::id))
        .load(conn)
}

/// A drill's materials.
pub fn materials(conn: &mut DbConn, id: i64) -> QueryResult<Vec<DrillMaterial>> {
    drill_materials::table
        .filter(drill_materials::drill_id.eq(id))
        .select(DrillMaterial::as_select())
        .order(drill_materials::id)
        .load(conn)
}

/// Adds `qty` of an item from a warehouse to a drill's materials (a new line, or more on the line).
pub fn add_material(
    conn: &mut DbConn,
    id: i64,
    warehouse: i64,
    item: i64,
    qty: i64,
) -> QueryResult<()> {
    let n = diesel::update(
        drill_materials::table
            .filter(drill_materials::drill_id.eq(id))
            .filter(drill_materials::warehouse_id.eq(warehouse))
            .filter(drill_materials::item_id.eq(item))
            .filter(drill_materials::issued.eq(0)),
    )
    .set(drill_materials::qty.eq(drill_materials::qty + qty))
    .execute(conn)?;
    if n == 0 {
        diesel::insert_into(drill_materials::table)
            .values((
                drill_materials::drill_id.eq(id),
                drill_materials::warehouse_id.eq(warehouse),
                drill_materials::item_id.eq(item),
                drill_materials::qty.eq(qty),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Records a line issued on a voucher; false when it was issued already.
pub fn set_issued(conn: &mut DbConn, line: i64, qty: i64, movement: i64) -> QueryResult<bool> {
    let n = diesel::update(
        drill_materials::table
            .find(line)
            .filter(drill_materials::issued.eq(0)),
    )
    .set((
        drill_materials::issued.eq(qty),
        drill_materials::issue_movement_id.eq(Some(movement)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Records a line returned on a voucher; false when it was returned already.
pub fn set_returned(
    conn: &mut DbConn,
    line: i64,
    (returned, lost, note): (i64, i64, &str),
    movement: Option<i64>,
) -> QueryResult<bool> {
    let n = diesel::update(
        drill_materials::table
            .find(line)
            .filter(drill_materials::returned.eq(0))
            .filter(drill_materials::lost.eq(0)),
    )
    .set((
        drill_materials::returned.eq(returned),
        drill_materials::lost.eq(lost),
        drill_materials::loss_note.eq(note),
        drill_materials::return_movement_id.eq(movement),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Drops the lines of a drill not yet issued (a cancelled drill).
pub fn drop_unissued(conn: &mut DbConn, id: i64) -> QueryResult<usize> {
    diesel::delete(
        drill_materials::table
            .filter(drill_materials::drill_id.eq(id))
            .filter(drill_materials::issued.eq(0)),
    )
    .execute(conn)
}
