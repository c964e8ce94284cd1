//! Catalogue pages: items with a new-item form, an item's batches with a new-batch form and its inspection
//! interval.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::ServiceError;
use crate::i18n::Text;
use crate::inventory::model::{authorize_catalogue, money, BatchInput, ItemInput, Ownership};
use crate::inventory::service::catalogue as service;
use crate::inventory::store::catalogue::{Item, ItemFilter};
use crate::org::service::people;
use crate::pagination::PageRequest;
use crate::web::context::{Ctx, Pager};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::forms::{optional_date, optional_id};
use crate::web::typed::{field, submit_or_again, Refused, Typed};
use crate::web::{render, Page, Refusal};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(items)
        .service(add_item)
        .service(item)
        .service(add_batch)
        .service(set_interval);
}

struct ItemRow {
    id: i64,
    code: String,
    name: String,
    spec: String,
    uom: String,
    category: String,
    price: String,
}

#[derive(Template)]
#[template(path = "inventory/items.html")]
struct ItemsPage {
    ctx: Ctx,
    items: Vec<ItemRow>,
    categories: Vec<(String, String)>,
    q: String,
    can_edit: bool,
    pager: Pager,
    error: Option<String>,
    /// The new-item form as typed (kept when refused) and the field at fault.
    draft: ItemForm,
    field: &'static str,
}

#[derive(Deserialize)]
struct ItemsQuery {
    q: Option<String>,
    page: Option<i64>,
}

async fn items_page(
    page: &Page,
    q: String,
    page_no: Option<i64>,
    draft: ItemForm,
    refusal: Option<Refusal>,
) -> Result<HttpResponse, PageError> {
    let filter = ItemFilter {
        q: Some(q.trim().to_string()).filter(|s| !s.is_empty()),
        category: None,
        active: Some(true),
    };
    let page_req = PageRequest::new(page_no, Some(50));
    let (ctx, (found, cats, can_edit)) = page
        .run(move |c| {
            let can_edit = authorize_catalogue(c.actor).is_ok();
            Ok((
                service::items(c.conn, &filter, page_req)?,
                service::categories(c.conn)?,
                can_edit,
            ))
        })
        .await?;
    let status = refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    let view = ItemsPage {
        ctx,
        pager: Pager::new(&found, &[("q", q.clone())]),
        items: found
            .items
            .into_iter()
            .map(|i: Item| ItemRow {
                id: i.id,
                code: i.code,
                name: i.name,
                spec: i.spec,
                uom: i.uom,
                category: i.category_code,
                price: i.unit_price_fen.map(money).unwrap_or_default(),
            })
            .collect(),
        categories: cats.into_iter().map(|c| (c.code, c.name)).collect(),
        q,
        can_edit,
        draft,
        field: refusal.as_ref().and_then(|r| r.field).unwrap_or(""),
        error: refusal.map(|r| r.message),
    };
    render(&view, status)
}

#[get("/reserves/items")]
async fn items(page: Page, q: web::Query<ItemsQuery>) -> Result<HttpResponse, PageError> {
    items_page(
        &page,
        q.q.clone().unwrap_or_default(),
        q.page,
        ItemForm::default(),
        None,
    )
    .await
}

/// The new-item form as typed.
#[derive(Debug, Clone, Deserialize)]
struct ItemForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    spec: String,
    #[serde(default)]
    uom: String,
    #[serde(default)]
    category_code: String,
    #[serde(default)]
    shelf_life_days: String,
    #[serde(default)]
    unit_price: String,
    #[serde(default)]
    track_batches: bool,
    #[serde(default)]
    track_serial: bool,
    /// `""` (follow the unit of measure), `yes` or `no`.
    #[serde(default)]
    divisible: String,
    #[serde(default)]
    inspection_interval_days: String,
}

impl Default for ItemForm {
    fn default() -> Self {
        ItemForm {
            code: String::new(),
            name: String::new(),
            spec: String::new(),
            uom: String::new(),
            category_code: String::new(),
            shelf_life_days: String::new(),
            unit_price: String::new(),
            track_batches: true,
            track_serial: false,
            divisible: String::new(),
            inspection_interval_days: String::new(),
        }
    }
}

impl ItemForm {
    fn parse(&self) -> Result<ItemInput, ServiceError> {
        let shelf = days("shelf_life_days", &self.shelf_life_days)?;
        let price = Some(self.unit_price.trim()).filter(|p| !p.is_empty());
        ItemInput::parse(
            &self.code,
            &self.name,
            &self.spec,
            &self.uom,
            &self.category_code,
            shelf,
            shelf.is_some(),
            price,
        )?
        .tracking(self.track_batches, self.track_serial)?
        .divisible(match self.divisible.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        })?
        .inspection(days(
            "inspection_interval_days",
            &self.inspection_interval_days,
        )?)
    }
}

