//! A line's quantities and the actions that move it from state to state. Every action checks the state it
//! starts from and the quantity it moves; none is inferred from how much has arrived.

use super::{RequestKind, Step};
use crate::error::ServiceError;
use crate::i18n::{text_enum, Text};
use crate::inventory::model::Quantity;

text_enum!(
    /// Where a line is.
    LineState, "state", {
        Requested = "requested", "待审批", "Awaiting approval";
        Approved = "approved", "已批准", "Approved";
        Reserved = "reserved", "已预留", "Reserved";
        Dispatched = "dispatched", "已发出", "Dispatched";
        Received = "received", "已接收", "Received";
        Closed = "closed", "已办结", "Closed";
        Refused = "refused", "未批准", "Refused";
        Cancelled = "cancelled", "已取消", "Cancelled";
    }
);

impl LineState {
    /// Whether nothing more happens to the line.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            LineState::Closed | LineState::Refused | LineState::Cancelled
        )
    }
}

/// A line's state and quantities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFacts {
    pub state: LineState,
    pub requested: Quantity,
    /// Set by the holding unit's decision (or at once by an emergency order).
    pub approved: Option<Quantity>,
    /// Held in the source warehouse now, not yet sent.
    pub reserved: Quantity,
    pub dispatched: Quantity,
    pub received: Quantity,
    /// Sent but did not arrive (written off from the road).
    pub lost: Quantity,
    /// Of a loan, given back (good, damaged or lost while borrowed).
    pub returned: Quantity,
}

impl LineFacts {
    /// A new line asking for `qty`.
    pub fn asked(qty: Quantity) -> LineFacts {
        LineFacts {
            state: LineState::Requested,
            requested: qty,
            approved: None,
            reserved: Quantity::ZERO,
            dispatched: Quantity::ZERO,
            received: Quantity::ZERO,
            lost: Quantity::ZERO,
            returned: Quantity::ZERO,
        }
    }

    /// Approved and not yet held or sent.
    pub fn to_reserve(&self) -> Quantity {
        let approved = self.approved.unwrap_or_default();
        approved
            .checked_sub(self.reserved)
            .and_then(|q| q.checked_sub(self.dispatched))
            .unwrap_or_default()
    }

    /// Sent and neither received nor lost yet: on the road.
    pub fn on_the_road(&self) -> Quantity {
        self.dispatched
            .checked_sub(self.received)
            .and_then(|q| q.checked_sub(self.lost))
            .unwrap_or_default()
    }

    /// Of a loan, received and not yet given back.
    pub fn borrowed(&self) -> Quantity {
        self.received.checked_sub(self.returned).unwrap_or_default()
    }

    /// Everything approved went out and everything sent is accounted for.
    fn settled(&self) -> bool {
        Some(self.dispatched) == self.approved && self.on_the_road() == Quantity::ZERO
    }
}

fn wrong_state(action_zh: &str, action_en: &str, state: LineState) -> ServiceError {
    ServiceError::Conflict(Text::new(
        format!(
            "该行物资当前为“{}”，不能{action_zh}",
            state.label(crate::i18n::Lang::Zh)
        ),
        format!(
            "This line is “{}”: it cannot be {action_en}",
            state.label(crate::i18n::Lang::En)
        ),
    ))
}

fn out_of_range(
    field: &'static str,
    what_zh: &str,
    what_en: &str,
    most: Quantity,
    got: Quantity,
) -> ServiceError {
    ServiceError::Invalid {
        field,
        message: Text::new(
            format!("{what_zh}应大于 0 且不超过 {most}（填写了 {got}）"),
            format!("{what_en} must be more than 0 and at most {most} (got {got})"),
        ),
    }
}

