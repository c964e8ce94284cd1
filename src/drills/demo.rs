//! The demo's plans and drills.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::db::DbConn;
use crate::error::ServiceResult;

/// Loads the demo drills. Returns a summary line.
pub fn load(_conn: &mut DbConn, _now: DateTime<Utc>, _cfg: &Config) -> ServiceResult<String> {
    Ok(String::new())
}
