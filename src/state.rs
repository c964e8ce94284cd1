//! What every handler and job can reach: the database pool, the clock, the settings, the sign-in throttle,
//! the metrics, the mail transport and this process's name.

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::{DbConn, Pool};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Throttle;

/// The application's shared state.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Database connections.
    pub pool: Pool,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
    /// Settings.
    pub config: Arc<Config>,
    /// Sign-in limits.
    pub throttle: Throttle,
    /// Request and job counters.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// The mail transport (one SMTP pool per process).
    pub mailer: crate::mail::Mailer,
    /// This process's name in outbox claims and job slots.
    pub instance: Arc<str>,
    /// Callers seen in the last seconds.
    pub callers: Arc<crate::org::callers::Callers>,
}

impl AppState {
    /// Runs synchronous database work on the blocking pool (the pool checkout included).
    pub async fn db<T, F>(&self, f: F) -> ServiceResult<T>
    where
        F: FnOnce(&mut DbConn) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = crate::db::checkout(&pool)?;
            f(&mut conn)
        })
        .await
        .map_err(|e| ServiceError::Internal(format!("blocking task failed: {e}")))?
    }

    /// Runs a short read on this worker thread, without the hop to the blocking pool, when the database is
    /// SQLite (in process, readers never wait for the writer in WAL mode) and a connection is free at once;
    /// otherwise as [`AppState::db`]. Only for bounded reads that write nothing: a record, a page of records.
    pub async fn read<T, F>(&self, f: F) -> ServiceResult<T>
    where
        F: FnOnce(&mut DbConn) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
    {
        if matches!(self.config.database, crate::db::Backend::Sqlite(_)) {
            if let Some(mut conn) = self.pool.try_get() {
                return f(&mut conn);
            }
        }
        self.db(f).await
    }

    /// The current time.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
