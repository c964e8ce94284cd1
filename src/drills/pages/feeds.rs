//! Drill calendar subscriptions on the pages: the feed itself at `/drills/feeds/{secret}.ics` for calendar
//! programs (no sign-in: the secret in the address is the credential), making one from the calendar page
//! (its address shown this once, also as `webcal://`) and revoking one.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;

use crate::drills::service::feeds;
use crate::i18n::Text;
use crate::state::AppState;
use crate::web::auth::request_lang;
use crate::web::context::{flash, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{render, see_other, InLang, Page, Refusal};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(feed).service(create).service(revoke);
}

const BACK: &str = "/drills/calendar";

/// The feed as calendar programs fetch it: no session and no bearer token; an unknown or revoked secret, or
/// a closed maker's account, answers 404.
#[get("/drills/feeds/{secret}.ics")]
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
#[template(path = "drills/feed.html")]
struct CreatedPage {
    ctx: Ctx,
    url: String,
    /// The same address as `webcal://`, which phones open in their calendar.
    webcal: String,
}

#[derive(serde::Deserialize)]
struct NoFields {}

/// Makes a feed and shows its address on the answer itself (it is never stored in plain text); a refusal
/// (the limit of 10) goes back to the calendar with its message.
#[post("/drills/feeds")]
async fn create(page: Page, CsrfForm(_): CsrfForm<NoFields>) -> Result<HttpResponse, PageError> {
    let (ctx, _, result) = page
        .attempt(move |c| feeds::create(c.conn, c.config, c.actor, c.now))
        .await?;
    match result {
        Ok(new) => {
            let webcal = match new.url.split_once("://") {
                Some((_, rest)) => format!("webcal://{rest}"),
                None => new.url.clone(),
            };
            render(
                &CreatedPage {
                    ctx,
                    url: new.url,
                    webcal,
                },
                StatusCode::OK,
            )
        }
        Err(e) => {
            let refused = Refusal::of(e, ctx.lang)?;
            let message = Text::new(refused.message.clone(), refused.message);
            flash(page.session(), false, message);
            Ok(see_other(BACK))
        }
    }
}

#[post("/drills/feeds/{id}/revoke")]
async fn revoke(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    page.act(
        BACK,
        move |c| feeds::revoke(c.conn, c.actor, c.now, id),
        |_| {
            (
                Text::new("演练日历订阅已撤销", "Drill calendar link revoked"),
                BACK.to_string(),
            )
        },
    )
    .await
}
