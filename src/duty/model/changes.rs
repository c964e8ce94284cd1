//! Changes to a published roster: a substitution (替班: someone takes over a person's place on one shift)
//! or a swap (换班: two people trade shifts). Asked by the person giving up the shift, agreed by the one
//! taking over, approved by a duty leader or office staff of the roster's unit who is party to neither side,
//! then applied. A manager (duty leader, office staff) may ask, agree or approve on someone's behalf (never
//! agree for the other side of their own change), and may make a change directly, which applies at once.

use crate::error::ServiceError;
use crate::i18n::{text_enum, Lang};

text_enum!(
    /// What kind of change.
    ChangeKind, "kind", {
        Substitution = "substitution", "替班", "Substitution";
        Swap = "swap", "换班", "Swap";
    }
);

text_enum!(
    /// Where a change stands.
    ChangeState, "state", {
        Asked = "asked", "待对方同意", "Waiting for the other person";
        Agreed = "agreed", "待审批", "Waiting for approval";
        Applied = "applied", "已生效", "Applied";
        Declined = "declined", "对方未同意", "Declined";
        Refused = "refused", "未批准", "Refused";
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
);

/// What someone does to a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeAction {
    /// The one taking over agrees.
    Agree,
    /// The one taking over says no.
    Decline,
    /// An approver approves (the change is applied).
    Approve,
    /// An approver refuses (with a reason).
    Refuse,
    /// The one who asked takes it back.
    Withdraw,
}

/// How the actor stands to a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standing {
    /// The person giving up their shift (or the account that asked).
    pub giver: bool,
    /// The person taking over.
    pub taker: bool,
    /// A duty leader or office staff over the roster's unit (a manager of its duty).
    pub manager: bool,
}

/// The state a change moves to when `who` does `action` in `state`; refused with a reason otherwise.
pub fn next_state(
    state: ChangeState,
    action: ChangeAction,
    who: Standing,
) -> Result<ChangeState, ServiceError> {
    use ChangeAction as A;
    use ChangeState as S;
    let allowed = match action {
        A::Agree | A::Decline => who.taker || (who.manager && !who.giver),
        A::Approve | A::Refuse => who.manager && !who.giver && !who.taker,
        A::Withdraw => who.giver || who.manager,
    };
    if !allowed {
        return Err(ServiceError::Forbidden);
    }
    let to = match (state, action) {
        (S::Asked, A::Agree) => S::Agreed,
        (S::Asked, A::Decline) => S::Declined,
        (S::Agreed, A::Approve) => S::Applied,
        (S::Agreed | S::Asked, A::Refuse) => S::Refused,
        (S::Asked | S::Agreed, A::Withdraw) => S::Withdrawn,
        _ => {
            return Err(ServiceError::conflict(
                format!("该申请已是“{}”状态", state.label(Lang::Zh)),
                format!(
                    "The change is already: {}",
                    state.label(Lang::En).to_lowercase()
                ),
            ))
        }
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use ChangeAction as A;
    use ChangeState as S;

    const GIVER: Standing = Standing {
        giver: true,
        taker: false,
        manager: false,
    };
    const TAKER: Standing = Standing {
        giver: false,
        taker: true,
        manager: false,
    };
    const LEADER: Standing = Standing {
        giver: false,
        taker: false,
        manager: true,
    };
    const STRANGER: Standing = Standing {
        giver: false,
        taker: false,
        manager: false,
    };

    #[test]
    fn a_swap_is_agreed_then_approved_by_someone_not_party_to_it() {
        let s = next_state(S::Asked, A::Agree, TAKER).unwrap();
        assert_eq!(s, S::Agreed);
        assert_eq!(next_state(s, A::Approve, LEADER).unwrap(), S::Applied);
    }

    #[test]
    fn nobody_approves_their_own_change_even_as_a_duty_leader() {
        let leader_giving = Standing {
            giver: true,
            manager: true,
            ..Standing::default()
        };
        let leader_taking = Standing {
            taker: true,
            manager: true,
            ..Standing::default()
        };
        for who in [GIVER, TAKER, leader_giving, leader_taking] {
            let e = next_state(S::Agreed, A::Approve, who).unwrap_err();
            assert!(matches!(e, ServiceError::Forbidden), "{who:?}");
        }
    }

    #[test]
    fn only_the_taker_or_a_manager_agrees_and_only_open_changes_move() {
        assert!(next_state(S::Asked, A::Agree, GIVER).is_err());
        assert!(next_state(S::Asked, A::Agree, STRANGER).is_err());
        assert_eq!(next_state(S::Asked, A::Agree, LEADER).unwrap(), S::Agreed);
        let leader_giving = Standing {
            giver: true,
            manager: true,
            ..Standing::default()
        };
        assert!(
            next_state(S::Asked, A::Agree, leader_giving).is_err(),
            "nobody agrees for the other side"
        );
        assert_eq!(
            next_state(S::Asked, A::Decline, TAKER).unwrap(),
            S::Declined
        );
        assert_eq!(
            next_state(S::Agreed, A::Withdraw, GIVER).unwrap(),
            S::Withdrawn
        );
        assert!(next_state(S::Asked, A::Approve, LEADER).is_err());
        for done in [S::Applied, S::Declined, S::Refused, S::Withdrawn] {
            for action in [A::Agree, A::Decline, A::Approve, A::Refuse, A::Withdraw] {
                assert!(
                    matches!(
                        next_state(done, action, LEADER),
                        Err(ServiceError::Conflict(_))
                    ),
                    "{done:?} {action:?}"
                );
            }
        }
    }
}
