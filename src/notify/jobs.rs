//! The bodies of the notice jobs: scan every area for reminders, deliver due notices, and send each unit
//! its daily digest. Each is a plain function of the state and `now`; tests call them directly.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;

use super::model::{
    after_attempt, chat_unit, group_by_language, AfterAttempt, Recipient, RecipientState, DIGEST,
    DIGEST_READER,
};
use super::render::{DigestLine, DigestMail, DigestSection};
use super::service::{self, Outgoing};
use super::source::Reminders;
use super::store::{self, Chat, Notice, Outcome, StoredRecipient};
use crate::config::Config;
use crate::db::{db_time, write_tx};
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::mail::webhook::{message_text, Hook};
use crate::mail::{Addressee, Letter, Outcome as Answer};
use crate::state::AppState;

/// How long a claim holds before another sender may take the notice over: longer than a batch can take
/// with every send timing out (8 rounds of 30 s).
const LEASE: chrono::Duration = chrono::Duration::minutes(5);

/// Finds every area's reminders and enqueues those not yet sent; returns how many notices were new.
pub async fn scan(
    state: &AppState,
    reminders: &Reminders,
    now: DateTime<Utc>,
) -> anyhow::Result<ScanReport> {
    let (cfg, reminders, metrics) = (
        state.config.clone(),
        reminders.clone(),
        state.metrics.clone(),
    );
    Ok(state
        .db(move |c| {
            let found = reminders.findings(c, now, cfg.timezone, &metrics);
            let new = service::enqueue_each(c, &cfg, now, &found)?;
            Ok(ScanReport {
                found: found.len(),
                new,
            })
        })
        .await?)
}

/// What a scan did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScanReport {
    /// Occasions found due.
    pub found: usize,
    /// Notices enqueued (one per language group) that were not there before.
    pub new: usize,
}

impl std::fmt::Display for ScanReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} due, {} new notice(s)", self.found, self.new)
    }
}

/// What a delivery run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Notices every addressee has an answer for, at least one accepted.
    pub sent: usize,
    /// Notices with addressees still waiting; they will be tried again.
    pub retrying: usize,
    /// Notices given up on.
    pub failed: usize,
    /// Addressees the server refused.
    pub refused: usize,
}

impl std::fmt::Display for DeliveryReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} sent, {} to retry, {} failed, {} address(es) refused",
            self.sent, self.retrying, self.failed, self.refused
        )
    }
}

/// One notice's attempt: its answers per addressee and where the notice goes next.
struct Attempt {
    id: i64,
    answers: Vec<(String, RecipientState, Option<String>)>,
    next: Outcome,
}

