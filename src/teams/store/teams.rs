//! Teams, their specialities and the equipment they carry.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_teams::{team_equipment, team_specialities, teams};
use crate::db::{unique, DbConn, WriteResult};
use crate::i18n::Coded;
use crate::teams::model::{TeamInput, TeamKind};

/// A rescue team (救援队伍) as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = teams)]
pub struct TeamRow {
    pub id: i64,
    pub unit_id: i64,
    pub name: String,
    pub kind: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub duty_phone: String,
    pub min_ready: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A rescue team.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Team {
    pub id: i64,
    pub unit_id: i64,
    pub name: String,
    pub kind: TeamKind,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub duty_phone: String,
    /// The headcount it must be able to turn out.
    pub min_ready: i32,
    pub active: bool,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

impl From<TeamRow> for Team {
    fn from(r: TeamRow) -> Team {
        Team {
            id: r.id,
            unit_id: r.unit_id,
            kind: TeamKind::from_code(&r.kind).unwrap_or(TeamKind::Professional),
            name: r.name,
            address: r.address,
            latitude: r.latitude,
            longitude: r.longitude,
            duty_phone: r.duty_phone,
            min_ready: r.min_ready,
            active: r.active,
            updated_at: r.updated_at,
        }
    }
}

impl Team {
    /// Where the team is based, if known.
    pub fn position(&self) -> Option<(f64, f64)> {
        self.latitude.zip(self.longitude)
    }
}

/// Every team, by name.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Team>> {
    Ok(teams::table
        .order(teams::name.asc())
        .select(TeamRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Team::from)
        .collect())
}

/// One team.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Team>> {
    Ok(teams::table
        .find(id)
        .select(TeamRow::as_select())
        .first(conn)
        .optional()?
        .map(Team::from))
}

/// Adds a team with its specialities.
pub fn insert(conn: &mut DbConn, t: &TeamInput, now: NaiveDateTime) -> WriteResult<Team> {
    let row: TeamRow = unique(
        diesel::insert_into(teams::table)
            .values((
                teams::unit_id.eq(t.unit_id),
                teams::name.eq(&t.name),
                teams::kind.eq(t.kind.code()),
                teams::address.eq(&t.address),
                teams::latitude.eq(t.position.map(|p| p.0)),
                teams::longitude.eq(t.position.map(|p| p.1)),
                teams::duty_phone.eq(&t.duty_phone),
                teams::min_ready.eq(t.min_ready),
                teams::active.eq(true),
                teams::created_at.eq(now),
                teams::updated_at.eq(now),
            ))
            .returning(teams::all_columns)
            .get_result(conn),
    )?;
    set_specialities(conn, row.id, &t.specialities)?;
    Ok(row.into())
}

/// Changes a team and its specialities.
pub fn update(
    conn: &mut DbConn,
    id: i64,
    t: &TeamInput,
    active: bool,
    now: NaiveDateTime,
) -> WriteResult<Team> {
    let row: TeamRow = unique(
        diesel::update(teams::table.find(id))
            .set((
                teams::unit_id.eq(t.unit_id),
                teams::name.eq(&t.name),
                teams::kind.eq(t.kind.code()),
                teams::address.eq(&t.address),
                teams::latitude.eq(t.position.map(|p| p.0)),
                teams::longitude.eq(t.position.map(|p| p.1)),
                teams::duty_phone.eq(&t.duty_phone),
                teams::min_ready.eq(t.min_ready),
                teams::active.eq(active),
                teams::updated_at.eq(now),
            ))
            .returning(teams::all_columns)
            .get_result(conn),
    )?;
    set_specialities(conn, id, &t.specialities)?;
    Ok(row.into())
}

fn set_specialities(conn: &mut DbConn, team: i64, codes: &[String]) -> QueryResult<()> {
    diesel::delete(team_specialities::table.filter(team_specialities::team_id.eq(team)))
        .execute(conn)?;
    for c in codes {
        diesel::insert_into(team_specialities::table)
            .values((
                team_specialities::team_id.eq(team),
                team_specialities::speciality_code.eq(c),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Every (team, speciality) pair.
pub fn specialities(conn: &mut DbConn) -> QueryResult<Vec<(i64, String)>> {
    team_specialities::table
        .order((
            team_specialities::team_id,
            team_specialities::speciality_code,
        ))
        .select((
            team_specialities::team_id,
            team_specialities::speciality_code,
        ))
        .load(conn)
}

/// A team's specialities.
pub fn specialities_of(conn: &mut DbConn, team: i64) -> QueryResult<Vec<String>> {
    team_specialities::table
        .filter(team_specialities::team_id.eq(team))
        .order(team_specialities::speciality_code)
        .select(team_specialities::speciality_code)
        .load(conn)
}

/// Equipment a team carries: a warehouse's stock, or one item of it.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = team_equipment)]
pub struct Equipment {
    pub id: i64,
    pub team_id: i64,
    pub warehouse_id: i64,
    /// One item of the warehouse; none: all of its stock.
    pub item_id: Option<i64>,
    pub note: String,
}

/// A team's equipment links.
pub fn equipment_of(conn: &mut DbConn, team: i64) -> QueryResult<Vec<Equipment>> {
    team_equipment::table
        .filter(team_equipment::team_id.eq(team))
        .order(team_equipment::id)
        .select(Equipment::as_select())
        .load(conn)
}

/// Links a warehouse (or an item in it) to a team.
pub fn add_equipment(
    conn: &mut DbConn,
    team: i64,
    warehouse: i64,
    item: Option<i64>,
    note: &str,
) -> WriteResult<Equipment> {
    unique(
        diesel::insert_into(team_equipment::table)
            .values((
                team_equipment::team_id.eq(team),
                team_equipment::warehouse_id.eq(warehouse),
                team_equipment::item_id.eq(item),
                team_equipment::note.eq(note),
            ))
            .returning(team_equipment::all_columns)
            .get_result(conn),
    )
}

/// Removes an equipment link of a team; false when there was none.
pub fn remove_equipment(conn: &mut DbConn, team: i64, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(
        team_equipment::table
            .filter(team_equipment::id.eq(id))
            .filter(team_equipment::team_id.eq(team)),
    )
    .execute(conn)?
        > 0)
}
