//! Asking: a unit's request (调拨申请/借用申请), the office's emergency order (调令), proposing a source.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::{load, not_found, tree, RequestView};
use crate::allocation::model::{
    authorize_alloc, check_asks, check_needed_by, check_purpose, check_return_due, request_no,
    AllocAction, LineAsk, LineFacts, LineState, Priority, RequestKind, RequestState,
};
use crate::allocation::store::{self as store, NewRequest};
use crate::audit::{model::Change, service as audit};
use crate::clock::today;
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{LocationKind, Quantity};
use crate::inventory::service::reservations::free_to_hold;
use crate::inventory::store::{catalogue as cat_store, warehouses as wh_store};
use crate::org::model::Actor;

/// What a unit asks for.
#[derive(Debug, Clone)]
pub struct RequestInput {
    pub kind: RequestKind,
    /// The requesting unit.
    pub unit_id: i64,
    /// Where the goods go: a warehouse of the requesting unit.
    pub to_warehouse_id: i64,
    pub priority: Priority,
    pub needed_by: DateTime<Utc>,
    pub purpose: String,
    /// A loan's return date.
    pub return_due: Option<NaiveDate>,
    pub lines: Vec<LineAsk>,
}

/// Checks what can be checked before writing: the request's own rules, the destination, the items, the
/// proposed sources.
fn check_input(
    conn: &mut DbConn,
    input: &RequestInput,
    now: DateTime<Utc>,
    day: NaiveDate,
) -> ServiceResult<(String, Option<NaiveDate>)> {
    let purpose = check_purpose(&input.purpose)?;
    let due = check_return_due(input.kind, input.return_due, day)?;
    check_needed_by(input.needed_by, now)?;
    check_asks(&input.lines)?;
    let to = wh_store::find(conn, input.to_warehouse_id)?;
    let tree = crate::org::store::unit_tree(conn)?;
    match to {
        Some(w) if w.kind == LocationKind::Store && w.active && tree.is_within(w.unit_id, input.unit_id) => {}
        _ => {
            return Err(ServiceError::invalid(
                "to_warehouse_id",
                "调入储备库须是申请单位（或其下级）在用的储备库",
                "The receiving warehouse must be an active warehouse of the requesting unit (or below it)",
            ))
        }
    }
    let ids: Vec<i64> = input.lines.iter().map(|l| l.item_id).collect();
    let items = cat_store::find_items(conn, &ids)?;
    for l in &input.lines {
        let Some(item) = items.iter().find(|i| i.id == l.item_id && i.active) else {
            return Err(ServiceError::invalid(
                "item_id",
                "物资不存在或已停用",
                "No such active item",
            ));
        };
        crate::inventory::model::check_whole(item.divisible, l.qty, &item.name, &item.uom)?;
        if let Some(from) = l.from_warehouse_id {
            match wh_store::find(conn, from)? {
                Some(w)
                    if w.kind == LocationKind::Store
                        && w.active
                        && w.id != input.to_warehouse_id => {}
                _ => {
                    return Err(ServiceError::invalid(
                        "from_warehouse_id",
                        "调出储备库不存在、已停用或与调入库相同",
                        "The source warehouse does not exist, is inactive, or is the receiving one",
                    ))
                }
            }
        }
    }
    Ok((purpose, due))
}

fn insert(
    c: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    input: &RequestInput,
    (purpose, due): (String, Option<NaiveDate>),
    emergency: bool,
) -> ServiceResult<i64> {
    let at = db_time(now);
    let year = now.with_timezone(&tz).year();
    let kind = input.kind;
    let r = store::insert_request(
        c,
        NewRequest {
            no: String::new(),
            kind,
            unit_id: input.unit_id,
            to_warehouse_id: input.to_warehouse_id,
            priority: input.priority,
            needed_by: db_time(input.needed_by),
            purpose,
            return_due: due,
            emergency,
            state: RequestState::Open,
            created_by: actor.account_id,
            created_at: at,
            updated_at: at,
        },
        |id| request_no(kind, emergency, year, id),
    )?;
    for l in &input.lines {
        let mut f = LineFacts::asked(l.qty);
        if emergency {
            f.state = LineState::Approved;
            f.approved = Some(l.qty);
        }
        store::insert_line(c, r.id, l.item_id, l.from_warehouse_id, &f)?;
    }
    Ok(r.id)
}

