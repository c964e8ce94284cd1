//! Who may do what: roles scoped to a unit and everything below it, and the organisation's own rules.

use std::collections::HashMap;

use crate::error::ServiceError;
use crate::i18n::text_enum;
use crate::i18n::Lang;

text_enum!(
    /// A role an account holds within a unit (or the whole district).
    Role, "role", {
        Administrator = "administrator", "系统管理员", "Administrator";
        OfficeStaff = "office_staff", "安委办工作人员", "Office staff";
        UnitHead = "unit_head", "单位负责人（审批人）", "Unit head (approver)";
        WarehouseKeeper = "warehouse_keeper", "仓库保管员", "Warehouse keeper";
        DutyLeader = "duty_leader", "带班领导", "Duty leader";
        DutyOfficer = "duty_officer", "值班员", "Duty officer";
        DrillCoordinator = "drill_coordinator", "演练协调员", "Drill coordinator";
        Viewer = "viewer", "只读用户", "Viewer";
    }
);

/// A role held within a unit's subtree; `unit_id = None` means the whole district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// The unit at the top of the scope, or `None` for the whole district.
    pub unit_id: Option<i64>,
}

/// The shape of the organisation: each unit's parent.
#[derive(Debug, Clone, Default)]
pub struct UnitTree {
    parents: HashMap<i64, Option<i64>>,
}

impl UnitTree {
    /// Builds the tree from `(unit, parent)` pairs.
    pub fn new(pairs: impl IntoIterator<Item = (i64, Option<i64>)>) -> Self {
        UnitTree {
            parents: pairs.into_iter().collect(),
        }
    }

    /// True when `unit` is `scope` or lies anywhere below it. Stops on a damaged (cyclic) tree.
    pub fn is_within(&self, unit: i64, scope: i64) -> bool {
        let mut current = Some(unit);
        for _ in 0..=self.parents.len() {
            match current {
                Some(u) if u == scope => return true,
                Some(u) => current = self.parents.get(&u).copied().flatten(),
                None => return false,
            }
        }
        false
    }

    /// Every unit at or below one of `scopes`.
    pub fn units_within(&self, scopes: &[i64]) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .parents
            .keys()
            .copied()
            .filter(|u| scopes.iter().any(|s| self.is_within(*u, *s)))
            .collect();
        ids.sort_unstable();
        ids
    }
}

/// The account acting in a request, with its roles.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The account.
    pub account_id: i64,
    /// Its username (kept in audit rows).
    pub username: String,
    /// The name people know it by: its person's name, else the username.
    pub name: String,
    /// The person behind the account, if any (their own records; a team's 队长/副队长 manage their team).
    pub person_id: Option<i64>,
    /// The unit of the person behind the account, if any.
    pub unit_id: Option<i64>,
    /// Its roles.
    pub grants: Vec<Grant>,
    /// Its language.
    pub lang: Lang,
    /// The shape of the organisation when the caller was looked up (remembered with them for a few
    /// seconds, like their roles); `None`: read it afresh (see `org::store::tree_of`).
    pub units: Option<std::sync::Arc<UnitTree>>,
}

impl Actor {
    /// The system itself (command line, demo loader): a district administrator that the audit trail
    /// records as `system`.
    pub fn system() -> Actor {
        Actor {
            account_id: 0,
            username: "system".into(),
            name: "system".into(),
            person_id: None,
            unit_id: None,
            grants: vec![Grant {
                role: Role::Administrator,
                unit_id: None,
            }],
            lang: Lang::Zh,
            units: None,
        }
    }

    /// Whether this is [`Actor::system`].
    pub fn is_system(&self) -> bool {
        self.account_id == 0
    }

    /// Whether the actor holds one of `roles` in a scope covering `target`; a `None` target (the whole
    /// district, e.g. a new top-level unit) needs a district-wide grant.
    pub fn covers(&self, roles: &[Role], target: Option<i64>, tree: &UnitTree) -> bool {
        grants_cover(&self.grants, roles, target, tree)
    }

