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
    #[param(minimum = 1)]
    pub page: Option<i64>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// Which records a list shows: the active ones (the default), the inactive ones, or all.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Activity {
    True,
    False,
    All,
}

/// The filter an `active` parameter means (`None`: all).
pub fn active_filter(v: Option<Activity>) -> Option<bool> {
    match v.unwrap_or(Activity::True) {
        Activity::True => Some(true),
        Activity::False => Some(false),
        Activity::All => None,
    }
}

pub use crate::web::Reply;
