//! Rosters (值班表), their periods and the people eligible for each role.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_duty::{duty_eligible, duty_periods, duty_rosters};
use crate::db::{unique, DbConn, WriteResult};
use crate::duty::model::{
    Composition, DutyRole, Need, Pattern, Period, PeriodInput, PeriodKind, PresencePlan,
    RosterInput,
};
use crate::i18n::Coded;

#[derive(Queryable, Selectable)]
#[diesel(table_name = duty_rosters)]
struct RosterRow {
    id: i64,
    unit_id: i64,
    name: String,
    shift_starts: String,
    workday_leaders: i32,
    workday_officers: i32,
    weekend_leaders: i32,
    weekend_officers: i32,
    holiday_leaders: i32,
    holiday_officers: i32,
    duty_phone: String,
    handover_minutes: i32,
    checklist: String,
    remind_hours: i32,
    active: bool,
    updated_at: NaiveDateTime,
    presence_checks: i32,
    presence_minutes: i32,
}

/// A roster (值班表) of a unit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Roster {
    pub id: i64,
    pub unit_id: i64,
    pub name: String,
    /// The changeover times of day in the office's zone (`08:30`, or `08:30 20:30`).
    pub shift_starts: String,
    #[serde(skip)]
    pub pattern: Pattern,
    pub composition: Composition,
    pub duty_phone: String,
    pub handover_minutes: i32,
    pub checklist: Vec<String>,
    pub remind_hours: i32,
    pub active: bool,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
    /// Unannounced presence checks (随机查岗) on each shift: 0–3.
    pub presence_checks: i32,
    /// Minutes to confirm an unannounced check: 5–120.
    pub presence_minutes: i32,
}

impl Roster {
    /// The roster's unannounced presence checks.
    pub fn presence(&self) -> PresencePlan {
        PresencePlan::from_columns(self.presence_checks, self.presence_minutes)
    }
}

fn need(leaders: i32, officers: i32) -> Need {
    Need {
        leaders: leaders.clamp(0, 255) as u8,
        officers: officers.clamp(0, 255) as u8,
    }
}

impl From<RosterRow> for Roster {
    fn from(r: RosterRow) -> Roster {
        let pattern = Pattern::parse(&r.shift_starts).unwrap_or_else(|_| Pattern::daily());
        Roster {
            id: r.id,
            unit_id: r.unit_id,
            name: r.name,
            shift_starts: pattern.text(),
            pattern,
            composition: Composition {
                workday: need(r.workday_leaders, r.workday_officers),
                weekend: need(r.weekend_leaders, r.weekend_officers),
                holiday: need(r.holiday_leaders, r.holiday_officers),
            },
            duty_phone: r.duty_phone,
            handover_minutes: r.handover_minutes,
            checklist: r.checklist.lines().map(str::to_string).collect(),
            remind_hours: r.remind_hours,
            active: r.active,
            updated_at: r.updated_at,
            presence_checks: r.presence_checks,
            presence_minutes: r.presence_minutes,
        }
    }
}

/// Every roster (active first, by name).
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Roster>> {
    Ok(duty_rosters::table
        .select(RosterRow::as_select())
        .order((duty_rosters::active.desc(), duty_rosters::name))
        .load::<RosterRow>(conn)?
        .into_iter()
        .map(Roster::from)
        .collect())
}

/// A roster by id.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Roster>> {
    Ok(duty_rosters::table
        .find(id)
        .select(RosterRow::as_select())
        .first::<RosterRow>(conn)
        .optional()?
        .map(Roster::from))
}

/// Stores a new roster.
pub fn insert(conn: &mut DbConn, r: &RosterInput, now: NaiveDateTime) -> WriteResult<Roster> {
    let c = &r.composition;
    let id = unique(
        diesel::insert_into(duty_rosters::table)
            .values((
                duty_rosters::unit_id.eq(r.unit_id),
                duty_rosters::name.eq(&r.name),
                duty_rosters::shift_starts.eq(r.pattern.text()),
                duty_rosters::workday_leaders.eq(i32::from(c.workday.leaders)),
                duty_rosters::workday_officers.eq(i32::from(c.workday.officers)),
                duty_rosters::weekend_leaders.eq(i32::from(c.weekend.leaders)),
                duty_rosters::weekend_officers.eq(i32::from(c.weekend.officers)),
                duty_rosters::holiday_leaders.eq(i32::from(c.holiday.leaders)),
                duty_rosters::holiday_officers.eq(i32::from(c.holiday.officers)),
                duty_rosters::duty_phone.eq(&r.duty_phone),
                duty_rosters::handover_minutes.eq(r.handover_minutes),
                duty_rosters::checklist.eq(r.checklist.join("\n")),
                duty_rosters::remind_hours.eq(r.remind_hours),
                duty_rosters::presence_checks.eq(i32::from(r.presence.checks)),
                duty_rosters::presence_minutes.eq(i32::from(r.presence.minutes)),
                duty_rosters::created_at.eq(now),
                duty_rosters::updated_at.eq(now),
            ))
            .returning(duty_rosters::id)
            .get_result::<i64>(conn),
    )?;
    Ok(find(conn, id)?.ok_or(diesel::result::Error::NotFound)?)
}

