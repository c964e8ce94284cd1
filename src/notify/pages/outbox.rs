//! The outbox for administrators: filters, counts by state, a notice's detail, resend and cancel.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{rows, Row};
use crate::i18n::Text;
use crate::notify::api::NoticeQuery;
use crate::notify::model::{Kind, NoticeState};
use crate::notify::service;
use crate::org::pages::{act, render};
use crate::pagination::PageRequest;
use crate::web::auth::PageActor;
use crate::web::context::{local_time, Ctx, Pager};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{AppState, InLang};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(outbox)
        .service(notice)
        .service(retry)
        .service(cancel);
}

#[derive(Template)]
#[template(path = "notify/outbox.html")]
struct OutboxPage {
    ctx: Ctx,
    rows: Vec<Row>,
    counts: Vec<(String, String, i64)>,
    kinds: Vec<(String, String)>,
    state: String,
    kind: String,
    q: String,
    pager: Pager,
}

#[get("/notices")]
async fn outbox(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    q: web::Query<NoticeQuery>,
) -> Result<HttpResponse, PageError> {
    let (lang, tz) = (actor.lang, state.config.timezone);
    let (filter, page_req, a) = (
        q.filter(),
        PageRequest::new(q.page, Some(50)),
        actor.clone(),
    );
    let (page, counts) = state
        .db(move |c| {
            Ok((
                service::list(c, &a, filter, page_req)?,
                service::counts(c, &a)?,
            ))
        })
        .await
        .page(lang)?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let filters = [
        ("state", text(&q.state)),
        ("kind", text(&q.kind)),
        ("q", text(&q.q)),
    ];
    let pager = Pager::new(&page, &filters);
    let [(_, st), (_, kind), (_, qtext)] = filters;
    let page = OutboxPage {
        ctx: Ctx::new(&req, &session, Some(&actor)),
        rows: rows(page.items, lang, tz),
        counts: NoticeState::ALL
            .iter()
            .map(|s| {
                let n = counts
                    .iter()
                    .find(|(c, _)| c == s.code())
                    .map_or(0, |c| c.1);
                (s.code().to_string(), s.label(lang).to_string(), n)
            })
            .collect(),
        kinds: Kind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.label(lang).to_string()))
            .collect(),
        state: st,
        kind,
        q: qtext,
        pager,
    };
    render(&page, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "notify/notice.html")]
struct NoticePage {
    ctx: Ctx,
    row: Row,
    body: String,
    link: String,
    message_id: String,
    next_attempt: String,
}

#[get("/notices/{id}")]
async fn notice(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let (lang, tz, id, a) = (
        actor.lang,
        state.config.timezone,
        id.into_inner(),
        actor.clone(),
    );
    let v = state
        .db(move |c| service::get(c, &a, id))
        .await
        .page(lang)?;
    let (body, link, message_id) = (
        v.notice.body_text.clone(),
        v.notice.link.clone(),
        v.notice.message_id.clone(),
    );
    let next_attempt = local_time(&v.notice.next_attempt_at, tz);
    let row = rows(vec![v], lang, tz).remove(0);
    let page = NoticePage {
        ctx: Ctx::new(&req, &session, Some(&actor)),
        row,
        body,
        link,
        message_id,
        next_attempt,
    };
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
struct Empty {}

#[post("/notices/{id}/retry")]
async fn retry(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, id) = (actor.lang, state.now(), id.into_inner());
    let done = Text::new("已重新排队，稍后发送", "Queued again; it goes out shortly");
    act(
        &session,
        &state,
        lang,
        format!("/notices/{id}"),
        done,
        move |c| service::retry(c, &actor, now, id),
        |v| format!("/notices/{}", v.notice.id),
    )
    .await
}

#[post("/notices/{id}/cancel")]
async fn cancel(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, id) = (actor.lang, state.now(), id.into_inner());
    act(
        &session,
        &state,
        lang,
        format!("/notices/{id}"),
        Text::new("通知已取消", "Notice cancelled"),
        move |c| service::cancel(c, &actor, now, id),
        |v| format!("/notices/{}", v.notice.id),
    )
    .await
}
