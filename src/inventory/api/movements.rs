//! `/api/v1/movements`: record, countersign, reject, reverse, list, view.

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::ServiceError;
use crate::inventory::model::{LineRequest, MovementKind, MovementState, Quantity};
use crate::inventory::service::corrections;
use crate::inventory::service::ledger::{self as service, MovementRequest, Voucher};
use crate::inventory::store::ledger::{Movement, MovementFilter, Receipt};
use crate::org::api::Reply;
use crate::pagination::{Page, PageRequest};
use crate::web::json::Json;
use crate::web::Api;

/// A line of a new movement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineIn {
    pub batch_id: i64,
    /// A positive decimal of at most 12 digits and 3 decimals, e.g. "12.5".
    #[schema(pattern = r"^(?!0+(\.0+)?$)[0-9]{1,12}(\.[0-9]{1,3})?$")]
    pub qty: String,
    /// For a rotation: true for the old batch going out, false for the new batch coming in.
    pub out: Option<bool>,
}

/// A new movement (voucher).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MovementIn {
    pub warehouse_id: i64,
    /// What is recorded: purchase, donation, return, use, transfer_out, loan, rotation or write_off
    /// (the others are made by transfers, stocktakes and reversals).
    #[schema(value_type = MovementKind)]
    pub kind: String,
    /// Why (事由), shown to the second signer: required.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 500)]
    pub reason: String,
    /// Post at once and owe the countersignature (use, transfer_out, loan only).
    #[serde(default)]
    pub emergency: bool,
    /// The receiving warehouse of a transfer.
    pub counterpart_warehouse_id: Option<i64>,
    #[schema(min_items = 1)]
    pub lines: Vec<LineIn>,
    /// For a receipt: who delivered the goods (供货单位).
    #[serde(default)]
    #[schema(max_length = 100)]
    pub supplier: String,
    /// For a receipt: the delivery note or invoice number.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub document_no: String,
    /// For a receipt: the day the goods arrived.
    pub received_on: Option<chrono::NaiveDate>,
}

impl MovementIn {
    fn parse(self) -> Result<MovementRequest, ServiceError> {
        let lines = self
            .lines
            .iter()
            .map(|l| {
                Ok(LineRequest {
                    batch_id: l.batch_id,
                    qty: Quantity::parse_positive("qty", &l.qty)?,
                    out: l.out,
                })
            })
            .collect::<Result<_, ServiceError>>()?;
        Ok(MovementRequest {
            warehouse_id: self.warehouse_id,
            kind: MovementKind::parse(&self.kind)?,
            reason: self.reason,
            emergency: self.emergency,
            counterpart_warehouse_id: self.counterpart_warehouse_id,
            lines,
            receipt: Receipt {
                supplier: self.supplier,
                document_no: self.document_no,
                received_on: self.received_on,
            },
        })
    }
}

/// Movement filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct MovementQuery {
    pub warehouse_id: Option<i64>,
    pub state: Option<MovementState>,
    pub kind: Option<MovementKind>,
    /// Only emergency issues still owing their countersignature.
    #[serde(default)]
    pub owed: bool,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// The reason for sending a voucher back or reversing it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionIn {
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// List movements (newest first) of the warehouses the caller may see.
#[utoipa::path(tag = "movements", params(MovementQuery), security(("bearer" = [])), responses((status = 200, body = Page<Movement>)))]
#[get("/movements")]
pub async fn list(api: Api, q: web::Query<MovementQuery>) -> Reply<Page<Movement>> {
    let filter = MovementFilter {
        state: q.state,
        kind: q.kind,
        owed: q.owed,
        ..Default::default()
    };
    let (page, wid) = (PageRequest::asked(q.page, q.per_page), q.warehouse_id);
    api.json(move |c| service::list(c.conn, c.actor, wid, filter, page?))
        .await
}

/// One voucher with its lines.
#[utoipa::path(tag = "movements", security(("bearer" = [])), responses((status = 200, body = Voucher)))]
#[get("/movements/{id}")]
pub async fn get(api: Api, id: web::Path<i64>) -> Reply<Voucher> {
    let id = id.into_inner();
    api.json(move |c| service::get(c.conn, c.actor, id)).await
}

/// Record a movement: it waits for a second signature, unless it is an emergency issue (posted at once).
#[utoipa::path(tag = "movements", request_body = MovementIn, security(("bearer" = [])), responses((status = 201, body = Voucher)))]
#[post("/movements")]
pub async fn create(api: Api, body: Json<MovementIn>) -> Reply<Voucher> {
    let body = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        service::record(c.conn, c.actor, c.now, c.config, body.parse()?)
    })
    .await
}

/// Countersign (双签字): posts a waiting movement or completes an emergency one. A write-off needs an approver.
#[utoipa::path(tag = "movements", security(("bearer" = [])), responses((status = 200, body = Voucher)))]
#[post("/movements/{id}/countersign")]
pub async fn countersign(api: Api, id: web::Path<i64>) -> Reply<Voucher> {
    let id = id.into_inner();
    api.json(move |c| service::countersign(c.conn, c.actor, c.now, c.tz, id))
        .await
}

/// Send a waiting movement back, saying why (shown to whoever recorded it).
#[utoipa::path(tag = "movements", request_body = CorrectionIn, security(("bearer" = [])), responses((status = 200, body = Voucher)))]
#[post("/movements/{id}/reject")]
pub async fn reject(api: Api, id: web::Path<i64>, body: Json<CorrectionIn>) -> Reply<Voucher> {
    let (id, reason) = (id.into_inner(), body.0.reason);
    api.json(move |c| corrections::reject(c.conn, c.actor, c.now, id, &reason))
        .await
}

/// Record the reversal of a posted movement (it needs a countersignature too).
#[utoipa::path(tag = "movements", request_body = CorrectionIn, security(("bearer" = [])), responses((status = 201, body = Voucher)))]
#[post("/movements/{id}/reverse")]
pub async fn reverse(api: Api, id: web::Path<i64>, body: Json<CorrectionIn>) -> Reply<Voucher> {
    let (id, reason) = (id.into_inner(), body.0.reason);
    api.reply(StatusCode::CREATED, move |c| {
        corrections::reverse(c.conn, c.actor, c.now, c.tz, id, &reason)
    })
    .await
}
