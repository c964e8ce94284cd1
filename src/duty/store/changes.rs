//! Swaps (换班) and substitutions (替班) as stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_duty::duty_changes;
use crate::db::DbConn;
use crate::duty::model::{ChangeKind, ChangeState};
use crate::i18n::Coded;

#[derive(Queryable, Selectable)]
#[diesel(table_name = duty_changes)]
struct ChangeRow {
    id: i64,
    roster_id: i64,
    kind: String,
    state: String,
    shift_id: i64,
    giver_id: i64,
    taker_id: i64,
    taker_shift_id: Option<i64>,
    reason: String,
    asked_by: i64,
    asked_at: NaiveDateTime,
    agreed_by: Option<i64>,
    decided_by: Option<i64>,
    decision_note: String,
}

/// A swap or substitution.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DutyChange {
    pub id: i64,
    pub roster_id: i64,
    pub kind: ChangeKind,
    pub state: ChangeState,
    /// The shift the giver gives up.
    pub shift_id: i64,
    /// The person giving up their place.
    pub giver_id: i64,
    /// The person taking it over.
    pub taker_id: i64,
    /// For a swap: the taker's shift, which the giver takes in return.
    pub taker_shift_id: Option<i64>,
    pub reason: String,
    /// The account that asked (the giver, or a manager on their behalf).
    pub asked_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub asked_at: NaiveDateTime,
    /// The account that agreed (the taker, or a manager on their behalf).
    pub agreed_by: Option<i64>,
    /// The account that approved or refused.
    pub decided_by: Option<i64>,
    pub decision_note: String,
}

impl From<ChangeRow> for DutyChange {
    fn from(r: ChangeRow) -> DutyChange {
        DutyChange {
            id: r.id,
            roster_id: r.roster_id,
            kind: ChangeKind::from_code(&r.kind).unwrap_or(ChangeKind::Substitution),
            state: ChangeState::from_code(&r.state).unwrap_or(ChangeState::Withdrawn),
            shift_id: r.shift_id,
            giver_id: r.giver_id,
            taker_id: r.taker_id,
            taker_shift_id: r.taker_shift_id,
            reason: r.reason,
            asked_by: r.asked_by,
            asked_at: r.asked_at,
            agreed_by: r.agreed_by,
            decided_by: r.decided_by,
            decision_note: r.decision_note,
        }
    }
}

/// A new change.
pub struct NewChange<'a> {
    pub roster_id: i64,
    pub kind: ChangeKind,
    pub state: ChangeState,
    pub shift_id: i64,
    pub giver_id: i64,
    pub taker_id: i64,
    pub taker_shift_id: Option<i64>,
    pub reason: &'a str,
    pub by: i64,
    pub now: NaiveDateTime,
}

/// Stores a change.
pub fn insert(conn: &mut DbConn, n: &NewChange<'_>) -> QueryResult<DutyChange> {
    let applied = n.state == ChangeState::Applied;
    let id: i64 = diesel::insert_into(duty_changes::table)
        .values((
            duty_changes::roster_id.eq(n.roster_id),
            duty_changes::kind.eq(n.kind.code()),
            duty_changes::state.eq(n.state.code()),
            duty_changes::shift_id.eq(n.shift_id),
            duty_changes::giver_id.eq(n.giver_id),
            duty_changes::taker_id.eq(n.taker_id),
            duty_changes::taker_shift_id.eq(n.taker_shift_id),
            duty_changes::reason.eq(n.reason),
            duty_changes::asked_by.eq(n.by),
            duty_changes::asked_at.eq(n.now),
            duty_changes::agreed_by.eq(applied.then_some(n.by)),
            duty_changes::agreed_at.eq(applied.then_some(n.now)),
            duty_changes::decided_by.eq(applied.then_some(n.by)),
            duty_changes::decided_at.eq(applied.then_some(n.now)),
        ))
        .returning(duty_changes::id)
        .get_result(conn)?;
    find(conn, id)?.ok_or(diesel::result::Error::NotFound)
}

/// A change by id.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<DutyChange>> {
    Ok(duty_changes::table
        .find(id)
        .select(ChangeRow::as_select())
        .first::<ChangeRow>(conn)
        .optional()?
        .map(DutyChange::from))
}

/// The changes of a roster, or those a person is party to; open ones first, then the newest.
pub fn list(
    conn: &mut DbConn,
    roster: Option<i64>,
    person: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<DutyChange>> {
    let mut q = duty_changes::table
        .select(ChangeRow::as_select())
        .order(duty_changes::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(r) = roster {
        q = q.filter(duty_changes::roster_id.eq(r));
    }
    if let Some(p) = person {
        q = q.filter(
            duty_changes::giver_id
                .eq(p)
                .or(duty_changes::taker_id.eq(p)),
        );
    }
    let mut out: Vec<DutyChange> = q
        .load::<ChangeRow>(conn)?
        .into_iter()
        .map(DutyChange::from)
        .collect();
    out.sort_by_key(|c| {
        (
            !matches!(c.state, ChangeState::Asked | ChangeState::Agreed),
            std::cmp::Reverse(c.id),
        )
    });
    Ok(out)
}

/// Open changes (asked or agreed) of every roster.
pub fn open(conn: &mut DbConn) -> QueryResult<Vec<DutyChange>> {
    Ok(duty_changes::table
        .filter(duty_changes::state.eq_any([ChangeState::Asked.code(), ChangeState::Agreed.code()]))
        .order(duty_changes::id)
        .select(ChangeRow::as_select())
        .load::<ChangeRow>(conn)?
        .into_iter()
        .map(DutyChange::from)
        .collect())
}

/// Moves a change from `from` to `to`; false when it was no longer in `from`.
pub fn move_state(
    conn: &mut DbConn,
    id: i64,
    from: ChangeState,
    to: ChangeState,
    by: i64,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = duty_changes::table
        .filter(duty_changes::id.eq(id))
        .filter(duty_changes::state.eq(from.code()));
    let n = if to == ChangeState::Agreed {
        diesel::update(target)
            .set((
                duty_changes::state.eq(to.code()),
                duty_changes::agreed_by.eq(by),
                duty_changes::agreed_at.eq(now),
            ))
            .execute(conn)?
    } else {
        diesel::update(target)
            .set((
                duty_changes::state.eq(to.code()),
                duty_changes::decided_by.eq(by),
                duty_changes::decided_at.eq(now),
                duty_changes::decision_note.eq(note),
            ))
            .execute(conn)?
    };
    Ok(n == 1)
}
