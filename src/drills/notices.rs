//! What the drills area tells people by email: one shape for reminders, escalations and the report to a
//! supervising department (a title, what to do, and the facts as label/value lines).

use crate::notify::model::{KindSpec, Mode, Reason};
use crate::notify::render::email_content;

/// A drill is due within 30 or 7 days, or overdue; a plan's revision is due.
pub static DRILL_DUE: KindSpec = KindSpec {
    code: "drill_due",
    zh: "应急演练到期",
    en: "Drill due",
    default_mode: Mode::Immediate,
    unit_choice: true,
    chat: true,
};

/// A scheme awaits approval; an annual plan awaits the office.
pub static DRILL_WAITING: KindSpec = KindSpec {
    code: "drill_waiting",
    zh: "演练待审批",
    en: "Drill awaiting approval",
    default_mode: Mode::Immediate,
    unit_choice: true,
    chat: false,
};

/// A corrective action is due within 7 days or overdue (escalating).
pub static DRILL_ACTION_DUE: KindSpec = KindSpec {
    code: "drill_action_due",
    zh: "演练整改到期",
    en: "Corrective action due",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: false,
};

/// Evidence of a corrective action has waited for verification (to the drill's coordinator and head).
pub static DRILL_ACTION_VERIFY: KindSpec = KindSpec {
    code: "drill_action_verify",
    zh: "演练整改待验证",
    en: "Corrective action awaiting verification",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: false,
};

/// A drill's report to the supervising department.
pub static DRILL_REPORT: KindSpec = KindSpec {
    code: "drill_report",
    zh: "演练情况报告",
    en: "Drill report",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: false,
};

/// Someone who manages the unit's drills.
pub static COORDINATOR: Reason = Reason {
    code: "drill_coordinator",
    zh: "演练负责人",
    en: "Drill coordinator",
};
/// The owner of a corrective action.
pub static OWNER: Reason = Reason {
    code: "drill_action_owner",
    zh: "整改责任人",
    en: "Action owner",
};
/// Someone who may verify a corrective action (the drill's coordinator or unit head).
pub static VERIFIER: Reason = Reason {
    code: "drill_action_verifier",
    zh: "整改验证人",
    en: "Action verifier",
};
/// The owner's unit head (escalation).
pub static OWNER_HEAD: Reason = Reason {
    code: "drill_action_head",
    zh: "责任单位负责人",
    en: "Owner's unit head",
};
/// Office staff (escalation; annual plans to approve).
pub static OFFICE: Reason = Reason {
    code: "drill_office",
    zh: "安委办",
    en: "Office",
};
/// The supervising department receiving a report.
pub static SUPERVISOR: Reason = Reason {
    code: "drill_supervisor",
    zh: "行业主管部门",
    en: "Supervising department",
};

/// A notice of the drills area.
#[derive(Debug, Clone)]
pub struct DrillNotice {
    pub title_zh: String,
    pub title_en: String,
    pub todo_zh: String,
    pub todo_en: String,
    /// (Chinese label, English label, value).
    pub facts: Vec<(&'static str, &'static str, String)>,
}
email_content!(
    DrillNotice,
    "email/drills/subject.txt",
    "email/drills/body.txt",
    "email/drills/body.html"
);