/// A task stopped when its handle is dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl AbortOnDrop {
    /// Waits for the task to end.
    async fn finish(mut self) -> Result<(), tokio::task::JoinError> {
        (&mut self.0).await
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Sends one claimed notice to its addressees still waiting (email through the mailer, group chats through
/// their robots), and decides what follows.
async fn attempt(
    mailer: &crate::mail::Mailer,
    n: &Notice,
    recipients: &[StoredRecipient],
    chats: &[Chat],
    max_attempts: i32,
    now: DateTime<Utc>,
) -> Attempt {
    let to: Vec<Addressee> = recipients
        .iter()
        .filter(|r| chat_unit(&r.address).is_none())
        .map(|r| Addressee {
            address: r.address.clone(),
            name: r.name.clone(),
        })
        .collect();
    let (waiting_chats, waiting): (Vec<&str>, Vec<&str>) = recipients
        .iter()
        .filter(|r| r.state == RecipientState::Pending)
        .map(|r| r.address.as_str())
        .partition(|a| chat_unit(a).is_some());
    let mut outcomes: Vec<(&str, Answer)> = Vec::new();
    if !waiting.is_empty() {
        let file_name = format!("notice-{}", n.id);
        let letter = Letter {
            subject: &n.subject,
            text: &n.body_text,
            html: &n.body_html,
            message_id: &n.message_id,
            to: &to,
            file_name: &file_name,
        };
        let answers = match mailer.send(&letter, &waiting).await {
            Ok(o) => o,
            Err(e) => vec![e.into(); waiting.len()],
        };
        outcomes.extend(waiting.iter().copied().zip(answers));
    }
    for address in waiting_chats {
        let chat = chats.iter().find(|c| Some(c.unit_id) == chat_unit(address));
        let answer = match chat {
            Some(c) => {
                let hook = Hook {
                    flavour: c.flavour,
                    url: c.url.clone(),
                    secret: c.secret.clone(),
                };
                let text = message_text(c.flavour, &n.subject, &n.body_text, &n.link);
                mailer.robots.post(hook, text).await
            }
            None => Answer::Refused("the unit's group chat has been removed".into()),
        };
        outcomes.push((address, answer));
    }
    let mut last_error = None;
    let answers: Vec<(String, RecipientState, Option<String>)> = outcomes
        .into_iter()
        .map(|(address, o)| {
            let (state, error) = match o {
                Answer::Accepted => (RecipientState::Sent, None),
                Answer::Refused(e) => (RecipientState::Refused, Some(e)),
                Answer::Deferred(e) => (RecipientState::Pending, Some(e)),
            };
            if let Some(e) = &error {
                tracing::warn!(notice = n.id, address, error = %e, "an addressee did not get a notice");
                last_error = Some(format!("{address}: {e}"));
            }
            (address.to_string(), state, error)
        })
        .collect();
    let states: Vec<RecipientState> = recipients
        .iter()
        .map(|r| {
            answers
                .iter()
                .find(|(a, _, _)| *a == r.address)
                .map_or(r.state, |(_, s, _)| *s)
        })
        .collect();
    let error = last_error.unwrap_or_default();
    let next = match after_attempt(&states, n.attempts, max_attempts, now) {
        AfterAttempt::Sent => Outcome::Sent,
        AfterAttempt::RetryAt(t) => Outcome::Retry(db_time(t), error),
        AfterAttempt::Failed if error.is_empty() => {
            Outcome::Failed("no addressee could be reached".into())
        }
        AfterAttempt::Failed => Outcome::Failed(error),
    };
    Attempt {
        id: n.id,
        answers,
        next,
    }
}

/// Sends every due notice: claims a batch with a lease, sends it outside any transaction (as many at once as
/// the SMTP pool allows), and records each message's answers as soon as the server has given them (several
/// finished messages in one short transaction), so a crash repeats at most the messages then in flight.
/// Goes on until nothing is due.
pub async fn deliver(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<DeliveryReport> {
    let started = Instant::now();
    let at = move || now + chrono::Duration::from_std(started.elapsed()).unwrap_or_default();
    let mut report = DeliveryReport::default();
    let owner = state.instance.to_string();
    let mailer = state.mailer.clone();
    let batch = (mailer.concurrency * 8).max(8) as i64;
    let max_attempts = state.config.mail.max_attempts;
    loop {
        let (who, claim_at) = (owner.clone(), at());
        let (notices, recipients, chats) = state
            .db(move |c| {
                let notices = write_tx(c, |c| {
                    store::claim(c, &who, db_time(claim_at), db_time(claim_at + LEASE), batch)
                })?;
                let ids: Vec<i64> = notices.iter().map(|n| n.id).collect();
                let recipients = store::recipients_of(c, &ids)?;
                let units: Vec<i64> = recipients
                    .iter()
                    .filter_map(|r| chat_unit(&r.address))
                    .collect();
                let chats = store::chats_of(c, &units)?;
                Ok((notices, recipients, chats))
            })
            .await
            .context("claiming due notices")?;
        if notices.is_empty() {
            break;
        }
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        // Stopped with this run: a delivery cancelled mid-way (the process is shutting down) sends no more.
        let sender = AbortOnDrop({
            let mailer = mailer.clone();
            tokio::spawn(async move {
                let concurrency = mailer.concurrency.max(1);
                let mut sends = futures_util::stream::iter(notices.into_iter().map(|n| {
                    let mine: Vec<StoredRecipient> = recipients
                        .iter()
                        .filter(|r| r.notice_id == n.id)
                        .cloned()
                        .collect();
                    let (mailer, chats) = (mailer.clone(), chats.clone());
                    async move { attempt(&mailer, &n, &mine, &chats, max_attempts, at()).await }
                }))
                .buffer_unordered(concurrency);
                while let Some(done) = sends.next().await {
                    if tx.send(done).is_err() {
                        break;
                    }
                }
            })
        });
        while let Some(first) = rx.recv().await {
            let mut done = vec![first];
            while let Ok(more) = rx.try_recv() {
                done.push(more);
            }
            for a in &done {
                report.refused += a
                    .answers
                    .iter()
                    .filter(|(_, s, _)| *s == RecipientState::Refused)
                    .count();
                match a.next {
                    Outcome::Sent => report.sent += 1,
                    Outcome::Retry(..) => report.retrying += 1,
                    Outcome::Failed(_) => report.failed += 1,
                }
            }
            let (who, when) = (owner.clone(), db_time(at()));
            state
                .db(move |c| {
                    write_tx(c, |c| {
                        for a in &done {
                            let held = store::record_recipients(c, a.id, &who, when, &a.answers)?
                                && store::finish(c, a.id, &who, when, &a.next)?;
                            if !held {
                                tracing::warn!(
                                    notice = a.id,
                                    "lease lost before the outcome was recorded"
                                );
                            }
                        }
                        Ok(())
                    })
                })
                .await
                .context("recording delivery outcomes")?;
        }
        sender.finish().await.context("the sending task")?;
    }
    Ok(report)
}

/// Sends each unit its daily digest of what is due, overdue and awaiting action: to its contact addresses
/// and its people who have not opted out. Units with nothing to report get no email. Returns how many
/// digests were enqueued.
pub async fn digest(
    state: &AppState,
    reminders: &Reminders,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let (cfg, reminders, metrics) = (
        state.config.clone(),
        reminders.clone(),
        state.metrics.clone(),
    );
    Ok(state
        .db(move |c| {
            let found = reminders.findings(c, now, cfg.timezone, &metrics);
            let mut by_unit: BTreeMap<i64, Vec<&Outgoing>> = BTreeMap::new();
            for f in &found {
                if let Some(u) = f.unit_id {
                    by_unit.entry(u).or_default().push(f);
                }
            }
            let day = crate::clock::today(now, cfg.timezone);
            let reachable = crate::org::store::reachable_people(c)?;
            let mut outs = Vec::new();
            for (unit_id, items) in by_unit {
                let Some(unit) = crate::org::store::find_unit(c, unit_id)?.filter(|u| u.active)
                else {
                    continue;
                };
                let mut recipients = service::unit_contacts(c, unit_id)?;
                recipients.extend(
                    reachable
                        .iter()
                        .filter(|p| p.unit_id == unit_id && !p.digest_opt_out)
                        .map(|p| Recipient {
                            address: p.email.clone(),
                            name: p.name.clone(),
                            person_id: Some(p.person_id),
                            reason: &DIGEST_READER,
                            lang: p.lang,
                        }),
                );
                for (lang, group) in group_by_language(recipients) {
                    let content = digest_mail(&cfg, &reminders, &unit.name, day, &items, lang)?;
                    outs.push(Outgoing {
                        kind: &DIGEST,
                        key: format!("digest:{unit_id}:{day}"),
                        unit_id: Some(unit_id),
                        path: "/".into(),
                        people: Vec::new(),
                        to_unit: false,
                        addresses: group,
                        content: Box::new(content),
                    });
                }
            }
            service::enqueue_each(c, &cfg, now, &outs)
        })
        .await?)
}

fn digest_mail(
    cfg: &Config,
    reminders: &Reminders,
    unit: &str,
    day: chrono::NaiveDate,
    items: &[&Outgoing],
    lang: Lang,
) -> ServiceResult<DigestMail> {
    let mut sections: Vec<DigestSection> = Vec::new();
    for kind in reminders.kinds() {
        let mut lines = Vec::new();
        for f in items.iter().filter(|f| f.kind.code == kind.code) {
            let link = format!("{}{}", cfg.base_url, f.path);
            let r = f.content.render(lang, &link).map_err(|e| {
                crate::error::ServiceError::Internal(format!("email template: {e}"))
            })?;
            lines.push(DigestLine {
                text: r.subject,
                link,
            });
        }
        if !lines.is_empty() {
            sections.push(DigestSection {
                title: kind.label(lang).into(),
                lines,
            });
        }
    }
    Ok(DigestMail {
        unit: unit.into(),
        day: day.to_string(),
        total: items.len(),
        sections,
    })
}
