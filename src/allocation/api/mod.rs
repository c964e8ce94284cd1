//! `/api/v1/allocations…`: requests and emergency orders, decisions, reserving, dispatching, receiving,
//! loans coming back; `/api/v1/items/{id}/sources`: where an item can come from.

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::allocation::model::{LineAsk, Priority, RequestKind, RequestState};
use crate::allocation::service::asking::{self, RequestInput};
use crate::allocation::service::deciding::{self, DecisionInput};
use crate::allocation::service::ending;
use crate::allocation::service::fulfil::{self, SendLine};
use crate::allocation::service::lists::{self, Direction};
use crate::allocation::service::loans::{self, ReturnLine};
use crate::allocation::service::sourcing::{self, Sourcing};
use crate::allocation::service::{self as service, RequestView};
use crate::clock::today;
use crate::error::ServiceResult;
use crate::inventory::model::Quantity;
use crate::org::api::Reply;
use crate::web::json::{Json, OptionalJson};
use crate::web::Api;

/// Which requests.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RequestQuery {
    /// `out`: asked by my units; `in`: asked of my warehouses; both when absent.
    pub direction: Option<String>,
    /// `open`, `closed` or `cancelled`.
    pub state: Option<String>,
    /// `transfer` or `loan`.
    pub kind: Option<String>,
}

fn direction(raw: Option<&str>) -> ServiceResult<Direction> {
    match raw {
        None | Some("") | Some("both") => Ok(Direction::Both),
        Some("in") => Ok(Direction::In),
        Some("out") => Ok(Direction::Out),
        Some(_) => Err(crate::error::ServiceError::invalid(
            "direction",
            "direction 只能是 in、out 或 both",
            "direction is in, out or both",
        )),
    }
}

/// The requests the caller may see, newest first.
#[utoipa::path(tag = "allocations", params(RequestQuery), security(("bearer" = [])), responses((status = 200, body = Vec<RequestView>)))]
#[get("/allocations")]
pub async fn requests(api: Api, q: web::Query<RequestQuery>) -> Reply<Vec<RequestView>> {
    let q = q.into_inner();
    api.json(move |c| {
        let state = q.state.as_deref().map(RequestState::parse).transpose()?;
        let kind = q.kind.as_deref().map(RequestKind::parse).transpose()?;
        let direction = direction(q.direction.as_deref())?;
        lists::requests(c.conn, c.actor, direction, state, kind, today(c.now, c.tz))
    })
    .await
}

/// An item asked for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestLineIn {
    pub item_id: i64,
    /// An exact decimal greater than zero.
    #[schema(pattern = r"^(?!0+(\.0+)?$)[0-9]{1,12}(\.[0-9]{1,3})?$")]
    pub qty: String,
    /// The warehouse proposed to send it (required for an emergency order).
    pub from_warehouse_id: Option<i64>,
}

/// A request, or an emergency order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestIn {
    /// `transfer` (for keeps) or `loan` (comes back by `return_due`).
    pub kind: String,
    /// The requesting unit.
    pub unit_id: i64,
    /// A warehouse of the requesting unit, where the goods go.
    pub to_warehouse_id: i64,
    /// `urgent` (紧急) or `normal` (一般).
    pub priority: String,
    /// When it is needed (RFC 3339).
    pub needed_by: DateTime<Utc>,
    #[schema(min_length = 1, max_length = 200)]
    pub purpose: String,
    /// A loan's return date.
    pub return_due: Option<NaiveDate>,
    #[schema(min_items = 1, max_items = 50)]
    pub lines: Vec<RequestLineIn>,
}

impl RequestIn {
    fn input(self) -> ServiceResult<RequestInput> {
        Ok(RequestInput {
            kind: RequestKind::parse(&self.kind)?,
            unit_id: self.unit_id,
            to_warehouse_id: self.to_warehouse_id,
            priority: Priority::parse(&self.priority)?,
            needed_by: self.needed_by,
            purpose: self.purpose,
            return_due: self.return_due,
            lines: self
                .lines
                .into_iter()
                .map(|l| {
                    Ok(LineAsk {
                        item_id: l.item_id,
                        qty: Quantity::parse_positive("qty", &l.qty)?,
                        from_warehouse_id: l.from_warehouse_id,
                    })
                })
                .collect::<ServiceResult<_>>()?,
        })
    }
}

