//! Reminder sources: each area says what kinds of notice it sends and, read-only and idempotently, what is
//! due now. `app` registers the sources; the scan, the daily digest, the settings page and their validation
//! iterate them, so a new area adds reminders without touching `notify`.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::model::{KindSpec, Reason, OWN_KINDS, OWN_REASONS};
use super::service::Outgoing;
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::metrics::Metrics;

/// An area's reminders.
pub trait ReminderSource: Send + Sync {
    /// The area's name, for logs and `/metrics`.
    fn area(&self) -> &'static str;
    /// The kinds of notice the area sends (digest sections, the settings page, validation).
    fn kinds(&self) -> &'static [&'static KindSpec];
    /// Why people hear the area's notices (labels on the outbox page).
    fn reasons(&self) -> &'static [&'static Reason];
    /// Everything due, overdue or awaiting action at `now`. Read-only and idempotent: one occasion always
    /// yields the same dedupe key, so running it twice, or on three instances, enqueues once.
    fn findings(
        &self,
        conn: &mut DbConn,
        now: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> ServiceResult<Vec<Outgoing>>;
}

/// Every registered reminder source.
#[derive(Clone, Default)]
pub struct Reminders(Vec<Arc<dyn ReminderSource>>);

impl std::fmt::Debug for Reminders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let areas: Vec<_> = self.0.iter().map(|s| s.area()).collect();
        write!(f, "Reminders({areas:?})")
    }
}

impl Reminders {
    /// The sources given, in the order the digest lists them.
    pub fn new(sources: Vec<Arc<dyn ReminderSource>>) -> Reminders {
        Reminders(sources)
    }

    /// Every kind: the areas' in order, then notify's own (digest, test).
    pub fn kinds(&self) -> impl Iterator<Item = &'static KindSpec> + '_ {
        self.0
            .iter()
            .flat_map(|s| s.kinds().iter().copied())
            .chain(OWN_KINDS.iter().copied())
    }

    /// The kind with this code.
    pub fn kind(&self, code: &str) -> Option<&'static KindSpec> {
        self.kinds().find(|k| k.code == code)
    }

    /// The kinds a unit chooses how to hear.
    pub fn unit_choices(&self) -> Vec<&'static KindSpec> {
        self.kinds().filter(|k| k.unit_choice).collect()
    }

    /// The reason with this code.
    pub fn reason(&self, code: &str) -> Option<&'static Reason> {
        self.0
            .iter()
            .flat_map(|s| s.reasons().iter().copied())
            .chain(OWN_REASONS.iter().copied())
            .find(|r| r.code == code)
    }

    /// Every source's findings. A source that fails is logged and counted (`/metrics`), and the others
    /// still run.
    pub fn findings(
        &self,
        conn: &mut DbConn,
        now: DateTime<Utc>,
        tz: chrono_tz::Tz,
        metrics: &Metrics,
    ) -> Vec<Outgoing> {
        let mut all = Vec::new();
        for source in &self.0 {
            match source.findings(conn, now, tz) {
                Ok(found) => all.extend(found),
                Err(e) => {
                    tracing::error!(area = source.area(), error = %e, "a reminder source failed");
                    metrics.count_failure("reminder_source", source.area());
                }
            }
        }
        all
    }
}
