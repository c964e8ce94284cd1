//! Scheduled jobs: their schedules, the slot guard that lets one instance run a tick, and the wiring into
//! tokio-cron-scheduler. Each job body is a plain `async fn(&AppState, now)` that tests call directly.

mod store;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use croner::parser::{CronParser, Seconds};
use croner::Cron;

use crate::web::AppState;

/// A six-field cron schedule (seconds first), checked when the settings are read.
#[derive(Clone)]
pub struct CronSpec {
    text: String,
    cron: Cron,
}

impl std::fmt::Debug for CronSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CronSpec({})", self.text)
    }
}

impl CronSpec {
    /// Parses `sec min hour day month weekday`; day-of-month and weekday must both match when both are given.
    pub fn parse(text: &str) -> Result<CronSpec, String> {
        if text.split_whitespace().count() < 6 {
            return Err(format!(
                "`{text}` needs six fields, seconds first (e.g. `0 0 8 * * *` for 08:00 every day)"
            ));
        }
        let cron = parser()
            .parse(text)
            .map_err(|e| format!("`{text}` is not a cron schedule: {e}"))?;
        Ok(CronSpec {
            text: text.to_string(),
            cron,
        })
    }

    /// The schedule as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The tick a run at `now` belongs to: the latest scheduled instant at or before `now` (office time).
    /// Every instance that fires for the same tick names the same slot.
    pub fn slot(&self, now: DateTime<Utc>, tz: chrono_tz::Tz) -> DateTime<Utc> {
        use chrono::SubsecRound;
        // Whole seconds: croner matches a time by its fields, so 08:00:00.4 would be its own slot.
        let now = now.trunc_subsecs(0);
        self.cron
            .find_previous_occurrence(&now.with_timezone(&tz), true)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now)
    }
}

fn parser() -> CronParser {
    // The same settings tokio-cron-scheduler parses with, so a schedule accepted here runs there.
    CronParser::builder()
        .seconds(Seconds::Required)
        .dom_and_dow(true)
        .build()
}

/// The jobs the scheduler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobName {
    /// Finds due reminders and enqueues notices.
    Scan,
    /// Sends due notices.
    Deliver,
    /// Sends each unit's daily digest.
    Digest,
    /// Re-checks the ledgers and tells administrators about any mismatch.
    Verify,
    /// Forgets stale sign-in failures and old job slots.
    Prune,
}

impl JobName {
    /// Every job.
    pub const ALL: [JobName; 5] = [
        JobName::Scan,
        JobName::Deliver,
        JobName::Digest,
        JobName::Verify,
        JobName::Prune,
    ];

    /// The name used in logs, the slot table and `standby job`.
    pub fn code(self) -> &'static str {
        match self {
            JobName::Scan => "scan",
            JobName::Deliver => "deliver",
            JobName::Digest => "digest",
            JobName::Verify => "verify",
            JobName::Prune => "prune",
        }
    }

    /// Reads a job name.
    pub fn parse(s: &str) -> Option<JobName> {
        JobName::ALL.into_iter().find(|j| j.code() == s)
    }

    /// The configured schedule, if the job is on.
    pub fn schedule(self, config: &crate::config::Config) -> Option<&CronSpec> {
        let j = &config.jobs;
        match self {
            JobName::Scan => j.scan.as_ref(),
            JobName::Deliver => j.deliver.as_ref(),
            JobName::Digest => j.digest.as_ref(),
            JobName::Verify => j.verify.as_ref(),
            JobName::Prune => j.prune.as_ref(),
        }
    }

    /// Whether only one instance may run a tick. Delivery runs everywhere: its claims share the work.
    fn guarded(self) -> bool {
        self != JobName::Deliver
    }
}

/// Runs a job's body once at `now`, whatever its schedule (the command line and tests).
pub async fn run(state: &AppState, job: JobName, now: DateTime<Utc>) -> anyhow::Result<String> {
    use crate::notify::jobs;
    Ok(match job {
        JobName::Scan => format!("{:?}", jobs::scan(state, now).await?),
        JobName::Deliver => format!("{:?}", jobs::deliver(state, now).await?),
        JobName::Digest => format!("{:?}", jobs::digest(state, now).await?),
        JobName::Verify => format!("{:?}", jobs::verify_ledgers(state, now).await?),
        JobName::Prune => format!("{:?}", prune(state, now).await?),
    })
}

