//! What the duty forms offer to choose from: the units one may start a roster in, the people and teams a
//! roster may draw on, who may take over a shift or swap with its holder, who may be placed on a shift.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::now::{shift_now, ShiftNow};
use super::{managed_roster, manages, names, roster_for};
use crate::db::{db_time, DbConn};
use crate::duty::model::{DutyRole, MANAGERS};
use crate::duty::notices::span;
use crate::duty::store::rosters as roster_store;
use crate::duty::store::shifts::{self as store, ShiftRow};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::org::store as org_store;
use crate::teams::store::teams as team_store;

/// The active units whose duty the actor manages (where they may start a roster): `(id, name)`.
pub fn units_to_manage(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<(i64, String)>> {
    let tree = org_store::tree_of(conn, actor)?;
    Ok(org_store::unit_names(conn, true)?
        .into_iter()
        .filter(|(u, _)| actor.covers(MANAGERS, Some(*u), &tree))
        .collect())
}

/// Who a roster may draw on: the active people of its unit and the active teams, `(id, name)` each.
pub fn roster_sources(conn: &mut DbConn, unit: i64) -> ServiceResult<RosterSources> {
    Ok(RosterSources {
        people: roster_store::people_of_unit(conn, unit)?,
        teams: team_store::all(conn)?
            .into_iter()
            .filter(|t| t.active)
            .map(|t| (t.id, t.name))
            .collect(),
    })
}

/// The people and teams a roster's eligible people may be chosen from.
pub struct RosterSources {
    pub people: Vec<(i64, String)>,
    pub teams: Vec<(i64, String)>,
}

/// What the form asking for a swap or substitution offers.
pub struct AskOptions {
    pub shift: ShiftRow,
    pub roster_name: String,
    /// Who gives the shift up: `(person, name)`.
    pub giver: (i64, String),
    /// People who could take over: `(id, name)`.
    pub takers: Vec<(i64, String)>,
    /// Places on shifts of the same roster the giver could take in return: `("shift:person", label)`.
    pub swaps: Vec<(String, String)>,
    /// The caller manages the roster (may make the change at once).
    pub manage: bool,
}

/// The choices for giving up a place on shift `id` (not yet over): the caller's own, or `person`'s.
pub fn ask_options(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: Tz,
    id: i64,
    person: Option<i64>,
) -> ServiceResult<AskOptions> {
    let s = store::find_shift(conn, id)?
        .filter(|s| s.live && s.ends_at.and_utc() > now)
        .ok_or_else(|| ServiceError::not_found("该班次（尚未结束的）", "Shift (not yet over)"))?;
    let r = roster_for(conn, s.roster_id)?;
    let giver = person.or(actor.person_id).ok_or(ServiceError::Forbidden)?;
    let all = names(conn)?;
    let name = |p: i64| all.get(&p).cloned().unwrap_or_default();
    let here = store::holders(conn, &[id])?;
    let on: Vec<i64> = here.iter().map(|h| h.person_id).collect();
    if !on.contains(&giver) {
        return Err(ServiceError::invalid(
            "person",
            "此人不在该班次上",
            "That person is not on the shift",
        ));
    }
    // A swap trades places of the same role: an officer's for an officer's.
    let giver_role = here
        .iter()
        .find(|h| h.person_id == giver)
        .map_or_else(String::new, |h| h.role.clone());
    let mut takers: Vec<(i64, String)> = roster_store::eligible(conn, r.id)?
        .into_iter()
        .filter(|(p, _)| !on.contains(p))
        .map(|(p, _)| (p, name(p)))
        .collect();
    takers.dedup_by_key(|t| t.0);
    let ahead = store::live_between(
        conn,
        Some(&[r.id]),
        db_time(now),
        db_time(now + Duration::days(60)),
    )?;
    let ids: Vec<i64> = ahead.iter().map(|s| s.id).collect();
    let holders = store::holders(conn, &ids)?;
    let mut swaps = Vec::new();
    for x in ahead
        .iter()
        .filter(|x| x.id != id && x.starts_at.and_utc() > now)
    {
        if holders
            .iter()
            .any(|h| h.shift_id == x.id && h.person_id == giver)
        {
            continue;
        }
        let when = span(x.starts_at.and_utc(), x.ends_at.and_utc(), tz);
        for h in holders
            .iter()
            .filter(|h| h.shift_id == x.id && !on.contains(&h.person_id) && h.role == giver_role)
        {
            swaps.push((
                format!("{}:{}", x.id, h.person_id),
                format!("{when} · {}", h.name),
            ));
        }
    }
    Ok(AskOptions {
        manage: manages(conn, actor, &r)?,
        roster_name: r.name,
        giver: (giver, name(giver)),
        takers,
        swaps,
        shift: s,
    })
}

/// What the form setting a shift's places offers.
pub struct PlaceOptions {
    pub shift: ShiftNow,
    pub plan_id: i64,
    pub roster_name: String,
    /// Candidates: `(person, name, current role code or "")`, eligible ones first.
    pub people: Vec<(i64, String, &'static str)>,
}

/// Who may be placed on shift `id` of a roster the actor manages, and where each stands now.
pub fn place_options(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<PlaceOptions> {
    let s =
        store::find_shift(conn, id)?.ok_or_else(|| ServiceError::not_found("该班次", "Shift"))?;
    let r = managed_roster(conn, actor, s.roster_id)?;
    let holders = store::holders(conn, &[id])?;
    let all = names(conn)?;
    let mut people: Vec<(i64, String, &'static str)> = Vec::new();
    let eligible = roster_store::eligible(conn, r.id)?
        .into_iter()
        .map(|(p, _)| p);
    for p in eligible.chain(holders.iter().map(|h| h.person_id)) {
        if !people.iter().any(|(q, _, _)| *q == p) {
            let role = holders
                .iter()
                .find(|h| h.person_id == p)
                .and_then(|h| DutyRole::parse(&h.role).ok())
                .map_or("", |r| r.code());
            people.push((p, all.get(&p).cloned().unwrap_or_default(), role));
        }
    }
    Ok(PlaceOptions {
        shift: shift_now(&s, &r.pattern, &holders, actor.lang),
        plan_id: s.plan_id,
        roster_name: r.name,
        people,
    })
}

/// The plan a shift belongs to (404 when there is no such shift).
pub fn plan_of_shift(conn: &mut DbConn, id: i64) -> ServiceResult<i64> {
    store::find_shift(conn, id)?
        .map(|s| s.plan_id)
        .ok_or_else(|| ServiceError::not_found("该班次", "Shift"))
}
