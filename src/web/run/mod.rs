//! Running a use case for a request. The handler's extractor takes only what the request carries (the
//! credential, the language, the session); [`Api::run`] and [`Page::run`] then resolve the caller and run the
//! use case in one blocking call on one connection, and map a refusal to the JSON error body or to a page.
//! A request that carries a one-time key (a form's token, an API `Idempotency-Key`) is done once.

mod api;
mod once;
mod page;

pub use api::{Answered, Api, Reply};
pub use page::{Page, Refusal};

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{DateTime, Utc};

use super::error::PageError;
use crate::config::Config;
use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::org::callers::{self, Credential};
use crate::org::model::Actor;
use crate::state::AppState;

/// What a use case gets: the connection, who is calling, when, and the settings.
pub struct Call<'a> {
    /// The request's connection.
    pub conn: &'a mut DbConn,
    /// The caller.
    pub actor: &'a Actor,
    /// The request's time.
    pub now: DateTime<Utc>,
    /// The office's time zone.
    pub tz: chrono_tz::Tz,
    /// Settings.
    pub config: &'a Config,
}

fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, ServiceError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ServiceError::Internal("no app state".into()))
}

/// How a use case touches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Anything: run on the blocking pool.
    Any,
    /// A bounded read that writes nothing (a GET's record or page): may run on the worker thread
    /// ([`AppState::read`]) when the caller is remembered, since finding a caller may touch their token.
    Read,
}

/// Runs `f` for the caller behind `credential`, in one blocking call; returns the caller with the result.
/// A caller seen in the last seconds is remembered (see [`crate::org::callers`]); otherwise `who` finds
/// them in the same call, on the same connection.
async fn resolve_and_run<T, W, F>(
    state: &AppState,
    credential: Credential,
    reach: Reach,
    who: W,
    f: F,
) -> ServiceResult<(Actor, ServiceResult<T>)>
where
    W: FnOnce(&mut DbConn, DateTime<Utc>) -> ServiceResult<Actor> + Send + 'static,
    F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
    T: Send + 'static,
{
    let (now, config) = (state.now(), state.config.clone());
    let remembered = state.callers.get(&credential);
    let epoch = callers::epoch();
    let looked_up = remembered.is_none();
    let work = move |conn: &mut DbConn| {
        let actor = match remembered {
            Some(actor) => actor,
            None => who(conn, now)?,
        };
        let result = f(&mut Call {
            conn,
            actor: &actor,
            now,
            tz: config.timezone,
            config: &config,
        });
        Ok((actor, result))
    };
    let (actor, result) = if reach == Reach::Read && !looked_up {
        state.read(work).await?
    } else {
        state.db(work).await?
    };
    if looked_up {
        state.callers.put(credential, &actor, epoch);
    }
    Ok((actor, result))
}

/// Renders a template with a status.
pub fn render<T: Template>(page: &T, status: StatusCode) -> Result<HttpResponse, PageError> {
    let html = page
        .render()
        .map_err(|e| PageError::from(ServiceError::Internal(format!("template: {e}"))))?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// 303 to `to` (Post/Redirect/Get).
pub fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_string()))
        .finish()
}
