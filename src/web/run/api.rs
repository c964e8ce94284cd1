//! The JSON API's runner. A changing call sent with an `Idempotency-Key` header is done once: a repeat with
//! the same key, method, path and body gets the first answer (marked `Idempotent-Replayed: true`); the same
//! key with a different request is refused.

use std::future::{ready, Ready};
use std::marker::PhantomData;

use actix_web::body::BoxBody;
use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse, Responder};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::once::{run_once, Keyed};
use super::{app_state, resolve_and_run, Call, Reach};
use crate::db::once::Answer;
use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Lang;
use crate::org::callers::Credential;
use crate::org::credentials::token_hash;
use crate::org::store::actor_for_token;
use crate::state::AppState;
use crate::web::auth::request_lang;
use crate::web::error::ApiError;
use crate::web::json::BodyDigest;

/// The header that makes a call idempotent.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// A JSON API request: its bearer token and language, read without touching the database.
pub struct Api {
    state: web::Data<AppState>,
    token: Option<String>,
    lang: Lang,
    req: HttpRequest,
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
                .map(|state| Api {
                    state,
                    token,
                    lang,
                    req: req.clone(),
                })
                .map_err(|error| ApiError { error, lang }),
        )
    }
}

/// A JSON answer: made now, or the first answer to a repeated call.
pub struct Answered<T> {
    answer: Answer,
    repeat: bool,
    _value: PhantomData<T>,
}

impl<T> Responder for Answered<T> {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        let status = u16::try_from(self.answer.status)
            .ok()
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::OK);
        let mut resp = HttpResponse::build(status);
        resp.content_type("application/json");
        if self.repeat {
            resp.insert_header(("idempotent-replayed", "true"));
        }
        resp.body(self.answer.body)
    }
}

/// What an API handler returns.
pub type Reply<T> = Result<Answered<T>, ApiError>;

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
        self.run_reaching(Reach::Any, f).await
    }

    async fn run_reaching<T, F>(self, reach: Reach, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let lang = self.lang;
        let fail = |error| ApiError { error, lang };
        let token = self
            .token
            .ok_or_else(|| fail(ServiceError::Unauthenticated))?;
        let credential = Credential::Token(token_hash(&token));
        let (actor, result) = resolve_and_run(
            &self.state,
            credential,
            reach,
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

    /// `reply` with 200 OK.
    pub async fn json<T, F>(self, f: F) -> Reply<T>
    where
        F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
        T: Serialize + Send + 'static,
    {
        self.reply(StatusCode::OK, f).await
    }

    /// `run`, answering `status` (200, 201 Created, 202 Accepted) with the result as JSON; done once per
    /// `Idempotency-Key` when the call changes something and carries one. A GET answered this way is a
    /// bounded read (a record, a page of records; downloads go through `run`) and may skip the blocking
    /// pool (see [`AppState::read`]).
    pub async fn reply<T, F>(self, status: StatusCode, f: F) -> Reply<T>
    where
        F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
        T: Serialize + Send + 'static,
    {
        let keyed = self.keyed().map_err(|error| ApiError {
            error,
            lang: self.lang,
        })?;
        let reach = if self.req.method() == Method::GET {
            Reach::Read
        } else {
            Reach::Any
        };
        let (answer, repeat) = self
            .run_reaching(reach, move |c| {
                run_once(c, keyed, |c| {
                    let value = f(c)?;
                    let body = serde_json::to_string(&value)
                        .map_err(|e| ServiceError::Internal(format!("answer: {e}")))?;
                    Ok(Answer {
                        status: i32::from(status.as_u16()),
                        body,
                    })
                })
            })
            .await?;
        Ok(Answered {
            answer,
            repeat,
            _value: PhantomData,
        })
    }

    /// The call's idempotency key and what the call is (method, path, body), when it carries one.
    fn keyed(&self) -> ServiceResult<Option<Keyed>> {
        let Some(raw) = self.req.headers().get(IDEMPOTENCY_KEY) else {
            return Ok(None);
        };
        if self.req.method() == Method::GET {
            return Ok(None);
        }
        let key = raw
            .to_str()
            .ok()
            .filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| {
                ServiceError::Malformed(crate::i18n::Text::new(
                    "Idempotency-Key 须为 1–255 个可见 ASCII 字符",
                    "Idempotency-Key must be 1–255 visible ASCII characters",
                ))
            })?;
        let digest = self
            .req
            .extensions()
            .get::<BodyDigest>()
            .map(|d| d.0.clone())
            .unwrap_or_default();
        Ok(Some(Keyed {
            key: format!("api:{key}"),
            fingerprint: format!("{} {} {digest}", self.req.method(), self.req.path()),
        }))
    }
}
