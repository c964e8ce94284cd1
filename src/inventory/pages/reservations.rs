//! A warehouse's reservations: what is held for which purpose, set stock aside, let it go.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::i18n::Text;
use crate::inventory::model::Quantity;
use crate::inventory::service::reservations::{
    self as service, Hold, ReservationView, ReserveInput,
};
use crate::inventory::service::{stock as stock_service, warehouses as wh_service};
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::forms::{optional_date, optional_id};
use crate::web::Page;

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list_page).service(reserve).service(release);
}

#[derive(Template)]
#[template(path = "inventory/reservations.html")]
struct ReservationsPage {
    ctx: Ctx,
    id: i64,
    name: String,
    reservations: Vec<ReservationView>,
    /// (batch, "item · batch · free uom") for batches with stock free to reserve.
    batches: Vec<(i64, String)>,
}

#[get("/reserves/warehouses/{id}/reservations")]
async fn list_page(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    page.show(
        move |c| {
            let view = wh_service::get(c.conn, c.actor, id)?;
            let reservations = service::list(c.conn, c.actor, id, false)?;
            let stock = stock_service::stock(c.conn, c.actor, id, None, None)?;
            Ok((view.warehouse.name, reservations, stock.rows))
        },
        move |ctx, (name, reservations, rows)| ReservationsPage {
            batches: rows
                .into_iter()
                .filter(|r| r.qty > r.reserved)
                .map(|r| {
                    let free = Quantity::from_milli(r.qty - r.reserved);
                    let label = format!(
                        "{} {} · {} · {free} {}",
                        r.item_code, r.item_name, r.batch_no, r.uom
                    );
                    (r.batch_id, label)
                })
                .collect(),
            ctx,
            id,
            name,
            reservations,
        },
    )
    .await
}

#[derive(Deserialize)]
struct ReserveForm {
    batch_id: String,
    qty: String,
    purpose: String,
    #[serde(default)]
    until: String,
}

#[post("/reserves/warehouses/{id}/reservations")]
async fn reserve(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ReserveForm>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let here = format!("/reserves/warehouses/{id}/reservations");
    page.act(
        &here,
        move |c| {
            let batch = optional_id("batch_id", &form.batch_id)?.ok_or_else(|| {
                crate::error::ServiceError::invalid("batch_id", "请选择批次", "Choose a batch")
            })?;
            let until = optional_date("until", &form.until)?;
            let input = ReserveInput {
                what: Hold::Batch(batch),
                qty: Quantity::parse_positive("qty", &form.qty)?,
                purpose: form.purpose,
                until,
            };
            service::reserve(c.conn, c.actor, c.now, c.tz, id, input)
        },
        move |_| {
            (
                Text::new("已预留", "Stock reserved"),
                format!("/reserves/warehouses/{id}/reservations"),
            )
        },
    )
    .await
}

#[post("/reserves/reservations/{id}/release")]
async fn release(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    page.act(
        "/reserves",
        move |c| service::release(c.conn, c.actor, c.now, id, None),
        move |r| {
            (
                Text::new("预留已释放", "Reservation released"),
                format!(
                    "/reserves/warehouses/{}/reservations",
                    r.reservation.warehouse_id
                ),
            )
        },
    )
    .await
}
