//! What the duty area tells people: the kinds of notice, why people hear them, and one plain message shape
//! (a heading, an introduction, lines) that every duty notice fills in both languages.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::notify::model::{KindSpec, Mode, Reason};
use crate::notify::render::email_content;

/// A roster was published: each person hears their shifts, the unit the whole range.
pub static PUBLISHED: KindSpec = KindSpec {
    code: "duty_published",
    zh: "值班表发布",
    en: "Roster published",
    default_mode: Mode::Immediate,
    unit_choice: true,
    chat: true,
};
/// A person's shift changed (an edit, a swap, a substitution).
pub static CHANGED: KindSpec = KindSpec {
    code: "duty_changed",
    zh: "值班变动",
    en: "Duty changed",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: false,
};
/// A shift begins soon.
pub static UPCOMING: KindSpec = KindSpec {
    code: "duty_upcoming",
    zh: "值班提醒",
    en: "Duty reminder",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: false,
};
/// A swap or substitution waits for someone.
pub static CHANGE_WAITING: KindSpec = KindSpec {
    code: "duty_change_waiting",
    zh: "换班/替班待处理",
    en: "Swap waiting",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: false,
};
/// A holiday roster waits for the office's approval.
pub static APPROVAL_WAITING: KindSpec = KindSpec {
    code: "duty_approval_waiting",
    zh: "节假日值班表待审批",
    en: "Holiday roster to approve",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: false,
};
/// Shifts ahead short of people, conflicts, days not rostered.
pub static GAPS: KindSpec = KindSpec {
    code: "duty_gaps",
    zh: "排班缺口",
    en: "Roster gaps ahead",
    default_mode: Mode::Digest,
    unit_choice: true,
    chat: true,
};
/// A handover not signed in time.
pub static HANDOVER_MISSING: KindSpec = KindSpec {
    code: "duty_handover_missing",
    zh: "交接班未签字",
    en: "Handover not signed",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: true,
};

/// A presence check (查岗) asking the people on a shift to confirm.
pub static PRESENCE: KindSpec = KindSpec {
    code: "duty_presence",
    zh: "查岗",
    en: "Presence check",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: false,
};
/// A presence check not confirmed in time.
pub static PRESENCE_MISSED: KindSpec = KindSpec {
    code: "duty_presence_missed",
    zh: "查岗未确认",
    en: "Presence not confirmed",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: true,
};

/// The person on the shift concerned.
pub static ON_DUTY: Reason = Reason {
    code: "on_duty",
    zh: "值班人员",
    en: "On duty",
};
/// Someone who manages the roster's duty.
pub static DUTY_MANAGER: Reason = Reason {
    code: "duty_manager",
    zh: "值班管理人",
    en: "Duty manager",
};
/// A party to a swap or substitution.
pub static CHANGE_PARTY: Reason = Reason {
    code: "change_party",
    zh: "换班当事人",
    en: "Party to the change",
};

/// Every kind the area sends.
pub static KINDS: [&KindSpec; 9] = [
    &PUBLISHED,
    &CHANGED,
    &UPCOMING,
    &CHANGE_WAITING,
    &APPROVAL_WAITING,
    &GAPS,
    &HANDOVER_MISSING,
    &PRESENCE,
    &PRESENCE_MISSED,
];
/// Every reason people hear them.
pub static REASONS: [&Reason; 3] = [&ON_DUTY, &DUTY_MANAGER, &CHANGE_PARTY];

/// A duty notice in both languages: a subject, an introduction and lines (shifts, findings).
#[derive(Debug, Clone, Default)]
pub struct DutyMessage {
    pub subject_zh: String,
    pub subject_en: String,
    pub intro_zh: String,
    pub intro_en: String,
    pub lines_zh: Vec<String>,
    pub lines_en: Vec<String>,
}
email_content!(
    DutyMessage,
    "email/duty/subject.txt",
    "email/duty/body.txt",
    "email/duty/body.html"
);

impl DutyMessage {
    /// A message with its subject and introduction.
    pub fn new(subject: (String, String), intro: (String, String)) -> DutyMessage {
        DutyMessage {
            subject_zh: subject.0,
            subject_en: subject.1,
            intro_zh: intro.0,
            intro_en: intro.1,
            ..DutyMessage::default()
        }
    }

    /// Adds a line in both languages.
    pub fn line(mut self, zh: String, en: String) -> DutyMessage {
        self.lines_zh.push(zh);
        self.lines_en.push(en);
        self
    }
}

/// A shift's span in office time, e.g. `2026-12-01 08:30 – 12-02 08:30`.
pub fn span(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> String {
    let (s, e) = (start.with_timezone(&tz), end.with_timezone(&tz));
    format!(
        "{} – {}",
        s.format("%Y-%m-%d %H:%M"),
        e.format("%m-%d %H:%M")
    )
}