/// Changes a roster (its unit stays).
pub fn update(
    conn: &mut DbConn,
    id: i64,
    r: &RosterInput,
    active: bool,
    now: NaiveDateTime,
) -> WriteResult<()> {
    let c = &r.composition;
    unique(
        diesel::update(duty_rosters::table.find(id))
            .set((
                duty_rosters::name.eq(&r.name),
                duty_rosters::shift_starts.eq(r.pattern.text()),
                duty_rosters::workday_leaders.eq(i32::from(c.workday.leaders)),
                duty_rosters::workday_officers.eq(i32::from(c.workday.officers)),
                duty_rosters::weekend_leaders.eq(i32::from(c.weekend.leaders)),
                duty_rosters::weekend_officers.eq(i32::from(c.weekend.officers)),
                duty_rosters::holiday_leaders.eq(i32::from(c.holiday.leaders)),
                duty_rosters::holiday_officers.eq(i32::from(c.holiday.officers)),
                duty_rosters::duty_phone.eq(&r.duty_phone),
                duty_rosters::handover_minutes.eq(r.handover_minutes),
                duty_rosters::checklist.eq(r.checklist.join("\n")),
                duty_rosters::remind_hours.eq(r.remind_hours),
                duty_rosters::presence_checks.eq(i32::from(r.presence.checks)),
                duty_rosters::presence_minutes.eq(i32::from(r.presence.minutes)),
                duty_rosters::active.eq(active),
                duty_rosters::updated_at.eq(now),
            ))
            .execute(conn),
    )?;
    Ok(())
}

#[derive(Queryable)]
struct PeriodRow {
    id: i64,
    kind: String,
    name: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    leaders: i32,
    officers: i32,
}

/// The periods of a roster, earliest first.
pub fn periods(conn: &mut DbConn, roster: i64) -> QueryResult<Vec<Period>> {
    Ok(duty_periods::table
        .filter(duty_periods::roster_id.eq(roster))
        .order(duty_periods::starts_on)
        .select((
            duty_periods::id,
            duty_periods::kind,
            duty_periods::name,
            duty_periods::starts_on,
            duty_periods::ends_on,
            duty_periods::leaders,
            duty_periods::officers,
        ))
        .load::<PeriodRow>(conn)?
        .into_iter()
        .map(|r| Period {
            id: r.id,
            kind: PeriodKind::from_code(&r.kind).unwrap_or(PeriodKind::Important),
            name: r.name,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            need: need(r.leaders, r.officers),
        })
        .collect())
}

/// Adds a period to a roster.
pub fn insert_period(conn: &mut DbConn, roster: i64, p: &PeriodInput) -> QueryResult<i64> {
    diesel::insert_into(duty_periods::table)
        .values((
            duty_periods::roster_id.eq(roster),
            duty_periods::kind.eq(p.kind.code()),
            duty_periods::name.eq(&p.name),
            duty_periods::starts_on.eq(p.starts_on),
            duty_periods::ends_on.eq(p.ends_on),
            duty_periods::leaders.eq(i32::from(p.need.leaders)),
            duty_periods::officers.eq(i32::from(p.need.officers)),
        ))
        .returning(duty_periods::id)
        .get_result(conn)
}

/// Removes a period of a roster; false when there was none.
pub fn delete_period(conn: &mut DbConn, roster: i64, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(
        duty_periods::table
            .filter(duty_periods::roster_id.eq(roster))
            .filter(duty_periods::id.eq(id)),
    )
    .execute(conn)?
        == 1)
}

/// The people eligible on a roster: `(person, role)`.
pub fn eligible(conn: &mut DbConn, roster: i64) -> QueryResult<Vec<(i64, DutyRole)>> {
    Ok(duty_eligible::table
        .filter(duty_eligible::roster_id.eq(roster))
        .select((duty_eligible::person_id, duty_eligible::role))
        .order((duty_eligible::role, duty_eligible::person_id))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .filter_map(|(p, r)| DutyRole::from_code(&r).map(|r| (p, r)))
        .collect())
}

