//! Movement forms, vouchers, signatures, the countersign queue and the movement list.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{movement_rows, MovementRow};
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::inventory::model::{Direction, LineRequest, MovementKind, Quantity, StockAction};
use crate::inventory::service::ledger::{self, MovementRequest};
use crate::inventory::service::{catalogue, visible_warehouses, warehouse_for};
use crate::inventory::store::ledger::{self as ledger_store, MovementFilter};
use crate::org::pages::{form_error, optional_id, render, see_other};
use crate::pagination::PageRequest;
use crate::web::auth::PageActor;
use crate::web::context::{flash, Ctx, Pager};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{AppState, InLang};

/// Lines a form offers (a keeper with more lines records a second voucher).
const FORM_LINES: usize = 8;

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(new_form)
        .service(create)
        .service(queue)
        .service(list);
}

#[derive(Template)]
#[template(path = "inventory/movement_form.html")]
struct FormPage {
    ctx: Ctx,
    id: i64,
    warehouse: String,
    kind: String,
    kind_label: &'static str,
    kinds: Vec<(&'static str, &'static str)>,
    issue: bool,
    destinations: Vec<(i64, String)>,
    batches: Vec<(i64, String)>,
    rows: Vec<usize>,
    reason: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct KindQuery {
    kind: Option<String>,
}

/// What the form shows again: the kind, the typed reason, and an error if the last attempt failed.
struct Draft {
    kind: MovementKind,
    reason: String,
    error: Option<(StatusCode, String)>,
}

async fn form_page(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    actor: &crate::org::model::Actor,
    id: i64,
    draft: Draft,
) -> Result<HttpResponse, PageError> {
    let (lang, a) = (actor.lang, actor.clone());
    let Draft {
        kind,
        reason,
        error,
    } = draft;
    let issue = kind.direction() != Direction::In;
    let (w, batches, destinations) = state
        .db(move |c| {
            let w = warehouse_for(c, &a, id, StockAction::Move)?;
            // Issues offer what is on hand, earliest expiry first (FEFO); receipts offer every batch.
            let batches: Vec<(i64, String)> = if issue {
                ledger_store::stock(c, id, None, None)?
                    .into_iter()
                    .map(|s| {
                        (
                            s.batch_id,
                            format!(
                                "{} {} · {} · {} {}",
                                s.item_code,
                                s.item_name,
                                s.batch_no,
                                Quantity::from_milli(s.qty),
                                s.uom
                            ),
                        )
                    })
                    .collect()
            } else {
                catalogue::batch_labels(c, None)?
                    .into_iter()
                    .map(|b| {
                        (
                            b.batch_id,
                            format!("{} {} · {}", b.item_code, b.item_name, b.batch_no),
                        )
                    })
                    .collect()
            };
            let mut all = visible_warehouses(c, &a)?;
            if kind == MovementKind::TransferOut {
                all = crate::inventory::store::warehouses::all(c)?;
            }
            let destinations = all
                .into_iter()
                .filter(|d| d.id != id && d.active)
                .map(|d| (d.id, d.name))
                .collect();
            Ok((w, batches, destinations))
        })
        .await
        .page(lang)?;
    let (status, error) = error.map_or((StatusCode::OK, None), |(s, e)| (s, Some(e)));
    let page = FormPage {
        ctx: Ctx::new(req, session, Some(actor)),
        id,
        warehouse: w.name,
        kind: kind.code().into(),
        kind_label: kind.label(lang),
        kinds: MovementKind::ALL
            .iter()
            .filter(|k| k.recordable() && (k.direction() != Direction::In) == issue)
            .map(|k| (k.code(), k.label(lang)))
            .collect(),
        issue,
        destinations,
        batches,
        rows: (1..=FORM_LINES).collect(),
        reason,
        error,
    };
    render(&page, status)
}

#[get("/reserves/warehouses/{id}/movements/new")]
async fn new_form(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    q: web::Query<KindQuery>,
) -> Result<HttpResponse, PageError> {
    let kind = MovementKind::parse(q.kind.as_deref().unwrap_or("purchase")).page(actor.lang)?;
    form_page(
        &req,
        &session,
        &state,
        &actor,
        id.into_inner(),
        Draft {
            kind,
            reason: String::new(),
            error: None,
        },
    )
    .await
}

/// Reads the movement form (numbered line fields) into a request.
fn parse_form(
    warehouse_id: i64,
    pairs: &[(String, String)],
) -> Result<MovementRequest, ServiceError> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let kind = MovementKind::parse(&get("kind"))?;
    let mut lines = Vec::new();
    for i in 1..=FORM_LINES {
        let (batch, qty) = (get(&format!("batch_{i}")), get(&format!("qty_{i}")));
        if batch.is_empty() && qty.is_empty() {
            continue;
        }
        let batch_id = optional_id("batch_id", &batch)?.ok_or_else(|| {
            ServiceError::invalid(
                "batch_id",
                "请为每行选择批次",
                "Choose a batch for every line",
            )
        })?;
        let out = match get(&format!("out_{i}")).as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        };
        lines.push(LineRequest {
            batch_id,
            qty: Quantity::parse_positive("qty", &qty)?,
            out,
        });
    }
    Ok(MovementRequest {
        warehouse_id,
        kind,
        reason: get("reason"),
        emergency: get("emergency") == "true",
        counterpart_warehouse_id: optional_id(
            "counterpart_warehouse_id",
            &get("counterpart_warehouse_id"),
        )?,
        lines,
    })
}

