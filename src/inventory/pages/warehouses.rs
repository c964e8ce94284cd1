//! The dashboard, a warehouse's stock page, opening a stocktake, the verification page.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{movement_rows, MovementRow};
use crate::i18n::Text;
use crate::inventory::model::{is_expired, Ownership, Quality, Quantity, StockAction};
use crate::inventory::service::dashboard::{self, compliance_by_unit, WarehouseStatus};
use crate::inventory::service::verify::{self, VerifyReport};
use crate::inventory::service::{
    ledger, stocktakes, today, visible_warehouses, warehouse_for, warehouses as wh_service,
};
use crate::inventory::store::ledger::{self as ledger_store, MovementFilter};
use crate::org::pages::{render, see_other};
use crate::org::service::{people, units};
use crate::pagination::PageRequest;
use crate::web::auth::PageActor;
use crate::web::context::{flash, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{AppState, InLang};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(dashboard_page)
        .service(verify_page)
        .service(warehouse_page)
        .service(open_stocktake);
}

struct StatusView {
    s: WarehouseStatus,
    value: String,
    next_stocktake: String,
}

impl std::ops::Deref for StatusView {
    type Target = WarehouseStatus;
    fn deref(&self) -> &WarehouseStatus {
        &self.s
    }
}

#[derive(Template)]
#[template(path = "inventory/dashboard.html")]
struct DashboardPage {
    ctx: Ctx,
    warehouses: Vec<StatusView>,
    units: Vec<(String, usize, usize)>,
}

#[get("/reserves")]
async fn dashboard_page(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
) -> Result<HttpResponse, PageError> {
    let (lang, now, tz, a) = (
        actor.lang,
        state.now(),
        state.config.timezone,
        actor.clone(),
    );
    let (statuses, names) = state
        .db(move |c| {
            Ok((
                dashboard::overview(c, &a, now, tz)?,
                units::names(c, false)?,
            ))
        })
        .await
        .page(lang)?;
    let units = compliance_by_unit(&statuses)
        .into_iter()
        .filter(|(_, _, total)| *total > 0)
        .map(|(u, met, total)| {
            (
                names
                    .iter()
                    .find(|(i, _)| *i == u)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
                met,
                total,
            )
        })
        .collect();
    let warehouses = statuses
        .into_iter()
        .map(|s| StatusView {
            value: crate::inventory::model::yuan(s.value_fen),
            next_stocktake: s
                .next_stocktake
                .and_utc()
                .with_timezone(&tz)
                .format("%Y-%m-%d")
                .to_string(),
            s,
        })
        .collect();
    render(
        &DashboardPage {
            ctx: Ctx::new(&req, &session, Some(&actor)),
            warehouses,
            units,
        },
        StatusCode::OK,
    )
}

struct StockLine {
    bin: String,
    item_code: String,
    item_name: String,
    spec: String,
    batch_no: String,
    expiry: String,
    expired: bool,
    qty: String,
    uom: String,
    ownership: &'static str,
    quality: &'static str,
}

#[derive(Template)]
#[template(path = "inventory/warehouse.html")]
struct WarehousePage {
    ctx: Ctx,
    id: i64,
    name: String,
    address: String,
    custodians: Vec<String>,
    open_stocktake: Option<i64>,
    can_move: bool,
    q: String,
    stock: Vec<StockLine>,
    movements: Vec<MovementRow>,
}

#[derive(Deserialize)]
struct StockQuery {
    q: Option<String>,
}

#[get("/reserves/warehouses/{id}")]
async fn warehouse_page(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    q: web::Query<StockQuery>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, now, tz, a) = (
        actor.lang,
        id.into_inner(),
        state.now(),
        state.config.timezone,
        actor.clone(),
    );
    let text = q.q.clone().unwrap_or_default();
    let search = Some(text.trim().to_string()).filter(|s| !s.is_empty());
    let (view, rows, recent, open, can_move, persons) = state
        .db(move |c| {
            let view = wh_service::get(c, &a, id)?;
            let rows = ledger_store::stock(c, id, None, search.as_deref())?;
            let recent = ledger::list(
                c,
                &a,
                Some(id),
                MovementFilter::default(),
                PageRequest::new(Some(1), Some(10)),
            )?
            .items;
            let open = crate::inventory::store::stocktakes::open_of(c, id)?.map(|s| s.id);
            let can_move = warehouse_for(c, &a, id, StockAction::Move).is_ok();
            Ok((view, rows, recent, open, can_move, people::names(c)?))
        })
        .await
        .page(lang)?;
    let day = today(now, tz);
    let stock = rows
        .into_iter()
        .map(|s| StockLine {
            expired: is_expired(s.expiry_date, day),
            expiry: s.expiry_date.map(|d| d.to_string()).unwrap_or_default(),
            qty: Quantity::from_milli(s.qty).to_string(),
            ownership: Ownership::parse(&s.ownership).map_or("?", |o| o.label(lang)),
            quality: Quality::parse(&s.quality).map_or("?", |o| o.label(lang)),
            bin: s.bin,
            item_code: s.item_code,
            item_name: s.item_name,
            spec: s.spec,
            batch_no: s.batch_no,
            uom: s.uom,
        })
        .collect();
    let custodians = view
        .custodians
        .iter()
        .filter_map(|p| persons.iter().find(|(i, _)| i == p).map(|(_, n)| n.clone()))
        .collect();
    let page = WarehousePage {
        ctx: Ctx::new(&req, &session, Some(&actor)),
        id,
        name: view.warehouse.name,
        address: view.warehouse.address,
        custodians,
        open_stocktake: open,
        can_move,
        q: text,
        stock,
        movements: movement_rows(recent, lang, tz),
    };
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
struct OpenForm {
    #[serde(default)]
    blind: bool,
}

#[post("/reserves/warehouses/{id}/stocktakes")]
async fn open_stocktake(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<OpenForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    match state
        .db(move |c| stocktakes::open(c, &actor, now, id, form.blind, ""))
        .await
    {
        Ok(st) => Ok(see_other(&format!(
            "/reserves/stocktakes/{}",
            st.stocktake.id
        ))),
        Err(e @ crate::error::ServiceError::Conflict(_)) => {
            let m = e.message(lang);
            flash(&session, false, Text::new(m.clone(), m));
            Ok(see_other(&format!("/reserves/warehouses/{id}")))
        }
        Err(e) => Err(e).page(lang),
    }
}

#[derive(Template)]
#[template(path = "inventory/verify.html")]
struct VerifyPage {
    ctx: Ctx,
    ok: bool,
    report: VerifyReport,
}

#[get("/reserves/verify")]
async fn verify_page(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
) -> Result<HttpResponse, PageError> {
    let (lang, a) = (actor.lang, actor.clone());
    let report = state
        .db(move |c| {
            let ws = visible_warehouses(c, &a)?;
            verify::verify(c, &ws)
        })
        .await
        .page(lang)?;
    render(
        &VerifyPage {
            ctx: Ctx::new(&req, &session, Some(&actor)),
            ok: report.ok(),
            report,
        },
        StatusCode::OK,
    )
}
