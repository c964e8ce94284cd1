//! Who may do what with duty: rosters are read by everyone signed in; a unit's duty is managed by its
//! administrators, office staff, unit heads and duty leaders; holiday rosters are approved by the office.

use crate::org::model::{Actor, Role, UnitTree};

/// The roles that manage a unit's duty (rosters, plans, edits, changes on someone's behalf, approvals).
pub const MANAGERS: &[Role] = &[
    Role::Administrator,
    Role::OfficeStaff,
    Role::UnitHead,
    Role::DutyLeader,
];

/// The roles that approve a holiday roster (节假日值班安排) before it is published: the office.
pub const OFFICE: &[Role] = &[Role::Administrator, Role::OfficeStaff];

/// Whether the actor manages the duty of `unit`.
pub fn manages_duty(actor: &Actor, unit: i64, tree: &UnitTree) -> bool {
    actor.covers(MANAGERS, Some(unit), tree)
}

/// Whether the actor approves holiday rosters of `unit`.
pub fn approves_holiday_roster(actor: &Actor, unit: i64, tree: &UnitTree) -> bool {
    actor.covers(OFFICE, Some(unit), tree)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::org::model::Grant;

    fn actor(role: Role, unit: Option<i64>) -> Actor {
        Actor {
            account_id: 9,
            username: "u".into(),
            name: "u".into(),
            person_id: Some(9),
            unit_id: unit,
            grants: vec![Grant {
                role,
                unit_id: unit,
            }],
            lang: Lang::Zh,
            units: None,
        }
    }

    #[test]
    fn duty_leaders_manage_their_unit_and_only_the_office_approves_holidays() {
        let tree = UnitTree::new([(1, None), (2, Some(1)), (3, Some(1))]);
        let leader = actor(Role::DutyLeader, Some(2));
        assert!(manages_duty(&leader, 2, &tree));
        assert!(!manages_duty(&leader, 3, &tree));
        assert!(!approves_holiday_roster(&leader, 2, &tree));
        assert!(approves_holiday_roster(
            &actor(Role::OfficeStaff, None),
            2,
            &tree
        ));
        assert!(!manages_duty(&actor(Role::DutyOfficer, Some(2)), 2, &tree));
        assert!(!manages_duty(&actor(Role::WarehouseKeeper, None), 2, &tree));
    }
}