    /// Whether the actor holds one of `roles` anywhere (to show or hide a page's buttons).
    pub fn holds_any(&self, roles: &[Role]) -> bool {
        self.grants.iter().any(|g| roles.contains(&g.role))
    }

    /// Whether the actor's work needs people's phone numbers (everyone but a read-only viewer: duty officers
    /// call people, keepers call custodians). Others see them masked.
    pub fn sees_phones(&self) -> bool {
        self.grants.iter().any(|g| g.role != Role::Viewer)
    }

    /// Whether the actor is an administrator of the whole district.
    pub fn is_district_admin(&self) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == Role::Administrator && g.unit_id.is_none())
    }

    /// The top units of the actor's scopes for `roles`; `None` when one of them covers the whole district.
    pub fn scopes(&self, roles: &[Role]) -> Option<Vec<i64>> {
        let mut out = Vec::new();
        for g in self.grants.iter().filter(|g| roles.contains(&g.role)) {
            match g.unit_id {
                None => return None,
                Some(u) => out.push(u),
            }
        }
        Some(out)
    }
}

/// A phone number as someone without need of it sees it: the first three and the last four digits
/// (`138****1234`); shorter numbers keep only their last two.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    match n {
        0 => String::new(),
        1..=6 => {
            let keep = n.min(2);
            let mut out: String = "*".repeat(n - keep);
            out.extend(&chars[n - keep..]);
            out
        }
        _ => {
            let mut out: String = chars[..3].iter().collect();
            out.push_str(&"*".repeat(n - 7));
            out.extend(&chars[n - 4..]);
            out
        }
    }
}

/// Whether `grants` hold one of `roles` in a scope covering `target` (see [`Actor::covers`]).
pub fn grants_cover(
    grants: &[Grant],
    roles: &[Role],
    target: Option<i64>,
    tree: &UnitTree,
) -> bool {
    grants
        .iter()
        .filter(|g| roles.contains(&g.role))
        .any(|g| match (g.unit_id, target) {
            (None, _) => true,
            (Some(scope), Some(unit)) => tree.is_within(unit, scope),
            (Some(_), None) => false,
        })
}

/// Something an actor may want to do with the organisation's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgAction {
    /// Create, edit, deactivate units.
    ManageUnits,
    /// Create, edit, deactivate people.
    ManagePeople,
    /// Create, edit, deactivate accounts and grant roles.
    ManageAccounts,
    /// Read the audit trail.
    ViewAudit,
    /// Choose how a unit hears notices (contacts, at once or in the digest) and send test emails.
    ManageNotices,
}

impl OrgAction {
    /// The roles that allow the action (within their scope).
    pub fn roles(self) -> &'static [Role] {
        match self {
            OrgAction::ManageUnits => &[Role::Administrator, Role::OfficeStaff],
            OrgAction::ManageNotices => &[Role::Administrator, Role::OfficeStaff, Role::UnitHead],
            OrgAction::ManagePeople => &[Role::Administrator, Role::OfficeStaff, Role::UnitHead],
            OrgAction::ManageAccounts | OrgAction::ViewAudit => &[Role::Administrator],
        }
    }
}

