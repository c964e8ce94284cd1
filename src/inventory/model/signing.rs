//! Signatures and corrections: who may give a voucher its second signature, when it may be reversed, and the
//! reasons a voucher and its rejection must carry.

use super::ledger::{Direction, MovementKind, MovementState};
use crate::error::ServiceError;

/// Why stock moves (事由): required, since the second signer judges the voucher by it and the ledger keeps
/// it; at most 500 characters.
pub fn reason(raw: &str) -> Result<String, ServiceError> {
    let v = crate::org::model::optional_text("reason", raw, 500)?;
    if v.is_empty() {
        return Err(ServiceError::invalid(
            "reason",
            "请填写事由：为什么出入库（复核人据此签字）",
            "Give the reason: why the stock moves (the second signer signs on it)",
        ));
    }
    Ok(v)
}

/// Why a voucher is sent back: required, since the keeper who recorded it must know what to correct.
pub fn rejection_reason(raw: &str) -> Result<String, ServiceError> {
    let v = crate::org::model::optional_text("reason", raw, 500)?;
    if v.is_empty() {
        return Err(ServiceError::invalid(
            "reason",
            "请写明退回原因，经办人据此更正",
            "Say why it is sent back, so whoever recorded it knows what to correct",
        ));
    }
    Ok(v)
}

/// The facts a countersignature is checked against.
#[derive(Debug, Clone, Copy)]
pub struct SignFacts {
    pub state: MovementState,
    pub emergency: bool,
    pub countersigned: bool,
    pub created_by: i64,
}

/// A second signature must come from another person, once, on a movement that still needs it.
pub fn check_countersign(f: &SignFacts, signer: i64) -> Result<(), ServiceError> {
    if signer == f.created_by {
        return Err(ServiceError::conflict(
            "复核须由另一位人员签字（双签字）",
            "A second person must countersign (two signatures)",
        ));
    }
    match (f.state, f.emergency, f.countersigned) {
        (MovementState::Pending, _, _) => Ok(()),
        (MovementState::Posted, true, false) => Ok(()),
        (MovementState::Rejected, _, _) => Err(ServiceError::conflict(
            "该凭证已退回",
            "This voucher was rejected",
        )),
        _ => Err(ServiceError::conflict(
            "该凭证已复核签字",
            "This voucher is already countersigned",
        )),
    }
}

/// Whether a voucher may be reversed: a posted one, not a reversal or a transfer (a transfer is corrected by a
/// transfer back), and only once. Stocktake gains and losses and opening balances may be reversed.
pub fn check_reversible(
    kind: MovementKind,
    state: MovementState,
    already_reversed: bool,
) -> Result<(), ServiceError> {
    if state != MovementState::Posted {
        return Err(ServiceError::conflict(
            "只能冲销已过账的凭证",
            "Only a posted voucher can be reversed",
        ));
    }
    if matches!(
        kind,
        MovementKind::Reversal | MovementKind::TransferIn | MovementKind::TransferOut
    ) || kind.direction() == Direction::Mirror
    {
        return Err(ServiceError::conflict(
            "冲销凭证和调拨凭证不能冲销，调拨请以反向调拨更正",
            "Reversals and transfers cannot be reversed; correct a transfer with a transfer back",
        ));
    }
    if already_reversed {
        return Err(ServiceError::conflict(
            "该凭证已有冲销凭证",
            "This voucher already has a reversal",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_voucher_and_its_rejection_say_why() {
        assert!(reason("  ").is_err());
        assert_eq!(reason(" 抢险 ").unwrap(), "抢险");
        assert!(rejection_reason("").is_err());
        assert!(rejection_reason("数量写错").is_ok());
    }

    #[test]
    fn posted_vouchers_reverse_once_and_transfers_never() {
        use MovementKind::*;
        let posted = MovementState::Posted;
        for kind in [Purchase, Use, CountLoss, CountGain, Opening, WriteOff] {
            assert!(check_reversible(kind, posted, false).is_ok(), "{kind:?}");
            assert!(
                check_reversible(kind, posted, true).is_err(),
                "{kind:?} twice"
            );
        }
        for kind in [TransferOut, TransferIn, Reversal] {
            assert!(check_reversible(kind, posted, false).is_err(), "{kind:?}");
        }
        assert!(check_reversible(Use, MovementState::Pending, false).is_err());
    }

    #[test]
    fn a_countersignature_needs_a_second_person_and_happens_once() {
        let pending = SignFacts {
            state: MovementState::Pending,
            emergency: false,
            countersigned: false,
            created_by: 1,
        };
        assert!(check_countersign(&pending, 1).is_err());
        assert!(check_countersign(&pending, 2).is_ok());
        let emergency = SignFacts {
            state: MovementState::Posted,
            emergency: true,
            countersigned: false,
            ..pending
        };
        assert!(
            check_countersign(&emergency, 2).is_ok(),
            "signed afterwards"
        );
        assert!(check_countersign(
            &SignFacts {
                countersigned: true,
                ..emergency
            },
            2
        )
        .is_err());
        assert!(check_countersign(
            &SignFacts {
                state: MovementState::Posted,
                ..pending
            },
            2
        )
        .is_err());
    }
}
