//! The audit trail page for administrators.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};
use askama::Template;

use super::api::AuditQuery;
use super::model::changed_fields;
use super::service;
use crate::org::pages::render;
use crate::org::service::units;
use crate::pagination::PageRequest;
use crate::web::auth::PageActor;
use crate::web::context::{local_time, Ctx, Pager};
use crate::web::error::PageError;
use crate::web::{AppState, InLang};

/// Registers the page.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list);
}

struct Row {
    at: String,
    actor: String,
    unit: String,
    entity: String,
    entity_id: Option<i64>,
    action: String,
    changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<Row>,
    entity: String,
    entity_id: String,
    action: String,
    from: String,
    to: String,
    pager: Pager,
}

#[get("/audit")]
async fn list(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    q: web::Query<AuditQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = actor.lang;
    let tz = state.config.timezone;
    let filter = q.filter(tz);
    let page_req = PageRequest::new(q.page, Some(50));
    let a = actor.clone();
    let (page, names) = state
        .db(move |c| {
            Ok((
                service::list(c, &a, filter, page_req)?,
                units::names(c, false)?,
            ))
        })
        .await
        .page(lang)?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |v: &Option<chrono::NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
    let filters = [
        ("entity", text(&q.entity)),
        (
            "entity_id",
            q.entity_id.map(|i| i.to_string()).unwrap_or_default(),
        ),
        ("action", text(&q.action)),
        ("from", date(&q.from)),
        ("to", date(&q.to)),
    ];
    let pager = Pager::new(&page, &filters);
    let rows = page
        .items
        .into_iter()
        .map(|r| {
            let parse =
                |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str(s).ok());
            let (before, after): (Option<serde_json::Value>, Option<serde_json::Value>) =
                (parse(&r.before_json), parse(&r.after_json));
            Row {
                at: local_time(&r.at, tz),
                actor: r.actor_name,
                unit: r
                    .unit_id
                    .and_then(|u| names.iter().find(|(i, _)| *i == u))
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
                entity: r.entity,
                entity_id: r.entity_id,
                action: r.action,
                changes: changed_fields(before.as_ref(), after.as_ref()),
            }
        })
        .collect();
    let [(_, entity), (_, entity_id), (_, action), (_, from), (_, to)] = filters;
    let page = ListPage {
        ctx: Ctx::new(&req, &session, Some(&actor)),
        rows,
        entity,
        entity_id,
        action,
        from,
        to,
        pager,
    };
    render(&page, StatusCode::OK)
}
