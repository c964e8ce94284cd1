//! Corrective actions (整改): open → evidence submitted → closed when someone other than the owner verifies
//! it, or reopened when the evidence is rejected. Overdue open actions escalate: the owner, then a week later
//! the owner's unit head, then a week after that the office. An action awaiting verification does not: its
//! owner has done their part, so it is the verifier who is reminded once it has waited `VERIFY_AFTER_DAYS`.

use chrono::{Duration, NaiveDate};

use crate::error::ServiceError;
use crate::i18n::text_enum;

text_enum!(
    /// Where a corrective action stands.
    ActionState, "state", {
        Open = "open", "整改中", "Open";
        Submitted = "submitted", "待验证", "Awaiting verification";
        Closed = "closed", "已销号", "Closed";
    }
);

text_enum!(
    /// Who hears of an overdue action.
    EscalationStep, "step", {
        Owner = "owner", "责任人", "Owner";
        UnitHead = "unit_head", "责任单位负责人", "Owner's unit head";
        Office = "office", "安委办", "Office";
    }
);

/// Days before the deadline the owner is reminded.
pub const DUE_SOON_DAYS: i64 = 7;
/// Days overdue before the owner's unit head hears of it; twice as many before the office does.
pub const ESCALATE_AFTER_DAYS: i64 = 7;
/// Days evidence may wait for verification before the verifier (the drill's coordinator) is reminded.
pub const VERIFY_AFTER_DAYS: i64 = 3;

/// The owner (or someone for them) submits evidence: only an open action takes it.
pub fn submit_evidence(state: ActionState) -> Result<ActionState, ServiceError> {
    match state {
        ActionState::Open => Ok(ActionState::Submitted),
        ActionState::Submitted => Err(ServiceError::conflict(
            "整改材料已提交，正在等待验证",
            "Evidence is already submitted and awaits verification",
        )),
        ActionState::Closed => Err(ServiceError::conflict(
            "该整改事项已销号",
            "This corrective action is closed",
        )),
    }
}

/// Who verifies, against who owns and who submitted.
#[derive(Debug, Clone, Copy)]
pub struct Verifier {
    pub account_id: i64,
    pub person_id: Option<i64>,
}

/// The verification: closed when accepted, reopened when rejected (with a reason). Never by the owner, nor by
/// whoever submitted the evidence.
pub fn verify(
    state: ActionState,
    owner_person_id: i64,
    submitted_by: Option<i64>,
    verifier: Verifier,
    accept: bool,
    note: &str,
) -> Result<ActionState, ServiceError> {
    if state != ActionState::Submitted {
        return Err(ServiceError::conflict(
            "只有已提交整改材料的事项可以验证",
            "Only an action with evidence submitted can be verified",
        ));
    }
    if verifier.person_id == Some(owner_person_id) || submitted_by == Some(verifier.account_id) {
        return Err(ServiceError::conflict(
            "整改须由责任人以外的人验证销号",
            "A corrective action is verified by someone other than its owner",
        ));
    }
    if accept {
        Ok(ActionState::Closed)
    } else if note.trim().is_empty() {
        Err(ServiceError::invalid(
            "note",
            "退回整改请写明原因",
            "Say why the evidence is rejected",
        ))
    } else {
        Ok(ActionState::Open)
    }
}

/// What an action's deadline calls for on `today`: nothing yet, a reminder that it is due soon, or the step an
/// overdue action has escalated to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionAlarm {
    DueSoon,
    Overdue(EscalationStep),
}

/// The alarm for an open action due on `due`: none for a closed one, nor for one awaiting verification (its
/// owner is not chased for the verifier's delay).
pub fn alarm(state: ActionState, due: NaiveDate, today: NaiveDate) -> Option<ActionAlarm> {
    if state != ActionState::Open {
        return None;
    }
    let late = (today - due).num_days();
    if late <= 0 {
        return (due - Duration::days(DUE_SOON_DAYS) <= today).then_some(ActionAlarm::DueSoon);
    }
    Some(ActionAlarm::Overdue(if late > 2 * ESCALATE_AFTER_DAYS {
        EscalationStep::Office
    } else if late > ESCALATE_AFTER_DAYS {
        EscalationStep::UnitHead
    } else {
        EscalationStep::Owner
    }))
}

