//! Notice pages: the outbox for administrators (filters, retry, cancel), each unit's settings with a test
//! email, and each account's own notices with the digest choice.

mod mine;
mod outbox;
mod settings;

use actix_web::web;

use super::model::{check_cancel, check_retry, NoticeState, RecipientState};
use super::service::NoticeView;
use super::source::Reminders;
use crate::i18n::Lang;
use crate::web::context::local_time;

/// Registers the pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    outbox::routes(cfg);
    mine::routes(cfg);
    settings::routes(cfg);
}

/// One addressee as the pages show it.
pub(super) struct Addressee {
    pub(super) address: String,
    pub(super) reason: &'static str,
    pub(super) state: RecipientState,
    pub(super) state_label: &'static str,
    /// Refused or given up on.
    pub(super) undelivered: bool,
    pub(super) error: String,
}

/// A notice as a page row.
pub(super) struct Row {
    pub(super) id: i64,
    pub(super) created: String,
    pub(super) kind: String,
    pub(super) subject: String,
    pub(super) to: String,
    pub(super) recipients: Vec<Addressee>,
    /// How many addressees the server refused.
    pub(super) refused: usize,
    pub(super) state: NoticeState,
    pub(super) state_label: &'static str,
    pub(super) attempts: i32,
    pub(super) error: String,
    pub(super) sent: String,
    pub(super) can_retry: bool,
    pub(super) can_cancel: bool,
}

impl Row {
    /// Whether the notice is in the state with this code (for the templates).
    pub(super) fn is(&self, code: &str) -> bool {
        self.state.code() == code
    }
}

pub(super) fn rows(
    views: Vec<NoticeView>,
    reminders: &Reminders,
    lang: Lang,
    tz: chrono_tz::Tz,
) -> Vec<Row> {
    views
        .into_iter()
        .map(|v| {
            let n = v.notice;
            let recipients: Vec<Addressee> = v
                .recipients
                .into_iter()
                .map(|r| Addressee {
                    reason: reminders.reason(&r.reason).map_or("", |x| x.label(lang)),
                    state_label: r.state.label(lang),
                    undelivered: matches!(
                        r.state,
                        RecipientState::Refused | RecipientState::Failed
                    ),
                    state: r.state,
                    error: r.error.unwrap_or_default(),
                    address: r.address,
                })
                .collect();
            let undelivered = recipients.iter().any(|r| r.state != RecipientState::Sent);
            Row {
                id: n.id,
                created: local_time(&n.created_at, tz),
                kind: reminders
                    .kind(&n.kind)
                    .map_or(n.kind, |k| k.label(lang).to_string()),
                subject: n.subject,
                to: recipients
                    .iter()
                    .map(|r| format!("{} ({})", r.address, r.reason))
                    .collect::<Vec<_>>()
                    .join(", "),
                refused: recipients
                    .iter()
                    .filter(|r| r.state == RecipientState::Refused)
                    .count(),
                recipients,
                state_label: n.state.label(lang),
                state: n.state,
                attempts: n.attempts,
                error: n.last_error.unwrap_or_default(),
                sent: n.sent_at.map(|t| local_time(&t, tz)).unwrap_or_default(),
                can_retry: check_retry(n.state, undelivered).is_ok(),
                can_cancel: check_cancel(n.state).is_ok(),
            }
        })
        .collect()
}
