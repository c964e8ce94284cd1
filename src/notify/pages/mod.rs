//! Notice pages: the outbox for administrators (filters, retry, cancel), each unit's settings with a test
//! email, and each account's own notices with the digest choice.

mod mine;
mod outbox;
mod settings;

use actix_web::web;

use super::model::{check_cancel, check_retry, Kind, NoticeState, Reason};
use super::service::NoticeView;
use crate::i18n::Lang;
use crate::web::context::local_time;

/// Registers the pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    outbox::routes(cfg);
    mine::routes(cfg);
    settings::routes(cfg);
}

/// A notice as a page row.
pub(super) struct Row {
    pub(super) id: i64,
    pub(super) created: String,
    pub(super) kind: String,
    pub(super) subject: String,
    pub(super) to: String,
    pub(super) state: String,
    pub(super) state_label: String,
    pub(super) attempts: i32,
    pub(super) error: String,
    pub(super) sent: String,
    pub(super) can_retry: bool,
    pub(super) can_cancel: bool,
}

pub(super) fn rows(views: Vec<NoticeView>, lang: Lang, tz: chrono_tz::Tz) -> Vec<Row> {
    views
        .into_iter()
        .map(|v| {
            let n = v.notice;
            let state = NoticeState::parse(&n.state).ok();
            Row {
                id: n.id,
                created: local_time(&n.created_at, tz),
                kind: Kind::parse(&n.kind)
                    .map(|k| k.label(lang).to_string())
                    .unwrap_or(n.kind),
                subject: n.subject,
                to: v
                    .recipients
                    .iter()
                    .map(|r| {
                        let why = Reason::parse(&r.reason)
                            .map(|x| x.label(lang))
                            .unwrap_or("");
                        format!("{} ({why})", r.address)
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                state_label: state.map(|s| s.label(lang)).unwrap_or("").to_string(),
                state: n.state,
                attempts: n.attempts,
                error: n.last_error.unwrap_or_default(),
                sent: n.sent_at.map(|t| local_time(&t, tz)).unwrap_or_default(),
                can_retry: state.is_some_and(|s| check_retry(s).is_ok()),
                can_cancel: state.is_some_and(|s| check_cancel(s).is_ok()),
            }
        })
        .collect()
}