/// A decision on a line: `qty` approved (zero refuses). The requesting unit's head decides first, up to the
/// quantity asked; then the holding unit's head, up to what the requester's head approved. `prior` is the
/// requester's decision when the holder decides.
pub fn decide(
    f: LineFacts,
    step: Step,
    qty: Quantity,
    prior: Option<Quantity>,
) -> Result<LineFacts, ServiceError> {
    if f.state != LineState::Requested {
        return Err(wrong_state("再审批", "decided again", f.state));
    }
    let most = match (step, prior) {
        (Step::Requester, None) => f.requested,
        (Step::Requester, Some(_)) => {
            return Err(ServiceError::conflict(
                "申请单位负责人已审批过该行",
                "The requesting unit's head has already decided this line",
            ))
        }
        (Step::Holder, Some(p)) => p,
        (Step::Holder, None) => {
            return Err(ServiceError::conflict(
                "须先由申请单位负责人审批，再由调出单位负责人审批",
                "The requesting unit's head decides first, then the holding unit's head",
            ))
        }
    };
    if qty.is_negative() || qty > most {
        return Err(ServiceError::Invalid {
            field: "qty",
            message: Text::new(
                format!("批准数量应在 0（不批准）到 {most} 之间（填写了 {qty}）"),
                format!("Approve between 0 (refuse) and {most} (got {qty})"),
            ),
        });
    }
    let mut next = f;
    if qty == Quantity::ZERO {
        next.state = LineState::Refused;
    } else if step == Step::Holder {
        next.state = LineState::Approved;
        next.approved = Some(qty);
    }
    Ok(next)
}

/// A refusal needs its reason; a partial approval too (the requester must know why less comes).
pub fn check_decision_reason(
    qty: Quantity,
    asked: Quantity,
    reason: &str,
) -> Result<String, ServiceError> {
    let reason = crate::org::model::optional_text("reason", reason, 500)?;
    if qty < asked && reason.is_empty() {
        return Err(ServiceError::invalid(
            "reason",
            "不批准或少批时请写明理由",
            "Say why when refusing or approving less",
        ));
    }
    Ok(reason)
}

/// Holds `amount` more of an approved line in its source warehouse.
pub fn reserve(f: LineFacts, amount: Quantity) -> Result<LineFacts, ServiceError> {
    if !matches!(
        f.state,
        LineState::Approved | LineState::Reserved | LineState::Dispatched
    ) {
        return Err(wrong_state("预留", "reserved", f.state));
    }
    let most = f.to_reserve();
    if amount <= Quantity::ZERO || amount > most {
        return Err(out_of_range(
            "qty",
            "预留数量",
            "The quantity to reserve",
            most,
            amount,
        ));
    }
    let mut next = f;
    next.reserved = f.reserved.checked_add(amount).unwrap_or(f.reserved);
    if f.state == LineState::Approved {
        next.state = LineState::Reserved;
    }
    Ok(next)
}

/// Sends `amount` of what is held.
pub fn dispatch(f: LineFacts, amount: Quantity) -> Result<LineFacts, ServiceError> {
    if !matches!(f.state, LineState::Reserved | LineState::Dispatched) {
        return Err(wrong_state("发出", "dispatched", f.state));
    }
    if amount <= Quantity::ZERO || amount > f.reserved {
        return Err(out_of_range(
            "qty",
            "发出数量",
            "The quantity sent",
            f.reserved,
            amount,
        ));
    }
    let mut next = f;
    next.reserved = f.reserved.checked_sub(amount).unwrap_or_default();
    next.dispatched = f.dispatched.checked_add(amount).unwrap_or(f.dispatched);
    next.state = LineState::Dispatched;
    Ok(next)
}

/// The receiving keeper's count of a consignment for this line: `got` arrived, `lost` did not.
pub fn receive(f: LineFacts, got: Quantity, lost: Quantity) -> Result<LineFacts, ServiceError> {
    if f.state != LineState::Dispatched {
        return Err(wrong_state("接收", "received", f.state));
    }
    let counted = got.checked_add(lost).unwrap_or(Quantity::ZERO);
    if got.is_negative()
        || lost.is_negative()
        || counted == Quantity::ZERO
        || counted > f.on_the_road()
    {
        return Err(out_of_range(
            "qty",
            "接收数量",
            "The quantity received",
            f.on_the_road(),
            counted,
        ));
    }
    let mut next = f;
    next.received = f.received.checked_add(got).unwrap_or(f.received);
    next.lost = f.lost.checked_add(lost).unwrap_or(f.lost);
    if next.settled() {
        next.state = LineState::Received;
    }
    Ok(next)
}

