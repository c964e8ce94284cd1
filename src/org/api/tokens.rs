//! `/api/v1/auth/tokens`: exchange a username and password for a bearer token; list and revoke tokens.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org::service::auth;
use crate::org::store::ApiToken;
use crate::web::auth::{request_lang, ApiActor};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{client_address, utc, AppState, InLang};

/// Credentials for a new token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
    /// A label to recognise the token by later (e.g. the script using it).
    pub name: Option<String>,
}

/// A token as listed (never the secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenOut {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiToken> for TokenOut {
    fn from(t: ApiToken) -> Self {
        TokenOut {
            id: t.id,
            name: t.name,
            created_at: utc(t.created_at),
            last_used_at: t.last_used_at.map(utc),
            revoked_at: t.revoked_at.map(utc),
        }
    }
}

/// A newly issued token: `token` is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedToken {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    #[serde(flatten)]
    pub info: TokenOut,
}

/// Sign in and receive a bearer token. Failed attempts are limited per account and per address (429).
#[utoipa::path(tag = "auth", request_body = TokenRequest,
    responses((status = 201, body = IssuedToken), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[post("/auth/tokens")]
pub async fn issue(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let lang = request_lang(&req);
    let address = client_address(&req);
    let (now, throttle) = (state.now(), state.throttle);
    let body = body.into_inner();
    let (token, plain) = state
        .db(move |c| {
            auth::issue_token(
                c,
                now,
                &body.username,
                &body.password,
                body.name.as_deref(),
                &address,
                &throttle,
            )
        })
        .await
        .api(lang)?;
    Ok(HttpResponse::Created().json(IssuedToken {
        token: plain,
        info: token.into(),
    }))
}

/// The caller's tokens.
#[utoipa::path(tag = "auth", security(("bearer" = [])), responses((status = 200, body = Vec<TokenOut>), (status = 401, body = ErrorBody)))]
#[get("/auth/tokens")]
pub async fn list(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<web::Json<Vec<TokenOut>>, ApiError> {
    let lang = actor.lang;
    let tokens = state
        .db(move |c| auth::list_tokens(c, &actor))
        .await
        .api(lang)?;
    Ok(web::Json(tokens.into_iter().map(TokenOut::from).collect()))
}

/// Revoke a token (one's own, or as an administrator covering its account).
#[utoipa::path(tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = TokenOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[delete("/auth/tokens/{id}")]
pub async fn revoke(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<TokenOut>, ApiError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    let token = state
        .db(move |c| auth::revoke_token(c, &actor, now, id))
        .await
        .api(lang)?;
    Ok(web::Json(token.into()))
}
