//! Scheduled jobs: what a job is, the slot guard that lets one instance run each tick, catching up ticks
//! missed while no instance ran, and the wiring into tokio-cron-scheduler. Which jobs exist and what they
//! run is composed in `app`, next to the route table; each job body is a plain `async fn(&AppState, now)`
//! that tests call directly.

mod store;

use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::cron::CronSpec;
use crate::state::AppState;

type JobFuture = Pin<Box<dyn Future<Output = anyhow::Result<String>> + Send>>;
type JobFn = Arc<dyn Fn(AppState, DateTime<Utc>) -> JobFuture + Send + Sync>;

/// A scheduled job: its name (logs, the slot table, `standby job NAME`), when it runs, and its body.
#[derive(Clone)]
pub struct Job {
    /// The name.
    pub name: &'static str,
    /// When it runs (office time); `None` when turned off.
    pub schedule: Option<CronSpec>,
    /// Whether only one instance may run a tick (delivery runs everywhere: its claims share the work).
    pub guarded: bool,
    run: JobFn,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Job({}, {:?})", self.name, self.schedule)
    }
}

impl Job {
    /// A job whose body `run` reports what it did as a readable line.
    pub fn new<F, Fut, R>(
        name: &'static str,
        schedule: Option<CronSpec>,
        guarded: bool,
        run: F,
    ) -> Job
    where
        F: Fn(AppState, DateTime<Utc>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = anyhow::Result<R>> + Send + 'static,
        R: Display,
    {
        let run = Arc::new(run);
        Job {
            name,
            schedule,
            guarded,
            run: Arc::new(move |state, now| {
                let fut = run(state, now);
                Box::pin(async move { fut.await.map(|r| r.to_string()) })
            }),
        }
    }
}

/// Every job of the service.
#[derive(Debug, Clone, Default)]
pub struct Jobs(Vec<Job>);

impl Jobs {
    /// The jobs given.
    pub fn new(jobs: Vec<Job>) -> Jobs {
        Jobs(jobs)
    }

    /// The job called `name`.
    pub fn find(&self, name: &str) -> Option<&Job> {
        self.0.iter().find(|j| j.name == name)
    }

    /// The jobs' names, for messages.
    pub fn names(&self) -> String {
        self.0.iter().map(|j| j.name).collect::<Vec<_>>().join(", ")
    }
}

/// Runs a job's body once at `now`, whatever its schedule (the command line and tests).
pub async fn run(state: &AppState, job: &Job, now: DateTime<Utc>) -> anyhow::Result<String> {
    (job.run)(state.clone(), now).await
}

/// One scheduled tick: claims the tick's slot (guarded jobs) and runs the job if this instance won it.
/// Returns `None` when another instance has the slot.
pub async fn tick(
    state: &AppState,
    job: &Job,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<String>> {
    if let Some(spec) = job.schedule.as_ref().filter(|_| job.guarded) {
        let slot = spec.slot(now, state.config.timezone);
        let (owner, name) = (state.instance.clone(), job.name);
        let won = state
            .db(move |c| {
                Ok(store::claim_slot(
                    c,
                    name,
                    crate::db::db_time(slot),
                    &owner,
                    crate::db::db_time(now),
                )?)
            })
            .await?;
        if !won {
            tracing::debug!(job = job.name, %slot, "another instance runs this tick");
            return Ok(None);
        }
    }
    run(state, job, now).await.map(Some)
}

/// Forgets job slots older than a week (part of the housekeeping job).
pub fn prune_slots(conn: &mut crate::db::DbConn, now: DateTime<Utc>) -> diesel::QueryResult<usize> {
    store::prune_slots(conn, crate::db::db_time(now - chrono::Duration::days(7)))
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
pub async fn catch_up(state: &AppState, jobs: &Jobs, now: DateTime<Utc>) -> Vec<&'static str> {
    let mut ran = Vec::new();
    for job in jobs.0.iter().filter(|j| j.guarded) {
        let Some(spec) = &job.schedule else {
            continue;
        };
        if !worth_catching_up(spec.slot(now, state.config.timezone), now) {
            continue;
        }
        match tick(state, job, now).await {
            Ok(Some(_)) => ran.push(job.name),
            Ok(None) => {}
            Err(e) => tracing::warn!(job = job.name, error = %e, "catching up failed"),
        }
    }
    if !ran.is_empty() {
        tracing::info!(jobs = ?ran, "made up missed ticks");
    }
    ran
}

/// Starts every job that has a schedule, after making up ticks missed while the process was down. A tick
/// that finds the previous run of the same job still going is skipped (and logged) rather than stacked.
pub async fn start_scheduler(
    state: AppState,
    jobs: Jobs,
) -> anyhow::Result<tokio_cron_scheduler::JobScheduler> {
    use tokio_cron_scheduler::{Job as Scheduled, JobScheduler};
    let sched = JobScheduler::new().await?;
    let tz = state.config.timezone;
    for job in &jobs.0 {
        let Some(spec) = &job.schedule else {
            tracing::info!(job = job.name, "job is off (empty schedule)");
            continue;
        };
        let (s, job) = (state.clone(), job.clone());
        let busy = Arc::new(AtomicBool::new(false));
        sched
            .add(Scheduled::new_async_tz(spec.as_str(), tz, move |_, _| {
                let (s, busy, job) = (s.clone(), busy.clone(), job.clone());
                Box::pin(async move {
                    if busy.swap(true, Ordering::AcqRel) {
                        tracing::warn!(job = job.name, "previous run still going; tick skipped");
                        return;
                    }
                    match tick(&s, &job, s.now()).await {
                        Ok(Some(report)) => tracing::debug!(job = job.name, report, "job ran"),
                        Ok(None) => {}
                        Err(e) => tracing::warn!(job = job.name, error = %e, "job failed"),
                    }
                    busy.store(false, Ordering::Release);
                })
            })?)
            .await?;
    }
    sched.start().await?;
    tokio::spawn(async move {
        catch_up(&state, &jobs, state.now()).await;
    });
    Ok(sched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

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
}
