//! The bodies of the notice jobs: scan for reminders, deliver due notices, the daily digest, and the nightly
//! ledger verification. Each is a plain function of the state and `now`; tests call them directly.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;

use super::mail::SendError;
use super::model::{after_failure, group_by_language, AfterFailure, Kind, Reason, Recipient};
use super::render::{DigestLine, DigestMail, DigestSection};
use super::service::{self, Outgoing};
use super::store::{self, Outcome};
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::web::AppState;

/// How long a claim holds before another sender may take the notice over: longer than a batch can take
/// with every send timing out (8 rounds of 30 s).
const LEASE: chrono::Duration = chrono::Duration::minutes(5);

/// Everything due, overdue or awaiting action right now, from every area (each area adds its rules here).
pub fn findings(
    conn: &mut DbConn,
    cfg: &Config,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Outgoing>> {
    crate::inventory::notices::findings(conn, cfg, now)
}

/// Finds reminders and enqueues those not yet sent; returns how many notices were new.
pub async fn scan(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let cfg = state.config.clone();
    Ok(state
        .db(move |c| {
            let found = findings(c, &cfg, now)?;
            service::enqueue_each(c, &cfg, now, &found)
        })
        .await?)
}

/// What a delivery run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Accepted by the server.
    pub sent: usize,
    /// Failed for now; will be tried again.
    pub retrying: usize,
    /// Given up on.
    pub failed: usize,
}

/// Sends every due notice: claims a batch with a lease, sends it outside any transaction (as many at once
/// as the SMTP pool allows), records the outcomes, and goes on until nothing is due.
pub async fn deliver(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<DeliveryReport> {
    let started = Instant::now();
    let mut report = DeliveryReport::default();
    let owner = state.instance.to_string();
    let mailer = state.mailer.clone();
    let batch = (mailer.concurrency * 8).max(8) as i64;
    let max_attempts = state.config.mail.max_attempts;
    loop {
        let at = now + chrono::Duration::from_std(started.elapsed()).unwrap_or_default();
        let who = owner.clone();
        let claimed = state
            .db(move |c| {
                let notices = write_tx(c, |c| {
                    store::claim(c, &who, db_time(at), db_time(at + LEASE), batch)
                })?;
                let ids: Vec<i64> = notices.iter().map(|n| n.id).collect();
                let recipients = store::recipients_of(c, &ids)?;
                Ok((notices, recipients))
            })
            .await
            .context("claiming due notices")?;
        let (notices, recipients) = claimed;
        if notices.is_empty() {
            break;
        }
        let results: Vec<(i64, i32, Result<(), SendError>)> =
            futures_util::stream::iter(notices.into_iter().map(|n| {
                let mine: Vec<_> = recipients
                    .iter()
                    .filter(|r| r.notice_id == n.id)
                    .cloned()
                    .collect();
                let mailer = mailer.clone();
                async move {
                    let result = mailer.send(&n, &mine).await;
                    (n.id, n.attempts, result)
                }
            }))
            .buffer_unordered(mailer.concurrency.max(1))
            .collect()
            .await;
        let done = now + chrono::Duration::from_std(started.elapsed()).unwrap_or_default();
        let mut outcomes = Vec::with_capacity(results.len());
        for (id, attempts, result) in results {
            let outcome = match result {
                Ok(()) => {
                    report.sent += 1;
                    Outcome::Sent
                }
                Err(e) => {
                    let permanent = matches!(e, SendError::Permanent(_));
                    tracing::warn!(notice = id, attempts, error = %e, "sending a notice failed");
                    match after_failure(attempts, max_attempts, permanent, done) {
                        AfterFailure::RetryAt(t) => {
                            report.retrying += 1;
                            Outcome::Retry(db_time(t), e.to_string())
                        }
                        AfterFailure::GiveUp => {
                            report.failed += 1;
                            Outcome::Failed(e.to_string())
                        }
                    }
                }
            };
            outcomes.push((id, outcome));
        }
        let who = owner.clone();
        state
            .db(move |c| {
                write_tx(c, |c| {
                    for (id, outcome) in &outcomes {
                        if !store::finish(c, *id, &who, db_time(done), outcome)? {
                            tracing::warn!(
                                notice = id,
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
    Ok(report)
}

/// Sends each unit its daily digest of what is due, overdue and awaiting action: to its contact addresses
/// and its people who have not opted out. Units with nothing to report get no email. Returns how many
/// digests were enqueued.
pub async fn digest(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let cfg = state.config.clone();
    Ok(state
        .db(move |c| {
            let found = findings(c, &cfg, now)?;
            let mut by_unit: BTreeMap<i64, Vec<&Outgoing>> = BTreeMap::new();
            for f in &found {
                if let Some(u) = f.unit_id {
                    by_unit.entry(u).or_default().push(f);
                }
            }
            let day = crate::inventory::service::today(now, cfg.timezone);
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
                            reason: Reason::Digest,
                            lang: p.lang,
                        }),
                );
                for (lang, group) in group_by_language(recipients) {
                    let content = digest_mail(&cfg, &unit.name, day, &items, lang)?;
                    outs.push(Outgoing {
                        kind: Kind::Digest,
                        key: format!("digest:{unit_id}:{day}"),
                        unit_id: Some(unit_id),
                        path: "/reserves".into(),
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
    unit: &str,
    day: chrono::NaiveDate,
    items: &[&Outgoing],
    lang: Lang,
) -> ServiceResult<DigestMail> {
    let mut sections: Vec<DigestSection> = Vec::new();
    for kind in Kind::ALL {
        let mut lines = Vec::new();
        for f in items.iter().filter(|f| f.kind == *kind) {
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

/// Re-checks every ledger (balances against movements, hash chains) and tells the district's
/// administrators of any mismatch, once per day.
pub async fn verify_ledgers(
    state: &AppState,
    now: DateTime<Utc>,
) -> anyhow::Result<crate::inventory::service::verify::VerifyReport> {
    let cfg = state.config.clone();
    Ok(state
        .db(move |c| {
            let warehouses = crate::inventory::store::warehouses::all(c)?;
            let report = crate::inventory::service::verify::verify(c, &warehouses)?;
            if !report.ok() {
                tracing::error!(
                    breaks = report.chain_breaks.len(),
                    differences = report.differences.len(),
                    "ledger verification found mismatches"
                );
                let day = crate::inventory::service::today(now, cfg.timezone);
                let out = crate::inventory::notices::ledger_mismatch(c, &report, day)?;
                service::enqueue_each(c, &cfg, now, &[out])?;
            }
            Ok(report)
        })
        .await?)
}
