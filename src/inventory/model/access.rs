//! Who may see and move a warehouse's stock: only its unit (and the units above it) and the office.

use crate::error::ServiceError;
use crate::org::model::{Actor, Role, UnitTree};

/// Something done with reserves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockAction {
    /// See stock, ledger, stocktakes.
    View,
    /// Record a movement, open or count a stocktake.
    Move,
    /// Countersign a movement (second signature).
    Countersign,
    /// Approve a write-off or a stocktake's variances.
    Approve,
    /// Create or edit warehouses, custodians and reserve norms.
    ManageWarehouse,
}

impl StockAction {
    /// The roles that allow it within their scope.
    pub fn roles(self) -> &'static [Role] {
        match self {
            StockAction::View => Role::ALL,
            StockAction::Move | StockAction::Countersign => {
                &[Role::WarehouseKeeper, Role::UnitHead, Role::Administrator]
            }
            StockAction::Approve => &[Role::UnitHead, Role::Administrator],
            StockAction::ManageWarehouse => {
                &[Role::Administrator, Role::OfficeStaff, Role::UnitHead]
            }
        }
    }
}

impl StockAction {
    /// What the second signature on a voucher of `kind` takes: an approver's for a write-off, else any signer's.
    pub fn to_sign(kind: super::MovementKind) -> StockAction {
        if kind.needs_approver() {
            StockAction::Approve
        } else {
            StockAction::Countersign
        }
    }
}

/// Allows `action` on the stock of a warehouse owned by `unit`, or refuses.
pub fn authorize_stock(
    actor: &Actor,
    action: StockAction,
    unit: i64,
    tree: &UnitTree,
) -> Result<(), ServiceError> {
    if actor.covers(action.roles(), Some(unit), tree) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// The district-wide catalogue is kept by administrators, the office and warehouse keepers.
pub fn authorize_catalogue(actor: &Actor) -> Result<(), ServiceError> {
    if actor.holds_any(&[
        Role::Administrator,
        Role::OfficeStaff,
        Role::WarehouseKeeper,
    ]) {
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

    fn actor(role: Role, unit: Option<i64>) -> Actor {
        Actor {
            account_id: 1,
            username: "t".into(),
            name: "t".into(),
            person_id: None,
            unit_id: None,
            grants: vec![Grant {
                role,
                unit_id: unit,
            }],
            lang: Lang::Zh,
            units: None,
        }
    }

    #[test]
    fn a_write_off_is_signed_by_an_approver_and_everything_else_by_a_signer() {
        use crate::inventory::model::MovementKind;
        assert_eq!(
            StockAction::to_sign(MovementKind::WriteOff),
            StockAction::Approve
        );
        assert_eq!(
            StockAction::to_sign(MovementKind::Use),
            StockAction::Countersign
        );
        assert!(!StockAction::Approve
            .roles()
            .contains(&Role::WarehouseKeeper));
    }

    #[test]
    fn a_keeper_of_one_unit_cannot_touch_anothers_stock() {
        let tree = UnitTree::new([(1, None), (2, Some(1)), (3, Some(1))]);
        let keeper = actor(Role::WarehouseKeeper, Some(2));
        assert!(authorize_stock(&keeper, StockAction::Move, 2, &tree).is_ok());
        assert!(authorize_stock(&keeper, StockAction::Move, 3, &tree).is_err());
        assert!(authorize_stock(&keeper, StockAction::View, 3, &tree).is_err());
        assert!(
            authorize_stock(&keeper, StockAction::Approve, 2, &tree).is_err(),
            "a keeper does not approve"
        );
    }

    #[test]
    fn the_office_sees_every_warehouse_but_does_not_move_stock() {
        let tree = UnitTree::new([(1, None), (2, Some(1))]);
        let office = actor(Role::OfficeStaff, None);
        assert!(authorize_stock(&office, StockAction::View, 2, &tree).is_ok());
        assert!(authorize_stock(&office, StockAction::Move, 2, &tree).is_err());
    }
}
