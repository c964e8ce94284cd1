//! Running a use case for a request. The handler's extractor takes only what the request carries (the
//! credential, the language, the session); [`Api::run`] and [`Page::run`] then resolve the caller and run the
//! use case in one blocking call on one connection, and map a refusal to the JSON error body or to a page.

use std::future::{ready, Ready};

use actix_session::{Session, SessionExt};
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::auth::{request_lang, session_credentials};
use super::context::{flash, Ctx};
use super::error::{status_of, ApiError, PageError};
use crate::config::Config;
use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::{Lang, Text};
use crate::org::model::Actor;
use crate::org::store::{actor_for_session, actor_for_token};
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

/// Runs `f` for the caller `who` finds, in one blocking call; returns the caller with the result.
async fn resolve_and_run<T, W, F>(
    state: &AppState,
    who: W,
    f: F,
) -> ServiceResult<(Actor, ServiceResult<T>)>
where
    W: FnOnce(&mut DbConn, DateTime<Utc>) -> ServiceResult<Actor> + Send + 'static,
    F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
    T: Send + 'static,
{
    let (now, config) = (state.now(), state.config.clone());
    state
        .db(move |conn| {
            let actor = who(conn, now)?;
            let result = f(&mut Call {
                conn,
                actor: &actor,
                now,
                tz: config.timezone,
                config: &config,
            });
            Ok((actor, result))
        })
        .await
}

/// A JSON API request: its bearer token and language, read without touching the database.
pub struct Api {
    state: web::Data<AppState>,
    token: Option<String>,
    lang: Lang,
}

impl FromRequest for Api {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let lang = request_lang(req);
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        ready(
            app_state(req)
                .map(|state| Api { state, token, lang })
                .map_err(|error| ApiError { error, lang }),
        )
    }
}

impl Api {
    /// The shared state (settings, clock).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Resolves the caller and runs `f`; a refusal becomes the JSON error in the caller's language.
    pub async fn run<T, F>(self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let lang = self.lang;
        let fail = |error| ApiError { error, lang };
        let token = self
            .token
            .ok_or_else(|| fail(ServiceError::Unauthenticated))?;
        let (actor, result) = resolve_and_run(
            &self.state,
            move |c, now| actor_for_token(c, now, &token),
            f,
        )
        .await
        .map_err(fail)?;
        result.map_err(|error| ApiError {
            error,
            lang: actor.lang,
        })
    }

    /// Runs `f` for a caller who has not signed in (the token exchange), answering `status` with the
    /// result as JSON; a refusal is in the request's language.
    pub async fn public<T, F>(self, status: StatusCode, f: F) -> Result<HttpResponse, ApiError>
    where
        F: FnOnce(&mut DbConn, DateTime<Utc>) -> ServiceResult<T> + Send + 'static,
        T: Serialize + Send + 'static,
    {
        let (lang, now) = (self.lang, self.state.now());
        let value = self
            .state
            .db(move |c| f(c, now))
            .await
            .map_err(|error| ApiError { error, lang })?;
        Ok(HttpResponse::build(status).json(value))
    }

    /// `run`, answering 200 with the result as JSON.
    pub async fn json<T, F>(self, f: F) -> Result<web::Json<T>, ApiError>
    where
        F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
        T: Serialize + Send + 'static,
    {
        self.run(f).await.map(web::Json)
    }

    /// `run`, answering `status` (201 Created, 202 Accepted) with the result as JSON.
    pub async fn reply<T, F>(self, status: StatusCode, f: F) -> Result<HttpResponse, ApiError>
    where
        F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
        T: Serialize + Send + 'static,
    {
        let value = self.run(f).await?;
        Ok(HttpResponse::build(status).json(value))
    }
}

/// A refusal a form shows next to its fields: the status, the message, the field at fault.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: StatusCode,
    pub message: String,
    pub field: Option<&'static str>,
}

impl Refusal {
    /// Splits refusals a form shows (invalid values, conflicts) from errors that become their own page.
    pub fn of(e: ServiceError, lang: Lang) -> Result<Refusal, PageError> {
        match e {
            ServiceError::Invalid { field, .. } => Ok(Refusal {
                status: status_of(&e),
                message: e.message(lang),
                field: Some(field),
            }),
            ServiceError::Conflict(_) => Ok(Refusal {
                status: status_of(&e),
                message: e.message(lang),
                field: None,
            }),
            other => Err(PageError {
                error: other,
                lang,
                next: None,
            }),
        }
    }
}

/// An HTML page request: its session and language, read without touching the database.
pub struct Page {
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
}

