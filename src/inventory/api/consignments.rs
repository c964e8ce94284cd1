//! `/api/v1/consignments`: goods on the road between warehouses, and counting them in.

use actix_web::{get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::inventory::model::Quantity;
use crate::inventory::service::transit::{self as service, ConsignmentView, ReceiptOutcome};
use crate::org::api::Reply;
use crate::web::json::OptionalJson;
use crate::web::Api;

/// Which consignments.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ConsignmentQuery {
    /// Also those already received (default: only those on the road).
    #[serde(default)]
    pub all: bool,
}

/// Consignments to or from the warehouses the caller may see, newest first.
#[utoipa::path(tag = "warehouses", params(ConsignmentQuery), security(("bearer" = [])), responses((status = 200, body = Vec<ConsignmentView>)))]
#[get("/consignments")]
pub async fn consignments(
    api: Api,
    q: web::Query<ConsignmentQuery>,
) -> Reply<Vec<ConsignmentView>> {
    let all = q.all;
    api.json(move |c| service::list(c.conn, c.actor, !all))
        .await
}

/// One consignment.
#[utoipa::path(tag = "warehouses", security(("bearer" = [])), responses((status = 200, body = ConsignmentView)))]
#[get("/consignments/{id}")]
pub async fn consignment(api: Api, id: web::Path<i64>) -> Reply<ConsignmentView> {
    let id = id.into_inner();
    api.json(move |c| service::get(c.conn, c.actor, id)).await
}

/// What arrived of one batch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrivedIn {
    pub batch_id: i64,
    /// An exact decimal from 0 to what was sent.
    #[schema(pattern = r"^[0-9]{1,12}(\.[0-9]{1,3})?$")]
    pub qty: String,
}

/// The receiving keeper's count of a transfer.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsignmentCountIn {
    /// Batches counted; a batch left out arrived in full.
    #[serde(default)]
    pub counts: Vec<ArrivedIn>,
    /// Why less arrived (required then).
    #[serde(default)]
    #[schema(max_length = 500)]
    pub loss_reason: String,
}

/// Count a transfer in: the transfer in waits for a second person of the receiving unit's countersignature; a
/// shortfall becomes a loss voucher for the sending unit's approver. The body may be left out (all arrived).
/// An allocation's consignments are counted in on the allocation (409 here).
#[utoipa::path(tag = "warehouses", request_body(content = Option<ConsignmentCountIn>), security(("bearer" = [])), responses((status = 200, body = ReceiptOutcome)))]
#[post("/consignments/{id}/receipt")]
pub async fn receive_consignment(
    api: Api,
    id: web::Path<i64>,
    body: OptionalJson<ConsignmentCountIn>,
) -> Reply<ReceiptOutcome> {
    let (id, b) = (id.into_inner(), body.0.unwrap_or_default());
    api.json(move |c| {
        let counted = b
            .counts
            .iter()
            .map(|a| Ok((a.batch_id, Quantity::parse("qty", &a.qty)?)))
            .collect::<crate::error::ServiceResult<Vec<_>>>()?;
        service::receive(
            c.conn,
            c.actor,
            c.now,
            c.tz,
            id,
            "",
            &counted,
            &b.loss_reason,
        )
    })
    .await
}