/// One scheduled tick: claims the tick's slot (guarded jobs) and runs the job if this instance won it.
/// Returns `None` when another instance has the slot.
pub async fn tick(
    state: &AppState,
    job: JobName,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<String>> {
    if job.guarded() {
        if let Some(spec) = job.schedule(&state.config) {
            let slot = spec.slot(now, state.config.timezone);
            let owner = state.instance.clone();
            let won = state
                .db(move |c| {
                    Ok(store::claim_slot(
                        c,
                        job.code(),
                        crate::db::db_time(slot),
                        &owner,
                        crate::db::db_time(now),
                    )?)
                })
                .await?;
            if !won {
                tracing::debug!(job = job.code(), %slot, "another instance runs this tick");
                return Ok(None);
            }
        }
    }
    run(state, job, now).await.map(Some)
}

/// Housekeeping: stale sign-in failures and job slots older than a week.
pub async fn prune(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<(usize, usize)> {
    let throttle = state.throttle;
    Ok(state
        .db(move |c| {
            let failures = crate::org::service::auth::prune_failures(c, now, &throttle)?;
            let slots = store::prune_slots(c, crate::db::db_time(now - chrono::Duration::days(7)))?;
            Ok((failures, slots))
        })
        .await?)
}

/// How long after its tick a missed run is still worth making up at start-up (a restart across 08:00 still
/// sends the morning digest; one across yesterday's does not).
const CATCH_UP: chrono::Duration = chrono::Duration::hours(6);

/// Whether a tick at `slot` that nobody ran is still worth running at `now`.
fn worth_catching_up(slot: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    slot <= now && now - slot <= CATCH_UP
}

/// Runs every guarded job whose latest tick fell within the last hours and was run by no instance (the
/// process was down or restarting at that moment). Returns the jobs it ran.
pub async fn catch_up(state: &AppState, now: DateTime<Utc>) -> Vec<JobName> {
    let mut ran = Vec::new();
    for job in JobName::ALL.into_iter().filter(|j| j.guarded()) {
        let Some(spec) = job.schedule(&state.config) else {
            continue;
        };
        if !worth_catching_up(spec.slot(now, state.config.timezone), now) {
            continue;
        }
        match tick(state, job, now).await {
            Ok(Some(_)) => ran.push(job),
            Ok(None) => {}
            Err(e) => tracing::warn!(job = job.code(), error = %e, "catching up failed"),
        }
    }
    if !ran.is_empty() {
        tracing::info!(jobs = ?ran.iter().map(|j| j.code()).collect::<Vec<_>>(), "made up missed ticks");
    }
    ran
}

/// Starts every scheduled job that has a schedule, after making up ticks missed while the process was down. A tick that finds the previous run of the same job
/// still going is skipped (and logged) rather than stacked.
pub async fn start_scheduler(
    state: AppState,
) -> anyhow::Result<tokio_cron_scheduler::JobScheduler> {
    use tokio_cron_scheduler::{Job, JobScheduler};
    let sched = JobScheduler::new().await?;
    let tz = state.config.timezone;
    for job in JobName::ALL {
        let Some(spec) = job.schedule(&state.config) else {
            tracing::info!(job = job.code(), "job is off (empty schedule)");
            continue;
        };
        let s = state.clone();
        let busy = Arc::new(AtomicBool::new(false));
        sched
            .add(Job::new_async_tz(spec.as_str(), tz, move |_, _| {
                let (s, busy) = (s.clone(), busy.clone());
                Box::pin(async move {
                    if busy.swap(true, Ordering::AcqRel) {
                        tracing::warn!(job = job.code(), "previous run still going; tick skipped");
                        return;
                    }
                    match tick(&s, job, s.now()).await {
                        Ok(Some(report)) => tracing::debug!(job = job.code(), report, "job ran"),
                        Ok(None) => {}
                        Err(e) => tracing::warn!(job = job.code(), error = %e, "job failed"),
                    }
                    busy.store(false, Ordering::Release);
                })
            })?)
            .await?;
    }
    sched.start().await?;
    let s = state.clone();
    tokio::spawn(async move {
        catch_up(&s, s.now()).await;
    });
    Ok(sched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn five_field_schedules_are_refused_with_the_reason() {
        let e = CronSpec::parse("30 8 * * *").unwrap_err();
        assert!(e.contains("six fields"), "{e}");
        assert!(CronSpec::parse("0 0 8 * * *").is_ok());
        assert!(CronSpec::parse("0 61 8 * * *").is_err());
    }

    #[test]
    fn every_instance_firing_for_a_tick_names_the_same_slot_in_office_time() {
        let spec = CronSpec::parse("0 0 8 * * *").unwrap();
        let tz = chrono_tz::Asia::Shanghai;
        // 08:00:00.4 and 08:00:01.9 Beijing time (00:00 UTC) are the same tick.
        let a = Utc.with_ymd_and_hms(2026, 11, 29, 0, 0, 0).unwrap()
            + chrono::Duration::milliseconds(400);
        let b = a + chrono::Duration::milliseconds(1500);
        let slot = Utc.with_ymd_and_hms(2026, 11, 29, 0, 0, 0).unwrap();
        assert_eq!(spec.slot(a, tz), slot);
        assert_eq!(spec.slot(b, tz), slot);
        // A run late in the day still belongs to that morning's tick; the next morning is a new slot.
        assert_eq!(spec.slot(a + chrono::Duration::hours(15), tz), slot);
        assert_eq!(
            spec.slot(a + chrono::Duration::hours(24), tz),
            slot + chrono::Duration::days(1)
        );
    }

    #[test]
    fn a_missed_tick_is_made_up_within_six_hours_only() {
        let slot = Utc.with_ymd_and_hms(2026, 11, 29, 0, 0, 0).unwrap();
        assert!(worth_catching_up(
            slot,
            slot + chrono::Duration::minutes(30)
        ));
        assert!(worth_catching_up(slot, slot + chrono::Duration::hours(6)));
        assert!(!worth_catching_up(slot, slot + chrono::Duration::hours(7)));
        assert!(!worth_catching_up(
            slot,
            slot - chrono::Duration::seconds(1)
        ));
    }

    #[test]
    fn job_names_round_trip() {
        for j in JobName::ALL {
            assert_eq!(JobName::parse(j.code()), Some(j));
        }
        assert_eq!(JobName::parse("nap"), None);
    }
}
