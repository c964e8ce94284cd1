//! The duty area's scheduled work: unannounced presence checks (随机查岗) on the shifts under way.

use chrono::{DateTime, Utc};

use super::model::CheckKey;
use super::service::presence::ask_scheduled;
use crate::state::AppState;

/// Asks the unannounced presence checks that fall due now; returns how many people were asked. Idempotent:
/// a rerun, or another instance at the same moment, asks nobody twice for the same planned time.
pub async fn presence_checks(
    state: &AppState,
    key: CheckKey,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let cfg = state.config.clone();
    let tz = cfg.timezone;
    Ok(state
        .db(move |c| ask_scheduled(c, &cfg, &key, now, tz))
        .await?)
}
