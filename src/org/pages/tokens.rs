//! Each account's own API tokens: list, create (shown once), revoke.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::i18n::Text;
use crate::org::service::auth;
use crate::org::store::ApiToken;
use crate::web::context::{local_time, Ctx};
use crate::web::csrf::{CsrfForm, Empty};
use crate::web::error::PageError;
use crate::web::Page;

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

fn view(page: &Page, ctx: Ctx, mine: Vec<ApiToken>, new_token: Option<String>) -> TokensPage {
    let tz = page.state().config.timezone;
    TokensPage {
        ctx,
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
        base_url: page.state().config.base_url.clone(),
    }
}

#[get("/tokens")]
async fn tokens(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| auth::list_tokens(c.conn, c.actor),
        |ctx, mine| view(&page, ctx, mine, None),
    )
    .await
}

#[derive(Deserialize)]
struct TokenForm {
    name: String,
}

/// Creates a token and shows it once on the answer itself (it is never stored in plain text).
#[post("/tokens")]
async fn create_token(
    page: Page,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Result<HttpResponse, PageError> {
    page.show(
        move |c| {
            let (_, plain) = auth::create_token(c.conn, c.actor, c.now, &form.name)?;
            Ok((auth::list_tokens(c.conn, c.actor)?, plain))
        },
        |ctx, (mine, plain)| view(&page, ctx, mine, Some(plain)),
    )
    .await
}

#[post("/tokens/{id}/revoke")]
async fn revoke_token(
    page: Page,
    id: web::Path<i64>,
    _: CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    page.act(
        "/tokens",
        move |c| auth::revoke_token(c.conn, c.actor, c.now, id),
        |_| (Text::new("令牌已撤销", "Token revoked"), "/tokens".into()),
    )
    .await
}
