//! The movement form (every kind of voucher a keeper records), the countersign queue and the movement list.
//! A refused form comes back as the same kind with everything typed kept.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{movement_rows, MovementRow};
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::inventory::model::{
    as_typed, BatchInput, Direction, LineRequest, MovementKind, MovementState, Ownership, Quantity,
};
use crate::inventory::service::entry;
use crate::inventory::service::ledger::{self, MovementRequest, NewBatch};
use crate::inventory::store::ledger::{MovementFilter, Receipt};
use crate::org::service::account_names;
use crate::pagination::{Page as Listing, PageRequest};
use crate::web::context::{Ctx, Pager};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::forms::{optional_date, optional_id};
use crate::web::{render, Page, Refusal};

/// Lines a form offers (a keeper with more lines records a second voucher).
const FORM_LINES: usize = 8;

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(new_form)
        .service(create)
        .service(queue)
        .service(list);
}

/// A line of the form as typed.
#[derive(Debug, Clone, Default)]
struct DraftLine {
    n: usize,
    batch: String,
    qty: String,
    out: String,
}

/// The movement form as typed: shown again unchanged (the same kind, lines, flags and reason) when refused.
#[derive(Debug, Clone)]
struct Draft {
    kind: MovementKind,
    reason: String,
    emergency: bool,
    counterpart: String,
    lines: Vec<DraftLine>,
    /// A receipt's delivery: supplier, delivery note, day received.
    supplier: String,
    document_no: String,
    received_on: String,
    /// A batch received for the first time, created with the receipt.
    new_batch: NewBatchDraft,
}

/// A new batch typed on the receiving form.
#[derive(Debug, Clone, Default)]
struct NewBatchDraft {
    item: String,
    batch_no: String,
    maker: String,
    produced: String,
    expiry: String,
    ownership: String,
    qty: String,
}

impl NewBatchDraft {
    fn is_empty(&self) -> bool {
        self.item.is_empty() && self.batch_no.is_empty() && self.qty.is_empty()
    }

    /// The batch and quantity to receive, or what is wrong with them.
    fn parse(&self) -> Result<Option<NewBatch>, ServiceError> {
        if self.is_empty() {
            return Ok(None);
        }
        let item_id = optional_id("item_id", &self.item)?.ok_or_else(|| {
            ServiceError::invalid(
                "item_id",
                "请选择新批次的物资",
                "Choose the item of the new batch",
            )
        })?;
        let batch = BatchInput::parse(
            &self.batch_no,
            &self.maker,
            optional_date("production_date", &self.produced)?,
            optional_date("expiry_date", &self.expiry)?,
            Ownership::parse(if self.ownership.is_empty() {
                "government"
            } else {
                &self.ownership
            })?,
            None,
        )?;
        Ok(Some(NewBatch {
            item_id,
            batch,
            qty: Quantity::parse_positive("qty", &as_typed(&self.qty))?,
        }))
    }
}

impl Draft {
    fn empty(kind: MovementKind) -> Draft {
        Draft {
            kind,
            reason: String::new(),
            emergency: false,
            counterpart: String::new(),
            lines: (1..=FORM_LINES)
                .map(|n| DraftLine {
                    n,
                    ..Default::default()
                })
                .collect(),
            supplier: String::new(),
            document_no: String::new(),
            received_on: String::new(),
            new_batch: NewBatchDraft::default(),
        }
    }

    /// Reads the submitted fields; the kind comes from the form the keeper was on, whatever else is wrong.
    fn read(pairs: &[(String, String)], fallback: MovementKind) -> Draft {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default()
        };
        Draft {
            kind: MovementKind::parse(&get("kind")).unwrap_or(fallback),
            reason: get("reason"),
            emergency: get("emergency") == "true",
            counterpart: get("counterpart_warehouse_id"),
            lines: (1..=FORM_LINES)
                .map(|n| DraftLine {
                    n,
                    batch: get(&format!("batch_{n}")),
                    qty: get(&format!("qty_{n}")),
                    out: get(&format!("out_{n}")),
                })
                .collect(),
            supplier: get("supplier"),
            document_no: get("document_no"),
            received_on: get("received_on"),
            new_batch: NewBatchDraft {
                item: get("new_item_id"),
                batch_no: get("new_batch_no"),
                maker: get("new_maker"),
                produced: get("new_production_date"),
                expiry: get("new_expiry_date"),
                ownership: get("new_ownership"),
                qty: get("new_qty"),
            },
        }
    }

    /// The request the draft makes (with the new batch to create first, if one was typed), or the first thing
    /// wrong with it.
    fn request(
        &self,
        warehouse_id: i64,
    ) -> Result<(MovementRequest, Option<NewBatch>), ServiceError> {
        let mut lines = Vec::new();
        for l in self
            .lines
            .iter()
            .filter(|l| !(l.batch.is_empty() && l.qty.is_empty()))
        {
            let batch_id = optional_id("batch_id", &l.batch)?.ok_or_else(|| {
                ServiceError::invalid(
                    "batch_id",
                    "请为每行选择批次",
                    "Choose a batch for every line",
                )
            })?;
            lines.push(LineRequest {
                batch_id,
                qty: Quantity::parse_positive("qty", &as_typed(&l.qty))?,
                out: match l.out.as_str() {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                },
            });
        }
        let new_batch = match self.kind.direction() {
            Direction::In => self.new_batch.parse()?,
            _ => None,
        };
        let request = MovementRequest {
            warehouse_id,
            kind: self.kind,
            reason: self.reason.clone(),
            emergency: self.emergency,
            counterpart_warehouse_id: optional_id("counterpart_warehouse_id", &self.counterpart)?,
            lines,
            receipt: Receipt {
                supplier: self.supplier.clone(),
                document_no: self.document_no.clone(),
                received_on: optional_date("received_on", &self.received_on)?,
            },
        };
        Ok((request, new_batch))
    }
}

