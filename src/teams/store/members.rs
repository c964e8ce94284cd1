//! Members of teams.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::people;
use crate::db::schema_teams::team_members;
use crate::db::{unique, DbConn, WriteResult};
use crate::i18n::Coded;
use crate::teams::model::{MemberInput, MemberRole, MemberStatus};

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

/// Every active person: id, name, phone, unit (to match a roster's rows to people).
pub fn active_people(conn: &mut DbConn) -> QueryResult<Vec<(i64, String, String, i64)>> {
    people::table
        .filter(people::active.eq(true))
        .select((people::id, people::name, people::phone, people::unit_id))
        .load(conn)
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
