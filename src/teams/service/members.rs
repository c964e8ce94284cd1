//! Members: a person joins a team with a role; their role, status (在岗 / 伤病 / 离队) and skills change.

use chrono::{DateTime, Utc};

use super::managed_team;
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::org::store as org_store;
use crate::teams::model::{authorize_new_member, MemberInput};
use crate::teams::store::members::{self as store, Member};

/// Adds a person to a team the actor manages.
pub fn add(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    team: i64,
    input: MemberInput,
) -> ServiceResult<Member> {
    write_tx(conn, |c| {
        let t = managed_team(c, actor, team)?;
        let person = org_store::find_person(c, input.person_id)?
            .filter(|p| p.active)
            .ok_or_else(|| {
                ServiceError::invalid(
                    "person_id",
                    "人员不存在或已停用",
                    "The person does not exist or is inactive",
                )
            })?;
        authorize_new_member(
            actor,
            person.unit_id,
            t.unit_id,
            &*org_store::tree_of(c, actor)?,
        )?;
        let id = store::insert(c, team, &input, db_time(now)).map_err(|e| {
            ServiceError::unless_duplicate(e, "此人已是该队队员", "This person is already a member")
        })?;
        let member = store::find(c, id)?.ok_or_else(|| ServiceError::Internal("member".into()))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("team_member", id, Some(t.unit_id), None, Some(&member)),
        )?;
        Ok(member)
    })
}

/// Changes a membership of a team the actor manages (the person stays the same).
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    team: i64,
    id: i64,
    input: MemberInput,
) -> ServiceResult<Member> {
    write_tx(conn, |c| {
        let t = managed_team(c, actor, team)?;
        let before = store::find(c, id)?
            .filter(|m| m.team_id == team)
            .ok_or_else(|| ServiceError::not_found("该队员", "Member"))?;
        if input.person_id != before.person_id {
            return Err(ServiceError::invalid(
                "person_id",
                "不能把一条队员记录改成另一个人；请另行添加",
                "A membership cannot change to another person; add them instead",
            ));
        }
        store::update(c, id, &input, db_time(now))?;
        let after = store::find(c, id)?.ok_or_else(|| ServiceError::Internal("member".into()))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "team_member",
                id,
                Some(t.unit_id),
                Some(&before),
                Some(&after),
            ),
        )?;
        Ok(after)
    })
}

/// The people the actor may add to the team, labelled as the pickers show them, the team's unit first;
/// present members left out.
pub fn candidates(
    conn: &mut DbConn,
    actor: &Actor,
    team: &crate::teams::store::teams::Team,
) -> ServiceResult<Vec<(i64, String)>> {
    let tree = org_store::tree_of(conn, actor)?;
    let present: Vec<i64> = store::of_teams(conn, Some(&[team.id]))?
        .iter()
        .map(|m| m.person_id)
        .collect();
    let mut all = org_store::people_with_units(conn)?;
    all.retain(|(p, _, unit)| {
        !present.contains(p) && authorize_new_member(actor, *unit, team.unit_id, &tree).is_ok()
    });
    all.sort_by_key(|(_, _, u)| *u != team.unit_id);
    Ok(all.into_iter().map(|(id, label, _)| (id, label)).collect())
}

/// A membership of a team the actor manages, with its team (for the member's form).
pub fn managed(
    conn: &mut DbConn,
    actor: &Actor,
    team: i64,
    id: i64,
) -> ServiceResult<(crate::teams::store::teams::Team, Member)> {
    let t = managed_team(conn, actor, team)?;
    let member = store::find(conn, id)?
        .filter(|m| m.team_id == team)
        .ok_or_else(|| ServiceError::not_found("该队员", "Member"))?;
    Ok((t, member))
}
