//! Each account's own notices and its choice of the daily digest.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{rows, Row};
use crate::i18n::Text;
use crate::notify::service;
use crate::org::pages::{act, render};
use crate::pagination::PageRequest;
use crate::web::auth::PageActor;
use crate::web::context::{Ctx, Pager};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{AppState, InLang};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(mine).service(set_digest);
}

#[derive(Template)]
#[template(path = "notify/mine.html")]
struct MinePage {
    ctx: Ctx,
    rows: Vec<Row>,
    digest: Option<bool>,
    pager: Pager,
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<i64>,
}

#[get("/me/notices")]
async fn mine(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, PageError> {
    let (lang, tz, a) = (actor.lang, state.config.timezone, actor.clone());
    let page_req = PageRequest::new(q.page, Some(50));
    let (page, digest) = state
        .db(move |c| {
            let digest = service::digest_choice(c, &a)?;
            let page = match digest {
                Some(_) => service::mine(c, &a, page_req)?,
                None => crate::pagination::Page::new(Vec::new(), 0, page_req),
            };
            Ok((page, digest))
        })
        .await
        .page(lang)?;
    let pager = Pager::new(&page, &[]);
    let page = MinePage {
        ctx: Ctx::new(&req, &session, Some(&actor)),
        rows: rows(page.items, lang, tz),
        digest,
        pager,
    };
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
struct DigestForm {
    digest: Option<String>,
}

#[post("/me/notices/digest")]
async fn set_digest(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    CsrfForm(form): CsrfForm<DigestForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, now) = (actor.lang, state.now());
    let receive = form.digest.as_deref() == Some("on");
    let done = if receive {
        Text::new("将收到每日汇总", "You will receive the daily digest")
    } else {
        Text::new(
            "已退订每日汇总（按职责发给您的通知照常发送）",
            "Digest turned off (notices addressed to you by role still come)",
        )
    };
    act(
        &session,
        &state,
        lang,
        "/me/notices".into(),
        done,
        move |c| service::set_digest(c, &actor, now, receive),
        |_| "/me/notices".into(),
    )
    .await
}
