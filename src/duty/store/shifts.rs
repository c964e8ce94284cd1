//! Plans (a generated range of days: draft → submitted → approved → published), their shifts and who holds
//! each place. A shift is live once its plan is published.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::people;
use crate::db::schema_duty::{duty_assignments, duty_plans, duty_shifts};
use crate::db::DbConn;
use crate::duty::model::{DayClass, DutyRole, Need, Place};
use crate::i18n::{text_enum, Coded};

text_enum!(
    /// Where a generated range of a roster stands.
    PlanState, "state", {
        Draft = "draft", "草稿", "Draft";
        Submitted = "submitted", "待审批", "Awaiting approval";
        Approved = "approved", "已审批", "Approved";
        Published = "published", "已发布", "Published";
        Discarded = "discarded", "已废弃", "Discarded";
    }
);

/// A generated range of a roster.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = duty_plans)]
pub struct PlanRow {
    pub id: i64,
    pub roster_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub state: String,
    /// Holds public holidays or a holiday period: the office approves it before it is published.
    pub holiday: bool,
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    pub decided_by: Option<i64>,
    pub decision_note: String,
    pub published_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub published_at: Option<NaiveDateTime>,
}

impl PlanRow {
    /// The plan's state.
    pub fn state(&self) -> PlanState {
        PlanState::from_code(&self.state).unwrap_or(PlanState::Discarded)
    }
}

/// A shift as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = duty_shifts)]
pub struct ShiftRow {
    pub id: i64,
    pub roster_id: i64,
    pub plan_id: i64,
    pub day: NaiveDate,
    pub shift_no: i32,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub day_class: String,
    pub leaders: i32,
    pub officers: i32,
    pub live: bool,
}

impl ShiftRow {
    /// What the shift needs.
    pub fn need(&self) -> Need {
        Need {
            leaders: self.leaders.clamp(0, 255) as u8,
            officers: self.officers.clamp(0, 255) as u8,
        }
    }

    /// The kind of day.
    pub fn class(&self) -> DayClass {
        DayClass::from_code(&self.day_class).unwrap_or(DayClass::Workday)
    }
}

/// A place on a shift with the person's name and phone.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Serialize, utoipa::ToSchema)]
pub struct OnShift {
    #[serde(skip)]
    pub shift_id: i64,
    pub person_id: i64,
    pub role: String,
    pub name: String,
    pub post: String,
    pub phone: String,
}

/// A plan by id.
pub fn find_plan(conn: &mut DbConn, id: i64) -> QueryResult<Option<PlanRow>> {
    duty_plans::table
        .find(id)
        .select(PlanRow::as_select())
        .first(conn)
        .optional()
}

/// The plans of a roster not discarded, newest range first.
pub fn plans_of(conn: &mut DbConn, roster: i64) -> QueryResult<Vec<PlanRow>> {
    duty_plans::table
        .filter(duty_plans::roster_id.eq(roster))
        .filter(duty_plans::state.ne(PlanState::Discarded.code()))
        .order(duty_plans::starts_on.desc())
        .select(PlanRow::as_select())
        .load(conn)
}

/// Plans (of any roster) in `state`, oldest first.
pub fn plans_in(conn: &mut DbConn, state: PlanState) -> QueryResult<Vec<PlanRow>> {
    duty_plans::table
        .filter(duty_plans::state.eq(state.code()))
        .order(duty_plans::id)
        .select(PlanRow::as_select())
        .load(conn)
}