/// Allows `action` on records of unit `target` (`None`: district-wide records) or says why not.
pub fn authorize(
    actor: &Actor,
    action: OrgAction,
    target: Option<i64>,
    tree: &UnitTree,
) -> Result<(), ServiceError> {
    if actor.covers(action.roles(), target, tree) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// An administrator may only hand out roles inside their own administrative scope.
pub fn authorize_grants(
    actor: &Actor,
    grants: &[Grant],
    tree: &UnitTree,
) -> Result<(), ServiceError> {
    grants
        .iter()
        .try_for_each(|g| authorize(actor, OrgAction::ManageAccounts, g.unit_id, tree))
}

/// Sorts and removes repeated grants.
pub fn normalize_grants(mut grants: Vec<Grant>) -> Vec<Grant> {
    grants.sort();
    grants.dedup();
    grants
}

/// A unit may not become its own ancestor.
pub fn check_parent(
    tree: &UnitTree,
    unit: i64,
    new_parent: Option<i64>,
) -> Result<(), ServiceError> {
    match new_parent {
        Some(p) if tree.is_within(p, unit) => Err(ServiceError::invalid(
            "parent_id",
            "上级单位不能是本单位或其下级单位",
            "The parent cannot be the unit itself or one of its sub-units",
        )),
        _ => Ok(()),
    }
}

/// A unit with active sub-units cannot be deactivated: its sub-units would be orphaned in every list.
pub fn check_unit_deactivation(active_children: i64) -> Result<(), ServiceError> {
    if active_children > 0 {
        return Err(ServiceError::conflict(
            format!("该单位还有 {active_children} 个在用的下级单位，请先停用或调整它们"),
            format!("The unit still has {active_children} active sub-unit(s); deactivate or move them first"),
        ));
    }
    Ok(())
}

/// Whether an administrator's change ends the account's API tokens: a deactivation (so that reactivating
/// does not revive tokens issued before it) or a password reset (what is done to a compromised account).
/// A person changing their own password keeps their tokens.
pub fn ends_tokens(was_active: bool, active: bool, password_reset: bool) -> bool {
    (was_active && !active) || password_reset
}

/// Changes to an account that would lock the district out are refused.
pub fn check_account_change(
    actor: &Actor,
    account_id: i64,
    keeps_district_admin: bool,
    was_district_admin: bool,
    other_active_district_admins: i64,
) -> Result<(), ServiceError> {
    if was_district_admin && !keeps_district_admin && other_active_district_admins == 0 {
        return Err(ServiceError::conflict(
            "不能停用或降级最后一个全区系统管理员",
            "The last district-wide administrator cannot be deactivated or demoted",
        ));
    }
    if actor.account_id == account_id && was_district_admin && !keeps_district_admin {
        return Err(ServiceError::conflict(
            "不能停用或降级自己的管理员账号，请由另一位管理员操作",
            "You cannot deactivate or demote your own administrator account; ask another administrator",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // 1 office ─┬─ 2 department ── 4 team
    //           └─ 3 street
    // 5 enterprise (top level, outside the office's tree)
    fn tree() -> UnitTree {
        UnitTree::new([
            (1, None),
            (2, Some(1)),
            (3, Some(1)),
            (4, Some(2)),
            (5, None),
        ])
    }

    fn actor(grants: &[(Role, Option<i64>)]) -> Actor {
        Actor {
            account_id: 7,
            username: "t".into(),
            name: "t".into(),
            person_id: None,
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
    fn a_reset_or_a_deactivation_ends_the_tokens_and_a_reactivation_revives_none() {
        assert!(ends_tokens(true, false, false), "deactivated");
        assert!(ends_tokens(true, true, true), "password reset");
        assert!(
            !ends_tokens(false, true, false),
            "reactivated: nothing comes back"
        );
        assert!(!ends_tokens(true, true, false), "an ordinary edit");
    }

    #[test]
    fn viewers_see_phone_numbers_masked_and_working_roles_see_them_whole() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("0512-6523"), "051**6523");
        assert_eq!(mask_phone("110"), "*10");
        assert_eq!(mask_phone(""), "");
        assert!(!actor(&[(Role::Viewer, None)]).sees_phones());
        assert!(!actor(&[]).sees_phones());
        assert!(actor(&[(Role::Viewer, None), (Role::DutyOfficer, Some(2))]).sees_phones());
        assert!(Actor::system().sees_phones());
    }

    #[test]
    fn a_scope_covers_its_unit_and_everything_below_it() {
        let t = tree();
        assert!(t.is_within(4, 1));
        assert!(t.is_within(2, 2));
        assert!(!t.is_within(1, 2));
        assert!(!t.is_within(5, 1));
        assert_eq!(t.units_within(&[2]), vec![2, 4]);
    }

    #[test]
    fn a_damaged_cyclic_tree_does_not_hang() {
        let t = UnitTree::new([(1, Some(2)), (2, Some(1))]);
        assert!(!t.is_within(1, 3));
    }

    #[test]
    fn a_unit_head_manages_people_of_their_subtree_only() {
        let a = actor(&[(Role::UnitHead, Some(2))]);
        let t = tree();
        assert!(authorize(&a, OrgAction::ManagePeople, Some(4), &t).is_ok());
        assert!(authorize(&a, OrgAction::ManagePeople, Some(3), &t).is_err());
        assert!(authorize(&a, OrgAction::ManageUnits, Some(4), &t).is_err());
    }

    #[test]
    fn a_viewer_may_change_nothing() {
        let a = actor(&[(Role::Viewer, None)]);
        let t = tree();
        for action in [
            OrgAction::ManageUnits,
            OrgAction::ManagePeople,
            OrgAction::ManageAccounts,
            OrgAction::ViewAudit,
        ] {
            assert!(authorize(&a, action, Some(1), &t).is_err(), "{action:?}");
        }
    }

    #[test]
    fn district_wide_records_need_a_district_wide_grant() {
        let t = tree();
        assert!(authorize(
            &actor(&[(Role::OfficeStaff, Some(1))]),
            OrgAction::ManageUnits,
            None,
            &t
        )
        .is_err());
        assert!(authorize(
            &actor(&[(Role::OfficeStaff, None)]),
            OrgAction::ManageUnits,
            None,
            &t
        )
        .is_ok());
    }

    #[test]
    fn an_administrator_cannot_grant_roles_outside_their_scope() {
        let a = actor(&[(Role::Administrator, Some(2))]);
        let t = tree();
        assert!(authorize_grants(
            &a,
            &[Grant {
                role: Role::Viewer,
                unit_id: Some(4)
            }],
            &t
        )
        .is_ok());
        assert!(authorize_grants(
            &a,
            &[Grant {
                role: Role::Viewer,
                unit_id: Some(3)
            }],
            &t
        )
        .is_err());
        assert!(authorize_grants(
            &a,
            &[Grant {
                role: Role::Administrator,
                unit_id: None
            }],
            &t
        )
        .is_err());
    }

    #[test]
    fn a_unit_cannot_be_moved_below_itself() {
        let t = tree();
        assert!(check_parent(&t, 2, Some(4)).is_err());
        assert!(check_parent(&t, 2, Some(2)).is_err());
        assert!(check_parent(&t, 2, Some(3)).is_ok());
        assert!(check_parent(&t, 2, None).is_ok());
    }

    #[test]
    fn a_unit_with_active_sub_units_cannot_be_deactivated() {
        assert!(check_unit_deactivation(2).is_err());
        assert!(check_unit_deactivation(0).is_ok());
    }

    #[test]
    fn the_last_district_administrator_cannot_be_removed() {
        let admin = actor(&[(Role::Administrator, None)]);
        assert!(check_account_change(&admin, 9, false, true, 0).is_err());
        assert!(check_account_change(&admin, 9, false, true, 1).is_ok());
        assert!(
            check_account_change(&admin, 7, false, true, 1).is_err(),
            "not oneself either"
        );
        assert!(
            check_account_change(&admin, 7, true, true, 0).is_ok(),
            "keeping the role is fine"
        );
    }

    #[test]
    fn repeated_grants_collapse() {
        let g = Grant {
            role: Role::Viewer,
            unit_id: Some(1),
        };
        assert_eq!(normalize_grants(vec![g, g]), vec![g]);
    }
}