/// Cancelling: what is not yet sent is let go (returns the line and the quantity to release). A line already
/// partly sent keeps what was sent as its approved quantity and goes on to be received.
pub fn cancel(f: LineFacts) -> Result<(LineFacts, Quantity), ServiceError> {
    let mut next = f;
    match f.state {
        LineState::Requested | LineState::Approved | LineState::Reserved => {
            next.state = LineState::Cancelled;
        }
        LineState::Dispatched => {
            next.approved = Some(f.dispatched);
            if next.on_the_road() == Quantity::ZERO {
                next.state = LineState::Received;
            }
        }
        LineState::Received | LineState::Closed | LineState::Refused | LineState::Cancelled => {
            return Ok((f, Quantity::ZERO));
        }
    }
    next.reserved = Quantity::ZERO;
    Ok((next, f.reserved))
}

/// Of a loan, `qty` given back (good, damaged, or lost while borrowed).
pub fn give_back(f: LineFacts, qty: Quantity) -> Result<LineFacts, ServiceError> {
    if f.state != LineState::Received {
        return Err(wrong_state("归还", "returned", f.state));
    }
    if qty <= Quantity::ZERO || qty > f.borrowed() {
        return Err(out_of_range(
            "qty",
            "归还数量",
            "The quantity returned",
            f.borrowed(),
            qty,
        ));
    }
    let mut next = f;
    next.returned = f.returned.checked_add(qty).unwrap_or(f.returned);
    Ok(next)
}

