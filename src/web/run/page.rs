//! The pages' runner. A form carries a one-time token besides its CSRF token: submitting it again (a double
//! tap, the browser's retry, the back button) does nothing and goes where the first submission went.

use std::future::{ready, Ready};

use actix_session::{Session, SessionExt};
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use askama::Template;

use super::once::{run_once, Keyed};
use super::{app_state, render, resolve_and_run, see_other, Call, Reach};
use crate::db::once::Answer;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::{Lang, Text};
use crate::org::callers::Credential;
use crate::org::model::Actor;
use crate::org::store::actor_for_session;
use crate::state::AppState;
use crate::web::auth::{request_lang, session_credentials};
use crate::web::context::{flash, Ctx};
use crate::web::csrf::FormToken;
use crate::web::error::{status_of, PageError};

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
            Credential::Session(uid, version),
            Reach::Any,
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
        D: FnOnce(&T) -> (Text, String) + Send + 'static,
    {
        match self.submit(f, done).await? {
            Ok(done) => Ok(done),
            Err(refusal) => {
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
        D: FnOnce(&T) -> (Text, String) + Send + 'static,
    {
        let (ctx, result) = self.attempt_done(f, done).await?;
        match result {
            Ok((text, to)) => {
                flash(&self.session, true, text);
                Ok(Ok(see_other(&to)))
            }
            Err(e) => Ok(Err(Refusal::of(e, ctx.lang)?)),
        }
    }

    /// The form's one-time token, when it carried one.
    fn keyed(&self) -> Option<Keyed> {
        let token = self.req.extensions().get::<FormToken>()?.0.clone();
        Some(Keyed {
            key: format!("form:{token}"),
            fingerprint: format!("POST {}", self.req.path()),
        })
    }

    /// Runs `f` and then `done` on its result, once per form token: the message and where to go next. A
    /// repeated form does nothing and goes where the first one went, saying so.
    async fn attempt_done<T, F, D>(
        &self,
        f: F,
        done: D,
    ) -> Result<(Ctx, ServiceResult<(Text, String)>), PageError>
    where
        F: FnOnce(&mut Call<'_>) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
        D: FnOnce(&T) -> (Text, String) + Send + 'static,
    {
        let keyed = self.keyed();
        let (ctx, _, result) = self
            .attempt(move |c| {
                let (answer, repeat) = run_once(c, keyed, |c| {
                    let (text, to) = done(&f(c)?);
                    let body = serde_json::json!([to, text.zh, text.en]).to_string();
                    Ok(Answer { status: 303, body })
                })?;
                let (to, zh, en): (String, String, String) = serde_json::from_str(&answer.body)
                    .map_err(|e| ServiceError::Internal(format!("form answer: {e}")))?;
                Ok(if repeat {
                    (
                        Text::new(
                            format!("这张表单已经提交过，没有重复办理。{zh}"),
                            format!(
                                "This form was already submitted; nothing was done twice. {en}"
                            ),
                        ),
                        to,
                    )
                } else {
                    (Text::new(zh, en), to)
                })
            })
            .await?;
        Ok((ctx, result))
    }
}