/// Ask for items on behalf of a unit: each line waits for the requesting unit's head, then the holding unit's.
#[utoipa::path(tag = "allocations", request_body = RequestIn, security(("bearer" = [])), responses((status = 201, body = RequestView)))]
#[post("/allocations")]
pub async fn create_request(api: Api, body: Json<RequestIn>) -> Reply<RequestView> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        asking::create(c.conn, c.actor, c.now, c.config, b.input()?)
    })
    .await
}

/// An emergency order (调令, office staff): approved as ordered and held at once; decisions follow.
#[utoipa::path(tag = "allocations", request_body = RequestIn, security(("bearer" = [])), responses((status = 201, body = RequestView)))]
#[post("/allocations/orders")]
pub async fn order(api: Api, body: Json<RequestIn>) -> Reply<RequestView> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        asking::order(c.conn, c.actor, c.now, c.config, b.input()?)
    })
    .await
}

/// One request.
#[utoipa::path(tag = "allocations", security(("bearer" = [])), responses((status = 200, body = RequestView)))]
#[get("/allocations/{id:\\d+}")]
pub async fn request(api: Api, id: web::Path<i64>) -> Reply<RequestView> {
    let id = id.into_inner();
    api.json(move |c| service::get(c.conn, c.actor, id, today(c.now, c.tz)))
        .await
}

/// A source warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceIn {
    pub warehouse_id: i64,
}

/// Propose where a line comes from (before the holding unit decides).
#[utoipa::path(tag = "allocations", request_body = SourceIn, security(("bearer" = [])), responses((status = 200, body = RequestView)))]
#[put("/allocations/{id}/lines/{line_id}/source")]
pub async fn propose_source(
    api: Api,
    path: web::Path<(i64, i64)>,
    body: Json<SourceIn>,
) -> Reply<RequestView> {
    let ((id, line), w) = (path.into_inner(), body.0.warehouse_id);
    api.json(move |c| asking::propose_source(c.conn, c.actor, c.now, c.tz, id, line, w))
        .await
}

/// A decision on one line.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineDecisionIn {
    pub line_id: i64,
    /// Approved quantity, an exact decimal; "0" refuses.
    #[schema(pattern = r"^[0-9]{1,12}(\.[0-9]{1,3})?$")]
    pub qty: String,
    /// Why (required when refusing or approving less).
    #[serde(default)]
    #[schema(max_length = 500)]
    pub reason: String,
}

/// Decisions on lines.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionsIn {
    #[schema(min_items = 1)]
    pub lines: Vec<LineDecisionIn>,
}

/// Decide lines: each takes the decision it waits for (the requesting unit's head first, then the holding
/// unit's); on an emergency order, decisions recorded after the fact.
#[utoipa::path(tag = "allocations", request_body = DecisionsIn, security(("bearer" = [])), responses((status = 200, body = RequestView)))]
#[post("/allocations/{id}/decisions")]
pub async fn decide(api: Api, id: web::Path<i64>, body: Json<DecisionsIn>) -> Reply<RequestView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let decisions = b
            .lines
            .into_iter()
            .map(|d| {
                Ok(DecisionInput {
                    line_id: d.line_id,
                    qty: Quantity::parse("qty", &d.qty)?,
                    reason: d.reason,
                })
            })
            .collect::<ServiceResult<Vec<_>>>()?;
        deciding::decide(c.conn, c.actor, c.now, c.tz, id, &decisions)
    })
    .await
}

/// Which lines to reserve.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinesToReserveIn {
    /// These lines only (default: every approved line from a warehouse the caller keeps).
    pub line_ids: Option<Vec<i64>>,
}

