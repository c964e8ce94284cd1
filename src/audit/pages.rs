//! The audit trail page for administrators.

use actix_web::{get, web, HttpResponse};
use askama::Template;

use super::api::AuditQuery;
use super::model::changed_fields;
use super::service;
use crate::i18n::Lang;
use crate::org::service::{directory, Directory};
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
                directory(c.conn)?,
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
            let lang = ctx.lang;
            let rows = list
                .items
                .into_iter()
                .map(|r| row(r, &names, tz, lang))
                .collect();
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

fn row(r: super::store::AuditRow, names: &Directory, tz: chrono_tz::Tz, lang: Lang) -> Row {
    let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str(s).ok());
    let (before, after): (Option<serde_json::Value>, Option<serde_json::Value>) =
        (parse(&r.before_json), parse(&r.after_json));
    let shown = |key: &str, v: &str| readable(key, v, names, tz, lang);
    Row {
        at: local_time(&r.at, tz),
        actor: r
            .actor_id
            .and_then(|a| names.accounts.get(&a).cloned())
            .unwrap_or(r.actor_name),
        unit: r
            .unit_id
            .and_then(|u| names.units.get(&u).cloned())
            .unwrap_or_default(),
        entity: r.entity,
        entity_id: r.entity_id,
        action: r.action,
        changes: changed_fields(before.as_ref(), after.as_ref())
            .into_iter()
            .map(|(k, b, a)| {
                let label = lang
                    .find(&format!("af.{k}"))
                    .map_or_else(|| k.clone(), str::to_string);
                (label, shown(&k, &b), shown(&k, &a))
            })
            .collect(),
    }
}

/// A recorded value as people see it: names instead of ids, office time instead of UTC, 是/否 for flags.
fn readable(key: &str, v: &str, names: &Directory, tz: chrono_tz::Tz, lang: Lang) -> String {
    let by_id = |map: &std::collections::HashMap<i64, String>, raw: &str| {
        raw.parse::<i64>()
            .ok()
            .and_then(|id| map.get(&id).cloned())
            .unwrap_or_else(|| raw.to_string())
    };
    if v.is_empty() {
        return String::new();
    }
    match key {
        "unit_id" | "parent_id" => by_id(&names.units, v),
        "person_id" | "custodian_id" => by_id(&names.people, v),
        "created_by" | "countersigned_by" | "opened_by" | "closed_by" | "counted_by"
        | "account_id" | "inspected_by" => by_id(&names.accounts, v),
        "custodians" => serde_json::from_str::<Vec<i64>>(v)
            .map(|ids| {
                ids.iter()
                    .map(|id| by_id(&names.people, &id.to_string()))
                    .collect::<Vec<_>>()
                    .join("、")
            })
            .unwrap_or_else(|_| v.to_string()),
        _ => match v {
            "true" => lang.t("yes").to_string(),
            "false" => lang.t("no").to_string(),
            _ => chrono::DateTime::parse_from_rfc3339(v)
                .map(|t| local_time(&t.naive_utc(), tz))
                .unwrap_or_else(|_| v.to_string()),
        },
    }
}
