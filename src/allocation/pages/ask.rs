//! The request form (调拨申请/借用申请) and, for office staff, the emergency order (调令): a few item lines
//! with quantity and an optional source, no JavaScript; refused, it comes back with everything typed.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Timelike, Utc};
use serde::Deserialize;

use super::{text, LABELS};
use crate::allocation::model::{LineAsk, Priority, RequestKind};
use crate::allocation::service::asking::{self, RequestInput};
use crate::allocation::service::options::{self, AskOptions};
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::inventory::model::{as_typed, Quantity};
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::forms::{optional_date, optional_id};
use crate::web::typed::{submit_or_again, Refused, Typed};
use crate::web::{render, Page};

/// Item lines the form offers (a request for more items is sent through the API, or as a second request).
const FORM_LINES: usize = 6;

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(new_form).service(create).service(create_order);
}

/// What the form opens with (from the sourcing view's "ask from here", or a loan link).
#[derive(Debug, Clone, Default, Deserialize)]
struct Prefill {
    order: Option<String>,
    kind: Option<String>,
    item_id: Option<String>,
    from_warehouse_id: Option<String>,
    to_warehouse_id: Option<String>,
}

/// An id a link names (nothing when it names none, or something else).
fn linked(v: &Option<String>) -> Option<i64> {
    v.as_deref().and_then(|v| v.trim().parse().ok())
}

/// A line of the form as typed or prefilled.
struct DraftLine {
    n: usize,
    item: String,
    qty: String,
    from: String,
}

/// The form's fields as typed (or as the form opens).
struct Draft {
    kind: String,
    unit: String,
    to: String,
    priority: String,
    needed_by: String,
    purpose: String,
    return_due: String,
    lines: Vec<DraftLine>,
}