/// Hold approved quantities in their source warehouses, as much as is free now. The body may be left out.
#[utoipa::path(tag = "allocations", request_body(content = Option<LinesToReserveIn>), security(("bearer" = [])), responses((status = 200, body = RequestView)))]
#[post("/allocations/{id}/reserve")]
pub async fn reserve(
    api: Api,
    id: web::Path<i64>,
    body: OptionalJson<LinesToReserveIn>,
) -> Reply<RequestView> {
    let (id, only) = (id.into_inner(), body.0.and_then(|b| b.line_ids));
    api.json(move |c| fulfil::reserve(c.conn, c.actor, c.now, c.tz, id, only.as_deref()))
        .await
}

/// A line's part of a dispatch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendIn {
    pub line_id: i64,
    /// An exact decimal, at most what is held for the line.
    #[schema(pattern = r"^[0-9]{1,12}(\.[0-9]{1,3})?$")]
    pub qty: String,
}

/// A dispatch from one source warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DispatchIn {
    pub from_warehouse_id: i64,
    /// Who carries it (driver, plate number).
    #[serde(default)]
    #[schema(max_length = 100)]
    pub carrier: String,
    #[schema(min_items = 1)]
    pub lines: Vec<SendIn>,
}

/// Send what is held: a transfer out into the sending unit's in-transit location and a consignment.
#[utoipa::path(tag = "allocations", request_body = DispatchIn, security(("bearer" = [])), responses((status = 200, body = RequestView)))]
#[post("/allocations/{id}/dispatches")]
pub async fn dispatch(api: Api, id: web::Path<i64>, body: Json<DispatchIn>) -> Reply<RequestView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let lines = b
            .lines
            .iter()
            .map(|l| {
                Ok(SendLine {
                    line_id: l.line_id,
                    qty: Quantity::parse("qty", &l.qty)?,
                })
            })
            .collect::<ServiceResult<Vec<_>>>()?;
        fulfil::dispatch(
            c.conn,
            c.actor,
            c.now,
            c.config,
            id,
            b.from_warehouse_id,
            &lines,
            &b.carrier,
        )
    })
    .await
}

/// What arrived of one batch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrivalIn {
    pub batch_id: i64,
    /// An exact decimal from 0 to what was sent.
    #[schema(pattern = r"^[0-9]{1,12}(\.[0-9]{1,3})?$")]
    pub qty: String,
}

/// The receiving keeper's count.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptIn {
    /// Batches counted; a batch left out arrived in full.
    #[serde(default)]
    pub counts: Vec<ArrivalIn>,
    /// Why less arrived (required then).
    #[serde(default)]
    #[schema(max_length = 500)]
    pub loss_reason: String,
}

fn counts(b: &ReceiptIn) -> ServiceResult<Vec<(i64, Quantity)>> {
    b.counts
        .iter()
        .map(|c| Ok((c.batch_id, Quantity::parse("qty", &c.qty)?)))
        .collect()
}

/// Count a consignment of this request in: the transfer in waits for a second person of the receiving unit;
/// a shortfall becomes a loss voucher. The body may be left out (everything arrived).
#[utoipa::path(tag = "allocations", request_body(content = Option<ReceiptIn>), security(("bearer" = [])), responses((status = 200, body = RequestView)))]
#[post("/allocations/{id}/consignments/{consignment_id}/receipt")]
pub async fn receive(
    api: Api,
    path: web::Path<(i64, i64)>,
    body: OptionalJson<ReceiptIn>,
) -> Reply<RequestView> {
    let ((id, cid), b) = (path.into_inner(), body.0.unwrap_or_default());
    api.json(move |c| {
        fulfil::receive(
            c.conn,
            c.actor,
            c.now,
            c.tz,
            id,
            cid,
            &counts(&b)?,
            &b.loss_reason,
        )
    })
    .await
}

/// Why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelIn {
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// Cancel what is not yet sent; reservations are let go.
#[utoipa::path(tag = "allocations", request_body = CancelIn, security(("bearer" = [])), responses((status = 200, body = RequestView)))]
#[post("/allocations/{id}/cancel")]
pub async fn cancel(api: Api, id: web::Path<i64>, body: Json<CancelIn>) -> Reply<RequestView> {
    let (id, reason) = (id.into_inner(), body.0.reason);
    api.json(move |c| ending::cancel(c.conn, c.actor, c.now, c.tz, id, &reason))
        .await
}

