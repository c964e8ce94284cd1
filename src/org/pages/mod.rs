//! HTML pages for the organisation: sign-in, home, units, people, accounts, API tokens.

mod accounts;
mod people;
mod session;
mod tokens;
mod units;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::error::ServiceError;
use crate::i18n::Lang;
use crate::web::error::PageError;

/// Registers the pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    session::routes(cfg);
    units::routes(cfg);
    people::routes(cfg);
    accounts::routes(cfg);
    tokens::routes(cfg);
}

/// Renders a template with a status.
pub fn render<T: Template>(
    page: &T,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, PageError> {
    let html = page
        .render()
        .map_err(|e| PageError::from(ServiceError::Internal(format!("template: {e}"))))?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// 303 to `to` (Post/Redirect/Get).
pub(crate) fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_string()))
        .finish()
}

/// Errors a form page shows next to the form (status, message); anything else becomes an error page.
pub(crate) fn form_error(
    e: ServiceError,
    lang: Lang,
) -> Result<(actix_web::http::StatusCode, String), PageError> {
    match e {
        ServiceError::Invalid { .. } | ServiceError::Conflict(_) => {
            Ok((crate::web::error::status_of(&e), e.message(lang)))
        }
        other => Err(PageError {
            error: other,
            lang,
            next: None,
        }),
    }
}

/// An optional id from a select box (`""` = none).
pub(crate) fn optional_id(field: &'static str, v: &str) -> Result<Option<i64>, ServiceError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<i64>().map(Some).map_err(|_| {
        ServiceError::invalid(field, "请选择列表中的一项", "Choose an entry from the list")
    })
}

/// Reads an `active` filter from a page query (`true` when absent).
pub(crate) fn active_param(v: &Option<String>) -> String {
    match v.as_deref() {
        Some("false") => "false".into(),
        Some("all") => "all".into(),
        _ => "true".into(),
    }
}