/// Replaces the eligible people of a roster.
pub fn set_eligible(conn: &mut DbConn, roster: i64, people: &[(i64, DutyRole)]) -> QueryResult<()> {
    diesel::delete(duty_eligible::table.filter(duty_eligible::roster_id.eq(roster)))
        .execute(conn)?;
    for (p, r) in people {
        diesel::insert_into(duty_eligible::table)
            .values((
                duty_eligible::roster_id.eq(roster),
                duty_eligible::person_id.eq(*p),
                duty_eligible::role.eq(r.code()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Active people of `unit` whose active accounts hold the duty leader or duty officer role there (or
/// district-wide): `(person, role)`.
pub fn people_with_duty_roles(conn: &mut DbConn, unit: i64) -> QueryResult<Vec<(i64, DutyRole)>> {
    use crate::db::schema::{accounts, people, role_grants};
    use crate::org::model::Role;
    let rows: Vec<(i64, String)> = people::table
        .inner_join(accounts::table.on(accounts::person_id.eq(people::id.nullable())))
        .inner_join(role_grants::table.on(role_grants::account_id.eq(accounts::id)))
        .filter(people::unit_id.eq(unit))
        .filter(people::active.eq(true))
        .filter(accounts::active.eq(true))
        .filter(role_grants::role.eq_any([Role::DutyLeader.code(), Role::DutyOfficer.code()]))
        .filter(
            role_grants::unit_id
                .eq(unit)
                .or(role_grants::unit_id.is_null()),
        )
        .select((people::id, role_grants::role))
        .distinct()
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(p, r)| {
            let role = if r == Role::DutyLeader.code() {
                DutyRole::Leader
            } else {
                DutyRole::Officer
            };
            (p, role)
        })
        .collect())
}

/// An active roster as who-is-on-duty shows it.
#[derive(Debug, Clone, Queryable)]
pub struct RosterHead {
    pub id: i64,
    pub name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub duty_phone: String,
    pub shift_starts: String,
}

/// Active rosters with their unit's name (of the given units, all when `None`), by unit then name.
pub fn active_with_units(conn: &mut DbConn, units: Option<&[i64]>) -> QueryResult<Vec<RosterHead>> {
    use crate::db::schema::units as u;
    let mut q = duty_rosters::table
        .inner_join(u::table)
        .filter(duty_rosters::active.eq(true))
        .order((u::sort_key, duty_rosters::name))
        .select((
            duty_rosters::id,
            duty_rosters::name,
            duty_rosters::unit_id,
            u::name,
            duty_rosters::duty_phone,
            duty_rosters::shift_starts,
        ))
        .into_boxed();
    if let Some(ids) = units {
        q = q.filter(duty_rosters::unit_id.eq_any(ids.to_vec()));
    }
    q.load(conn)
}

/// The people behind active accounts holding one of `roles`, with each grant's scope (`None`: district).
pub fn role_holders(
    conn: &mut DbConn,
    roles: &[crate::org::model::Role],
) -> QueryResult<Vec<(i64, Option<i64>)>> {
    use crate::db::schema::{accounts, role_grants};
    let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    let rows: Vec<(Option<i64>, Option<i64>)> = role_grants::table
        .inner_join(accounts::table.on(accounts::id.eq(role_grants::account_id)))
        .filter(accounts::active.eq(true))
        .filter(accounts::person_id.is_not_null())
        .filter(role_grants::role.eq_any(codes))
        .select((accounts::person_id, role_grants::unit_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(p, scope)| p.map(|p| (p, scope)))
        .collect())
}

/// Active people of a unit, by name: `(id, name)`.
pub fn people_of_unit(conn: &mut DbConn, unit: i64) -> QueryResult<Vec<(i64, String)>> {
    use crate::db::schema::people;
    people::table
        .filter(people::unit_id.eq(unit))
        .filter(people::active.eq(true))
        .order(people::sort_key)
        .select((people::id, people::name))
        .load(conn)
}

/// Holds the roster's row until the transaction ends, so that changes to its plans and shifts (generating,
/// publishing, editing a shift, swaps) are made one after the other (SQLite's writers already are).
pub fn lock(conn: &mut DbConn, roster: i64) -> QueryResult<()> {
    crate::db::lock_row(conn, "duty_rosters", roster)
}
