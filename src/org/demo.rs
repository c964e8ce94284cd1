//! Demo district (placeholder while wiring).
use chrono::{DateTime, Utc};
/// Loads the demo.
pub fn load(
    _c: &mut crate::db::DbConn,
    _now: DateTime<Utc>,
) -> crate::error::ServiceResult<String> {
    Ok(String::new())
}
