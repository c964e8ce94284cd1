//! JSON API for the organisation: thin handlers that parse, call a service, and shape the answer.

pub mod accounts;
pub mod people;
pub mod tokens;
pub mod units;

use serde::Deserialize;

/// Common list parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Rows per page, 1–200 (default 50).
    pub per_page: Option<i64>,
}

/// Reads an `active` filter: `true`, `false` or `all` (default: only active).
pub(crate) fn active_filter(v: Option<&str>) -> Option<bool> {
    match v {
        Some("all") => None,
        Some("false") => Some(false),
        _ => Some(true),
    }
}

/// Empty text means "no filter".
pub(crate) fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}
