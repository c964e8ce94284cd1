//! Members of teams, and leave (one record per person and period, shared with duty rosters).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::people;
use crate::db::schema_teams::{leaves, team_members};
use crate::db::{unique, DbConn, WriteResult};
use crate::i18n::Coded;
use crate::teams::model::{
    LeaveInput, LeaveKind, LeaveState, MemberInput, MemberRole, MemberStatus,
};

#[derive(Queryable, Selectable)]
#[diesel(table_name = team_members)]
struct MemberRow {
    id: i64,
    team_id: i64,
    person_id: i64,
    role: String,
    joined_on: NaiveDate,
    status: String,
    status_since: NaiveDate,
    status_until: Option<NaiveDate>,
    skills: String,
}

/// A person in a team, with their name and unit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Member {
    pub id: i64,
    pub team_id: i64,
    pub person_id: i64,
    /// The person's name.
    pub name: String,
    /// The person's unit.
    pub unit_id: i64,
    /// The person's phone (masked for those who do not need it).
    pub phone: String,
    pub role: MemberRole,
    pub joined_on: NaiveDate,
    pub status: MemberStatus,
    pub status_since: NaiveDate,
    pub status_until: Option<NaiveDate>,
    pub skills: String,
}

type Joined = (MemberRow, (String, i64, String));

fn member((r, (name, unit_id, phone)): Joined) -> Member {
    Member {
        id: r.id,
        team_id: r.team_id,
        person_id: r.person_id,
        name,
        unit_id,
        phone,
        role: MemberRole::from_code(&r.role).unwrap_or(MemberRole::Member),
        joined_on: r.joined_on,
        status: MemberStatus::from_code(&r.status).unwrap_or(MemberStatus::InPost),
        status_since: r.status_since,
        status_until: r.status_until,
        skills: r.skills,
    }
}

fn joined() -> diesel::dsl::InnerJoin<team_members::table, people::table> {
    team_members::table.inner_join(people::table)
}

/// Members of the given teams (every team when `teams` is `None`), leaders first, then by name.
pub fn of_teams(conn: &mut DbConn, teams: Option<&[i64]>) -> QueryResult<Vec<Member>> {
    let mut q = joined()
        .select((
            MemberRow::as_select(),
            (people::name, people::unit_id, people::phone),
        ))
        .order((team_members::team_id, people::sort_key))
        .into_boxed();
    if let Some(ids) = teams {
        q = q.filter(team_members::team_id.eq_any(ids.to_vec()));
    }
    let mut out: Vec<Member> = q.load::<Joined>(conn)?.into_iter().map(member).collect();
    out.sort_by_key(|m| (m.team_id, m.role));
    Ok(out)
}

/// A person's memberships.
pub fn of_person(conn: &mut DbConn, person: i64) -> QueryResult<Vec<Member>> {
    Ok(joined()
        .filter(team_members::person_id.eq(person))
        .select((
            MemberRow::as_select(),
            (people::name, people::unit_id, people::phone),
        ))
        .order(team_members::team_id)
        .load::<Joined>(conn)?
        .into_iter()
        .map(member)
        .collect())
}

/// One membership.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Member>> {
    Ok(joined()
        .filter(team_members::id.eq(id))
        .select((
            MemberRow::as_select(),
            (people::name, people::unit_id, people::phone),
        ))
        .first::<Joined>(conn)
        .optional()?
        .map(member))
}

/// The teams a person leads (is an active 队长 or 副队长 of).
pub fn teams_led_by(conn: &mut DbConn, person: i64) -> QueryResult<Vec<i64>> {
    team_members::table
        .filter(team_members::person_id.eq(person))
        .filter(team_members::role.eq_any([MemberRole::Captain.code(), MemberRole::Deputy.code()]))
        .filter(team_members::status.ne(MemberStatus::Left.code()))
        .select(team_members::team_id)
        .load(conn)
}

/// The people who lead the given team (its active 队长 and 副队长).
pub fn leaders_of(conn: &mut DbConn, team: i64) -> QueryResult<Vec<i64>> {
    team_members::table
        .filter(team_members::team_id.eq(team))
        .filter(team_members::role.eq_any([MemberRole::Captain.code(), MemberRole::Deputy.code()]))
        .filter(team_members::status.ne(MemberStatus::Left.code()))
        .select(team_members::person_id)
        .load(conn)
}

