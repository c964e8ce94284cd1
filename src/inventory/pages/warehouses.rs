//! The dashboard, a warehouse's stock page, opening a stocktake, the verification page.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{movement_rows, MovementRow};
use crate::clock::today;
use crate::i18n::Text;
use crate::inventory::model::{is_expired, money, parse_coordinates, Quantity, StockAction};
use crate::inventory::service::dashboard::{self, compliance_by_unit, WarehouseStatus};
use crate::inventory::service::stock as stock_service;
use crate::inventory::service::verify::{self, VerifyReport};
use crate::inventory::service::{ledger, may, stocktakes, warehouses as wh_service};
use crate::inventory::store::ledger::MovementFilter;
use crate::org::service::{people, units};
use crate::pagination::PageRequest;
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::forms::{confirmed, optional_id};
use crate::web::Page;

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(dashboard_page)
        .service(verify_page)
        .service(warehouse_page)
        .service(open_stocktake)
        .service(set_custodian)
        .service(set_coordinates);
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
async fn dashboard_page(page: Page) -> Result<HttpResponse, PageError> {
    let tz = page.state().config.timezone;
    page.show(
        |c| {
            Ok((
                dashboard::overview(c.conn, c.actor, c.now, c.tz)?,
                units::names(c.conn, false)?,
            ))
        },
        |ctx, (statuses, names)| {
            let name_of = |u: i64| names.iter().find(|(i, _)| *i == u).map(|(_, n)| n.clone());
            let units = compliance_by_unit(&statuses)
                .into_iter()
                .filter(|(_, _, total)| *total > 0)
                .map(|(u, met, total)| (name_of(u).unwrap_or_default(), met, total))
                .collect();
            let warehouses = statuses
                .into_iter()
                .map(|s| StatusView {
                    value: s.value_fen.map(money).unwrap_or_else(|| "—".into()),
                    next_stocktake: s
                        .next_stocktake
                        .and_utc()
                        .with_timezone(&tz)
                        .format("%Y-%m-%d")
                        .to_string(),
                    s,
                })
                .collect();
            DashboardPage {
                ctx,
                warehouses,
                units,
            }
        },
    )
    .await
}

struct StockLine {
    batch_id: i64,
    /// Who keeps this stock here; empty: the warehouse's custodians.
    custodian_id: Option<i64>,
    custodian: String,
    bin: String,
    item_code: String,
    item_name: String,
    spec: String,
    batch_no: String,
    expiry: String,
    expired: bool,
    qty: String,
    /// Of it, reserved (empty when nothing is, or the book is hidden).
    reserved: String,
    uom: String,
    ownership: &'static str,
    quality: &'static str,
    /// Found needing repair (待修): not issued except in an emergency.
    needs_repair: bool,
}

#[derive(Template)]
#[template(path = "inventory/warehouse.html")]
struct WarehousePage {
    ctx: Ctx,
    id: i64,
    name: String,
    address: String,
    custodians: Vec<String>,
    /// "31.06, 120.49", or empty when not recorded.
    coordinates: String,
    /// The viewer may edit the warehouse (its coordinates).
    can_manage: bool,
    open_stocktake: Option<i64>,
    book_hidden: bool,
    can_move: bool,
    q: String,
    stock: Vec<StockLine>,
    /// People a custodian may be named from: the warehouse unit's first.
    people: Vec<(i64, String)>,
    movements: Vec<MovementRow>,
}

#[derive(Deserialize)]
struct StockQuery {
    q: Option<String>,
}

