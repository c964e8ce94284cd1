//! Queries of the allocation area. Never commits.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::allocation::model::{
    LineFacts, LineState, Priority, RequestKind, RequestState, ShipDirection, Step,
};
use crate::db::codes::text_columns;
use crate::db::schema_allocation::{alloc_decisions, alloc_lines, alloc_requests, alloc_shipments};
use crate::db::{DbConn, MultiBackend};
use crate::inventory::model::Quantity;

text_columns!(
    RequestKind,
    Priority,
    RequestState,
    LineState,
    Step,
    ShipDirection
);

/// A request (调拨申请/借用申请) or emergency order (调令).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = alloc_requests)]
pub struct Request {
    pub id: i64,
    /// DB-2026-000012 (调拨), JY-… (借用), DL-… (调令).
    pub no: String,
    pub kind: RequestKind,
    /// The requesting unit.
    pub unit_id: i64,
    /// Where the goods go (a warehouse of the requesting unit).
    pub to_warehouse_id: i64,
    pub priority: Priority,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub needed_by: NaiveDateTime,
    pub purpose: String,
    /// A loan's return date.
    pub return_due: Option<NaiveDate>,
    /// Ordered by the office at once, approvals recorded after the fact.
    pub emergency: bool,
    pub state: RequestState,
    pub cancel_reason: String,
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// A request about to be stored.
#[derive(Debug, Insertable)]
#[diesel(table_name = alloc_requests)]
pub struct NewRequest {
    pub no: String,
    pub kind: RequestKind,
    pub unit_id: i64,
    pub to_warehouse_id: i64,
    pub priority: Priority,
    pub needed_by: NaiveDateTime,
    pub purpose: String,
    pub return_due: Option<NaiveDate>,
    pub emergency: bool,
    pub state: RequestState,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A line of a request: one item, its source, its quantities (thousandths) and state.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = alloc_lines)]
pub struct AllocLine {
    pub id: i64,
    pub request_id: i64,
    pub item_id: i64,
    /// The warehouse proposed to send it (none yet: to be proposed before the holder decides).
    pub from_warehouse_id: Option<i64>,
    pub requested: i64,
    pub approved: Option<i64>,
    pub reserved: i64,
    pub dispatched: i64,
    pub received: i64,
    pub lost: i64,
    pub returned: i64,
    pub state: LineState,
}

impl AllocLine {
    /// The model's view of the line.
    pub fn facts(&self) -> LineFacts {
        let q = Quantity::from_milli;
        LineFacts {
            state: self.state,
            requested: q(self.requested),
            approved: self.approved.map(q),
            reserved: q(self.reserved),
            dispatched: q(self.dispatched),
            received: q(self.received),
            lost: q(self.lost),
            returned: q(self.returned),
        }
    }
}

/// A decision on a line.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = alloc_decisions)]
pub struct Decision {
    pub id: i64,
    pub line_id: i64,
    pub step: Step,
    /// Approved quantity in thousandths (0: refused).
    pub qty: i64,
    pub reason: String,
    pub decided_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub decided_at: NaiveDateTime,
    pub after_the_fact: bool,
}

