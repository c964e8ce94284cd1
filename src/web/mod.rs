//! Shared web plumbing: auth extractors, errors, CSRF, page context, the API reference and system endpoints.

pub mod api;
pub mod auth;
pub mod context;
pub mod csrf;
mod download;
pub mod error;
pub mod forms;
pub mod json;
pub mod openapi;
pub mod pages;
mod rows;
pub mod run;
mod strict;
pub mod system;
pub mod tasks;
pub mod typed;
pub mod upload;

pub use download::{attachment, stream_sheet, table_download};
pub use rows::refused_rows;
pub use run::{render, see_other, Answered, Api, Call, Page, Refusal, Reply};

use crate::error::ServiceResult;

/// The client's address as the throttle sees it (the TCP peer; put a trusted proxy's header handling in
/// front if one is used).
pub fn client_address(req: &actix_web::HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Attaches the caller's language to a service result, for the API or for pages.
pub trait InLang<T> {
    /// As a JSON API error.
    fn api(self, lang: crate::i18n::Lang) -> Result<T, error::ApiError>;
    /// As an HTML page error.
    fn page(self, lang: crate::i18n::Lang) -> Result<T, error::PageError>;
}

impl<T> InLang<T> for ServiceResult<T> {
    fn api(self, lang: crate::i18n::Lang) -> Result<T, error::ApiError> {
        self.map_err(|error| error::ApiError { error, lang })
    }

    fn page(self, lang: crate::i18n::Lang) -> Result<T, error::PageError> {
        self.map_err(|error| error::PageError {
            error,
            lang,
            next: None,
        })
    }
}

/// A query parameter as a filter: trimmed, and absent when blank (`?q=` means "any").
pub fn non_blank(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Tells "absent" (`None`) from "null" (`Some(None)`) in a JSON patch.
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// A stored UTC time as an RFC 3339 instant.
pub fn utc(t: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    t.and_utc()
}