#[get("/reserves/warehouses/{id}")]
async fn warehouse_page(
    page: Page,
    id: web::Path<i64>,
    q: web::Query<StockQuery>,
) -> Result<HttpResponse, PageError> {
    let (id, tz) = (id.into_inner(), page.state().config.timezone);
    let text = q.q.clone().unwrap_or_default();
    let search = Some(text.trim().to_string()).filter(|s| !s.is_empty());
    page.show(
        move |c| {
            let view = wh_service::get(c.conn, c.actor, id)?;
            let rows = stock_service::stock(c.conn, c.actor, id, None, search.as_deref())?;
            let recent = ledger::list(
                c.conn,
                c.actor,
                Some(id),
                MovementFilter::default(),
                PageRequest::new(Some(1), Some(10)),
            )?
            .items;
            let open = crate::inventory::service::open_count(c.conn, id)?;
            let can_move = may(c.conn, c.actor, &view.warehouse, StockAction::Move)?;
            let can_manage = may(
                c.conn,
                c.actor,
                &view.warehouse,
                StockAction::ManageWarehouse,
            )?;
            let persons = people::picker(c.conn, view.warehouse.unit_id)?;
            let recent = (recent, crate::org::service::account_names(c.conn)?);
            Ok((
                view,
                rows,
                recent,
                open,
                (can_move, can_manage),
                persons,
                today(c.now, c.tz),
            ))
        },
        |ctx, (view, rows, recent, open, (can_move, can_manage), persons, day)| {
            let lang = ctx.lang;
            let hidden = rows.book_hidden;
            let stock = rows
                .rows
                .into_iter()
                .map(|s| StockLine {
                    batch_id: s.batch_id,
                    custodian_id: s.custodian_id,
                    custodian: s
                        .custodian_id
                        .and_then(|p| persons.iter().find(|(i, _)| *i == p))
                        .map(|(_, n)| n.clone())
                        .unwrap_or_default(),
                    expired: is_expired(s.expiry_date, day),
                    expiry: s.expiry_date.map(|d| d.to_string()).unwrap_or_default(),
                    qty: if hidden {
                        "—".into()
                    } else {
                        Quantity::from_milli(s.qty).to_string()
                    },
                    reserved: if hidden || s.reserved == 0 {
                        String::new()
                    } else {
                        Quantity::from_milli(s.reserved).to_string()
                    },
                    ownership: s.ownership.label(lang),
                    quality: s.quality.label(lang),
                    needs_repair: s.needs_repair,
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
            WarehousePage {
                ctx,
                id,
                name: view.warehouse.name,
                coordinates: match (view.warehouse.latitude, view.warehouse.longitude) {
                    (Some(lat), Some(lng)) => format!("{lat}, {lng}"),
                    _ => String::new(),
                },
                can_manage,
                address: view.warehouse.address,
                custodians,
                open_stocktake: open,
                book_hidden: hidden,
                can_move,
                q: text,
                stock,
                people: persons,
                movements: movement_rows(recent.0, &recent.1, lang, tz),
            }
        },
    )
    .await
}

#[derive(Deserialize)]
struct OpenForm {
    #[serde(default)]
    blind: bool,
    confirm: Option<String>,
}

#[post("/reserves/warehouses/{id}/stocktakes")]
async fn open_stocktake(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<OpenForm>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let here = format!("/reserves/warehouses/{id}");
    page.act(
        &here,
        move |c| {
            confirmed(form.confirm.as_deref(), Text::new(
                "请勾选确认后再开始盘点（盘点期间只能办理紧急出库）",
                "Tick the confirmation to open the count (until it ends only emergency issues move stock)",
            ))?;
            stocktakes::open(c.conn, c.actor, c.now, id, form.blind, "")
        },
        |st| {
            let text = Text::new(
                "盘点已开始：账面数已记下，盘点期间只能办理紧急出库",
                "Stocktake opened: the book is taken; until it ends only emergency issues move stock",
            );
            (text, format!("/reserves/stocktakes/{}", st.stocktake.id))
        },
    )
    .await
}

#[derive(Deserialize)]
struct CustodyForm {
    custodian_id: String,
}

/// Names who keeps a batch's stock here (or leaves it to the warehouse's custodians).
#[post("/reserves/warehouses/{id}/stock/{batch_id}/custodian")]
async fn set_custodian(
    page: Page,
    path: web::Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<CustodyForm>,
) -> Result<HttpResponse, PageError> {
    let (id, batch) = path.into_inner();
    let person = optional_id("custodian_id", &form.custodian_id);
    page.act(
        &format!("/reserves/warehouses/{id}"),
        move |c| wh_service::set_custodian(c.conn, c.actor, c.now, id, batch, person?),
        move |_| {
            (
                Text::new("已指定保管人", "Custodian named"),
                format!("/reserves/warehouses/{id}"),
            )
        },
    )
    .await
}

#[derive(Deserialize)]
struct CoordinatesForm {
    coordinates: String,
}

/// Records where the warehouse is ("纬度, 经度"; empty forgets it).
#[post("/reserves/warehouses/{id}/coordinates")]
async fn set_coordinates(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<CoordinatesForm>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let here = format!("/reserves/warehouses/{id}");
    page.act(
        &here.clone(),
        move |c| {
            let at = parse_coordinates(&form.coordinates)?;
            wh_service::set_coordinates(c.conn, c.actor, c.now, id, at)
        },
        move |_| (Text::new("已保存坐标", "Coordinates saved"), here),
    )
    .await
}

#[derive(Template)]
#[template(path = "inventory/verify.html")]
struct VerifyPage {
    ctx: Ctx,
    ok: bool,
    report: VerifyReport,
}

#[get("/reserves/verify")]
async fn verify_page(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| verify::verify_visible(c.conn, c.actor),
        |ctx, report| VerifyPage {
            ctx,
            ok: report.ok(),
            report,
        },
    )
    .await
}
