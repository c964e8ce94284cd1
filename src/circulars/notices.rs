//! What a circular's emails say and to whom: the circular itself, the reminder when the deadline passed,
//! the word to the unit's head. Every one carries the unit's signed 签收 link (its link) and the
//! circular's page.

use chrono::{DateTime, Utc};

use crate::circulars::model::{ack_path, paragraphs, AckClaim, CircularReplyMode, CircularUrgency};
use crate::circulars::store::Circular;
use crate::circulars::Area;
use crate::i18n::Lang;
use crate::notify::model::{KindSpec, Mode, Reason};
use crate::notify::render::email_content;
use crate::notify::service::{unit_contacts, Outgoing};
use crate::org::model::Role;
use crate::org::store::Reachable;

/// A circular to acknowledge (and answer).
pub static CIRCULAR: KindSpec = KindSpec {
    code: "circular",
    zh: "通知（待签收）",
    en: "Circular to acknowledge",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: true,
};

/// Not acknowledged by the deadline: reminded, then the head told.
pub static CIRCULAR_OVERDUE: KindSpec = KindSpec {
    code: "circular_overdue",
    zh: "通知逾期未签收",
    en: "Circular not acknowledged",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: true,
};

/// Someone who holds the role the sender chose in the unit.
pub static ADDRESSEE: Reason = Reason {
    code: "circular_addressee",
    zh: "通知接收人",
    en: "Addressee",
};
/// The unit's head, told the unit has not acknowledged.
pub static HEAD: Reason = Reason {
    code: "circular_head",
    zh: "单位负责人（逾期告知）",
    en: "Unit head (overdue)",
};

/// Which of a circular's emails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    /// Issued.
    Issued,
    /// Reminded (by the sender, or the deadline passed).
    Reminder,
    /// The head told.
    Escalated,
}

/// A circular as an email tells it.
#[derive(Debug, Clone)]
pub struct CircularMail {
    pub occasion: Occasion,
    pub title: String,
    pub from_unit: String,
    pub unit: String,
    pub urgency_zh: &'static str,
    pub urgency_en: &'static str,
    pub urgent: bool,
    /// The deadline, office time.
    pub due: String,
    pub paragraphs: Vec<String>,
    pub files: Vec<String>,
    pub reply_zh: &'static str,
    pub reply_en: &'static str,
    pub fields: String,
    /// The circular's page (a path).
    pub page_path: String,
    /// The 签收 link's path (the notice's own link is the absolute 签收 link).
    pub ack_path: String,
}

impl CircularMail {
    /// The circular's page as an absolute link, from the notice's (absolute) 签收 link.
    pub fn page(&self, link: &str) -> String {
        let base = link.strip_suffix(&self.ack_path).unwrap_or(link);
        format!("{base}{}", self.page_path)
    }

    /// A reply is asked.
    pub fn asks_reply(&self) -> bool {
        !self.reply_zh.is_empty()
    }
}

email_content!(
    CircularMail,
    "email/circular/subject.txt",
    "email/circular/body.txt",
    "email/circular/body.html"
);

/// What the emails of `c` to `unit` say.
#[allow(clippy::too_many_arguments)]
pub fn mail(
    area: &Area,
    c: &Circular,
    from_unit: &str,
    (unit_id, unit): (i64, &str),
    fields: &[String],
    files: &[String],
    occasion: Occasion,
    tz: chrono_tz::Tz,
) -> CircularMail {
    let due: DateTime<Utc> = c.ack_due.and_utc();
    let token = area
        .key
        .sign(AckClaim::until(c.id, unit_id, due, area.settings.link_days));
    let (reply_zh, reply_en) = match c.reply_mode {
        CircularReplyMode::None => ("", ""),
        CircularReplyMode::Text => (
            "请登录系统填写回执（可附文件）。",
            "Sign in to send the reply (a file may be attached).",
        ),
        CircularReplyMode::Fields => ("请登录系统填写回执：", "Sign in to send the reply: "),
    };
    CircularMail {
        occasion,
        title: c.title.clone(),
        from_unit: from_unit.to_string(),
        unit: unit.to_string(),
        urgency_zh: c.urgency.label(Lang::Zh),
        urgency_en: c.urgency.label(Lang::En),
        urgent: c.urgency != CircularUrgency::Routine,
        due: crate::web::context::local_time(&c.ack_due, tz),
        paragraphs: paragraphs(&c.body),
        files: files.to_vec(),
        reply_zh,
        reply_en,
        fields: fields.join("、"),
        page_path: format!("/circulars/{}", c.id),
        ack_path: ack_path(&token),
    }
}

/// The people of `people` who hold `role` in `unit` itself (a grant on that unit, not above it).
pub fn holders(people: &[Reachable], role: Role, unit: i64) -> Vec<i64> {
    let mut out: Vec<i64> = people
        .iter()
        .filter(|p| {
            p.grants
                .iter()
                .any(|g| g.role == role && g.unit_id == Some(unit))
        })
        .map(|p| p.person_id)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The notice telling `unit` of `c`: its contact addresses and the people with the chosen role (the head,
/// for an escalation), and its group chat when it has one; `key` names the occasion.
pub fn outgoing(
    conn: &mut crate::db::DbConn,
    people: &[Reachable],
    text: CircularMail,
    c: &Circular,
    unit: i64,
    key: String,
) -> crate::error::ServiceResult<Outgoing> {
    let (kind, reason, role) = match text.occasion {
        Occasion::Issued => (
            &CIRCULAR,
            &ADDRESSEE,
            Role::parse(&c.notify_role).unwrap_or(Role::UnitHead),
        ),
        Occasion::Reminder => (
            &CIRCULAR_OVERDUE,
            &ADDRESSEE,
            Role::parse(&c.notify_role).unwrap_or(Role::UnitHead),
        ),
        Occasion::Escalated => (&CIRCULAR_OVERDUE, &HEAD, Role::UnitHead),
    };
    let told = holders(people, role, unit);
    // The head, when the unit has one who can be reached; else the unit's contacts hear it again.
    let addresses = if text.occasion == Occasion::Escalated && !told.is_empty() {
        Vec::new()
    } else {
        unit_contacts(conn, unit)?
    };
    Ok(Outgoing {
        kind,
        key,
        unit_id: Some(unit),
        path: text.ack_path.clone(),
        people: told.into_iter().map(|p| (p, reason)).collect(),
        to_unit: false,
        addresses,
        content: Box::new(text),
    })
}
