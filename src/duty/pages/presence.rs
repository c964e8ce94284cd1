//! The presence check's link (查岗), made for a phone: opening it shows who is asked and by when; only its
//! button confirms (mail gateways follow links in emails). Needs no sign-in: the link's secret is the
//! credential. And the form on a shift's page that asks.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use crate::duty::service::presence::{self, Asked};
use crate::i18n::Text;
use crate::web::context::Ctx;
use crate::web::csrf::{CsrfForm, Empty};
use crate::web::error::PageError;
use crate::web::typed::{field, submit_or_again};
use crate::web::{client_address, render, Page, Refusal};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show).service(confirm).service(ask);
}

#[derive(Template)]
#[template(path = "duty/presence.html")]
struct PresencePage {
    ctx: Ctx,
    token: String,
    asked: Option<Asked>,
    /// Confirmed (now or before): when, in office time.
    confirmed: Option<String>,
    late: bool,
    error: Option<String>,
}

fn view(
    page: &Page,
    token: String,
    asked: Option<Asked>,
    error: Option<Refusal>,
    tz: chrono_tz::Tz,
) -> Result<HttpResponse, PageError> {
    let status = error.as_ref().map_or(StatusCode::OK, |e| e.status);
    let confirmed = asked
        .as_ref()
        .and_then(|a| a.check.confirmed_at)
        .map(|t| t.and_utc().with_timezone(&tz).format("%H:%M").to_string());
    let late = asked
        .as_ref()
        .is_some_and(|a| a.check.confirmed_at.is_some_and(|t| t > a.check.due_at));
    let page_view = PresencePage {
        ctx: page.ctx(None),
        token,
        asked,
        confirmed,
        late,
        error: error.map(|e| e.message),
    };
    render(&page_view, status)
}

#[get("/duty/presence/{token}")]
async fn show(page: Page, token: web::Path<String>) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let (state, lang) = (page.state().clone(), page.ctx(None).lang);
    let tz = state.config.timezone;
    let t = token.clone();
    match state.db(move |c| presence::asked(c, &t, tz)).await {
        Ok(a) => view(&page, token, Some(a), None, tz),
        Err(e) => view(&page, token, None, Some(Refusal::of(e, lang)?), tz),
    }
}

#[post("/duty/presence/{token}")]
async fn confirm(
    page: Page,
    token: web::Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let (state, lang) = (page.state().clone(), page.ctx(None).lang);
    let (tz, now, from) = (
        state.config.timezone,
        state.now(),
        client_address(page.request()),
    );
    let t = token.clone();
    let result = state
        .db(move |c| presence::confirm(c, &t, now, &from))
        .await;
    let t = token.clone();
    let asked = state.db(move |c| presence::asked(c, &t, tz)).await.ok();
    match result {
        Ok(_) => view(&page, token, asked, None, tz),
        Err(e) => view(&page, token, asked, Some(Refusal::of(e, lang)?), tz),
    }
}

#[post("/duty/shifts/{id}/presence")]
async fn ask(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/duty/shifts/{id}");
    let typed = f.clone();
    submit_or_again(
        &page,
        "presence",
        typed,
        move |c| {
            let minutes = field(&f, "minutes").trim().parse().map_err(|_| {
                crate::error::ServiceError::invalid("minutes", "请填写分钟数", "Enter the minutes")
            })?;
            presence::ask(c.conn, c.config, c.actor, c.now, c.tz, id, minutes)
        },
        move |checks| {
            (
                Text::new(
                    format!("已向 {} 人发出查岗", checks.len()),
                    format!("{} people asked to confirm", checks.len()),
                ),
                back,
            )
        },
        |refused| super::shift::shift_view(&page, id, Some(refused)),
    )
    .await
}