#[derive(Template)]
#[template(path = "inventory/movement_form.html")]
struct FormPage {
    ctx: Ctx,
    id: i64,
    warehouse: String,
    kind: &'static str,
    kind_label: &'static str,
    kinds: Vec<(&'static str, &'static str)>,
    issue: bool,
    destinations: Vec<(i64, String)>,
    batches: Vec<(i64, String)>,
    /// Items a new batch may be of (receipts).
    items: Vec<(i64, String)>,
    ownerships: Vec<(&'static str, &'static str)>,
    /// The count under way in the warehouse, if any.
    counting: Option<i64>,
    draft: Draft,
    error: Option<String>,
    field: &'static str,
}

/// Shows the form for `draft`'s kind, with the refusal of the last attempt if any.
async fn form_page(
    page: &Page,
    id: i64,
    draft: Draft,
    refusal: Option<Refusal>,
) -> Result<HttpResponse, PageError> {
    let kind = draft.kind;
    let (ctx, options) = page
        .run(move |c| entry::options(c.conn, c.actor, id, kind, c.now, c.tz))
        .await?;
    let lang = ctx.lang;
    let issue = kind.direction() != Direction::In;
    let status = refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    let view = FormPage {
        ctx,
        id,
        warehouse: options.warehouse.name,
        kind: kind.code(),
        kind_label: kind.label(lang),
        kinds: MovementKind::ALL
            .iter()
            .filter(|k| k.recordable() && (k.direction() != Direction::In) == issue)
            .map(|k| (k.code(), k.label(lang)))
            .collect(),
        issue,
        destinations: options.destinations,
        batches: options.batches,
        items: options.items,
        ownerships: Ownership::ALL
            .iter()
            .map(|o| (o.code(), o.label(lang)))
            .collect(),
        counting: options.counting,
        draft,
        field: refusal.as_ref().and_then(|r| r.field).unwrap_or(""),
        error: refusal.map(|r| r.message),
    };
    render(&view, status)
}

#[derive(Deserialize)]
struct KindQuery {
    kind: Option<String>,
    /// `1`: the emergency box comes ticked (the emergency buttons during a count).
    emergency: Option<String>,
}

#[get("/reserves/warehouses/{id}/movements/new")]
async fn new_form(
    page: Page,
    id: web::Path<i64>,
    q: web::Query<KindQuery>,
) -> Result<HttpResponse, PageError> {
    let kind = MovementKind::parse(q.kind.as_deref().unwrap_or("purchase"))
        .unwrap_or(MovementKind::Purchase);
    let mut draft = Draft::empty(kind);
    draft.emergency = kind.may_be_emergency() && q.emergency.as_deref() == Some("1");
    form_page(&page, id.into_inner(), draft, None).await
}

#[post("/reserves/warehouses/{id}/movements")]
async fn create(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let draft = Draft::read(&pairs, MovementKind::Purchase);
    let request = draft.request(id);
    let saved = page
        .submit(
            move |c| {
                let (request, new_batch) = request?;
                ledger::receive(c.conn, c.actor, c.now, c.config, request, new_batch)
            },
            |v| {
                let no = &v.movement.voucher_no;
                let text = Text::new(format!("已登记凭证 {no}"), format!("Voucher {no} recorded"));
                (text, format!("/reserves/movements/{}", v.movement.id))
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => form_page(&page, id, draft, Some(refusal)).await,
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
async fn queue(page: Page) -> Result<HttpResponse, PageError> {
    let tz = page.state().config.timezone;
    let all = PageRequest::new(Some(1), Some(PageRequest::MAX_PER_PAGE));
    page.show(
        move |c| {
            let mut rows = Vec::new();
            for filter in [
                MovementFilter {
                    state: Some(MovementState::Pending),
                    ..Default::default()
                },
                MovementFilter {
                    owed: true,
                    ..Default::default()
                },
            ] {
                rows.extend(ledger::list(c.conn, c.actor, None, filter, all)?.items);
            }
            Ok((rows, account_names(c.conn)?))
        },
        |ctx, (rows, names)| {
            let total = rows.len() as i64;
            let listing = Listing::new(rows, total, all);
            ListPage {
                title: ctx.lang.t("inv.queue"),
                pager: Pager::new(&listing, &[]),
                movements: movement_rows(listing.items, &names, ctx.lang, tz),
                ctx,
            }
        },
    )
    .await
}

#[derive(Deserialize)]
struct ListQuery {
    warehouse_id: Option<i64>,
    page: Option<i64>,
}

#[get("/reserves/movements")]
async fn list(page: Page, q: web::Query<ListQuery>) -> Result<HttpResponse, PageError> {
    let (tz, wid) = (page.state().config.timezone, q.warehouse_id);
    let page_req = PageRequest::new(q.page, Some(50));
    page.show(
        move |c| {
            Ok((
                ledger::list(c.conn, c.actor, wid, MovementFilter::default(), page_req)?,
                account_names(c.conn)?,
            ))
        },
        |ctx, (listing, names)| ListPage {
            title: ctx.lang.t("inv.ledger"),
            pager: Pager::new(
                &listing,
                &[(
                    "warehouse_id",
                    wid.map(|w| w.to_string()).unwrap_or_default(),
                )],
            ),
            movements: movement_rows(listing.items, &names, ctx.lang, tz),
            ctx,
        },
    )
    .await
}
