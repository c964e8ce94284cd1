//! The audit trail page for administrators.

use actix_web::{get, web, HttpResponse};
use askama::Template;

use super::api::AuditQuery;
use super::model::changed_fields;
use super::service;
use crate::org::service::units;
use crate::pagination::PageRequest;
use crate::web::context::{local_time, Ctx, Pager};
use crate::web::error::PageError;
use crate::web::Page;

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
async fn list(page: Page, q: web::Query<AuditQuery>) -> Result<HttpResponse, PageError> {
    let tz = page.state().config.timezone;
    let (filter, page_req) = (q.filter(tz), PageRequest::new(q.page, Some(50)));
    page.show(
        move |c| {
            Ok((
                service::list(c.conn, c.actor, filter, page_req)?,
                units::names(c.conn, false)?,
            ))
        },
        |ctx, (list, names)| {
            let text = |v: &Option<String>| v.clone().unwrap_or_default();
            let date = |v: &Option<chrono::NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
            let entity_id = q.entity_id.map(|i| i.to_string()).unwrap_or_default();
            let filters = [
                ("entity", text(&q.entity)),
                ("entity_id", entity_id),
                ("action", text(&q.action)),
                ("from", date(&q.from)),
                ("to", date(&q.to)),
            ];
            let pager = Pager::new(&list, &filters);
            let rows = list.items.into_iter().map(|r| row(r, &names, tz)).collect();
            let [(_, entity), (_, entity_id), (_, action), (_, from), (_, to)] = filters;
            ListPage {
                ctx,
                rows,
                entity,
                entity_id,
                action,
                from,
                to,
                pager,
            }
        },
    )
    .await
}

fn row(r: super::store::AuditRow, names: &[(i64, String)], tz: chrono_tz::Tz) -> Row {
    let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str(s).ok());
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
}
