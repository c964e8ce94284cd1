//! HTML pages for the organisation: sign-in, home, units, people, accounts, API tokens.

mod accounts;
mod password;
mod people;
mod session;
mod tokens;
mod units;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use askama::Template;

use actix_session::Session;

use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::{Lang, Text};
use crate::web::context::flash;
use crate::web::error::PageError;
use crate::web::AppState;

/// Registers the pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    session::routes(cfg);
    units::routes(cfg);
    people::routes(cfg);
    accounts::routes(cfg);
    tokens::routes(cfg);
    password::routes(cfg);
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

/// Runs a page action, then redirects (Post/Redirect/Get): to `next(result)` with `done` as a flash message,
/// or back to `back` with the refusal as a flash message. Anything but a refusal becomes an error page.
pub(crate) async fn act<T, F>(
    session: &Session,
    state: &AppState,
    lang: Lang,
    back: String,
    done: Text,
    f: F,
    next: impl FnOnce(&T) -> String,
) -> Result<HttpResponse, PageError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn) -> ServiceResult<T> + Send + 'static,
{
    match state.db(f).await {
        Ok(v) => {
            flash(session, true, done);
            Ok(see_other(&next(&v)))
        }
        Err(e) => {
            let (_, message) = form_error(e, lang)?;
            flash(session, false, Text::new(message.clone(), message));
            Ok(see_other(&back))
        }
    }
}

/// The flash message after (de)activating a record.
pub(crate) fn activation_text(active: bool) -> Text {
    if active {
        Text::new("已启用", "Activated")
    } else {
        Text::new("已停用", "Deactivated")
    }
}