/// Closing the request (办结): a received line closes — a loan only once all of it came back; refused and
/// cancelled lines stay as they are; anything still on its way keeps the request open.
pub fn close(f: LineFacts, kind: RequestKind) -> Result<LineFacts, ServiceError> {
    match f.state {
        LineState::Received if kind == RequestKind::Loan && f.borrowed() > Quantity::ZERO => {
            Err(ServiceError::Conflict(Text::new(
                format!("借用物资尚有 {} 未归还，不能办结", f.borrowed()),
                format!(
                    "{} of the loan has not come back yet: the request cannot be closed",
                    f.borrowed()
                ),
            )))
        }
        LineState::Received => Ok(LineFacts {
            state: LineState::Closed,
            ..f
        }),
        s if s.is_final() => Ok(f),
        s => Err(wrong_state("办结", "closed", s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64) -> Quantity {
        Quantity::units(n)
    }

    fn approved(n: i64) -> LineFacts {
        let f = decide(LineFacts::asked(q(n)), Step::Requester, q(n), None).unwrap();
        decide(f, Step::Holder, q(n), Some(q(n))).unwrap()
    }

    #[test]
    fn a_line_goes_through_every_state_in_order() {
        let f = LineFacts::asked(q(100));
        let f = decide(f, Step::Requester, q(80), None).unwrap();
        assert_eq!(
            f.state,
            LineState::Requested,
            "the holder has not decided yet"
        );
        let f = decide(f, Step::Holder, q(60), Some(q(80))).unwrap();
        assert_eq!((f.state, f.approved), (LineState::Approved, Some(q(60))));
        let f = reserve(f, q(60)).unwrap();
        assert_eq!(f.state, LineState::Reserved);
        let f = dispatch(f, q(60)).unwrap();
        assert_eq!(f.state, LineState::Dispatched);
        let f = receive(f, q(58), q(2)).unwrap();
        assert_eq!(f.state, LineState::Received);
        assert_eq!(f.received.checked_add(f.lost), Some(f.dispatched));
        let f = close(f, RequestKind::Transfer).unwrap();
        assert_eq!(f.state, LineState::Closed);
    }

    #[test]
    fn no_state_is_skipped() {
        let asked = LineFacts::asked(q(10));
        assert!(reserve(asked, q(1)).is_err(), "not approved yet");
        assert!(dispatch(approved(10), q(1)).is_err(), "nothing held yet");
        assert!(
            receive(reserve(approved(10), q(10)).unwrap(), q(1), q(0)).is_err(),
            "nothing sent yet"
        );
        assert!(close(asked, RequestKind::Transfer).is_err());
        assert!(
            decide(asked, Step::Holder, q(10), None).is_err(),
            "the requester's head first"
        );
        assert!(give_back(asked, q(1)).is_err());
    }

    #[test]
    fn partial_quantities_add_up() {
        let f = reserve(approved(100), q(30)).unwrap();
        assert_eq!(f.to_reserve(), q(70));
        let f = reserve(f, q(70)).unwrap();
        assert!(reserve(f, q(1)).is_err(), "no more than approved");
        let f = dispatch(f, q(40)).unwrap();
        let f = receive(f, q(40), q(0)).unwrap();
        assert_eq!(f.state, LineState::Dispatched, "60 are still held");
        let f = dispatch(f, q(60)).unwrap();
        assert!(receive(f, q(61), q(0)).is_err(), "more than is on the road");
        let f = receive(f, q(50), q(0)).unwrap();
        assert_eq!((f.state, f.on_the_road()), (LineState::Dispatched, q(10)));
        let f = receive(f, q(9), q(1)).unwrap();
        assert_eq!(f.state, LineState::Received);
        assert_eq!(f.received.checked_add(f.lost), Some(q(100)));
    }

    #[test]
    fn cancel_releases_what_is_held_and_keeps_what_was_sent() {
        let (f, released) = cancel(reserve(approved(10), q(10)).unwrap()).unwrap();
        assert_eq!(
            (f.state, released, f.reserved),
            (LineState::Cancelled, q(10), q(0))
        );
        let sent = dispatch(reserve(approved(10), q(10)).unwrap(), q(4)).unwrap();
        let (f, released) = cancel(sent).unwrap();
        assert_eq!(
            (f.state, released, f.approved),
            (LineState::Dispatched, q(6), Some(q(4)))
        );
        let f = receive(f, q(4), q(0)).unwrap();
        assert_eq!(f.state, LineState::Received, "what was sent has arrived");
        let (f, released) = cancel(f).unwrap();
        assert_eq!((f.state, released), (LineState::Received, q(0)));
    }

    #[test]
    fn decisions_stay_within_what_was_asked_and_zero_refuses() {
        let f = LineFacts::asked(q(10));
        assert!(decide(f, Step::Requester, q(11), None).is_err());
        let refused = decide(f, Step::Requester, q(0), None).unwrap();
        assert_eq!(refused.state, LineState::Refused);
        assert!(decide(refused, Step::Holder, q(1), Some(q(0))).is_err());
        let f = decide(f, Step::Requester, q(5), None).unwrap();
        assert!(
            decide(f, Step::Holder, q(6), Some(q(5))).is_err(),
            "no more than the requester's head approved"
        );
        assert!(check_decision_reason(q(5), q(10), "").is_err());
        assert!(check_decision_reason(q(10), q(10), "").is_ok());
    }

    #[test]
    fn a_loan_closes_only_when_all_of_it_came_back() {
        let f = receive(
            dispatch(reserve(approved(2), q(2)).unwrap(), q(2)).unwrap(),
            q(2),
            q(0),
        )
        .unwrap();
        assert!(close(f, RequestKind::Loan).is_err());
        let f = give_back(f, q(1)).unwrap();
        assert!(give_back(f, q(2)).is_err(), "only one is still out");
        let f = give_back(f, q(1)).unwrap();
        assert_eq!(
            close(f, RequestKind::Loan).unwrap().state,
            LineState::Closed
        );
    }
}