#[post("/reserves/warehouses/{id}/movements")]
async fn create(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, now, cfg, a) = (
        actor.lang,
        id.into_inner(),
        state.now(),
        state.config.clone(),
        actor.clone(),
    );
    let parsed = parse_form(id, &pairs);
    let kind = parsed
        .as_ref()
        .map(|r| r.kind)
        .unwrap_or(MovementKind::Purchase);
    let reason = pairs
        .iter()
        .find(|(k, _)| k == "reason")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let result = match parsed {
        Ok(r) => state.db(move |c| ledger::record(c, &a, now, &cfg, r)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(v) => {
            let no = v.movement.voucher_no.clone();
            flash(
                &session,
                true,
                Text::new(format!("已登记凭证 {no}"), format!("Voucher {no} recorded")),
            );
            Ok(see_other(&format!("/reserves/movements/{}", v.movement.id)))
        }
        Err(e) => {
            let shown = form_error(e, lang)?;
            form_page(
                &req,
                &session,
                &state,
                &actor,
                id,
                Draft {
                    kind,
                    reason,
                    error: Some(shown),
                },
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "inventory/movements.html")]
struct ListPage {
    ctx: Ctx,
    title: &'static str,
    movements: Vec<MovementRow>,
    pager: Pager,
}

/// What waits for a second signature, and emergency issues still owing theirs.
#[get("/reserves/queue")]
async fn queue(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
) -> Result<HttpResponse, PageError> {
    let (lang, tz, a) = (actor.lang, state.config.timezone, actor.clone());
    let all = PageRequest::new(Some(1), Some(PageRequest::MAX_PER_PAGE));
    let (pending, owed) = state
        .db(move |c| {
            let pending = ledger::list(
                c,
                &a,
                None,
                MovementFilter {
                    state: Some("pending".into()),
                    ..Default::default()
                },
                all,
            )?;
            let owed = ledger::list(
                c,
                &a,
                None,
                MovementFilter {
                    owed: true,
                    ..Default::default()
                },
                all,
            )?;
            Ok((pending, owed))
        })
        .await
        .page(lang)?;
    let total = pending.total + owed.total;
    let mut rows = pending.items;
    rows.extend(owed.items);
    let page = crate::pagination::Page::new(rows, total, all);
    let pager = Pager::new(&page, &[]);
    render(
        &ListPage {
            ctx: Ctx::new(&req, &session, Some(&actor)),
            title: lang.t("inv.queue"),
            movements: movement_rows(page.items, lang, tz),
            pager,
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct ListQuery {
    warehouse_id: Option<i64>,
    page: Option<i64>,
}

#[get("/reserves/movements")]
async fn list(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let (lang, tz, a, wid) = (
        actor.lang,
        state.config.timezone,
        actor.clone(),
        q.warehouse_id,
    );
    let page_req = PageRequest::new(q.page, Some(50));
    let page = state
        .db(move |c| ledger::list(c, &a, wid, MovementFilter::default(), page_req))
        .await
        .page(lang)?;
    let pager = Pager::new(
        &page,
        &[(
            "warehouse_id",
            wid.map(|w| w.to_string()).unwrap_or_default(),
        )],
    );
    render(
        &ListPage {
            ctx: Ctx::new(&req, &session, Some(&actor)),
            title: lang.t("inv.ledger"),
            movements: movement_rows(page.items, lang, tz),
            pager,
        },
        StatusCode::OK,
    )
}
