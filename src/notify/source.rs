//! Reminder sources: each area says what kinds of notice it sends and, read-only and idempotently, what is
//! due now. `app` registers the sources; the scan, the daily digest, the settings page and their validation
//! iterate them, so a new area adds reminders without touching `notify`.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::model::{KindSpec, Reason, OWN_KINDS, OWN_REASONS};
use super::service::Outgoing;
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::metrics::{Gauge, Metrics};

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
    /// What the area reports in `/metrics` at each scan (none by default). Read-only.
    fn gauges(
        &self,
        _conn: &mut DbConn,
        _now: DateTime<Utc>,
        _tz: chrono_tz::Tz,
    ) -> ServiceResult<Vec<Gauge>> {
        Ok(Vec::new())
    }
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
            match source.gauges(conn, now, tz) {
                Ok(gauges) => metrics.set_gauges(source.area(), gauges),
                Err(e) => {
                    tracing::error!(area = source.area(), error = %e, "an area's gauges failed");
                    metrics.count_failure("gauges", source.area());
                }
            }
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceError;
    use crate::notify::model::{Mode, CONTACT};
    use diesel::Connection;

    static ONE: KindSpec = KindSpec {
        code: "one",
        zh: "一",
        en: "One",
        default_mode: Mode::Digest,
        unit_choice: true,
        chat: false,
    };

    static KINDS: [&KindSpec; 1] = [&ONE];

    struct Broken;
    struct Working;

    impl ReminderSource for Broken {
        fn area(&self) -> &'static str {
            "broken"
        }
        fn kinds(&self) -> &'static [&'static KindSpec] {
            &[]
        }
        fn reasons(&self) -> &'static [&'static Reason] {
            &[]
        }
        fn findings(
            &self,
            _: &mut DbConn,
            _: DateTime<Utc>,
            _: chrono_tz::Tz,
        ) -> ServiceResult<Vec<Outgoing>> {
            Err(ServiceError::Internal("a query failed".into()))
        }
    }

    impl ReminderSource for Working {
        fn area(&self) -> &'static str {
            "working"
        }
        fn kinds(&self) -> &'static [&'static KindSpec] {
            &KINDS
        }
        fn reasons(&self) -> &'static [&'static Reason] {
            &[]
        }
        fn findings(
            &self,
            _: &mut DbConn,
            _: DateTime<Utc>,
            _: chrono_tz::Tz,
        ) -> ServiceResult<Vec<Outgoing>> {
            Ok(vec![Outgoing {
                kind: &ONE,
                key: "one:1".into(),
                unit_id: None,
                path: "/".into(),
                people: Vec::new(),
                to_unit: false,
                addresses: Vec::new(),
                content: Box::new(crate::notify::render::TestMail {
                    unit: String::new(),
                    by: String::new(),
                    at: String::new(),
                }),
            }])
        }
    }

    #[test]
    fn a_failing_source_is_counted_and_the_others_still_run() {
        let mut conn = DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        let metrics = Metrics::default();
        let reminders = Reminders::new(vec![Arc::new(Broken), Arc::new(Working)]);
        let found = reminders.findings(&mut conn, Utc::now(), chrono_tz::Asia::Shanghai, &metrics);
        assert_eq!(found.len(), 1, "the working source's finding");
        assert_eq!(metrics.failures("reminder_source", "broken"), 1);
        assert_eq!(metrics.failures("reminder_source", "working"), 0);
    }

    #[test]
    fn kinds_and_reasons_are_found_by_code_across_areas_and_notify() {
        let reminders = Reminders::new(vec![Arc::new(Working)]);
        assert_eq!(reminders.kind("one").map(|k| k.en), Some("One"));
        assert_eq!(reminders.kind("digest").map(|k| k.code), Some("digest"));
        assert!(reminders.kind("nothing").is_none());
        assert_eq!(reminders.unit_choices().len(), 1);
        assert_eq!(
            reminders.reason("contact").map(|r| r.code),
            Some(CONTACT.code)
        );
    }
}
