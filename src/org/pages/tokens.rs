//! Each account's own API tokens: list, create (shown once), revoke.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{render, see_other};
use crate::i18n::Text;
use crate::org::model::Actor;
use crate::org::service::auth;
use crate::web::auth::PageActor;
use crate::web::context::{flash, local_time, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{AppState, InLang};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(tokens)
        .service(create_token)
        .service(revoke_token);
}

struct TokenRow {
    id: i64,
    name: String,
    created: String,
    last_used: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "org/tokens.html")]
struct TokensPage {
    ctx: Ctx,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    base_url: String,
}

async fn tokens_page(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    actor: &Actor,
    new_token: Option<String>,
) -> Result<HttpResponse, PageError> {
    let a = actor.clone();
    let mine = state
        .db(move |c| auth::list_tokens(c, &a))
        .await
        .page(actor.lang)?;
    let tz = state.config.timezone;
    let page = TokensPage {
        ctx: Ctx::new(req, session, Some(actor)),
        tokens: mine
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                created: local_time(&t.created_at, tz),
                last_used: t
                    .last_used_at
                    .map(|u| local_time(&u, tz))
                    .unwrap_or_default(),
                revoked: t.revoked_at.is_some(),
                name: t.name,
            })
            .collect(),
        new_token,
        base_url: state.config.base_url.clone(),
    };
    render(&page, StatusCode::OK)
}

#[get("/tokens")]
async fn tokens(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
) -> Result<HttpResponse, PageError> {
    tokens_page(&req, &session, &state, &actor, None).await
}

#[derive(Deserialize)]
struct TokenForm {
    name: String,
}

/// Creates a token and shows it once on the answer itself (it is never stored in plain text).
#[post("/tokens")]
async fn create_token(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Result<HttpResponse, PageError> {
    let (now, a) = (state.now(), actor.clone());
    let (_, plain) = state
        .db(move |c| auth::create_token(c, &a, now, &form.name))
        .await
        .page(actor.lang)?;
    tokens_page(&req, &session, &state, &actor, Some(plain)).await
}

#[derive(Deserialize)]
struct Empty {}

#[post("/tokens/{id}/revoke")]
async fn revoke_token(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, id) = (actor.lang, state.now(), id.into_inner());
    state
        .db(move |c| auth::revoke_token(c, &actor, now, id))
        .await
        .page(lang)?;
    flash(&session, true, Text::new("令牌已撤销", "Token revoked"));
    Ok(see_other("/tokens"))
}
