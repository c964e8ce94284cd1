//! The reserves' scheduled work: the nightly ledger verification, which tells the district's
//! administrators of any mismatch, once a day.

use chrono::{DateTime, Utc};

use super::reminders::ledger_mismatch;
use super::service::verify::{verify_all, VerifyReport};
use crate::state::AppState;

/// Re-checks every ledger (balances against movements, hash chains); a mismatch is logged and enqueued
/// for the district's administrators (once per day).
pub async fn verify_ledgers(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<VerifyReport> {
    let cfg = state.config.clone();
    Ok(state
        .db(move |c| {
            let report = verify_all(c)?;
            if !report.ok() {
                tracing::error!(
                    breaks = report.chain_breaks.len(),
                    differences = report.differences.len(),
                    "ledger verification found mismatches"
                );
                let day = crate::clock::today(now, cfg.timezone);
                let out = ledger_mismatch(c, &report, day)?;
                crate::notify::service::enqueue_each(c, &cfg, now, &[out])?;
            }
            Ok(report)
        })
        .await?)
}
