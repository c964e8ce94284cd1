//! Equipment inspection and maintenance (检查维护) pages: a warehouse's equipment with when each is due
//! (needing repair and overdue first), and a batch's page with its history and the form that records an
//! inspection. A refused form comes back with what was typed.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use crate::i18n::{Lang, Text};
use crate::inventory::model::{InspectionDue, InspectionInput, InspectionResult, StockAction};
use crate::inventory::service::inspections::{self as service, InspectedEquipment, InspectionView};
use crate::inventory::service::{may, warehouses as wh_service};
use crate::web::context::{local_time, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::forms::optional_date;
use crate::web::typed::{field, submit_or_again, Refused, Typed};
use crate::web::{render, Page};

/// Where a refused inspection form finds its field's label: `insp.{field}`, `inv.{field}`.
const LABELS: &[&str] = &["insp", "inv"];

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list_page).service(batch_page).service(record);
}

/// A piece of equipment as the pages show it.
struct Line {
    batch_id: i64,
    item: String,
    spec: String,
    batch_no: String,
    /// "8 台", or "—" while the book is hidden.
    qty: String,
    interval: Option<i32>,
    /// "2026-11-20 · 合格", or empty before any inspection.
    last: String,
    next_due: String,
    /// The due state's label and its tag class (`off` overdue, `short` due soon, empty otherwise).
    due: &'static str,
    due_class: &'static str,
    /// Days left ("还有 3 天", "逾期 2 天").
    days: String,
    needs_repair: bool,
}

fn line(e: &InspectedEquipment, lang: Lang) -> Line {
    let days = match e.days_left {
        Some(d) if d < 0 => text(lang, format!("逾期 {} 天", -d), format!("{} days late", -d)),
        Some(0) => text(lang, "今天".into(), "today".into()),
        Some(d) => text(lang, format!("还有 {d} 天"), format!("{d} days left")),
        None => String::new(),
    };
    Line {
        batch_id: e.batch_id,
        item: format!("{} {}", e.item_code, e.item_name),
        spec: e.spec.clone(),
        batch_no: e.batch_no.clone(),
        qty: e
            .qty
            .as_ref()
            .map_or_else(|| "—".to_string(), |q| format!("{q} {}", e.uom)),
        interval: e.inspection_interval_days,
        last: match (e.last_inspected_on, e.last_result) {
            (Some(d), Some(r)) => format!("{d} · {}", r.label(lang)),
            _ => String::new(),
        },
        next_due: e.next_due.map(|d| d.to_string()).unwrap_or_default(),
        due: e.due.map_or("", |d| d.label(lang)),
        due_class: match e.due {
            Some(InspectionDue::Overdue) => "off",
            Some(InspectionDue::DueSoon) => "short",
            _ => "",
        },
        days,
        needs_repair: e.needs_repair,
    }
}

fn text(lang: Lang, zh: String, en: String) -> String {
    Text::new(zh, en).get(lang).to_string()
}

#[derive(Template)]
#[template(path = "inventory/inspections.html")]
struct ListPage {
    ctx: Ctx,
    id: i64,
    name: String,
    lines: Vec<Line>,
}

#[get("/reserves/warehouses/{id}/inspections")]
async fn list_page(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    page.show(
        move |c| {
            let name = wh_service::get(c.conn, c.actor, id)?.warehouse.name;
            Ok((
                name,
                service::equipment_list(c.conn, c.actor, c.now, c.config, id)?,
            ))
        },
        move |ctx, (name, list)| ListPage {
            lines: list.iter().map(|e| line(e, ctx.lang)).collect(),
            ctx,
            id,
            name,
        },
    )
    .await
}

/// An inspection as the history shows it.
struct Row {
    inspected_on: String,
    result: &'static str,
    broken: bool,
    findings: String,
    by: String,
    warehouse: String,
    recorded: String,
}

#[derive(Template)]
#[template(path = "inventory/inspection.html")]
struct BatchPage {
    ctx: Ctx,
    id: i64,
    name: String,
    e: Line,
    history: Vec<Row>,
    can_record: bool,
    results: Vec<(&'static str, &'static str)>,
    /// The result the form offers first: "repaired" for equipment needing repair, else "ok".
    offered: &'static str,
    today: String,
    typed: Typed,
}

/// A batch's page in a warehouse, with the inspection form as typed when it was refused.
async fn batch_view(
    page: &Page,
    id: i64,
    batch_id: i64,
    refused: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (name, found, history, can_record, day)) = page
        .run(move |c| {
            let w = wh_service::get(c.conn, c.actor, id)?.warehouse;
            let found = service::equipment_list(c.conn, c.actor, c.now, c.config, id)?
                .into_iter()
                .find(|e| e.batch_id == batch_id)
                .ok_or_else(|| {
                    crate::error::ServiceError::not_found(
                        "该储备库中的这件设备",
                        "This equipment here",
                    )
                })?;
            let history = service::history(c.conn, c.actor, batch_id)?;
            let can_record = may(c.conn, c.actor, &w, StockAction::Move)?;
            Ok((
                w.name,
                found,
                history,
                can_record,
                crate::clock::today(c.now, c.tz),
            ))
        })
        .await?;
    let (lang, tz) = (ctx.lang, page.state().config.timezone);
    let (typed, status) = Typed::of(refused, lang, LABELS);
    let offered = match found.needs_repair {
        true => InspectionResult::Repaired.code(),
        false => InspectionResult::Passed.code(),
    };
    let view = BatchPage {
        offered,
        e: line(&found, lang),
        history: history.iter().map(|i| row(i, lang, tz)).collect(),
        results: InspectionResult::ALL
            .iter()
            .map(|r| (r.code(), r.label(lang)))
            .collect(),
        today: day.to_string(),
        ctx,
        id,
        name,
        can_record,
        typed,
    };
    render(&view, status)
}

fn row(i: &InspectionView, lang: Lang, tz: chrono_tz::Tz) -> Row {
    Row {
        inspected_on: i.inspection.inspected_on.to_string(),
        result: i.inspection.result.label(lang),
        broken: i.inspection.result.needs_repair(),
        findings: i.inspection.findings.clone(),
        by: i.inspected_by_name.clone(),
        warehouse: i.warehouse.clone(),
        recorded: local_time(&i.inspection.recorded_at, tz),
    }
}

#[get("/reserves/warehouses/{id}/inspections/{batch_id}")]
async fn batch_page(page: Page, path: web::Path<(i64, i64)>) -> Result<HttpResponse, PageError> {
    let (id, batch_id) = path.into_inner();
    batch_view(&page, id, batch_id, None).await
}

#[post("/reserves/warehouses/{id}/inspections/{batch_id}")]
async fn record(
    page: Page,
    path: web::Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let (id, batch_id) = path.into_inner();
    let back = format!("/reserves/warehouses/{id}/inspections/{batch_id}");
    let typed = f.clone();
    submit_or_again(
        &page,
        "inspection",
        typed,
        move |c| {
            let day = optional_date("inspected_on", &field(&f, "inspected_on"))?
                .unwrap_or_else(|| crate::clock::today(c.now, c.tz));
            let input = InspectionInput::parse(day, &field(&f, "result"), &field(&f, "findings"))?;
            service::record(c.conn, c.actor, c.now, c.tz, id, batch_id, input)
        },
        move |i| {
            let text = Text::new(
                format!("已登记检查：{}", i.inspection.result.label(Lang::Zh)),
                format!(
                    "Inspection recorded: {}",
                    i.inspection.result.label(Lang::En)
                ),
            );
            (text, back)
        },
        |refused| batch_view(&page, id, batch_id, Some(refused)),
    )
    .await
}
