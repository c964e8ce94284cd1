//! Corrective actions: the list (mine first), one action with the evidence form (text and a file) for its
//! owner and the verification form for the coordinator.

use actix_multipart::Multipart;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use super::get;
use crate::attachments::{Upload, MAX_BYTES, SCANS};
use crate::clock::today;
use crate::drills::service::actions::{self as service, DrillActionView};
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::web::auth::request_lang;
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::upload::read_form;
use crate::web::{InLang, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(show)
        .service(evidence)
        .service(verify)
        .service(file);
}

#[derive(Template)]
#[template(path = "drills/actions.html")]
struct ListPage {
    ctx: Ctx,
    actions: Vec<DrillActionView>,
    open_only: bool,
}

/// Query: unclosed only.
#[derive(Debug, serde::Deserialize)]
struct OpenQuery {
    all: Option<String>,
}

/// 整改事项: the actions the viewer may see, unclosed ones unless asked for all.
#[get("/drills/actions")]
async fn list(page: Page, q: web::Query<OpenQuery>) -> Result<HttpResponse, PageError> {
    let open_only = q.into_inner().all.is_none();
    page.show(
        move |c| {
            let mut all = service::list(c.conn, c.actor, open_only, today(c.now, c.tz))?;
            let me = c.actor.person_id;
            all.sort_by_key(|a| (Some(a.action.owner_person_id) != me, a.action.due_on));
            Ok(all)
        },
        move |ctx, actions| ListPage {
            ctx,
            actions,
            open_only,
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "drills/action.html")]
struct ActionPage {
    ctx: Ctx,
    a: DrillActionView,
}

/// One action.
#[get("/drills/actions/{id}")]
async fn show(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    page.show(
        move |c| service::get(c.conn, c.actor, id, today(c.now, c.tz)),
        |ctx, a| ActionPage { ctx, a },
    )
    .await
}

/// The owner's evidence, with a photo or PDF (a form with a file).
#[post("/drills/actions/{id}/evidence")]
async fn evidence(
    page: Page,
    id: web::Path<i64>,
    form: Multipart,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let lang = request_lang(page.request());
    let mut sent = read_form(form, page.request(), "file", MAX_BYTES)
        .await
        .page(lang)?;
    let back = format!("/drills/actions/{id}");
    let to = back.clone();
    page.act(
        &back,
        move |c| {
            if sent.too_large {
                return Err(ServiceError::invalid(
                    "file",
                    "文件不能超过 5 MB",
                    "The file may be at most 5 MB",
                ));
            }
            let upload = sent
                .file
                .take()
                .map(|(name, bytes)| Upload::check("file", &name, bytes, SCANS))
                .transpose()?;
            let text = sent.field("evidence").to_string();
            service::submit(
                c.conn,
                c.actor,
                c.now,
                today(c.now, c.tz),
                id,
                &text,
                upload,
            )
        },
        move |_| {
            (
                Text::new(
                    "已提交整改材料，等待验证",
                    "Evidence submitted for verification",
                ),
                to,
            )
        },
    )
    .await
}

/// The coordinator closes the action or rejects the evidence.
#[post("/drills/actions/{id}/verification")]
async fn verify(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/drills/actions/{id}");
    let to = back.clone();
    page.act(
        &back,
        move |c| {
            let accept = get(&fields, "accept") == "yes";
            service::verify(
                c.conn,
                c.actor,
                c.now,
                today(c.now, c.tz),
                id,
                accept,
                get(&fields, "note"),
            )
        },
        move |a| {
            (
                Text::new(
                    format!("整改事项：{}", a.action.state.label(crate::i18n::Lang::Zh)),
                    format!(
                        "Corrective action: {}",
                        a.action.state.label(crate::i18n::Lang::En)
                    ),
                ),
                to,
            )
        },
    )
    .await
}

/// The evidence file.
#[get("/drills/actions/{id}/file")]
async fn file(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let (_, (info, bytes)) = page
        .run(move |c| service::file(c.conn, c.actor, id, today(c.now, c.tz)))
        .await?;
    Ok(crate::drills::api::file_response(
        &format!("evidence-{id}"),
        &info,
        bytes,
    ))
}
