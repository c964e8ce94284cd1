//! Notice pages: the outbox for administrators (filters, retry, cancel), each unit's settings with a test
//! email, and each account's own notices with the digest choice.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::api::NoticeQuery;
use super::model::{EmailAddress, Kind, Mode, NoticeState, Reason};
use super::service::{self, KindMode, NoticeView, SettingsInput, UnitNoticeSettings};
use crate::i18n::{Lang, Text};
use crate::org::pages::{act, form_error, render, see_other};
use crate::pagination::PageRequest;
use crate::web::auth::PageActor;
use crate::web::context::{flash, local_time, Ctx, Pager};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{AppState, InLang};

/// Registers the pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(outbox)
        .service(notice)
        .service(retry)
        .service(cancel)
        .service(mine)
        .service(set_digest)
        .service(unit_settings)
        .service(save_unit_settings)
        .service(test_email);
}

/// A notice as a page row.
struct Row {
    id: i64,
    created: String,
    kind: String,
    subject: String,
    to: String,
    state: String,
    state_label: String,
    attempts: i32,
    error: String,
    sent: String,
    can_retry: bool,
    can_cancel: bool,
}

fn rows(views: Vec<NoticeView>, lang: Lang, tz: chrono_tz::Tz) -> Vec<Row> {
    views
        .into_iter()
        .map(|v| {
            let n = v.notice;
            let state = NoticeState::parse(&n.state).ok();
            Row {
                id: n.id,
                created: local_time(&n.created_at, tz),
                kind: Kind::parse(&n.kind)
                    .map(|k| k.label(lang).to_string())
                    .unwrap_or(n.kind),
                subject: n.subject,
                to: v
                    .recipients
                    .iter()
                    .map(|r| {
                        let why = Reason::parse(&r.reason)
                            .map(|x| x.label(lang))
                            .unwrap_or("");
                        format!("{} ({why})", r.address)
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                state_label: state.map(|s| s.label(lang)).unwrap_or("").to_string(),
                state: n.state,
                attempts: n.attempts,
                error: n.last_error.unwrap_or_default(),
                sent: n.sent_at.map(|t| local_time(&t, tz)).unwrap_or_default(),
                can_retry: state.is_some_and(|s| super::model::check_retry(s).is_ok()),
                can_cancel: state.is_some_and(|s| super::model::check_cancel(s).is_ok()),
            }
        })
        .collect()
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

#[derive(Template)]
#[template(path = "notify/unit_settings.html")]
struct SettingsPage {
    ctx: Ctx,
    settings: UnitNoticeSettings,
    contacts: String,
    /// (kind, label, chosen mode)
    kinds: Vec<(String, String, String)>,
    modes: Vec<(String, String)>,
    error: Option<String>,
}

fn settings_page(
    req: &HttpRequest,
    session: &Session,
    actor: &crate::org::model::Actor,
    settings: UnitNoticeSettings,
    contacts: Option<String>,
    error: Option<String>,
) -> SettingsPage {
    let lang = actor.lang;
    SettingsPage {
        ctx: Ctx::new(req, session, Some(actor)),
        contacts: contacts.unwrap_or_else(|| settings.contact_emails.join("\n")),
        kinds: settings
            .modes
            .iter()
            .map(|m| {
                let label = Kind::parse(&m.kind).map(|k| k.label(lang)).unwrap_or("");
                (m.kind.clone(), label.to_string(), m.mode.clone())
            })
            .collect(),
        modes: Mode::ALL
            .iter()
            .map(|m| (m.code().to_string(), m.label(lang).to_string()))
            .collect(),
        settings,
        error,
    }
}

#[get("/units/{id}/notices")]
async fn unit_settings(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, a) = (actor.lang, id.into_inner(), actor.clone());
    let s = state
        .db(move |c| service::settings(c, &a, id))
        .await
        .page(lang)?;
    render(
        &settings_page(&req, &session, &actor, s, None, None),
        StatusCode::OK,
    )
}

#[post("/units/{id}/notices")]
async fn save_unit_settings(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, now, a) = (actor.lang, id.into_inner(), state.now(), actor.clone());
    let contacts = pairs
        .iter()
        .find(|(k, _)| k == "contact_emails")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let modes: Vec<KindMode> = pairs
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("mode.").map(|kind| KindMode {
                kind: kind.to_string(),
                mode: v.clone(),
            })
        })
        .collect();
    let text = contacts.clone();
    let result = match SettingsInput::parse(&contacts, &modes) {
        Ok(input) => {
            state
                .db(move |c| service::set_settings(c, &a, now, id, input))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            flash(
                &session,
                true,
                Text::new("通知设置已保存", "Notification settings saved"),
            );
            Ok(see_other(&format!("/units/{id}/notices")))
        }
        Err(e) => {
            let (status, message) = form_error(e, lang)?;
            let a = actor.clone();
            let s = state
                .db(move |c| service::settings(c, &a, id))
                .await
                .page(lang)?;
            render(
                &settings_page(&req, &session, &actor, s, Some(text), Some(message)),
                status,
            )
        }
    }
}

#[derive(Deserialize)]
struct TestForm {
    to: String,
}

#[post("/units/{id}/notices/test")]
async fn test_email(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<TestForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, now, cfg) = (
        actor.lang,
        id.into_inner(),
        state.now(),
        state.config.clone(),
    );
    let to = form.to.trim().to_string();
    act(
        &session,
        &state,
        lang,
        format!("/units/{id}/notices"),
        Text::new(
            "测试邮件已排队，几秒内发出；可在发件箱查看结果",
            "Test email queued; it goes out within seconds (see the outbox for the result)",
        ),
        move |c| {
            let to = (!to.is_empty())
                .then(|| EmailAddress::parse(&to))
                .transpose()?;
            service::send_test(c, &actor, &cfg, now, id, to)
        },
        |_| format!("/units/{id}/notices"),
    )
    .await
}
