//! Who is calling: a bearer token for the API, a session cookie for pages.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use super::error::{ApiError, PageError};
use super::AppState;
use crate::error::ServiceError;
use crate::i18n::Lang;
use crate::org::model::Actor;
use crate::org::service::auth;

type Boxed<T, E> = Pin<Box<dyn Future<Output = Result<T, E>>>>;

const UID: &str = "uid";
const VERSION: &str = "ver";

/// The caller's language before we know who they are: from `Accept-Language`.
pub fn request_lang(req: &HttpRequest) -> Lang {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ServiceError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ServiceError::Internal("no app state".into()))
}

/// The account behind an API request's `Authorization: Bearer …` header.
#[derive(Debug, Clone)]
pub struct ApiActor(pub Actor);

impl FromRequest for ApiActor {
    type Error = ApiError;
    type Future = Boxed<Self, ApiError>;

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
            .map(|t| t.trim().to_string());
        let state = state(req);
        Box::pin(async move {
            let fail = |error| ApiError { error, lang };
            let state = state.map_err(fail)?;
            let token = token
                .filter(|t| !t.is_empty())
                .ok_or_else(|| fail(ServiceError::Unauthenticated))?;
            let now = state.now();
            state
                .db(move |c| auth::actor_for_token(c, now, &token))
                .await
                .map(ApiActor)
                .map_err(fail)
        })
    }
}

/// The signed-in account of a page request; without one, the page redirects to sign-in.
#[derive(Debug, Clone)]
pub struct PageActor(pub Actor);

impl FromRequest for PageActor {
    type Error = PageError;
    type Future = Boxed<Self, PageError>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let lang = request_lang(req);
        let next = (req.method() == actix_web::http::Method::GET).then(|| req.uri().to_string());
        let session = req.get_session();
        let state = state(req);
        Box::pin(async move {
            let fail = |error| PageError {
                error,
                lang,
                next: next.clone(),
            };
            let state = state.map_err(fail)?;
            match session_actor(&state, &session).await.map_err(fail)? {
                Some(actor) => Ok(PageActor(actor)),
                None => Err(fail(ServiceError::Unauthenticated)),
            }
        })
    }
}

/// The signed-in account, if any (sign-in page, language switch).
#[derive(Debug, Clone)]
pub struct MaybeActor(pub Option<Actor>);

impl FromRequest for MaybeActor {
    type Error = PageError;
    type Future = Boxed<Self, PageError>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let session = req.get_session();
        let state = state(req);
        Box::pin(async move {
            let state = state.map_err(PageError::from)?;
            Ok(MaybeActor(
                session_actor(&state, &session)
                    .await
                    .map_err(PageError::from)?,
            ))
        })
    }
}

/// Looks up the session's account; a deactivated account or a cut session (new password, deactivation)
/// ends the session.
async fn session_actor(state: &AppState, session: &Session) -> Result<Option<Actor>, ServiceError> {
    let (Ok(Some(uid)), Ok(Some(version))) = (session.get::<i64>(UID), session.get::<i64>(VERSION))
    else {
        return Ok(None);
    };
    let actor = state
        .db(move |c| auth::actor_for_session(c, uid, version))
        .await?;
    if actor.is_none() {
        session.purge();
    }
    Ok(actor)
}

/// Starts a fresh session for the account (a new cookie, so a planted one cannot be reused).
pub fn start_session(session: &Session, account_id: i64, version: i64) -> Result<(), ServiceError> {
    session.renew();
    session
        .insert(UID, account_id)
        .and_then(|_| session.insert(VERSION, version))
        .map_err(|e| ServiceError::Internal(format!("session: {e}")))
}