/// What a line sent on a consignment, or what a borrower gave back.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = alloc_shipments)]
pub struct Shipment {
    pub id: i64,
    pub request_id: i64,
    pub line_id: i64,
    pub consignment_id: Option<i64>,
    pub direction: ShipDirection,
    /// Sent (out), or sent back (back), in thousandths.
    pub qty: i64,
    /// Of what was sent back, damaged.
    pub damaged: i64,
    /// Lost while borrowed.
    pub lost: i64,
    pub loss_movement_id: Option<i64>,
    pub note: String,
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

/// A shipment about to be stored.
#[derive(Debug, Insertable)]
#[diesel(table_name = alloc_shipments)]
pub struct NewShipment {
    pub request_id: i64,
    pub line_id: i64,
    pub consignment_id: Option<i64>,
    pub direction: ShipDirection,
    pub qty: i64,
    pub damaged: i64,
    pub lost: i64,
    pub loss_movement_id: Option<i64>,
    pub note: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

/// Stores a request with a provisional number, then numbers it by its id (one number per district).
pub fn insert_request(
    conn: &mut DbConn,
    mut new: NewRequest,
    number: impl Fn(i64) -> String,
) -> QueryResult<Request> {
    new.no = format!(
        "~{}-{}",
        new.created_by,
        new.created_at
            .and_utc()
            .timestamp_nanos_opt()
            .unwrap_or_default()
    );
    let id: i64 = diesel::insert_into(alloc_requests::table)
        .values(&new)
        .returning(alloc_requests::id)
        .get_result(conn)?;
    diesel::update(alloc_requests::table.find(id))
        .set(alloc_requests::no.eq(number(id)))
        .returning(alloc_requests::all_columns)
        .get_result(conn)
}

/// Adds a line.
pub fn insert_line(
    conn: &mut DbConn,
    request_id: i64,
    item_id: i64,
    from: Option<i64>,
    f: &LineFacts,
) -> QueryResult<i64> {
    diesel::insert_into(alloc_lines::table)
        .values((
            alloc_lines::request_id.eq(request_id),
            alloc_lines::item_id.eq(item_id),
            alloc_lines::from_warehouse_id.eq(from),
            alloc_lines::requested.eq(f.requested.milli()),
            alloc_lines::approved.eq(f.approved.map(|q| q.milli())),
            alloc_lines::state.eq(f.state),
        ))
        .returning(alloc_lines::id)
        .get_result(conn)
}

/// One request.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Request>> {
    alloc_requests::table
        .find(id)
        .select(Request::as_select())
        .first(conn)
        .optional()
}

/// The lines of a request, in the order asked.
pub fn lines_of(conn: &mut DbConn, request_id: i64) -> QueryResult<Vec<AllocLine>> {
    alloc_lines::table
        .filter(alloc_lines::request_id.eq(request_id))
        .order(alloc_lines::id.asc())
        .select(AllocLine::as_select())
        .load(conn)
}

/// Writes a line's new state and quantities, only if it is still as read (`was`); false when another
/// request changed it meanwhile.
pub fn update_line(
    conn: &mut DbConn,
    id: i64,
    was: &LineFacts,
    f: &LineFacts,
) -> QueryResult<bool> {
    let n = diesel::update(
        alloc_lines::table
            .find(id)
            .filter(alloc_lines::state.eq(was.state))
            .filter(alloc_lines::reserved.eq(was.reserved.milli()))
            .filter(alloc_lines::dispatched.eq(was.dispatched.milli()))
            .filter(alloc_lines::received.eq(was.received.milli()))
            .filter(alloc_lines::returned.eq(was.returned.milli())),
    )
    .set((
        alloc_lines::state.eq(f.state),
        alloc_lines::approved.eq(f.approved.map(|q| q.milli())),
        alloc_lines::reserved.eq(f.reserved.milli()),
        alloc_lines::dispatched.eq(f.dispatched.milli()),
        alloc_lines::received.eq(f.received.milli()),
        alloc_lines::lost.eq(f.lost.milli()),
        alloc_lines::returned.eq(f.returned.milli()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Proposes (or changes) the warehouse a line comes from, only while no one has decided as holder.
pub fn set_source(conn: &mut DbConn, line_id: i64, warehouse_id: i64) -> QueryResult<bool> {
    let n = diesel::update(
        alloc_lines::table
            .find(line_id)
            .filter(alloc_lines::state.eq(LineState::Requested)),
    )
    .set(alloc_lines::from_warehouse_id.eq(warehouse_id))
    .execute(conn)?;
    Ok(n == 1)
}

/// Records a decision (one per line and step).
#[allow(clippy::too_many_arguments)]
pub fn insert_decision(
    conn: &mut DbConn,
    line_id: i64,
    step: Step,
    qty: Quantity,
    reason: &str,
    by: i64,
    at: NaiveDateTime,
    after_the_fact: bool,
) -> QueryResult<()> {
    diesel::insert_into(alloc_decisions::table)
        .values((
            alloc_decisions::line_id.eq(line_id),
            alloc_decisions::step.eq(step),
            alloc_decisions::qty.eq(qty.milli()),
            alloc_decisions::reason.eq(reason),
            alloc_decisions::decided_by.eq(by),
            alloc_decisions::decided_at.eq(at),
            alloc_decisions::after_the_fact.eq(after_the_fact),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The decisions on a request's lines.
pub fn decisions_of(conn: &mut DbConn, request_id: i64) -> QueryResult<Vec<Decision>> {
    alloc_decisions::table
        .inner_join(alloc_lines::table)
        .filter(alloc_lines::request_id.eq(request_id))
        .order(alloc_decisions::id.asc())
        .select(Decision::as_select())
        .load(conn)
}

/// Records a shipment.
pub fn insert_shipment(conn: &mut DbConn, new: &NewShipment) -> QueryResult<()> {
    diesel::insert_into(alloc_shipments::table)
        .values(new)
        .execute(conn)
        .map(|_| ())
}

/// The shipments of a request.
pub fn shipments_of(conn: &mut DbConn, request_id: i64) -> QueryResult<Vec<Shipment>> {
    alloc_shipments::table
        .filter(alloc_shipments::request_id.eq(request_id))
        .order(alloc_shipments::id.asc())
        .select(Shipment::as_select())
        .load(conn)
}

/// Sets a request's state (and why, when cancelled).
pub fn set_state(
    conn: &mut DbConn,
    id: i64,
    state: RequestState,
    reason: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        alloc_requests::table
            .find(id)
            .filter(alloc_requests::state.eq(RequestState::Open)),
    )
    .set((
        alloc_requests::state.eq(state),
        alloc_requests::cancel_reason.eq(reason),
        alloc_requests::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Moves a loan's return date.
pub fn set_return_due(
    conn: &mut DbConn,
    id: i64,
    due: NaiveDate,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(alloc_requests::table.find(id))
        .set((
            alloc_requests::return_due.eq(due),
            alloc_requests::updated_at.eq(at),
        ))
        .execute(conn)
}

/// Which requests to list.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    /// Asked by these units (out of their hands: 申请), or `None` for any.
    pub by_units: Option<Vec<i64>>,
    /// With a line from these warehouses (申请调入我方物资), or `None`.
    pub from_warehouses: Option<Vec<i64>>,
    pub state: Option<RequestState>,
    pub kind: Option<RequestKind>,
}

/// Requests matching the filter, newest first (at most 500).
pub fn list(conn: &mut DbConn, f: &RequestFilter) -> QueryResult<Vec<Request>> {
    let mut q = alloc_requests::table.into_boxed::<MultiBackend>();
    // The requests with a line from these warehouses.
    let asked_of = f.from_warehouses.clone().map(|whs| {
        alloc_lines::table
            .filter(alloc_lines::from_warehouse_id.eq_any(whs))
            .select(alloc_lines::request_id)
    });
    match (f.by_units.clone(), asked_of) {
        (Some(units), Some(ids)) => {
            q = q.filter(
                alloc_requests::unit_id
                    .eq_any(units)
                    .or(alloc_requests::id.eq_any(ids)),
            )
        }
        (Some(units), None) => q = q.filter(alloc_requests::unit_id.eq_any(units)),
        (None, Some(ids)) => q = q.filter(alloc_requests::id.eq_any(ids)),
        (None, None) => {}
    }
    if let Some(s) = f.state {
        q = q.filter(alloc_requests::state.eq(s));
    }
    if let Some(k) = f.kind {
        q = q.filter(alloc_requests::kind.eq(k));
    }
    q.order(alloc_requests::id.desc())
        .limit(500)
        .select(Request::as_select())
        .load(conn)
}

/// Open loans whose return date is before `day` with something still out.
pub fn loans_due_before(conn: &mut DbConn, day: NaiveDate) -> QueryResult<Vec<Request>> {
    alloc_requests::table
        .filter(alloc_requests::kind.eq(RequestKind::Loan))
        .filter(alloc_requests::state.eq(RequestState::Open))
        .filter(alloc_requests::return_due.lt(day))
        .order(alloc_requests::return_due.asc())
        .select(Request::as_select())
        .load(conn)
}
