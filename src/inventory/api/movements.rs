//! `/api/v1/movements`: record, countersign, reject, reverse, list, view.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::qty;
use crate::error::ServiceError;
use crate::inventory::model::{LineRequest, MovementKind};
use crate::inventory::service::corrections;
use crate::inventory::service::ledger::{self as service, MovementRequest, Voucher};
use crate::inventory::store::ledger::{Movement, MovementFilter};
use crate::pagination::{Page, PageRequest};
use crate::web::auth::ApiActor;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{AppState, InLang};

/// A line of a new movement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineIn {
    pub batch_id: i64,
    /// Positive decimal with at most three decimals, e.g. "12.5".
    pub qty: String,
    /// For a rotation: true for the old batch going out, false for the new batch coming in.
    pub out: Option<bool>,
}

/// A new movement (voucher).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MovementIn {
    pub warehouse_id: i64,
    /// purchase, donation, return, use, transfer_out, loan, rotation or write_off.
    pub kind: String,
    #[serde(default)]
    pub reason: String,
    /// Post at once and owe the countersignature (use, transfer_out, loan only).
    #[serde(default)]
    pub emergency: bool,
    /// The receiving warehouse of a transfer.
    pub counterpart_warehouse_id: Option<i64>,
    pub lines: Vec<LineIn>,
}

impl MovementIn {
    fn parse(self) -> Result<MovementRequest, ServiceError> {
        let lines = self
            .lines
            .iter()
            .map(|l| {
                Ok(LineRequest {
                    batch_id: l.batch_id,
                    qty: qty("qty", &l.qty)?,
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
        })
    }
}

/// Movement filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct MovementQuery {
    pub warehouse_id: Option<i64>,
    /// pending, posted or rejected.
    pub state: Option<String>,
    pub kind: Option<String>,
    /// Only emergency issues still owing their countersignature.
    #[serde(default)]
    pub owed: bool,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A reversal's reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReverseIn {
    pub reason: String,
}

/// List movements (newest first) of the warehouses the caller may see.
#[utoipa::path(tag = "movements", params(MovementQuery), security(("bearer" = [])), responses((status = 200, body = Page<Movement>)))]
#[get("/movements")]
pub async fn list(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    q: web::Query<MovementQuery>,
) -> Result<web::Json<Page<Movement>>, ApiError> {
    let lang = actor.lang;
    let filter = MovementFilter {
        warehouse_ids: None,
        state: q.state.clone(),
        kind: q.kind.clone(),
        owed: q.owed,
    };
    let (page, wid) = (PageRequest::new(q.page, q.per_page), q.warehouse_id);
    Ok(web::Json(
        state
            .db(move |c| service::list(c, &actor, wid, filter, page))
            .await
            .api(lang)?,
    ))
}

/// One voucher with its lines.
#[utoipa::path(tag = "movements", security(("bearer" = [])), responses((status = 200, body = Voucher), (status = 404, body = ErrorBody)))]
#[get("/movements/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<Voucher>, ApiError> {
    let (lang, id) = (actor.lang, id.into_inner());
    Ok(web::Json(
        state
            .db(move |c| service::get(c, &actor, id))
            .await
            .api(lang)?,
    ))
}

/// Record a movement: it waits for a second signature, unless it is an emergency issue (posted at once).
#[utoipa::path(tag = "movements", request_body = MovementIn, security(("bearer" = [])),
    responses((status = 201, body = Voucher), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/movements")]
pub async fn create(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    body: web::Json<MovementIn>,
) -> Result<HttpResponse, ApiError> {
    let (lang, now, cfg) = (actor.lang, state.now(), state.config.clone());
    let req = body.into_inner().parse().api(lang)?;
    let v = state
        .db(move |c| service::record(c, &actor, now, &cfg, req))
        .await
        .api(lang)?;
    Ok(HttpResponse::Created().json(v))
}

/// Countersign (双签字): posts a waiting movement or completes an emergency one. A write-off needs an approver.
#[utoipa::path(tag = "movements", security(("bearer" = [])),
    responses((status = 200, body = Voucher), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/movements/{id}/countersign")]
pub async fn countersign(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<Voucher>, ApiError> {
    let (lang, id, now, tz) = (
        actor.lang,
        id.into_inner(),
        state.now(),
        state.config.timezone,
    );
    Ok(web::Json(
        state
            .db(move |c| service::countersign(c, &actor, now, tz, id))
            .await
            .api(lang)?,
    ))
}

/// Send a waiting movement back.
#[utoipa::path(tag = "movements", security(("bearer" = [])), responses((status = 200, body = Voucher), (status = 409, body = ErrorBody)))]
#[post("/movements/{id}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<Voucher>, ApiError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    Ok(web::Json(
        state
            .db(move |c| corrections::reject(c, &actor, now, id))
            .await
            .api(lang)?,
    ))
}

/// Record the reversal of a posted movement (it needs a countersignature too).
#[utoipa::path(tag = "movements", request_body = ReverseIn, security(("bearer" = [])),
    responses((status = 201, body = Voucher), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/movements/{id}/reverse")]
pub async fn reverse(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    body: web::Json<ReverseIn>,
) -> Result<HttpResponse, ApiError> {
    let (lang, id, now, tz) = (
        actor.lang,
        id.into_inner(),
        state.now(),
        state.config.timezone,
    );
    let reason = body.into_inner().reason;
    let v = state
        .db(move |c| corrections::reverse(c, &actor, now, tz, id, &reason))
        .await
        .api(lang)?;
    Ok(HttpResponse::Created().json(v))
}
