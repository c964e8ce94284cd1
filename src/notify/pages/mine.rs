//! Each account's own notices and its choice of the daily digest.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{rows, Row};
use crate::i18n::Text;
use crate::notify::service;
use crate::notify::source::Reminders;
use crate::pagination::{Page as Listing, PageRequest};
use crate::web::context::{Ctx, Pager};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::Page;

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
    page: Page,
    reminders: web::Data<Reminders>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, PageError> {
    let (page_req, tz) = (
        PageRequest::new(q.page, Some(50)),
        page.state().config.timezone,
    );
    page.show(
        move |c| {
            let digest = service::digest_choice(c.conn, c.actor)?;
            let list = match digest {
                Some(_) => service::mine(c.conn, c.actor, page_req)?,
                None => Listing::new(Vec::new(), 0, page_req),
            };
            Ok((list, digest))
        },
        |ctx, (list, digest)| MinePage {
            pager: Pager::new(&list, &[]),
            rows: rows(list.items, &reminders, ctx.lang, tz),
            digest,
            ctx,
        },
    )
    .await
}

#[derive(Deserialize)]
struct DigestForm {
    digest: Option<String>,
}

#[post("/me/notices/digest")]
async fn set_digest(
    page: Page,
    CsrfForm(form): CsrfForm<DigestForm>,
) -> Result<HttpResponse, PageError> {
    let receive = form.digest.as_deref() == Some("on");
    page.act(
        "/me/notices",
        move |c| service::set_digest(c.conn, c.actor, c.now, receive),
        move |_| {
            let text = if receive {
                Text::new("将收到每日汇总", "You will receive the daily digest")
            } else {
                Text::new(
                    "已退订每日汇总（按职责发给您的通知照常发送）",
                    "Digest turned off (notices addressed to you by role still come)",
                )
            };
            (text, "/me/notices".into())
        },
    )
    .await
}
