//! The outbox for administrators: filters, counts by state, a notice's detail, resend and cancel.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use super::{rows, Row};
use crate::i18n::Text;
use crate::notify::api::NoticeQuery;
use crate::notify::model::NoticeState;
use crate::notify::service;
use crate::notify::source::Reminders;
use crate::pagination::PageRequest;
use crate::web::context::{local_time, Ctx, Pager};
use crate::web::csrf::{CsrfForm, Empty};
use crate::web::error::PageError;
use crate::web::Page;

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
    counts: Vec<(&'static str, &'static str, i64)>,
    kinds: Vec<(&'static str, &'static str)>,
    state: String,
    kind: String,
    q: String,
    pager: Pager,
}

#[get("/notices")]
async fn outbox(
    page: Page,
    reminders: web::Data<Reminders>,
    q: web::Query<NoticeQuery>,
) -> Result<HttpResponse, PageError> {
    let (filter, page_req) = (q.filter(), PageRequest::new(q.page, Some(50)));
    let tz = page.state().config.timezone;
    page.show(
        move |c| {
            Ok((
                service::list(c.conn, c.actor, filter, page_req)?,
                service::counts(c.conn, c.actor)?,
            ))
        },
        |ctx, (list, counts)| {
            let lang = ctx.lang;
            let text = |v: &Option<String>| v.clone().unwrap_or_default();
            let state = q.state.map(|s| s.code().to_string()).unwrap_or_default();
            let filters = [
                ("state", state.clone()),
                ("kind", text(&q.kind)),
                ("q", text(&q.q)),
            ];
            OutboxPage {
                pager: Pager::new(&list, &filters),
                rows: rows(list.items, &reminders, lang, tz),
                counts: NoticeState::ALL
                    .iter()
                    .map(|s| {
                        let n = counts.iter().find(|(c, _)| c == s).map_or(0, |c| c.1);
                        (s.code(), s.label(lang), n)
                    })
                    .collect(),
                kinds: reminders.kinds().map(|k| (k.code, k.label(lang))).collect(),
                state,
                kind: text(&q.kind),
                q: text(&q.q),
                ctx,
            }
        },
    )
    .await
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
    page: Page,
    reminders: web::Data<Reminders>,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let (id, tz) = (id.into_inner(), page.state().config.timezone);
    page.show(
        move |c| service::get(c.conn, c.actor, id),
        |ctx, v| NoticePage {
            body: v.notice.body_text.clone(),
            link: v.notice.link.clone(),
            message_id: v.notice.message_id.clone(),
            next_attempt: local_time(&v.notice.next_attempt_at, tz),
            row: rows(vec![v], &reminders, ctx.lang, tz).remove(0),
            ctx,
        },
    )
    .await
}

#[post("/notices/{id}/retry")]
async fn retry(
    page: Page,
    id: web::Path<i64>,
    _: CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let here = format!("/notices/{id}");
    page.act(
        &here,
        move |c| service::retry(c.conn, c.actor, c.now, id),
        move |_| {
            let text = Text::new(
                "已重新排队，稍后发给尚未收到的人",
                "Queued again for those who have not got it",
            );
            (text, format!("/notices/{id}"))
        },
    )
    .await
}

#[post("/notices/{id}/cancel")]
async fn cancel(
    page: Page,
    id: web::Path<i64>,
    _: CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let here = format!("/notices/{id}");
    page.act(
        &here,
        move |c| service::cancel(c.conn, c.actor, c.now, id),
        move |_| {
            (
                Text::new("通知已取消", "Notice cancelled"),
                format!("/notices/{id}"),
            )
        },
    )
    .await
}
