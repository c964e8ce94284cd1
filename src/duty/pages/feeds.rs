//! Calendar feeds on the pages: the feed itself at `/duty/feeds/{secret}.ics` for calendar programs (no
//! sign-in: the secret in the address is the credential), making one (its address shown this once) and
//! revoking one.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::duty::service::feeds::{self, Subject};
use crate::i18n::Text;
use crate::state::AppState;
use crate::web::auth::request_lang;
use crate::web::context::{flash, safe_next, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{render, see_other, InLang, Page, Refusal};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(feed).service(create).service(revoke);
}

/// The feed as calendar programs fetch it: no session and no bearer token; an unknown or revoked secret
/// answers 404.
#[get("/duty/feeds/{secret}.ics")]
async fn feed(
    state: web::Data<AppState>,
    req: HttpRequest,
    secret: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (cfg, now, secret) = (state.config.clone(), state.now(), secret.into_inner());
    let ics = state
        .db(move |c| feeds::calendar(c, &cfg, now, &secret))
        .await
        .page(request_lang(&req))?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(ics))
}

#[derive(Template)]
#[template(path = "duty/feed.html")]
struct CreatedPage {
    ctx: Ctx,
    url: String,
    /// The same address as `webcal://`, which phones open in their calendar.
    webcal: String,
    back: String,
}

#[derive(Deserialize)]
struct FeedForm {
    person_id: Option<i64>,
    roster_id: Option<i64>,
}

/// Makes a feed and shows its address on the answer itself (it is never stored in plain text); a refusal
/// goes back with its message.
#[post("/duty/feeds")]
async fn create(page: Page, CsrfForm(f): CsrfForm<FeedForm>) -> Result<HttpResponse, PageError> {
    let back = match f.roster_id {
        Some(r) => format!("/duty/rosters/{r}"),
        None => "/duty/mine".into(),
    };
    let (ctx, _, result) = page
        .attempt(move |c| {
            let subject = Subject::of(f.person_id, f.roster_id)?;
            feeds::create(c.conn, c.config, c.actor, c.now, subject)
        })
        .await?;
    match result {
        Ok(new) => {
            let webcal = match new.url.split_once("://") {
                Some((_, rest)) => format!("webcal://{rest}"),
                None => new.url.clone(),
            };
            let page = CreatedPage {
                ctx,
                url: new.url,
                webcal,
                back,
            };
            render(&page, StatusCode::OK)
        }
        Err(e) => {
            let refused = Refusal::of(e, ctx.lang)?;
            let message = Text::new(refused.message.clone(), refused.message);
            flash(page.session(), false, message);
            Ok(see_other(&back))
        }
    }
}

#[derive(Deserialize)]
struct RevokeForm {
    next: Option<String>,
}

#[post("/duty/feeds/{id}/revoke")]
async fn revoke(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<RevokeForm>,
) -> Result<HttpResponse, PageError> {
    let (id, next) = (id.into_inner(), safe_next(f.next.as_deref()));
    page.act(
        &next.clone(),
        move |c| feeds::revoke(c.conn, c.actor, c.now, id),
        |_| (Text::new("订阅链接已撤销", "Feed link revoked"), next),
    )
    .await
}