/// Close (办结) once everything is received (a loan: returned) and posted.
#[utoipa::path(tag = "allocations", security(("bearer" = [])), responses((status = 200, body = RequestView)))]
#[post("/allocations/{id}/close")]
pub async fn close(api: Api, id: web::Path<i64>) -> Reply<RequestView> {
    let id = id.into_inner();
    api.json(move |c| ending::close(c.conn, c.actor, c.now, c.tz, id))
        .await
}

/// What comes back of one line.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnLineIn {
    pub line_id: i64,
    /// In good condition.
    #[serde(default)]
    pub good: Option<String>,
    /// Coming back damaged.
    #[serde(default)]
    pub damaged: Option<String>,
    /// Lost while borrowed (written off, for approval).
    #[serde(default)]
    pub lost: Option<String>,
}

/// A loan's return.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnIn {
    #[schema(min_items = 1)]
    pub lines: Vec<ReturnLineIn>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub note: String,
    /// How something was lost (required when anything was).
    #[serde(default)]
    #[schema(max_length = 500)]
    pub loss_reason: String,
}

/// Give back a loan, all or part: good and damaged go back to the lender (a consignment it counts in), lost
/// is written off.
#[utoipa::path(tag = "allocations", request_body = ReturnIn, security(("bearer" = [])), responses((status = 200, body = RequestView)))]
#[post("/allocations/{id}/returns")]
pub async fn give_back(api: Api, id: web::Path<i64>, body: Json<ReturnIn>) -> Reply<RequestView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let q = |field: &'static str, v: &Option<String>| match v.as_deref().map(str::trim) {
            None | Some("") => Ok(Quantity::ZERO),
            Some(raw) => Quantity::parse(field, raw),
        };
        let lines = b
            .lines
            .iter()
            .map(|l| {
                Ok(ReturnLine {
                    line_id: l.line_id,
                    good: q("good", &l.good)?,
                    damaged: q("damaged", &l.damaged)?,
                    lost: q("lost", &l.lost)?,
                })
            })
            .collect::<ServiceResult<Vec<_>>>()?;
        loans::give_back(
            c.conn,
            c.actor,
            c.now,
            c.config,
            id,
            &lines,
            &b.note,
            &b.loss_reason,
        )
    })
    .await
}

/// A new return date.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionIn {
    pub return_due: NaiveDate,
}

/// Extend a loan (the lender).
#[utoipa::path(tag = "allocations", request_body = ExtensionIn, security(("bearer" = [])), responses((status = 200, body = RequestView)))]
#[post("/allocations/{id}/extension")]
pub async fn extend(api: Api, id: web::Path<i64>, body: Json<ExtensionIn>) -> Reply<RequestView> {
    let (id, due) = (id.into_inner(), body.0.return_due);
    api.json(move |c| loans::extend(c.conn, c.actor, c.now, c.tz, id, due))
        .await
}

/// Open loans the caller may see, overdue first.
#[utoipa::path(tag = "allocations", security(("bearer" = [])), responses((status = 200, body = Vec<RequestView>)))]
#[get("/loans")]
pub async fn loans_out(api: Api) -> Reply<Vec<RequestView>> {
    api.json(move |c| lists::loans(c.conn, c.actor, today(c.now, c.tz)))
        .await
}

/// Where to.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SourceQuery {
    /// The receiving warehouse: sources nearest to it first, itself left out.
    pub to_warehouse_id: Option<i64>,
}

/// Where an item can come from: every warehouse holding it with what may be drawn, its custodians, nearest
/// first.
#[utoipa::path(tag = "allocations", params(SourceQuery), security(("bearer" = [])), responses((status = 200, body = Sourcing)))]
#[get("/items/{id}/sources")]
pub async fn sources(api: Api, id: web::Path<i64>, q: web::Query<SourceQuery>) -> Reply<Sourcing> {
    let (id, to) = (id.into_inner(), q.to_warehouse_id);
    api.json(move |c| sourcing::sourcing(c.conn, c.actor, id, to, today(c.now, c.tz)))
        .await
}