/// A number of days typed into field `name` (empty: none).
fn days(name: &'static str, raw: &str) -> Result<Option<i32>, ServiceError> {
    match raw.trim() {
        "" => Ok(None),
        v => v.parse::<i32>().map(Some).map_err(|_| {
            ServiceError::invalid(
                name,
                "请填写天数（整数），或留空",
                "Enter a number of days, or leave it empty",
            )
        }),
    }
}

#[post("/reserves/items")]
async fn add_item(
    page: Page,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> Result<HttpResponse, PageError> {
    let input = form.parse();
    let draft = form.clone();
    let saved = page
        .submit(
            move |c| service::add_item(c.conn, c.actor, c.now, input?),
            |i| {
                let text = Text::new(
                    format!("已添加物资 {}", i.name),
                    format!("Item {} added", i.name),
                );
                (text, format!("/reserves/items/{}", i.id))
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => items_page(&page, String::new(), None, draft, Some(refusal)).await,
    }
}

struct BatchRow {
    batch_no: String,
    maker: String,
    produced: String,
    expiry: String,
    ownership: &'static str,
    custodian: String,
}

#[derive(Template)]
#[template(path = "inventory/item.html")]
struct ItemPage {
    ctx: Ctx,
    item: Item,
    batches: Vec<BatchRow>,
    ownerships: Vec<(&'static str, &'static str)>,
    people: Vec<(i64, String)>,
    can_edit: bool,
    error: Option<String>,
    /// The inspection interval as shown (empty: none), and the interval form as typed when refused.
    interval: String,
    typed: Typed,
}

/// An item's page; `refusal` is the new-batch form's, `refused` the interval form's.
async fn item_page(
    page: &Page,
    id: i64,
    refusal: Option<Refusal>,
    refused: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (found, batches, persons, can_edit)) = page
        .run(move |c| {
            let can_edit = authorize_catalogue(c.actor).is_ok();
            Ok((
                service::item(c.conn, id)?,
                service::batches(c.conn, id)?,
                people::names(c.conn)?,
                can_edit,
            ))
        })
        .await?;
    let lang = ctx.lang;
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows = batches
        .into_iter()
        .map(|b| BatchRow {
            produced: date(b.production_date),
            expiry: date(b.expiry_date),
            ownership: b.ownership.label(lang),
            custodian: b
                .custodian_id
                .and_then(|p| persons.iter().find(|(i, _)| *i == p))
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            batch_no: b.batch_no,
            maker: b.maker,
        })
        .collect();
    let (typed, typed_status) = Typed::of(refused, lang, &["insp", "inv"]);
    let status = refusal.as_ref().map_or(typed_status, |r| r.status);
    let view = ItemPage {
        ctx,
        interval: found
            .inspection_interval_days
            .map(|d| d.to_string())
            .unwrap_or_default(),
        typed,
        item: found,
        batches: rows,
        ownerships: Ownership::ALL
            .iter()
            .map(|o| (o.code(), o.label(lang)))
            .collect(),
        people: persons,
        can_edit,
        error: refusal.map(|r| r.message),
    };
    render(&view, status)
}

#[get("/reserves/items/{id}")]
async fn item(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    item_page(&page, id.into_inner(), None, None).await
}

#[derive(Deserialize)]
struct BatchForm {
    batch_no: String,
    maker: String,
    production_date: String,
    expiry_date: String,
    ownership: String,
    custodian_id: String,
}

impl BatchForm {
    fn parse(&self) -> Result<BatchInput, ServiceError> {
        BatchInput::parse(
            &self.batch_no,
            &self.maker,
            optional_date("production_date", &self.production_date)?,
            optional_date("expiry_date", &self.expiry_date)?,
            Ownership::parse(&self.ownership)?,
            optional_id("custodian_id", &self.custodian_id)?,
        )
    }
}

#[post("/reserves/items/{id}/batches")]
async fn add_batch(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<BatchForm>,
) -> Result<HttpResponse, PageError> {
    let (id, input) = (id.into_inner(), form.parse());
    let saved = page
        .submit(
            move |c| service::add_batch(c.conn, c.actor, c.now, id, input?),
            move |b| {
                let text = Text::new(
                    format!("已登记批次 {}", b.batch_no),
                    format!("Batch {} registered", b.batch_no),
                );
                (text, format!("/reserves/items/{id}"))
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => item_page(&page, id, Some(refusal), None).await,
    }
}

/// Sets how often the item's equipment is inspected (empty: it is not).
#[post("/reserves/items/{id}/inspection")]
async fn set_interval(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let typed = f.clone();
    submit_or_again(
        &page,
        "interval",
        typed,
        move |c| {
            let interval = days(
                "inspection_interval_days",
                &field(&f, "inspection_interval_days"),
            )?;
            service::update_item(c.conn, c.actor, c.now, id, Some(interval))
        },
        move |_| {
            let text = Text::new("检查周期已保存", "Inspection interval saved");
            (text, format!("/reserves/items/{id}"))
        },
        |refused| item_page(&page, id, None, Some(refused)),
    )
    .await
}
