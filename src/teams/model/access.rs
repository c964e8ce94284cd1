//! Who may do what with teams. Everyone signed in sees readiness (a duty officer needs it at once); the
//! office, administrators and unit heads manage the teams of their units; a team's 队长 and 副队长 manage
//! their own team and the records of its members; a member sees their own record.

use crate::error::ServiceError;
use crate::org::model::{Actor, Role, UnitTree};

/// The roles that manage teams and their people within their scope.
pub const MANAGERS: &[Role] = &[Role::Administrator, Role::OfficeStaff, Role::UnitHead];

/// Whether the actor manages a team of unit `unit`: by role over the unit, or because they lead the team
/// (`leads`: the actor's person is its active 队长 or 副队长).
pub fn manages_team(actor: &Actor, unit: i64, leads: bool, tree: &UnitTree) -> bool {
    leads || actor.covers(MANAGERS, Some(unit), tree)
}

/// Who may put a person of unit `person_unit` into a team of unit `team_unit`: someone with a role over the
/// person's unit, or a team's leader when the person belongs to the team's unit (or one below it) — a captain
/// does not gain authority over people of other units by listing them.
pub fn authorize_new_member(
    actor: &Actor,
    person_unit: i64,
    team_unit: i64,
    tree: &UnitTree,
) -> Result<(), ServiceError> {
    if actor.covers(MANAGERS, Some(person_unit), tree) || tree.is_within(person_unit, team_unit) {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "person_id",
            "只能添加本单位的人员；其他单位的人员请由其单位负责人或安委办加入本队",
            "Only people of the team's unit can be added here; people of other units are added by their unit head or the office",
        ))
    }
}

/// Creating or removing a team takes a role over its unit; leading a team is not enough.
pub fn authorize_new_team(actor: &Actor, unit: i64, tree: &UnitTree) -> Result<(), ServiceError> {
    if actor.covers(MANAGERS, Some(unit), tree) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// What the actor may do with one person's team records (certificates, scans, leave).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonRights {
    /// See the records, certificate scans included.
    pub view: bool,
    /// Record and change certificates; approve leave (never their own).
    pub manage: bool,
    /// Ask for leave on the person's behalf (themselves, or someone who manages them).
    pub request_leave: bool,
}

/// The actor's rights over the records of person `person` of unit `unit`; `leads_them`: the actor leads a
/// team the person is an active member of.
pub fn person_rights(
    actor: &Actor,
    person: i64,
    unit: i64,
    leads_them: bool,
    tree: &UnitTree,
) -> PersonRights {
    let own = actor.person_id == Some(person);
    // Leading a team gives authority over its members, not over oneself: a captain's own certificates are
    // recorded by someone above them.
    let manage = (leads_them && !own) || actor.covers(MANAGERS, Some(unit), tree);
    PersonRights {
        view: own || manage,
        manage,
        request_leave: own || manage,
    }
}

/// A leave is decided by someone who manages the person, and never by the person themselves.
pub fn authorize_leave_decision(
    actor: &Actor,
    person: i64,
    rights: PersonRights,
) -> Result<(), ServiceError> {
    if actor.person_id == Some(person) {
        return Err(ServiceError::conflict(
            "不能审批本人的请假",
            "Nobody approves their own leave",
        ));
    }
    if rights.manage {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::org::model::Grant;

    fn tree() -> UnitTree {
        UnitTree::new([(1, None), (2, Some(1)), (3, Some(1))])
    }

    fn actor(person: Option<i64>, grants: &[(Role, Option<i64>)]) -> Actor {
        Actor {
            account_id: 9,
            username: "t".into(),
            name: "t".into(),
            person_id: person,
            unit_id: None,
            grants: grants
                .iter()
                .map(|&(role, unit_id)| Grant { role, unit_id })
                .collect(),
            lang: Lang::Zh,
            units: None,
        }
    }

    #[test]
    fn a_captain_manages_their_own_team_only_and_cannot_create_one() {
        let captain = actor(Some(5), &[(Role::Viewer, None)]);
        assert!(manages_team(&captain, 2, true, &tree()));
        assert!(!manages_team(&captain, 2, false, &tree()), "team B");
        assert!(authorize_new_team(&captain, 2, &tree()).is_err());
        let head = actor(None, &[(Role::UnitHead, Some(2))]);
        assert!(manages_team(&head, 2, false, &tree()));
        assert!(!manages_team(&head, 3, false, &tree()));
        assert!(authorize_new_team(&head, 2, &tree()).is_ok());
        assert!(authorize_new_member(&captain, 2, 2, &tree()).is_ok());
        assert!(
            authorize_new_member(&captain, 3, 2, &tree()).is_err(),
            "a captain cannot bring in someone of another unit"
        );
        let office = actor(None, &[(Role::OfficeStaff, None)]);
        assert!(authorize_new_member(&office, 3, 2, &tree()).is_ok());
    }

    #[test]
    fn a_member_sees_their_own_record_and_asks_for_leave_but_never_approves_it() {
        let member = actor(Some(5), &[]);
        let own = person_rights(&member, 5, 2, false, &tree());
        assert_eq!(
            (own.view, own.manage, own.request_leave),
            (true, false, true)
        );
        let other = person_rights(&member, 6, 2, false, &tree());
        assert!(!other.view && !other.request_leave);
        let captain = actor(Some(5), &[]);
        let theirs = person_rights(&captain, 5, 2, true, &tree());
        assert!(authorize_leave_decision(&captain, 5, theirs).is_err());
        assert!(
            !theirs.manage,
            "a captain does not record their own certificates"
        );
        assert!(
            person_rights(&captain, 6, 2, true, &tree()).manage,
            "but their members'"
        );
        let office = actor(Some(1), &[(Role::OfficeStaff, None)]);
        let rights = person_rights(&office, 5, 2, false, &tree());
        assert!(authorize_leave_decision(&office, 5, rights).is_ok());
    }
}
