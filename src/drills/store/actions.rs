//! Corrective actions (整改).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_drills::drill_actions;
use crate::db::{DbConn, MultiBackend};
use crate::drills::model::{ActionInput, ActionState};

/// A corrective action.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = drill_actions)]
pub struct DrillAction {
    pub id: i64,
    pub drill_id: i64,
    pub problem: String,
    pub owner_person_id: i64,
    pub owner_unit_id: i64,
    pub due_on: NaiveDate,
    /// The action calls for revising the plan the drill tested.
    pub revise_plan: bool,
    pub state: ActionState,
    pub evidence: String,
    pub attachment_id: Option<i64>,
    pub submitted_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub submitted_at: Option<NaiveDateTime>,
    /// Times the evidence was rejected.
    pub rejections: i32,
    pub reject_note: String,
    pub verified_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<NaiveDateTime>,
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// Opens an action.
pub fn insert(
    conn: &mut DbConn,
    drill_id: i64,
    owner_unit_id: i64,
    a: &ActionInput,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<DrillAction> {
    diesel::insert_into(drill_actions::table)
        .values((
            drill_actions::drill_id.eq(drill_id),
            drill_actions::problem.eq(&a.problem),
            drill_actions::owner_person_id.eq(a.owner_person_id),
            drill_actions::owner_unit_id.eq(owner_unit_id),
            drill_actions::due_on.eq(a.due_on),
            drill_actions::revise_plan.eq(a.revise_plan),
            drill_actions::state.eq(ActionState::Open),
            drill_actions::created_by.eq(by),
            drill_actions::created_at.eq(now),
            drill_actions::updated_at.eq(now),
        ))
        .returning(drill_actions::all_columns)
        .get_result(conn)
}

/// One action.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<DrillAction>> {
    drill_actions::table
        .find(id)
        .select(DrillAction::as_select())
        .first(conn)
        .optional()
}

/// Actions of some drills (all when `None`), unclosed only when `open`, by deadline.
pub fn list(
    conn: &mut DbConn,
    drills: Option<&[i64]>,
    open: bool,
) -> QueryResult<Vec<DrillAction>> {
    let mut q = drill_actions::table
        .select(DrillAction::as_select())
        .order((drill_actions::due_on, drill_actions::id))
        .into_boxed::<MultiBackend>();
    if let Some(d) = drills {
        q = q.filter(drill_actions::drill_id.eq_any(d.to_vec()));
    }
    if open {
        q = q.filter(drill_actions::state.ne(ActionState::Closed));
    }
    q.load(conn)
}

/// Records evidence; false when the action was no longer open.
pub fn submit(
    conn: &mut DbConn,
    id: i64,
    evidence: &str,
    attachment: Option<i64>,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = drill_actions::table
        .find(id)
        .filter(drill_actions::state.eq(ActionState::Open));
    let n = diesel::update(target)
        .set((
            drill_actions::state.eq(ActionState::Submitted),
            drill_actions::evidence.eq(evidence),
            drill_actions::submitted_by.eq(Some(by)),
            drill_actions::submitted_at.eq(Some(now)),
            drill_actions::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 1 {
        if let Some(a) = attachment {
            diesel::update(drill_actions::table.find(id))
                .set(drill_actions::attachment_id.eq(Some(a)))
                .execute(conn)?;
        }
    }
    Ok(n == 1)
}

/// Closes a submitted action, or reopens it with the reason; false when it was no longer submitted.
pub fn verify(
    conn: &mut DbConn,
    id: i64,
    to: ActionState,
    note: &str,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = drill_actions::table
        .find(id)
        .filter(drill_actions::state.eq(ActionState::Submitted));
    let n = if to == ActionState::Closed {
        diesel::update(target)
            .set((
                drill_actions::state.eq(to),
                drill_actions::verified_by.eq(Some(by)),
                drill_actions::closed_at.eq(Some(now)),
                drill_actions::updated_at.eq(now),
            ))
            .execute(conn)?
    } else {
        diesel::update(target)
            .set((
                drill_actions::state.eq(to),
                drill_actions::rejections.eq(drill_actions::rejections + 1),
                drill_actions::reject_note.eq(note),
                drill_actions::updated_at.eq(now),
            ))
            .execute(conn)?
    };
    Ok(n == 1)
}

/// Attaches the evidence file to an open action; false when it is no longer open.
pub fn set_attachment(
    conn: &mut DbConn,
    id: i64,
    attachment: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        drill_actions::table
            .find(id)
            .filter(drill_actions::state.eq(ActionState::Open)),
    )
    .set((
        drill_actions::attachment_id.eq(Some(attachment)),
        drill_actions::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}