impl FromRequest for Page {
    type Error = PageError;
    type Future = Ready<Result<Self, PageError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(
            app_state(req)
                .map(|state| Page {
                    req: req.clone(),
                    session: req.get_session(),
                    state,
                })
                .map_err(|error| PageError {
                    error,
                    lang: request_lang(req),
                    next: None,
                }),
        )
    }
}

impl Page {
    /// The shared state.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The session (flash messages, sign-in).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The request.
    pub fn request(&self) -> &HttpRequest {
        &self.req
    }

    /// The page context for an actor (or nobody).
    pub fn ctx(&self, actor: Option<&Actor>) -> Ctx {
        Ctx::new(&self.req, &self.session, actor)
    }

    /// The signed-in account, if any (the sign-in page, the language switch).
    pub async fn signed_in(&self) -> Result<Option<Actor>, PageError> {
        let Some((uid, version)) = session_credentials(&self.session) else {
            return Ok(None);
        };
        let actor = self
            .state
            .db(move |c| actor_for_session(c, uid, version))
            .await
            .map_err(|error| PageError {
                error,
                lang: request_lang(&self.req),
                next: None,
            })?;
        if actor.is_none() {
            self.session.purge();
        }
        Ok(actor)
    }

    fn signed_out(&self) -> PageError {
        let next =
            (self.req.method() == actix_web::http::Method::GET).then(|| self.req.uri().to_string());
        PageError {
            error: ServiceError::Unauthenticated,
            lang: request_lang(&self.req),
            next,
        }
    }

    /// Resolves the signed-in account (or sends the visitor to sign in) and runs `f`; returns the page
    /// context with the result, or the caller with the refusal for a form to show.
    pub async fn attempt<T, F>(&self, f: F) -> Result<(Ctx, Actor, ServiceResult<T>), PageError>
    where
        F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (uid, version) = session_credentials(&self.session).ok_or_else(|| self.signed_out())?;
        let found = resolve_and_run(
            &self.state,
            move |c, _| actor_for_session(c, uid, version)?.ok_or(ServiceError::Unauthenticated),
            f,
        )
        .await;
        match found {
            Ok((actor, result)) => Ok((self.ctx(Some(&actor)), actor, result)),
            Err(ServiceError::Unauthenticated) => {
                self.session.purge();
                Err(self.signed_out())
            }
            Err(error) => Err(PageError {
                error,
                lang: request_lang(&self.req),
                next: None,
            }),
        }
    }

    /// `attempt`, with any refusal as an error page.
    pub async fn run<T, F>(&self, f: F) -> Result<(Ctx, T), PageError>
    where
        F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (ctx, _, result) = self.attempt(f).await?;
        let lang = ctx.lang;
        result.map(|v| (ctx, v)).map_err(|error| PageError {
            error,
            lang,
            next: None,
        })
    }

    /// Shows a page: runs `f` and renders what `view` makes of its result.
    pub async fn show<T, P, F, V>(&self, f: F, view: V) -> Result<HttpResponse, PageError>
    where
        F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
        P: Template,
        V: FnOnce(Ctx, T) -> P,
    {
        let (ctx, value) = self.run(f).await?;
        render(&view(ctx, value), StatusCode::OK)
    }

    /// Runs a form's action and redirects (Post/Redirect/Get): to where `done` says, with its message, or
    /// back to `back` with the refusal as a message. Anything but a refusal becomes an error page.
    pub async fn act<T, F, D>(&self, back: &str, f: F, done: D) -> Result<HttpResponse, PageError>
    where
        F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
        D: FnOnce(&T) -> (Text, String),
    {
        let (ctx, _, result) = self.attempt(f).await?;
        match result {
            Ok(v) => {
                let (text, to) = done(&v);
                flash(&self.session, true, text);
                Ok(see_other(&to))
            }
            Err(e) => {
                let refusal = Refusal::of(e, ctx.lang)?;
                flash(
                    &self.session,
                    false,
                    Text::new(refusal.message.clone(), refusal.message),
                );
                Ok(see_other(back))
            }
        }
    }

    /// Runs a form's action: on success redirects where `done` says with its message; on a refusal returns
    /// it for the handler to show the form again with what was typed.
    pub async fn submit<T, F, D>(
        &self,
        f: F,
        done: D,
    ) -> Result<Result<HttpResponse, Refusal>, PageError>
    where
        F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
        D: FnOnce(&T) -> (Text, String),
    {
        let (ctx, _, result) = self.attempt(f).await?;
        match result {
            Ok(v) => {
                let (text, to) = done(&v);
                flash(&self.session, true, text);
                Ok(Ok(see_other(&to)))
            }
            Err(e) => Ok(Err(Refusal::of(e, ctx.lang)?)),
        }
    }
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