/// A unit asks for items (those who may ask for it: its head, its keepers, office staff). Each line waits
/// for the requesting unit's head, then the holding unit's head.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    cfg: &Config,
    input: RequestInput,
) -> ServiceResult<RequestView> {
    let tz = cfg.timezone;
    let day = today(now, tz);
    authorize_alloc(actor, AllocAction::Ask, input.unit_id, &*tree(conn, actor)?)?;
    let checked = check_input(conn, &input, now, day)?;
    let id = write_tx(conn, |c| {
        let id = insert(c, actor, now, tz, &input, checked, false)?;
        let after = load(c, id, day)?;
        let change = Change::of("allocation", id, Some(input.unit_id), None, Some(&after));
        audit::record(c, Some(actor), now, change)?;
        Ok::<_, ServiceError>(id)
    })?;
    load(conn, id, day)
}

/// The office orders an allocation at once (调令): every line names its source, is approved as ordered and
/// held at once as far as the stock allows (stock under a count too); the heads' decisions are recorded
/// after the fact. Office staff with a district-wide grant only.
pub fn order(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    cfg: &Config,
    input: RequestInput,
) -> ServiceResult<RequestView> {
    let tz = cfg.timezone;
    let day = today(now, tz);
    authorize_alloc(
        actor,
        AllocAction::Order,
        input.unit_id,
        &*tree(conn, actor)?,
    )?;
    if input.lines.iter().any(|l| l.from_warehouse_id.is_none()) {
        return Err(ServiceError::invalid(
            "from_warehouse_id",
            "调令须为每种物资指定调出储备库",
            "An emergency order names the source warehouse of every item",
        ));
    }
    let checked = check_input(conn, &input, now, day)?;
    let id = write_tx(conn, |c| {
        let id = insert(c, actor, now, tz, &input, checked, true)?;
        for line in store::lines_of(c, id)? {
            let Some(from) = line.from_warehouse_id else {
                continue;
            };
            let f = line.facts();
            let free = free_to_hold(c, from, line.item_id, true, day)?;
            let amount = if free < f.to_reserve() {
                free
            } else {
                f.to_reserve()
            };
            if amount > Quantity::ZERO {
                super::fulfil::hold_line(c, actor, now, tz, id, &line, amount)?;
            }
        }
        let after = load(c, id, day)?;
        let change =
            Change::of("allocation", id, Some(input.unit_id), None, Some(&after)).action("order");
        audit::record(c, Some(actor), now, change)?;
        Ok::<_, ServiceError>(id)
    })?;
    load(conn, id, day)
}

/// Proposes (or changes) where a line comes from, before the holding unit's head decides: the requester (who
/// may ask for the unit) or office staff.
pub fn propose_source(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    line_id: i64,
    warehouse_id: i64,
) -> ServiceResult<RequestView> {
    let day = today(now, tz);
    write_tx(conn, |c| {
        let before = super::get(c, actor, id, day)?;
        authorize_alloc(
            actor,
            AllocAction::Ask,
            before.request.unit_id,
            &*tree(c, actor)?,
        )?;
        let line = before
            .lines
            .iter()
            .find(|l| l.id == line_id)
            .ok_or_else(not_found)?;
        match wh_store::find(c, warehouse_id)? {
            Some(w)
                if w.kind == LocationKind::Store
                    && w.active
                    && w.id != before.request.to_warehouse_id => {}
            _ => {
                return Err(ServiceError::invalid(
                    "from_warehouse_id",
                    "调出储备库不存在、已停用或与调入库相同",
                    "The source warehouse does not exist, is inactive, or is the receiving one",
                ))
            }
        }
        if !store::set_source(c, line.id, warehouse_id)? {
            return Err(ServiceError::conflict(
                "调出单位已审批或该行已办理，不能再更换调出储备库",
                "The holding unit has decided or the line has moved on: its source can no longer change",
            ));
        }
        let after = load(c, id, day)?;
        let change = Change::of(
            "allocation",
            id,
            Some(before.request.unit_id),
            Some(&before),
            Some(&after),
        )
        .action("propose_source");
        audit::record(c, Some(actor), now, change)?;
        Ok(after)
    })
}

/// What the reserves area's reservations and consignments call a request.
pub fn purpose_of(request: &store::Request) -> String {
    format!("{}（{}）", request.no, request.purpose)
}
