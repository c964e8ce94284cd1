//! The 签收 link's page, without signing in: opening it shows the circular and the unit it acknowledges
//! for and acknowledges nothing (mail gateways open links to scan them); only its button (a POST, with the
//! name of who confirms) acknowledges. A link changed, expired or of a withdrawn circular says so plainly.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use crate::circulars::model::{CircularState, CircularUrgency};
use crate::circulars::service::answering::{self, LinkView};
use crate::circulars::Area;
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::web::context::{flash, local_time, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::{status_of, PageError};
use crate::web::{client_address, render, see_other, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(open).service(confirm);
}

#[derive(Template)]
#[template(path = "circulars/link.html")]
struct LinkPage {
    ctx: Ctx,
    token: String,
    v: Option<LinkView>,
    problem: Option<String>,
    due: String,
    acked: String,
    expires: String,
    urgent: bool,
    urgency: &'static str,
    open: bool,
    withdrawn: bool,
    name: String,
}

fn page_of(
    page: &Page,
    token: String,
    found: Result<LinkView, ServiceError>,
    problem: Option<ServiceError>,
    name: String,
) -> Result<HttpResponse, PageError> {
    let ctx = page.ctx(None);
    let tz = page.state().config.timezone;
    let lang = ctx.lang;
    let (v, mut status, mut message) = match found {
        Ok(v) => (Some(v), StatusCode::OK, None),
        Err(e) => (None, status_of(&e), Some(e.message(lang))),
    };
    if let Some(e) = problem {
        status = status_of(&e);
        message = Some(match &e {
            ServiceError::Invalid { .. } => {
                format!(
                    "{}{}{}",
                    lang.t("ci.signer"),
                    lang.t("colon"),
                    e.message(lang)
                )
            }
            _ => e.message(lang),
        });
    }
    if status == StatusCode::NOT_FOUND {
        message = Some(lang.t("ci.link_invalid").to_string());
    }
    let view = LinkPage {
        due: v
            .as_ref()
            .map(|v| local_time(&v.ack_due, tz))
            .unwrap_or_default(),
        acked: v
            .as_ref()
            .and_then(|v| {
                v.acked_at
                    .map(|t| format!("{} {}", local_time(&t, tz), v.acked_name))
            })
            .unwrap_or_default(),
        expires: v
            .as_ref()
            .map(|v| local_time(&v.expires.naive_utc(), tz))
            .unwrap_or_default(),
        urgent: v
            .as_ref()
            .is_some_and(|v| v.urgency != CircularUrgency::Routine),
        urgency: v
            .as_ref()
            .map(|v| v.urgency.label(lang))
            .unwrap_or_default(),
        open: v
            .as_ref()
            .is_some_and(|v| v.state == CircularState::Issued && v.acked_at.is_none()),
        withdrawn: v
            .as_ref()
            .is_some_and(|v| v.state == CircularState::Withdrawn),
        problem: message,
        token,
        v,
        name,
        ctx,
    };
    render(&view, status)
}

#[get("/circulars/ack/{token}")]
async fn open(
    page: Page,
    area: web::Data<Area>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let (key, now, t) = (area.key.clone(), page.state().now(), token.clone());
    let found = page
        .state()
        .db(move |c| answering::link_view(c, &key, &t, now))
        .await;
    page_of(&page, token, found, None, String::new())
}

#[derive(serde::Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    name: String,
}

#[post("/circulars/ack/{token}")]
async fn confirm(
    page: Page,
    area: web::Data<Area>,
    token: web::Path<String>,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let (key, now, t) = (area.key.clone(), page.state().now(), token.clone());
    let address = client_address(page.request());
    let name = f.name.clone();
    let done = page
        .state()
        .db(move |c| answering::acknowledge_by_link(c, &key, now, &t, &name, &address))
        .await;
    match done {
        Ok(_) => {
            flash(
                page.session(),
                true,
                Text::new("已签收，感谢！", "Acknowledged, thank you."),
            );
            Ok(see_other(&format!("/circulars/ack/{token}")))
        }
        Err(e) => {
            let (key, t) = (area.key.clone(), token.clone());
            let found = page
                .state()
                .db(move |c| answering::link_view(c, &key, &t, now))
                .await;
            page_of(&page, token, found, Some(e), f.name)
        }
    }
}
