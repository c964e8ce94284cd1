//! Catalogue pages: items with a new-item form, an item's batches with a new-batch form.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::ServiceError;
use crate::i18n::Text;
use crate::inventory::model::{authorize_catalogue, yuan, BatchInput, ItemInput, Ownership};
use crate::inventory::service::catalogue as service;
use crate::inventory::store::catalogue::{Item, ItemFilter};
use crate::org::pages::{form_error, optional_id, render, see_other};
use crate::org::service::people;
use crate::pagination::PageRequest;
use crate::web::auth::PageActor;
use crate::web::context::{flash, Ctx, Pager};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{AppState, InLang};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(items)
        .service(add_item)
        .service(item)
        .service(add_batch);
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
}

#[derive(Deserialize)]
struct ItemsQuery {
    q: Option<String>,
    page: Option<i64>,
}

async fn items_page(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    actor: &crate::org::model::Actor,
    q: String,
    page: Option<i64>,
    error: Option<(StatusCode, String)>,
) -> Result<HttpResponse, PageError> {
    let lang = actor.lang;
    let filter = ItemFilter {
        q: Some(q.trim().to_string()).filter(|s| !s.is_empty()),
        category: None,
        active: Some(true),
    };
    let page_req = PageRequest::new(page, Some(50));
    let (found, cats) = state
        .db(move |c| {
            Ok((
                service::items(c, &filter, page_req)?,
                service::categories(c)?,
            ))
        })
        .await
        .page(lang)?;
    let pager = Pager::new(&found, &[("q", q.clone())]);
    let (status, error) = error.map_or((StatusCode::OK, None), |(s, e)| (s, Some(e)));
    let page = ItemsPage {
        ctx: Ctx::new(req, session, Some(actor)),
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
                price: i.unit_price_fen.map(yuan).unwrap_or_default(),
            })
            .collect(),
        categories: cats.into_iter().map(|c| (c.code, c.name)).collect(),
        q,
        can_edit: authorize_catalogue(actor).is_ok(),
        pager,
        error,
    };
    render(&page, status)
}

#[get("/reserves/items")]
async fn items(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    q: web::Query<ItemsQuery>,
) -> Result<HttpResponse, PageError> {
    items_page(
        &req,
        &session,
        &state,
        &actor,
        q.q.clone().unwrap_or_default(),
        q.page,
        None,
    )
    .await
}

#[derive(Deserialize)]
struct ItemForm {
    code: String,
    name: String,
    spec: String,
    uom: String,
    category_code: String,
    shelf_life_days: String,
    unit_price: String,
    #[serde(default)]
    track_batches: bool,
    #[serde(default)]
    track_serial: bool,
}

impl ItemForm {
    fn parse(&self) -> Result<ItemInput, ServiceError> {
        let shelf = match self.shelf_life_days.trim() {
            "" => None,
            v => Some(v.parse::<i32>().map_err(|_| {
                ServiceError::invalid(
                    "shelf_life_days",
                    "保质期须为天数",
                    "Shelf life is a number of days",
                )
            })?),
        };
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
        .tracking(self.track_batches, self.track_serial)
    }
}

#[post("/reserves/items")]
async fn add_item(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, a) = (actor.lang, state.now(), actor.clone());
    let result = match form.parse() {
        Ok(input) => {
            state
                .db(move |c| service::add_item(c, &a, now, input))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(i) => {
            flash(
                &session,
                true,
                Text::new(
                    format!("已添加物资 {}", i.name),
                    format!("Item {} added", i.name),
                ),
            );
            Ok(see_other(&format!("/reserves/items/{}", i.id)))
        }
        Err(e) => {
            let shown = form_error(e, lang)?;
            items_page(
                &req,
                &session,
                &state,
                &actor,
                String::new(),
                None,
                Some(shown),
            )
            .await
        }
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
}

async fn item_page(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    actor: &crate::org::model::Actor,
    id: i64,
    error: Option<(StatusCode, String)>,
) -> Result<HttpResponse, PageError> {
    let lang = actor.lang;
    let (found, batches, persons) = state
        .db(move |c| {
            Ok((
                service::item(c, id)?,
                service::batches(c, id)?,
                people::names(c)?,
            ))
        })
        .await
        .page(lang)?;
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows = batches
        .into_iter()
        .map(|b| BatchRow {
            produced: date(b.production_date),
            expiry: date(b.expiry_date),
            ownership: Ownership::parse(&b.ownership).map_or("?", |o| o.label(lang)),
            custodian: b
                .custodian_id
                .and_then(|p| persons.iter().find(|(i, _)| *i == p))
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            batch_no: b.batch_no,
            maker: b.maker,
        })
        .collect();
    let (status, error) = error.map_or((StatusCode::OK, None), |(s, e)| (s, Some(e)));
    let page = ItemPage {
        ctx: Ctx::new(req, session, Some(actor)),
        item: found,
        batches: rows,
        ownerships: Ownership::ALL
            .iter()
            .map(|o| (o.code(), o.label(lang)))
            .collect(),
        people: persons,
        can_edit: authorize_catalogue(actor).is_ok(),
        error,
    };
    render(&page, status)
}

#[get("/reserves/items/{id}")]
async fn item(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    item_page(&req, &session, &state, &actor, id.into_inner(), None).await
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
        let date = |field: &'static str, v: &str| -> Result<Option<NaiveDate>, ServiceError> {
            match v.trim() {
                "" => Ok(None),
                v => v.parse().map(Some).map_err(|_| {
                    ServiceError::invalid(
                        field,
                        "日期格式应为 年-月-日",
                        "A date is year-month-day",
                    )
                }),
            }
        };
        BatchInput::parse(
            &self.batch_no,
            &self.maker,
            date("production_date", &self.production_date)?,
            date("expiry_date", &self.expiry_date)?,
            &self.ownership,
            optional_id("custodian_id", &self.custodian_id)?,
        )
    }
}

#[post("/reserves/items/{id}/batches")]
async fn add_batch(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<BatchForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, now, a) = (actor.lang, id.into_inner(), state.now(), actor.clone());
    let result = match form.parse() {
        Ok(input) => {
            state
                .db(move |c| service::add_batch(c, &a, now, id, input))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(b) => {
            flash(
                &session,
                true,
                Text::new(
                    format!("已登记批次 {}", b.batch_no),
                    format!("Batch {} registered", b.batch_no),
                ),
            );
            Ok(see_other(&format!("/reserves/items/{id}")))
        }
        Err(e) => {
            let shown = form_error(e, lang)?;
            item_page(&req, &session, &state, &actor, id, Some(shown)).await
        }
    }
}
