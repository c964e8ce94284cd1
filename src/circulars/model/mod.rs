//! The rules of circulars (通知): what a draft must hold, the states it goes through (draft → issued →
//! withdrawn), who may send from a unit and to which units, where an addressed unit stands (waiting,
//! acknowledged, overdue, escalated), what a reply must carry, and the signed 签收 links. Pure.

mod addressing;
mod inputs;
mod link;

pub use addressing::*;
pub use inputs::*;
pub use link::*;

use chrono::{DateTime, Duration, Utc};

use crate::error::ServiceError;
use crate::i18n::text_enum;

text_enum!(
    /// Where a circular stands.
    CircularState, "state", {
        Draft = "draft", "草稿", "Draft";
        Issued = "issued", "已下发", "Issued";
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
);

text_enum!(
    /// How urgent (the 缓急 of an official notice).
    CircularUrgency, "urgency", {
        Routine = "routine", "平件", "Routine";
        Urgent = "urgent", "加急", "Urgent";
        Immediate = "immediate", "特急", "Immediate";
    }
);

text_enum!(
    /// What a reply (回执) carries.
    CircularReplyMode, "reply_mode", {
        None = "none", "无需回执", "No reply";
        Text = "text", "文字回执（可附文件）", "Free text (a file may be attached)";
        Fields = "fields", "按栏目填写", "Fields the sender defines";
    }
);

text_enum!(
    /// How a unit acknowledged.
    CircularAckVia, "acked_via", {
        Link = "link", "邮件签收链接", "E-mail link";
        SignedIn = "signed_in", "登录签收", "Signed in";
        Reply = "reply", "随回执签收", "With the reply";
    }
);

/// A draft may be changed (attachments added) and issued; nothing else may.
pub fn check_draft(state: CircularState) -> Result<(), ServiceError> {
    match state {
        CircularState::Draft => Ok(()),
        _ => Err(ServiceError::conflict(
            "通知已下发，不能再修改",
            "The circular has been issued and can no longer change",
        )),
    }
}

/// Issuing needs a draft, at least one addressed unit and a deadline still ahead.
pub fn check_issue(
    state: CircularState,
    units: usize,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    check_draft(state)?;
    if units == 0 {
        return Err(ServiceError::invalid(
            "units",
            "请至少选择一个接收单位",
            "Address at least one unit",
        ));
    }
    check_due(due, now)
}

/// Only an issued circular may be withdrawn.
pub fn check_withdraw(state: CircularState) -> Result<(), ServiceError> {
    match state {
        CircularState::Issued => Ok(()),
        CircularState::Draft => Err(ServiceError::conflict(
            "草稿尚未下发，无需撤回",
            "A draft has not been issued; there is nothing to withdraw",
        )),
        CircularState::Withdrawn => Err(ServiceError::conflict(
            "通知已撤回",
            "The circular has already been withdrawn",
        )),
    }
}

/// A unit acknowledges, replies or is reminded only while the circular stands issued.
pub fn check_open(state: CircularState) -> Result<(), ServiceError> {
    match state {
        CircularState::Issued => Ok(()),
        CircularState::Draft => Err(ServiceError::conflict(
            "通知尚未下发",
            "The circular has not been issued",
        )),
        CircularState::Withdrawn => Err(ServiceError::conflict(
            "通知已被发文单位撤回，无需签收或回执",
            "The circular was withdrawn by its sender; nothing is to be acknowledged or answered",
        )),
    }
}

/// The acknowledgement deadline: ahead of now, within a year.
pub fn check_due(due: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), ServiceError> {
    if due <= now {
        return Err(ServiceError::invalid(
            "ack_due",
            "签收截止时间须晚于现在",
            "The acknowledgement deadline must be in the future",
        ));
    }
    if due > now + Duration::days(365) {
        return Err(ServiceError::invalid(
            "ack_due",
            "签收截止时间不能超过一年后",
            "The acknowledgement deadline must be within a year",
        ));
    }
    Ok(())
}

/// Where an addressed unit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CircularStanding {
    /// Acknowledged by the deadline.
    Acknowledged,
    /// Acknowledged after the deadline.
    AcknowledgedLate,
    /// Not yet, the deadline still ahead.
    Waiting,
    /// Not acknowledged by the deadline (the unit has been reminded).
    Overdue,
    /// Still not: its head has been told.
    Escalated,
}

impl CircularStanding {
    /// Whether the unit has acknowledged.
    pub fn acknowledged(self) -> bool {
        matches!(
            self,
            CircularStanding::Acknowledged | CircularStanding::AcknowledgedLate
        )
    }

    /// Whether the deadline passed without an acknowledgement.
    pub fn overdue(self) -> bool {
        matches!(
            self,
            CircularStanding::Overdue | CircularStanding::Escalated
        )
    }

    /// The label.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        let zh = matches!(lang, crate::i18n::Lang::Zh);
        match self {
            CircularStanding::Acknowledged => {
                if zh {
                    "已签收"
                } else {
                    "Acknowledged"
                }
            }
            CircularStanding::AcknowledgedLate => {
                if zh {
                    "逾期签收"
                } else {
                    "Acknowledged late"
                }
            }
            CircularStanding::Waiting => {
                if zh {
                    "待签收"
                } else {
                    "Waiting"
                }
            }
            CircularStanding::Overdue => {
                if zh {
                    "逾期未签收"
                } else {
                    "Overdue"
                }
            }
            CircularStanding::Escalated => {
                if zh {
                    "逾期，已告知负责人"
                } else {
                    "Overdue, head told"
                }
            }
        }
    }
}

/// Where a unit stands at `now`, given the deadline, its acknowledgement and whether its head was told.
pub fn standing(
    due: DateTime<Utc>,
    acked_at: Option<DateTime<Utc>>,
    escalated_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> CircularStanding {
    match acked_at {
        Some(at) if at <= due => CircularStanding::Acknowledged,
        Some(_) => CircularStanding::AcknowledgedLate,
        None if now < due => CircularStanding::Waiting,
        None if escalated_at.is_some() => CircularStanding::Escalated,
        None => CircularStanding::Overdue,
    }
}

/// The escalation rule: a unit that has not acknowledged `hours` after the deadline is escalated to its
/// head, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escalation {
    /// Hours after the deadline.
    pub hours: i64,
}

impl Escalation {
    /// When a unit still not acknowledging is escalated.
    pub fn at(self, due: DateTime<Utc>) -> DateTime<Utc> {
        due + Duration::hours(self.hours)
    }

    /// Whether a unit is to be escalated now: not acknowledged, not yet escalated, the time come.
    pub fn due_now(
        self,
        due: DateTime<Utc>,
        acked: bool,
        escalated: bool,
        now: DateTime<Utc>,
    ) -> bool {
        !acked && !escalated && now >= self.at(due)
    }
}

/// Counts for the tracking page: acknowledged 12/15, replied 9/15, overdue 3.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct CircularTally {
    pub units: usize,
    pub acknowledged: usize,
    pub replied: usize,
    pub overdue: usize,
    pub escalated: usize,
}

impl CircularTally {
    /// Counts the standings and replies of the addressed units.
    pub fn of(rows: impl IntoIterator<Item = (CircularStanding, bool)>) -> CircularTally {
        let mut t = CircularTally::default();
        for (s, replied) in rows {
            t.units += 1;
            t.acknowledged += usize::from(s.acknowledged());
            t.replied += usize::from(replied);
            t.overdue += usize::from(s.overdue());
            t.escalated += usize::from(s == CircularStanding::Escalated);
        }
        t
    }
}

#[cfg(test)]
mod tests;
