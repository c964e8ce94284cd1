//! The rules of allocation: what a request may ask, who decides, and the explicit states a line goes through
//! (requested → approved → reserved → dispatched → received → closed; or refused, or cancelled). Quantities are
//! exact; a state changes only by an action, never by reading percentages. Pure.

mod access;
mod inputs;
mod lines;

pub use access::*;
pub use inputs::*;
pub use lines::*;

use crate::i18n::text_enum;

text_enum!(
    /// For keeps or to come back.
    RequestKind, "kind", {
        Transfer = "transfer", "调拨", "Transfer";
        Loan = "loan", "借用", "Loan";
    }
);

text_enum!(
    /// How soon.
    Priority, "priority", {
        Urgent = "urgent", "紧急", "Urgent";
        Normal = "normal", "一般", "Normal";
    }
);

text_enum!(
    /// Where a request stands as a whole.
    RequestState, "state", {
        Open = "open", "办理中", "Open";
        Closed = "closed", "已办结", "Closed";
        Cancelled = "cancelled", "已取消", "Cancelled";
    }
);

text_enum!(
    /// Whose decision.
    Step, "step", {
        Requester = "requester", "申请单位负责人", "Requesting unit's head";
        Holder = "holder", "调出单位负责人", "Holding unit's head";
    }
);

text_enum!(
    /// Which way a shipment goes.
    ShipDirection, "direction", {
        Out = "out", "调出", "Sent";
        Back = "back", "归还", "Returned";
    }
);

text_enum!(
    /// The state of a loan's return as the borrower reports it.
    Condition, "condition", {
        Good = "good", "完好", "Good";
        Damaged = "damaged", "损坏", "Damaged";
        Lost = "lost", "丢失", "Lost";
    }
);

/// What the request is for in the reserves area's reservations and consignments: `allocation:{id}`.
pub fn held_for(request_id: i64) -> String {
    format!("allocation:{request_id}")
}

/// A request's number: `DB-2026-000012` (调拨) or `JY-2026-000012` (借用); an emergency order `DL-…` (调令).
pub fn request_no(kind: RequestKind, emergency: bool, year: i32, n: i64) -> String {
    let prefix = match (emergency, kind) {
        (true, _) => "DL",
        (false, RequestKind::Transfer) => "DB",
        (false, RequestKind::Loan) => "JY",
    };
    format!("{prefix}-{year}-{n:06}")
}
