//! `/api/v1/warehouses/{id}/inspections`, `/api/v1/batches/{id}/inspections`: equipment inspection and
//! maintenance (检查维护).

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::clock::today;
use crate::inventory::model::{InspectionInput, InspectionResult};
use crate::inventory::service::inspections::{self as service, InspectedEquipment, InspectionView};
use crate::org::api::Reply;
use crate::web::json::Json;
use crate::web::Api;

/// The equipment a warehouse holds (batches of items inspected at intervals, and any marked as needing
/// repair) with its last inspection and when the next is due; those needing repair first, then overdue, due
/// soon and the rest.
#[utoipa::path(tag = "warehouses", security(("bearer" = [])), responses((status = 200, body = Vec<InspectedEquipment>)))]
#[get("/warehouses/{id}/inspections")]
pub async fn warehouse_inspections(api: Api, id: web::Path<i64>) -> Reply<Vec<InspectedEquipment>> {
    let id = id.into_inner();
    api.json(move |c| service::equipment_list(c.conn, c.actor, c.now, c.config, id))
        .await
}

/// An inspection of a batch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionIn {
    /// The warehouse holding the batch, where it was inspected.
    pub warehouse_id: i64,
    /// The day of the inspection (default today): not in the future, not before the batch's last one.
    pub inspected_on: Option<NaiveDate>,
    /// `ok`, `needs_repair` (marks the batch: it is not issued until repaired, except in an emergency) or
    /// `repaired` (clears the mark; so does `ok`).
    #[schema(value_type = InspectionResult)]
    pub result: String,
    /// What was found wrong, or what was done: required unless the result is `ok` (at most 1000 characters).
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub findings: String,
}

/// Record an inspection of a batch (a serial-numbered unit is its own batch) in the warehouse holding it
/// (those who may move its stock).
#[utoipa::path(tag = "warehouses", request_body = InspectionIn, security(("bearer" = [])), responses((status = 201, body = InspectionView)))]
#[post("/batches/{id}/inspections")]
pub async fn record_inspection(
    api: Api,
    id: web::Path<i64>,
    body: Json<InspectionIn>,
) -> Reply<InspectionView> {
    let (id, b) = (id.into_inner(), body.0);
    api.reply(StatusCode::CREATED, move |c| {
        let day = b.inspected_on.unwrap_or_else(|| today(c.now, c.tz));
        let input = InspectionInput::parse(day, &b.result, &b.findings)?;
        service::record(c.conn, c.actor, c.now, c.tz, b.warehouse_id, id, input)
    })
    .await
}

/// A batch's inspections in the warehouses the caller may see, latest first.
#[utoipa::path(tag = "warehouses", security(("bearer" = [])), responses((status = 200, body = Vec<InspectionView>)))]
#[get("/batches/{id}/inspections")]
pub async fn batch_inspections(api: Api, id: web::Path<i64>) -> Reply<Vec<InspectionView>> {
    let id = id.into_inner();
    api.json(move |c| service::history(c.conn, c.actor, id))
        .await
}
