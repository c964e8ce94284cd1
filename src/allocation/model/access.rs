//! Who may do what with requests: units ask for themselves, heads decide for their own unit, keepers move
//! their own stock, office staff act for the district.

use crate::error::ServiceError;
use crate::org::model::{Actor, Role, UnitTree};

/// Something done with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllocAction {
    /// Ask on behalf of a unit, cancel or close its request.
    Ask,
    /// Decide as the head of the requesting or the holding unit.
    Decide,
    /// Order an allocation at once (调令).
    Order,
}

impl AllocAction {
    fn roles(self) -> &'static [Role] {
        match self {
            AllocAction::Ask => &[
                Role::UnitHead,
                Role::WarehouseKeeper,
                Role::OfficeStaff,
                Role::Administrator,
            ],
            AllocAction::Decide => &[Role::UnitHead, Role::OfficeStaff, Role::Administrator],
            AllocAction::Order => &[Role::OfficeStaff, Role::Administrator],
        }
    }
}

/// Allows `action` for `unit` (the requesting unit to ask or decide as requester, the holding unit to decide
/// as holder), or refuses. An emergency order needs a district-wide grant.
pub fn authorize_alloc(
    actor: &Actor,
    action: AllocAction,
    unit: i64,
    tree: &UnitTree,
) -> Result<(), ServiceError> {
    let target = match action {
        AllocAction::Order => None,
        _ => Some(unit),
    };
    if actor.covers(action.roles(), target, tree) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Whether the actor may ask for stock for some unit (and so see where stock can come from).
pub fn may_ask_somewhere(actor: &Actor) -> bool {
    actor.is_system() || actor.holds_any(AllocAction::Ask.roles())
}

/// Whether the actor may see a request between these units (any role within either, or district-wide).
pub fn sees_request(actor: &Actor, units: &[i64], tree: &UnitTree) -> bool {
    actor.covers(
        &[Role::OfficeStaff, Role::Administrator, Role::Viewer],
        None,
        tree,
    ) || units
        .iter()
        .any(|u| actor.covers(Role::ALL, Some(*u), tree))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::model::Grant;

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
            lang: crate::i18n::Lang::Zh,
            units: None,
        }
    }

    #[test]
    fn a_street_cannot_decide_for_a_department() {
        let tree = UnitTree::new([(1, None), (2, Some(1)), (3, Some(1))]);
        let street_head = actor(&[(Role::UnitHead, Some(2))]);
        assert!(authorize_alloc(&street_head, AllocAction::Decide, 2, &tree).is_ok());
        assert!(authorize_alloc(&street_head, AllocAction::Decide, 3, &tree).is_err());
        assert!(authorize_alloc(&street_head, AllocAction::Order, 2, &tree).is_err());
        let keeper = actor(&[(Role::WarehouseKeeper, Some(2))]);
        assert!(authorize_alloc(&keeper, AllocAction::Ask, 2, &tree).is_ok());
        assert!(authorize_alloc(&keeper, AllocAction::Decide, 2, &tree).is_err());
        let office = actor(&[(Role::OfficeStaff, None)]);
        assert!(authorize_alloc(&office, AllocAction::Order, 3, &tree).is_ok());
        assert!(authorize_alloc(&office, AllocAction::Decide, 3, &tree).is_ok());
        assert!(sees_request(&street_head, &[2, 3], &tree));
        assert!(!sees_request(&street_head, &[3], &tree));
    }
}
