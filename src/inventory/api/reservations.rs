//! `/api/v1/warehouses/{id}/reservations`, `/api/v1/reservations/{id}/release`: stock held for a purpose.

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::ServiceError;
use crate::inventory::model::Quantity;
use crate::inventory::service::reservations::{
    self as service, Hold, ReservationView, ReserveInput,
};
use crate::org::api::Reply;
use crate::web::json::{Json, OptionalJson};
use crate::web::Api;

/// Which reservations.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ReservationQuery {
    /// Also those released or used (default: only those held).
    #[serde(default)]
    pub all: bool,
}

/// A warehouse's reservations, newest first (only those held unless `all`).
#[utoipa::path(tag = "warehouses", params(ReservationQuery), security(("bearer" = [])), responses((status = 200, body = Vec<ReservationView>)))]
#[get("/warehouses/{id}/reservations")]
pub async fn reservations(
    api: Api,
    id: web::Path<i64>,
    q: web::Query<ReservationQuery>,
) -> Reply<Vec<ReservationView>> {
    let (id, all) = (id.into_inner(), q.all);
    api.json(move |c| service::list(c.conn, c.actor, id, !all))
        .await
}

/// Stock to hold: one batch, or an item (taken from its usable batches, earliest expiry first).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReserveIn {
    /// The batch to hold (give this or `item_id`).
    pub batch_id: Option<i64>,
    /// The item to hold, from any usable batch (give this or `batch_id`).
    pub item_id: Option<i64>,
    /// An exact decimal greater than zero, e.g. "200".
    #[schema(pattern = r"^(?!0+(\.0+)?$)[0-9]{1,12}(\.[0-9]{1,3})?$")]
    pub qty: String,
    /// What it is held for (1–200 characters).
    #[schema(min_length = 1, max_length = 200)]
    pub purpose: String,
    /// When the hold is meant to end (shown; nothing lapses by itself).
    pub until: Option<chrono::NaiveDate>,
}

/// Hold stock in a warehouse for a purpose: ordinary issues then take only what is not reserved. 409 when
/// the warehouse has not that much free.
#[utoipa::path(tag = "warehouses", request_body = ReserveIn, security(("bearer" = [])), responses((status = 201, body = Vec<ReservationView>)))]
#[post("/warehouses/{id}/reservations")]
pub async fn reserve_stock(
    api: Api,
    id: web::Path<i64>,
    body: Json<ReserveIn>,
) -> Reply<Vec<ReservationView>> {
    let (id, b) = (id.into_inner(), body.0);
    api.reply(StatusCode::CREATED, move |c| {
        let what = match (b.batch_id, b.item_id) {
            (Some(batch), None) => Hold::Batch(batch),
            (None, Some(item)) => Hold::Item(item),
            _ => {
                return Err(ServiceError::invalid(
                    "batch_id",
                    "请指定批次或物资（二选一）",
                    "Give either a batch or an item",
                ))
            }
        };
        let input = ReserveInput {
            what,
            qty: Quantity::parse_positive("qty", &b.qty)?,
            purpose: b.purpose,
            until: b.until,
        };
        service::reserve(c.conn, c.actor, c.now, c.tz, id, input)
    })
    .await
}

/// How much to release.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseIn {
    /// Part of what is held (an exact decimal); all of it when absent.
    pub qty: Option<String>,
}

/// Let go of a reservation, or part of it. The body may be left out.
#[utoipa::path(tag = "warehouses", request_body(content = Option<ReleaseIn>), security(("bearer" = [])), responses((status = 200, body = ReservationView)))]
#[post("/reservations/{id}/release")]
pub async fn release_reservation(
    api: Api,
    id: web::Path<i64>,
    body: OptionalJson<ReleaseIn>,
) -> Reply<ReservationView> {
    let (id, qty) = (id.into_inner(), body.0.and_then(|b| b.qty));
    api.json(move |c| {
        let qty = qty
            .map(|q| Quantity::parse_positive("qty", &q))
            .transpose()?;
        service::release(c.conn, c.actor, c.now, id, qty)
    })
    .await
}