/// Whether evidence submitted on `submitted` has waited long enough on `today` for the verifier to be
/// reminded.
pub fn verification_overdue(state: ActionState, submitted: NaiveDate, today: NaiveDate) -> bool {
    state == ActionState::Submitted && (today - submitted).num_days() >= VERIFY_AFTER_DAYS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    const OWNER: i64 = 7;

    fn someone_else() -> Verifier {
        Verifier {
            account_id: 3,
            person_id: Some(9),
        }
    }

    #[test]
    fn evidence_moves_an_open_action_to_verification_once() {
        assert_eq!(
            submit_evidence(ActionState::Open).unwrap(),
            ActionState::Submitted
        );
        assert!(submit_evidence(ActionState::Submitted).is_err());
        assert!(submit_evidence(ActionState::Closed).is_err());
    }

    #[test]
    fn someone_else_closes_an_action() {
        let s = verify(
            ActionState::Submitted,
            OWNER,
            Some(1),
            someone_else(),
            true,
            "",
        );
        assert_eq!(s.unwrap(), ActionState::Closed);
    }

    #[test]
    fn the_owner_cannot_verify_their_own_action() {
        let owner = Verifier {
            account_id: 3,
            person_id: Some(OWNER),
        };
        assert!(verify(ActionState::Submitted, OWNER, Some(1), owner, true, "").is_err());
        // Nor whoever submitted the evidence for them.
        let submitter = Verifier {
            account_id: 1,
            person_id: None,
        };
        assert!(verify(ActionState::Submitted, OWNER, Some(1), submitter, true, "").is_err());
    }

    #[test]
    fn rejected_evidence_reopens_the_action_and_needs_a_reason() {
        assert!(verify(
            ActionState::Submitted,
            OWNER,
            Some(1),
            someone_else(),
            false,
            " "
        )
        .is_err());
        let s = verify(
            ActionState::Submitted,
            OWNER,
            Some(1),
            someone_else(),
            false,
            "照片看不清",
        );
        assert_eq!(s.unwrap(), ActionState::Open);
    }

    #[test]
    fn only_submitted_evidence_is_verified() {
        for state in [ActionState::Open, ActionState::Closed] {
            assert!(verify(state, OWNER, Some(1), someone_else(), true, "").is_err());
        }
    }

    #[test]
    fn an_overdue_action_escalates_from_owner_to_head_to_office() {
        let due = d(3, 10);
        assert_eq!(alarm(ActionState::Open, due, d(3, 2)), None);
        assert_eq!(
            alarm(ActionState::Open, due, d(3, 3)),
            Some(ActionAlarm::DueSoon)
        );
        assert_eq!(
            alarm(ActionState::Open, due, d(3, 10)),
            Some(ActionAlarm::DueSoon)
        );
        assert_eq!(
            alarm(ActionState::Open, due, d(3, 11)),
            Some(ActionAlarm::Overdue(EscalationStep::Owner))
        );
        assert_eq!(
            alarm(ActionState::Open, due, d(3, 18)),
            Some(ActionAlarm::Overdue(EscalationStep::UnitHead))
        );
        assert_eq!(
            alarm(ActionState::Open, due, d(3, 25)),
            Some(ActionAlarm::Overdue(EscalationStep::Office))
        );
        assert_eq!(alarm(ActionState::Closed, due, d(3, 25)), None);
    }

    #[test]
    fn an_action_awaiting_verification_does_not_escalate_against_its_owner() {
        let due = d(3, 10);
        for day in [d(3, 5), d(3, 11), d(3, 18), d(3, 25), d(6, 1)] {
            assert_eq!(alarm(ActionState::Submitted, due, day), None, "{day}");
        }
        // Rejected evidence reopens the action, and the deadline counts again.
        assert_eq!(
            alarm(ActionState::Open, due, d(3, 18)),
            Some(ActionAlarm::Overdue(EscalationStep::UnitHead))
        );
    }

    #[test]
    fn the_verifier_is_reminded_after_evidence_has_waited_three_days() {
        let submitted = d(3, 12);
        assert!(!verification_overdue(
            ActionState::Submitted,
            submitted,
            d(3, 12)
        ));
        assert!(!verification_overdue(
            ActionState::Submitted,
            submitted,
            d(3, 14)
        ));
        assert!(verification_overdue(
            ActionState::Submitted,
            submitted,
            d(3, 15)
        ));
        assert!(!verification_overdue(
            ActionState::Open,
            submitted,
            d(3, 20)
        ));
        assert!(!verification_overdue(
            ActionState::Closed,
            submitted,
            d(3, 20)
        ));
    }
}