/// A plan of the roster (not discarded) that shares a day with `from..=to`.
pub fn plan_overlapping(
    conn: &mut DbConn,
    roster: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Option<PlanRow>> {
    duty_plans::table
        .filter(duty_plans::roster_id.eq(roster))
        .filter(duty_plans::state.ne(PlanState::Discarded.code()))
        .filter(duty_plans::starts_on.le(to))
        .filter(duty_plans::ends_on.ge(from))
        .select(PlanRow::as_select())
        .first(conn)
        .optional()
}

/// A new shift of a plan, with the places filled.
pub struct NewShift {
    pub day: NaiveDate,
    pub no: usize,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub class: DayClass,
    pub need: Need,
    pub places: Vec<Place>,
}

/// Stores a plan in draft with its shifts and places; returns its id.
pub fn insert_plan(
    conn: &mut DbConn,
    roster: i64,
    (from, to): (NaiveDate, NaiveDate),
    holiday: bool,
    shifts: &[NewShift],
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let plan: i64 = diesel::insert_into(duty_plans::table)
        .values((
            duty_plans::roster_id.eq(roster),
            duty_plans::starts_on.eq(from),
            duty_plans::ends_on.eq(to),
            duty_plans::state.eq(PlanState::Draft.code()),
            duty_plans::holiday.eq(holiday),
            duty_plans::created_by.eq(by),
            duty_plans::created_at.eq(now),
        ))
        .returning(duty_plans::id)
        .get_result(conn)?;
    for s in shifts {
        let id: i64 = diesel::insert_into(duty_shifts::table)
            .values((
                duty_shifts::roster_id.eq(roster),
                duty_shifts::plan_id.eq(plan),
                duty_shifts::day.eq(s.day),
                duty_shifts::shift_no.eq(s.no as i32),
                duty_shifts::starts_at.eq(s.starts_at),
                duty_shifts::ends_at.eq(s.ends_at),
                duty_shifts::day_class.eq(s.class.code()),
                duty_shifts::leaders.eq(i32::from(s.need.leaders)),
                duty_shifts::officers.eq(i32::from(s.need.officers)),
            ))
            .returning(duty_shifts::id)
            .get_result(conn)?;
        set_places(conn, id, &s.places)?;
    }
    Ok(plan)
}

/// Replaces who holds the places of a shift.
pub fn set_places(conn: &mut DbConn, shift: i64, places: &[Place]) -> QueryResult<()> {
    diesel::delete(duty_assignments::table.filter(duty_assignments::shift_id.eq(shift)))
        .execute(conn)?;
    for (p, r) in places {
        diesel::insert_into(duty_assignments::table)
            .values((
                duty_assignments::shift_id.eq(shift),
                duty_assignments::person_id.eq(*p),
                duty_assignments::role.eq(r.code()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Moves a plan from one of `from` to `to`, recording who did it; false when it was in another state.
pub fn move_plan(
    conn: &mut DbConn,
    id: i64,
    from: &[PlanState],
    to: PlanState,
    by: i64,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let codes: Vec<&str> = from.iter().map(|s| s.code()).collect();
    let target = duty_plans::table
        .filter(duty_plans::id.eq(id))
        .filter(duty_plans::state.eq_any(codes));
    let n = match to {
        PlanState::Published => diesel::update(target)
            .set((
                duty_plans::state.eq(to.code()),
                duty_plans::published_by.eq(by),
                duty_plans::published_at.eq(now),
            ))
            .execute(conn)?,
        _ => diesel::update(target)
            .set((
                duty_plans::state.eq(to.code()),
                duty_plans::decided_by.eq(by),
                duty_plans::decided_at.eq(now),
                duty_plans::decision_note.eq(note),
            ))
            .execute(conn)?,
    };
    if n == 1 && to == PlanState::Published {
        diesel::update(duty_shifts::table.filter(duty_shifts::plan_id.eq(id)))
            .set(duty_shifts::live.eq(true))
            .execute(conn)?;
    }
    Ok(n == 1)
}

/// A shift by id.
pub fn find_shift(conn: &mut DbConn, id: i64) -> QueryResult<Option<ShiftRow>> {
    duty_shifts::table
        .find(id)
        .select(ShiftRow::as_select())
        .first(conn)
        .optional()
}

/// The shifts of a plan in time order.
pub fn shifts_of_plan(conn: &mut DbConn, plan: i64) -> QueryResult<Vec<ShiftRow>> {
    duty_shifts::table
        .filter(duty_shifts::plan_id.eq(plan))
        .order(duty_shifts::starts_at)
        .select(ShiftRow::as_select())
        .load(conn)
}

/// The roster's shifts of its other plans (not discarded) that reach `[from, to]`, touching it included:
/// the neighbours of a plan on either side, in time order.
pub fn next_to(
    conn: &mut DbConn,
    roster: i64,
    plan: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<ShiftRow>> {
    duty_shifts::table
        .inner_join(duty_plans::table)
        .filter(duty_shifts::roster_id.eq(roster))
        .filter(duty_shifts::plan_id.ne(plan))
        .filter(duty_plans::state.ne(PlanState::Discarded.code()))
        .filter(duty_shifts::ends_at.ge(from))
        .filter(duty_shifts::starts_at.le(to))
        .order(duty_shifts::starts_at)
        .select(ShiftRow::as_select())
        .load(conn)
}

/// The live shifts of the given rosters (all when `None`) that overlap `[from, to)`, in time order.
pub fn live_between(
    conn: &mut DbConn,
    rosters: Option<&[i64]>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<ShiftRow>> {
    let mut q = duty_shifts::table
        .filter(duty_shifts::live.eq(true))
        .filter(duty_shifts::ends_at.gt(from))
        .filter(duty_shifts::starts_at.lt(to))
        .order((duty_shifts::starts_at, duty_shifts::roster_id))
        .select(ShiftRow::as_select())
        .into_boxed();
    if let Some(r) = rosters {
        q = q.filter(duty_shifts::roster_id.eq_any(r.to_vec()));
    }
    q.load(conn)
}

/// The live shifts of a roster begun on the days from `from` to `to`, in time order (a month's 值班表, a
/// year's tally).
pub fn live_on_days(
    conn: &mut DbConn,
    roster: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<ShiftRow>> {
    duty_shifts::table
        .filter(duty_shifts::roster_id.eq(roster))
        .filter(duty_shifts::live.eq(true))
        .filter(duty_shifts::day.between(from, to))
        .order(duty_shifts::starts_at)
        .select(ShiftRow::as_select())
        .load(conn)
}

/// Who holds the places of the given shifts, leaders first.
pub fn holders(conn: &mut DbConn, shifts: &[i64]) -> QueryResult<Vec<OnShift>> {
    if shifts.is_empty() {
        return Ok(Vec::new());
    }
    duty_assignments::table
        .inner_join(people::table)
        .filter(duty_assignments::shift_id.eq_any(shifts.to_vec()))
        .order((
            duty_assignments::shift_id,
            duty_assignments::role,
            people::sort_key,
        ))
        .select((
            duty_assignments::shift_id,
            duty_assignments::person_id,
            duty_assignments::role,
            people::name,
            people::post,
            people::phone,
        ))
        .load(conn)
}

/// The places of the given shifts as the rules see them, by shift.
pub fn places(conn: &mut DbConn, shifts: &[i64]) -> QueryResult<HashMap<i64, Vec<Place>>> {
    let mut out: HashMap<i64, Vec<Place>> = shifts.iter().map(|s| (*s, Vec::new())).collect();
    for chunk in shifts.chunks(500) {
        let rows: Vec<(i64, i64, String)> = duty_assignments::table
            .filter(duty_assignments::shift_id.eq_any(chunk.to_vec()))
            .order((
                duty_assignments::shift_id,
                duty_assignments::role,
                duty_assignments::id,
            ))
            .select((
                duty_assignments::shift_id,
                duty_assignments::person_id,
                duty_assignments::role,
            ))
            .load(conn)?;
        for (shift, person, role) in rows {
            if let Some(role) = DutyRole::from_code(&role) {
                out.entry(shift).or_default().push((person, role));
            }
        }
    }
    Ok(out)
}
