//! Team use cases, one transaction each: load, apply the model's rules, persist, audit.

pub mod certificates;
pub mod leaves;
pub mod lists;
pub mod members;
pub mod readiness;
pub mod sheets;
pub mod teams;
pub mod training;

use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::{mask_phone, Actor};
use crate::org::store::{self as org_store, Person};
use crate::teams::model::{manages_team, person_rights, PersonRights};
use crate::teams::store::members as member_store;
use crate::teams::store::teams::{self as team_store, Team};

/// A team anyone signed in may look at (404 when there is none).
pub fn team_for(conn: &mut DbConn, id: i64) -> ServiceResult<Team> {
    team_store::find(conn, id)?.ok_or_else(|| ServiceError::not_found("该救援队伍", "Team"))
}

/// Whether the actor manages the team: by role over its unit, or as its 队长/副队长.
pub fn manages(conn: &mut DbConn, actor: &Actor, team: &Team) -> ServiceResult<bool> {
    let leads = match actor.person_id {
        Some(p) => member_store::teams_led_by(conn, p)?.contains(&team.id),
        None => false,
    };
    let tree = org_store::tree_of(conn, actor)?;
    Ok(manages_team(actor, team.unit_id, leads, &tree))
}

/// Whether the actor leads (is an active 队长 or 副队长 of) any team.
pub fn leads_any(conn: &mut DbConn, actor: &Actor) -> ServiceResult<bool> {
    Ok(match actor.person_id {
        Some(p) => !member_store::teams_led_by(conn, p)?.is_empty(),
        None => false,
    })
}

/// A team the actor manages (403 otherwise).
pub fn managed_team(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<Team> {
    let team = team_for(conn, id)?;
    if manages(conn, actor, &team)? {
        Ok(team)
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// A person with the actor's rights over their team records (404 when there is no such person).
pub fn person_for(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
) -> ServiceResult<(Person, PersonRights)> {
    let person = org_store::find_person(conn, id)?
        .ok_or_else(|| ServiceError::not_found("该人员", "Person"))?;
    let leads_them = match actor.person_id {
        Some(me) => {
            let led = member_store::teams_led_by(conn, me)?;
            !led.is_empty()
                && member_store::teams_of(conn, id)?
                    .iter()
                    .any(|t| led.contains(t))
        }
        None => false,
    };
    let tree = org_store::tree_of(conn, actor)?;
    let rights = person_rights(actor, id, person.unit_id, leads_them, &tree);
    Ok((person, rights))
}

/// A phone number as the actor may see it.
pub fn phone_for(actor: &Actor, phone: &str) -> String {
    if actor.sees_phones() {
        phone.to_string()
    } else {
        mask_phone(phone)
    }
}
