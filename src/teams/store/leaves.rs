//! Leave (请假/休假): one record per person and period, shared with duty rosters.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_teams::leaves;
use crate::db::DbConn;
use crate::i18n::Coded;
use crate::teams::model::{LeaveInput, LeaveKind, LeaveState};

#[derive(Queryable, Selectable)]
#[diesel(table_name = leaves)]
struct LeaveRow {
    id: i64,
    person_id: i64,
    kind: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    reason: String,
    state: String,
    requested_by: i64,
    decided_by: Option<i64>,
    decided_at: Option<NaiveDateTime>,
    decision_note: String,
    created_at: NaiveDateTime,
}

/// A leave (请假/休假) of a person.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Leave {
    pub id: i64,
    pub person_id: i64,
    pub kind: LeaveKind,
    pub starts_on: NaiveDate,
    /// The last day away.
    pub ends_on: NaiveDate,
    pub reason: String,
    pub state: LeaveState,
    /// The account that asked.
    pub requested_by: i64,
    /// The account that decided.
    pub decided_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<NaiveDateTime>,
    pub decision_note: String,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

impl From<LeaveRow> for Leave {
    fn from(r: LeaveRow) -> Leave {
        Leave {
            id: r.id,
            person_id: r.person_id,
            kind: LeaveKind::from_code(&r.kind).unwrap_or(LeaveKind::Other),
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            reason: r.reason,
            state: LeaveState::from_code(&r.state).unwrap_or(LeaveState::Requested),
            requested_by: r.requested_by,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            decision_note: r.decision_note,
            created_at: r.created_at,
        }
    }
}

impl Leave {
    /// Whether the person is away on `day` by this leave (only an approved one counts).
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.state == LeaveState::Approved && self.starts_on <= day && day <= self.ends_on
    }
}

/// Records a leave request.
pub fn insert_leave(
    conn: &mut DbConn,
    l: &LeaveInput,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<Leave> {
    Ok(diesel::insert_into(leaves::table)
        .values((
            leaves::person_id.eq(l.person_id),
            leaves::kind.eq(l.kind.code()),
            leaves::starts_on.eq(l.starts_on),
            leaves::ends_on.eq(l.ends_on),
            leaves::reason.eq(&l.reason),
            leaves::state.eq(LeaveState::Requested.code()),
            leaves::requested_by.eq(by),
            leaves::decision_note.eq(""),
            leaves::created_at.eq(now),
        ))
        .returning(leaves::all_columns)
        .get_result::<LeaveRow>(conn)?
        .into())
}

/// One leave.
pub fn find_leave(conn: &mut DbConn, id: i64) -> QueryResult<Option<Leave>> {
    Ok(leaves::table
        .find(id)
        .select(LeaveRow::as_select())
        .first::<LeaveRow>(conn)
        .optional()?
        .map(Leave::from))
}

/// Moves a leave from `from` to `to`, recording who decided; false when it was no longer in `from`
/// (someone else decided first).
pub fn decide_leave(
    conn: &mut DbConn,
    id: i64,
    from: LeaveState,
    to: LeaveState,
    by: i64,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    Ok(diesel::update(
        leaves::table
            .filter(leaves::id.eq(id))
            .filter(leaves::state.eq(from.code())),
    )
    .set((
        leaves::state.eq(to.code()),
        leaves::decided_by.eq(by),
        leaves::decided_at.eq(now),
        leaves::decision_note.eq(note),
    ))
    .execute(conn)?
        == 1)
}

/// Leaves of the given people (everyone when `None`) in `state` (any when `None`) that end on or after
/// `from`, newest first.
pub fn leaves(
    conn: &mut DbConn,
    people: Option<&[i64]>,
    state: Option<LeaveState>,
    from: Option<NaiveDate>,
) -> QueryResult<Vec<Leave>> {
    let mut q = leaves::table
        .select(LeaveRow::as_select())
        .order((leaves::starts_on.desc(), leaves::id.desc()))
        .into_boxed();
    if let Some(p) = people {
        q = q.filter(leaves::person_id.eq_any(p.to_vec()));
    }
    if let Some(s) = state {
        q = q.filter(leaves::state.eq(s.code()));
    }
    if let Some(d) = from {
        q = q.filter(leaves::ends_on.ge(d));
    }
    Ok(q.load::<LeaveRow>(conn)?
        .into_iter()
        .map(Leave::from)
        .collect())
}

/// Whether an approved or requested leave of the person overlaps the given days.
pub fn overlapping(
    conn: &mut DbConn,
    person: i64,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> QueryResult<bool> {
    use diesel::dsl::{exists, select};
    select(exists(
        leaves::table
            .filter(leaves::person_id.eq(person))
            .filter(
                leaves::state.eq_any([LeaveState::Requested.code(), LeaveState::Approved.code()]),
            )
            .filter(leaves::starts_on.le(ends_on))
            .filter(leaves::ends_on.ge(starts_on)),
    ))
    .get_result(conn)
}

/// Holds the person's row until the transaction ends, so that two requests for the same person's leave
/// are decided one after the other (SQLite's writers already are).
pub fn lock_person(conn: &mut DbConn, person: i64) -> QueryResult<()> {
    crate::db::lock_row(conn, "people", person)
}
