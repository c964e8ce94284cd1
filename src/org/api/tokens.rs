//! `/api/v1/auth/tokens`: exchange a username and password for a bearer token; list and revoke tokens.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Reply;
use crate::org::service::auth;
use crate::org::store::ApiToken;
use crate::web::error::ApiError;
use crate::web::json::Json;
use crate::web::{client_address, utc, Api};

/// Credentials for a new token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[schema(min_length = 1)]
    pub username: String,
    #[schema(min_length = 1)]
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
#[utoipa::path(tag = "auth", request_body = TokenRequest, responses((status = 201, body = IssuedToken)))]
#[post("/auth/tokens")]
pub async fn issue(
    api: Api,
    req: HttpRequest,
    body: Json<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let (address, throttle, b) = (client_address(&req), api.state().throttle, body.0);
    api.public(StatusCode::CREATED, move |c, now| {
        let name = b.name.as_deref();
        let (token, plain) =
            auth::issue_token(c, now, &b.username, &b.password, name, &address, &throttle)?;
        Ok(IssuedToken {
            token: plain,
            info: token.into(),
        })
    })
    .await
}

/// The caller's tokens.
#[utoipa::path(tag = "auth", security(("bearer" = [])), responses((status = 200, body = Vec<TokenOut>)))]
#[get("/auth/tokens")]
pub async fn list(api: Api) -> Reply<Vec<TokenOut>> {
    api.json(|c| {
        Ok(auth::list_tokens(c.conn, c.actor)?
            .into_iter()
            .map(TokenOut::from)
            .collect())
    })
    .await
}

/// Revoke a token (one's own, or as an administrator covering its account).
#[utoipa::path(tag = "auth", security(("bearer" = [])), responses((status = 200, body = TokenOut)))]
#[delete("/auth/tokens/{id}")]
pub async fn revoke(api: Api, id: web::Path<i64>) -> Reply<TokenOut> {
    let id = id.into_inner();
    api.json(move |c| auth::revoke_token(c.conn, c.actor, c.now, id).map(TokenOut::from))
        .await
}