/// The teams a person is an active member of.
pub fn teams_of(conn: &mut DbConn, person: i64) -> QueryResult<Vec<i64>> {
    team_members::table
        .filter(team_members::person_id.eq(person))
        .filter(team_members::status.ne(MemberStatus::Left.code()))
        .select(team_members::team_id)
        .load(conn)
}

/// Adds a person to a team.
pub fn insert(
    conn: &mut DbConn,
    team: i64,
    m: &MemberInput,
    now: NaiveDateTime,
) -> WriteResult<i64> {
    unique(
        diesel::insert_into(team_members::table)
            .values((
                team_members::team_id.eq(team),
                team_members::person_id.eq(m.person_id),
                team_members::role.eq(m.role.code()),
                team_members::joined_on.eq(m.joined_on),
                team_members::status.eq(m.status.code()),
                team_members::status_since.eq(m.status_since),
                team_members::status_until.eq(m.status_until),
                team_members::skills.eq(&m.skills),
                team_members::updated_at.eq(now),
            ))
            .returning(team_members::id)
            .get_result(conn),
    )
}

/// Changes a membership's role, dates, status and skills.
pub fn update(conn: &mut DbConn, id: i64, m: &MemberInput, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(team_members::table.find(id))
        .set((
            team_members::role.eq(m.role.code()),
            team_members::joined_on.eq(m.joined_on),
            team_members::status.eq(m.status.code()),
            team_members::status_since.eq(m.status_since),
            team_members::status_until.eq(m.status_until),
            team_members::skills.eq(&m.skills),
            team_members::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

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

/// Every active person: id, name, phone, unit (to match a roster's rows to people).
pub fn active_people(conn: &mut DbConn) -> QueryResult<Vec<(i64, String, String, i64)>> {
    people::table
        .filter(people::active.eq(true))
        .select((people::id, people::name, people::phone, people::unit_id))
        .load(conn)
}

/// Holds the person's row until the transaction ends, so that two requests for the same person's leave
/// are decided one after the other (SQLite's writers already are).
pub fn lock_person(conn: &mut DbConn, person: i64) -> QueryResult<()> {
    match conn {
        #[cfg(feature = "postgres")]
        DbConn::Pg(_) => {
            diesel::sql_query("SELECT id FROM people WHERE id = $1 FOR UPDATE")
                .bind::<diesel::sql_types::BigInt, _>(person)
                .execute(conn)?;
        }
        DbConn::Sqlite(_) => {
            let _ = person;
        }
    }
    Ok(())
}

/// A member as readiness and the search need them: team, person, name, phone, role, status.
#[derive(Debug, Clone)]
pub struct Roll {
    pub team_id: i64,
    pub person_id: i64,
    pub name: String,
    pub phone: String,
    pub role: MemberRole,
    pub status: MemberStatus,
}

/// The members of the given teams (every team when `None`), leaders first within each team, then by name.
pub fn roll(conn: &mut DbConn, teams: Option<&[i64]>) -> QueryResult<Vec<Roll>> {
    let mut q = joined()
        .select((
            team_members::team_id,
            team_members::person_id,
            people::name,
            people::phone,
            team_members::role,
            team_members::status,
        ))
        .order((team_members::team_id, people::sort_key))
        .into_boxed();
    if let Some(ids) = teams {
        q = q.filter(team_members::team_id.eq_any(ids.to_vec()));
    }
    let mut out: Vec<Roll> = q
        .load::<(i64, i64, String, String, String, String)>(conn)?
        .into_iter()
        .map(|(team_id, person_id, name, phone, role, status)| Roll {
            team_id,
            person_id,
            name,
            phone,
            role: MemberRole::from_code(&role).unwrap_or(MemberRole::Member),
            status: MemberStatus::from_code(&status).unwrap_or(MemberStatus::InPost),
        })
        .collect();
    out.sort_by_key(|m| (m.team_id, m.role));
    Ok(out)
}