impl Draft {
    fn of(typed: &Typed, p: &Prefill, o: &AskOptions, needed_by: String) -> Draft {
        let id = |v: Option<i64>| v.map(|i| i.to_string()).unwrap_or_default();
        let or = |name: &str, shown: String| typed.or("ask", name, shown);
        Draft {
            kind: or("kind", p.kind.clone().unwrap_or_else(|| "transfer".into())),
            unit: or("unit_id", id(o.default_unit)),
            to: or(
                "to_warehouse_id",
                id(linked(&p.to_warehouse_id).or(o.default_destination)),
            ),
            priority: or("priority", "normal".into()),
            needed_by: or("needed_by", needed_by),
            purpose: or("purpose", String::new()),
            return_due: or("return_due", String::new()),
            lines: (1..=FORM_LINES)
                .map(|n| {
                    let first = |v: Option<i64>| if n == 1 { id(v) } else { String::new() };
                    DraftLine {
                        n,
                        item: or(&format!("item_{n}"), first(linked(&p.item_id))),
                        qty: or(&format!("qty_{n}"), String::new()),
                        from: or(&format!("from_{n}"), first(linked(&p.from_warehouse_id))),
                    }
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "allocation/new.html")]
struct NewPage {
    ctx: Ctx,
    order: bool,
    o: AskOptions,
    kinds: Vec<(&'static str, &'static str)>,
    priorities: Vec<(&'static str, &'static str)>,
    d: Draft,
    typed: Typed,
}

/// The form as it opens, or refused with what was typed.
async fn form_view(
    page: &Page,
    p: Prefill,
    refused: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let order = p.order.as_deref() == Some("1");
    let (ctx, (o, needed_by)) = page
        .run(move |c| {
            let o = options::ask_options(c.conn, c.actor)?;
            if (order && !o.may_order) || (!order && o.units.is_empty()) {
                return Err(ServiceError::Forbidden);
            }
            // Tomorrow at this hour, as the browser's datetime-local field writes it.
            let soon = (c.now + Duration::days(1)).with_timezone(&c.tz);
            let soon = soon.with_minute(0).unwrap_or(soon);
            Ok((o, soon.format("%Y-%m-%dT%H:%M").to_string()))
        })
        .await?;
    let lang = ctx.lang;
    let (typed, status) = Typed::of(refused, lang, LABELS);
    let view = NewPage {
        order,
        d: Draft::of(&typed, &p, &o, needed_by),
        kinds: RequestKind::ALL
            .iter()
            .map(|k| (k.code(), k.label(lang)))
            .collect(),
        priorities: Priority::ALL
            .iter()
            .map(|k| (k.code(), k.label(lang)))
            .collect(),
        o,
        typed,
        ctx,
    };
    render(&view, status)
}

#[get("/allocations/new")]
async fn new_form(page: Page, q: web::Query<Prefill>) -> Result<HttpResponse, PageError> {
    form_view(&page, q.into_inner(), None).await
}

/// A time typed into a `datetime-local` field (`2026-11-29T18:00`), in the office's zone.
fn local_instant(
    field: &'static str,
    raw: &str,
    tz: chrono_tz::Tz,
) -> Result<DateTime<Utc>, ServiceError> {
    let bad = || {
        ServiceError::invalid(
            field,
            "时间格式应为 年-月-日 时:分，例如 2026-11-29 18:00",
            "A time is year-month-day hour:minute, e.g. 2026-11-29 18:00",
        )
    };
    let raw = raw.trim();
    let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .ok_or_else(bad)?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(bad)
}

/// The request the form describes, or the first thing wrong with it.
fn input(f: &[(String, String)], tz: chrono_tz::Tz) -> Result<RequestInput, ServiceError> {
    let kind = RequestKind::parse(text(f, "kind"))?;
    let chosen = |field: &'static str, zh: &'static str, en: &'static str| {
        optional_id(field, text(f, field))?.ok_or_else(|| ServiceError::invalid(field, zh, en))
    };
    let mut lines = Vec::new();
    for n in 1..=FORM_LINES {
        let (item, qty) = (text(f, &format!("item_{n}")), text(f, &format!("qty_{n}")));
        if item.is_empty() && qty.is_empty() {
            continue;
        }
        let item_id = optional_id("item_id", item)?.ok_or_else(|| {
            ServiceError::invalid(
                "item_id",
                "请为填写了数量的每一行选择物资",
                "Choose the item of every line with a quantity",
            )
        })?;
        lines.push(LineAsk {
            item_id,
            qty: Quantity::parse_positive("qty", &as_typed(qty))?,
            from_warehouse_id: optional_id("from_warehouse_id", text(f, &format!("from_{n}")))?,
        });
    }
    Ok(RequestInput {
        kind,
        unit_id: chosen("unit_id", "请选择申请单位", "Choose the requesting unit")?,
        to_warehouse_id: chosen(
            "to_warehouse_id",
            "请选择调入储备库",
            "Choose where the goods go",
        )?,
        priority: Priority::parse(text(f, "priority"))?,
        needed_by: local_instant("needed_by", text(f, "needed_by"), tz)?,
        purpose: text(f, "purpose").to_string(),
        // The field is on the form for both kinds; only a loan comes back.
        return_due: match kind {
            RequestKind::Loan => optional_date("return_due", text(f, "return_due"))?,
            RequestKind::Transfer => None,
        },
        lines,
    })
}

async fn submit(
    page: Page,
    f: Vec<(String, String)>,
    emergency: bool,
) -> Result<HttpResponse, PageError> {
    let typed = f.clone();
    let prefill = Prefill {
        order: emergency.then(|| "1".to_string()),
        ..Default::default()
    };
    submit_or_again(
        &page,
        "ask",
        typed,
        move |c| {
            let input = input(&f, c.tz)?;
            if emergency {
                asking::order(c.conn, c.actor, c.now, c.config, input)
            } else {
                asking::create(c.conn, c.actor, c.now, c.config, input)
            }
        },
        |v| {
            let no = &v.request.no;
            let text = if v.request.emergency {
                Text::new(
                    format!("已下达调令 {no}，库存已按可用数量预留"),
                    format!("Emergency order {no} issued; stock held as far as it is free"),
                )
            } else {
                Text::new(
                    format!("已提交申请 {no}，等待审批"),
                    format!("Request {no} sent for approval"),
                )
            };
            (text, format!("/allocations/{}", v.request.id))
        },
        |refused| form_view(&page, prefill, Some(refused)),
    )
    .await
}

#[post("/allocations")]
async fn create(
    page: Page,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    submit(page, f, false).await
}

#[post("/allocations/orders")]
async fn create_order(
    page: Page,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    submit(page, f, true).await
}
