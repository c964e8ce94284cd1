//! Goods on the road (在途). A transfer out of a warehouse posts into the sending unit's in-transit location
//! and opens a consignment; the receiving keeper counts what arrived ([`receive`]): a transfer in, which
//! posts when a second person of the receiving unit countersigns it (taking the goods off the road then), and
//! for what did not arrive a write-off from the road, which posts when an approver signs it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ledger::{load, Voucher};
use super::posting::{check_count_allows, insert, post};
use super::warehouse_for;
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{
    check_loss_reason, receipt_lines, ConsignmentState, Line, LocationKind, MovementKind,
    MovementState, Quantity, StockAction,
};
use crate::inventory::store::consignments::{self as store, Consignment, NewConsignment};
use crate::inventory::store::ledger::{self as ledger_store, Movement, NewMovement, Receipt};
use crate::inventory::store::warehouses::{self as wh_store, Warehouse};
use crate::org::model::Actor;
use crate::org::store as org_store;

fn location(conn: &mut DbConn, id: i64) -> ServiceResult<Warehouse> {
    wh_store::find(conn, id)?.ok_or_else(|| ServiceError::not_found("该储备库", "Warehouse"))
}

/// What posting a transfer does besides its own lines. A transfer out of a store lands in the sender's
/// in-transit location (a transfer in there, posted with it) and opens a consignment to its destination. A
/// transfer into a store from an in-transit location first takes the goods off the road.
pub(crate) fn legs(
    conn: &mut DbConn,
    m: &Movement,
    lines: &[Line],
    now: DateTime<Utc>,
    signer: Option<i64>,
    tz: chrono_tz::Tz,
) -> ServiceResult<()> {
    if !matches!(m.kind, MovementKind::TransferOut | MovementKind::TransferIn) {
        return Ok(());
    }
    let here = location(conn, m.warehouse_id)?;
    if here.kind == LocationKind::Transit {
        return Ok(()); // a leg itself
    }
    let there_id = m
        .counterpart_warehouse_id
        .ok_or_else(|| ServiceError::Internal("transfer without counterpart".into()))?;
    let mirrored: Vec<Line> = lines.iter().map(|l| Line { qty: -l.qty, ..*l }).collect();
    let leg = |warehouse: &Warehouse, kind, counterpart| NewMovement {
        warehouse_id: warehouse.id,
        unit_id: warehouse.unit_id,
        kind,
        voucher_no: String::new(),
        reason: format!("{}（{}）", m.reason, m.voucher_no),
        state: MovementState::Pending,
        emergency: false,
        created_by: m.created_by,
        created_at: db_time(now),
        reverses_id: None,
        counterpart_warehouse_id: Some(counterpart),
        stocktake_id: None,
        receipt: Receipt::default(),
    };
    if m.kind == MovementKind::TransferOut {
        let unit = org_store::find_unit(conn, here.unit_id)?
            .map(|u| u.name)
            .unwrap_or_default();
        let road = wh_store::transit_of(conn, here.unit_id, &unit, db_time(now))?;
        let new = leg(&road, MovementKind::TransferIn, here.id);
        let onto = insert(conn, road.unit_id, new, &mirrored, now, tz)?;
        post(conn, &onto, &mirrored, now, signer, tz)?;
        store::insert(
            conn,
            &NewConsignment {
                from_warehouse_id: here.id,
                transit_warehouse_id: road.id,
                to_warehouse_id: there_id,
                out_movement_id: m.id,
                carrier: String::new(),
                sent_for: String::new(),
                state: ConsignmentState::InTransit,
                sent_at: db_time(now),
            },
        )?;
    } else {
        let road = location(conn, there_id)?;
        if road.kind == LocationKind::Transit {
            let new = leg(&road, MovementKind::TransferOut, here.id);
            let off = insert(conn, road.unit_id, new, &mirrored, now, tz)?;
            post(conn, &off, &mirrored, now, signer, tz)?;
        }
    }
    Ok(())
}

/// Goods to send on their way: from a warehouse to another (whose keeper will count them in), batch by batch.
#[derive(Debug, Clone)]
pub struct Dispatch {
    pub from_warehouse_id: i64,
    pub to_warehouse_id: i64,
    /// Positive quantities per batch.
    pub lines: Vec<Line>,
    pub reason: String,
    pub carrier: String,
    /// What sends it, e.g. `allocation:12`.
    pub sent_for: String,
    /// An emergency order: goes even from a warehouse being counted, and owes its second signature.
    pub emergency: bool,
    /// Who approved the sending beforehand (the holding unit's head): the voucher's second signature.
    pub approved_by: Option<i64>,
}

/// Sends goods on their way in the caller's transaction: a transfer out of the sending warehouse, posted at
/// once — its second signature is the approval given before (`approved_by`, who must be someone other than
/// the sender), or, for an emergency order, owed afterwards like an emergency issue — into the sender's
/// in-transit location, and a consignment for the receiving keeper.
pub fn dispatch(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    cfg: &crate::config::Config,
    d: Dispatch,
) -> ServiceResult<ConsignmentView> {
    let tz = cfg.timezone;
    let from = warehouse_for(conn, actor, d.from_warehouse_id, StockAction::Move)?;
    crate::inventory::model::check_kept_by_hand(from.kind, &from.name)?;
    let to = location(conn, d.to_warehouse_id)?;
    if to.kind != LocationKind::Store || !to.active || !from.active || to.id == from.id {
        return Err(ServiceError::invalid(
            "to_warehouse_id",
            "调入储备库不存在、已停用或与调出库相同",
            "The receiving warehouse does not exist, is inactive, or is the sending one",
        ));
    }
    if !d.emergency && d.approved_by.is_none_or(|a| a == actor.account_id) {
        return Err(ServiceError::conflict(
            "发货须由审批人以外的人员办理（双签字）",
            "Someone other than the approver sends the goods (two signatures)",
        ));
    }
    let reason = crate::inventory::model::reason(&d.reason)?;
    let carrier = crate::org::model::optional_text("carrier", &d.carrier, 100)?;
    let day = crate::clock::today(now, tz);
    let out: Vec<Line> = d.lines.iter().map(|l| Line { qty: -l.qty, ..*l }).collect();
    for l in &out {
        let b = crate::inventory::store::catalogue::find_batch(conn, l.batch_id)?
            .ok_or_else(|| ServiceError::invalid("batch_id", "批次不存在", "No such batch"))?;
        crate::inventory::model::check_issuable(
            MovementKind::TransferOut,
            b.expiry_date,
            b.quality,
            day,
        )?;
    }
    crate::inventory::model::check_lines(MovementKind::TransferOut, &out)?;
    // Equipment found needing repair (since it was reserved, say) goes only on an emergency order.
    let batches: Vec<i64> = out.iter().map(|l| l.batch_id).collect();
    let taken_broken =
        super::inspections::repair_gate(conn, MovementKind::TransferOut, d.emergency, &batches)?;
    write_tx(conn, |c| {
        check_count_allows(c, from.id, d.emergency)?;
        let new = NewMovement {
            warehouse_id: from.id,
            unit_id: from.unit_id,
            kind: MovementKind::TransferOut,
            voucher_no: String::new(),
            reason,
            state: MovementState::Pending,
            emergency: d.emergency,
            created_by: actor.account_id,
            created_at: db_time(now),
            reverses_id: None,
            counterpart_warehouse_id: Some(to.id),
            stocktake_id: None,
            receipt: Receipt::default(),
        };
        let m = insert(c, from.unit_id, new, &out, now, tz)?;
        if !taken_broken.is_empty() {
            ledger_store::set_repair_override(c, m.id, &taken_broken.join("、"))?;
        }
        let signer = if d.emergency { None } else { d.approved_by };
        post(c, &m, &out, now, signer, tz)?;
        let voucher = load(c, m.id)?;
        if d.emergency {
            let owed = crate::inventory::reminders::owed_to(c, m.kind, from.unit_id, actor)?;
            let notice = crate::inventory::reminders::countersign_owed(
                c,
                &voucher.movement,
                &from.name,
                owed,
                now,
                tz,
            )?;
            crate::notify::service::enqueue(c, cfg, now, &notice)?;
        }
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("movement", m.id, Some(from.unit_id), None, Some(&voucher)),
        )?;
        let cons = describe(c, m.id, &carrier, &d.sent_for)?;
        view(c, cons)
    })
}

/// A consignment as people read it: where from and to, and what it carries.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConsignmentView {
    #[serde(flatten)]
    pub consignment: Consignment,
    pub from_warehouse: String,
    pub to_warehouse: String,
    pub out_voucher_no: String,
    /// The lines sent (positive).
    pub lines: Vec<Line>,
    /// The receipt's state once counted: waiting for its countersignature, or posted.
    pub receipt_state: Option<MovementState>,
    /// The loss voucher's state when less arrived.
    pub loss_state: Option<MovementState>,
}

fn view(conn: &mut DbConn, c: Consignment) -> ServiceResult<ConsignmentView> {
    let out = load(conn, c.out_movement_id)?;
    let state = |conn: &mut DbConn, id: Option<i64>| -> ServiceResult<Option<MovementState>> {
        Ok(match id {
            Some(id) => ledger_store::find_movement(conn, id)?.map(|m| m.state),
            None => None,
        })
    };
    Ok(ConsignmentView {
        from_warehouse: location(conn, c.from_warehouse_id)?.name,
        to_warehouse: location(conn, c.to_warehouse_id)?.name,
        out_voucher_no: out.movement.voucher_no,
        lines: out
            .lines
            .iter()
            .map(|l| Line { qty: -l.qty, ..*l })
            .collect(),
        receipt_state: state(conn, c.receipt_movement_id)?,
        loss_state: state(conn, c.loss_movement_id)?,
        consignment: c,
    })
}

/// One consignment, for those who may see the sending or the receiving warehouse.
pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<ConsignmentView> {
    let c =
        store::find(conn, id)?.ok_or_else(|| ServiceError::not_found("该在途单", "Consignment"))?;
    let sees = |conn: &mut DbConn, w| warehouse_for(conn, actor, w, StockAction::View).is_ok();
    if !sees(conn, c.to_warehouse_id) && !sees(conn, c.from_warehouse_id) {
        return Err(ServiceError::not_found("该在途单", "Consignment"));
    }
    view(conn, c)
}

/// The consignments to or from the warehouses the actor may see: those on the road, or all of them.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    on_the_road: bool,
) -> ServiceResult<Vec<ConsignmentView>> {
    let ids: Vec<i64> = super::visible_warehouses(conn, actor)?
        .iter()
        .map(|w| w.id)
        .collect();
    store::touching(conn, &ids, on_the_road)?
        .into_iter()
        .map(|c| view(conn, c))
        .collect()
}

/// The consignments sent for a purpose (`allocation:12`), for the area that sent them.
pub fn sent_for(conn: &mut DbConn, what: &str) -> ServiceResult<Vec<ConsignmentView>> {
    store::sent_for(conn, what)?
        .into_iter()
        .map(|c| view(conn, c))
        .collect()
}

/// Notes who carries a consignment and what sent it, right after its transfer out posted (in the caller's
/// transaction).
pub(crate) fn describe(
    conn: &mut DbConn,
    out_movement_id: i64,
    carrier: &str,
    sent_for: &str,
) -> ServiceResult<Consignment> {
    let c = store::of_movement(conn, out_movement_id)?
        .ok_or_else(|| ServiceError::Internal("a transfer out without its consignment".into()))?;
    store::describe(conn, c.id, carrier, sent_for)?;
    Ok(store::find(conn, c.id)?.unwrap_or(c))
}

/// What a receipt recorded: the transfer in (awaiting its countersignature) and the loss, if any.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReceiptOutcome {
    pub consignment: ConsignmentView,
    pub receipt: Option<Voucher>,
    pub loss: Option<Voucher>,
}

/// The receiving keeper counts what arrived: `counted` per batch (a batch not listed arrived in full). Records
/// the transfer in (a second person of the receiving unit countersigns it, and then it posts) and, when less
/// arrived, a write-off from the road with `loss_reason`, for the sending unit's approver. Once only.
/// `sent_for` must be what sent it: empty for a plain transfer; an area receives its own consignments
/// (an allocation's lines move on as they are counted in).
#[allow(clippy::too_many_arguments)]
pub fn receive(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    sent_for: &str,
    counted: &[(i64, Quantity)],
    loss_reason: &str,
) -> ServiceResult<ReceiptOutcome> {
    write_tx(conn, |c| {
        let before = get(c, actor, id)?;
        let cons = &before.consignment;
        if cons.sent_for != sent_for {
            return Err(ServiceError::conflict(
                "这批物资属于调拨/借用单，请在该单的页面上清点接收",
                "These goods belong to an allocation: count them in on its page",
            ));
        }
        let to = warehouse_for(c, actor, cons.to_warehouse_id, StockAction::Move)?;
        if cons.state != ConsignmentState::InTransit {
            return Err(ServiceError::conflict(
                "该在途单已接收",
                "This consignment has already been received",
            ));
        }
        let (got, lost) = receipt_lines(&before.lines, counted)?;
        let items: Vec<i64> = got.iter().map(|l| l.item_id).collect();
        for item in crate::inventory::store::catalogue::find_items(c, &items)? {
            for l in got.iter().filter(|l| l.item_id == item.id) {
                crate::inventory::model::check_whole(item.divisible, l.qty, &item.name, &item.uom)?;
            }
        }
        let loss_reason = check_loss_reason(&lost, loss_reason)?;
        check_count_allows(c, to.id, false)?;
        let road = location(c, cons.transit_warehouse_id)?;
        let reason = format!(
            "接收在途物资（{}，发自{}）",
            before.out_voucher_no, before.from_warehouse
        );
        let movement = |warehouse: &Warehouse, kind, counterpart, reason: String| NewMovement {
            warehouse_id: warehouse.id,
            unit_id: warehouse.unit_id,
            kind,
            voucher_no: String::new(),
            reason,
            state: MovementState::Pending,
            emergency: false,
            created_by: actor.account_id,
            created_at: db_time(now),
            reverses_id: None,
            counterpart_warehouse_id: counterpart,
            stocktake_id: None,
            receipt: Receipt::default(),
        };
        let receipt = if got.is_empty() {
            None
        } else {
            let new = movement(&to, MovementKind::TransferIn, Some(road.id), reason.clone());
            Some(insert(c, to.unit_id, new, &got, now, tz)?)
        };
        let loss = if lost.is_empty() {
            None
        } else {
            let why = format!("在途短少（{}）：{loss_reason}", before.out_voucher_no);
            let new = movement(&road, MovementKind::WriteOff, None, why);
            Some(insert(c, road.unit_id, new, &lost, now, tz)?)
        };
        let ids = (receipt.as_ref().map(|m| m.id), loss.as_ref().map(|m| m.id));
        if !store::mark_received(c, id, ids, actor.account_id, db_time(now))? {
            return Err(ServiceError::conflict(
                "该在途单已接收",
                "This consignment has already been received",
            ));
        }
        let after = get(c, actor, id)?;
        let change = Change::of(
            "consignment",
            id,
            Some(to.unit_id),
            Some(&before),
            Some(&after),
        )
        .action("receive");
        audit::record(c, Some(actor), now, change)?;
        Ok(ReceiptOutcome {
            consignment: after,
            receipt: receipt.map(|m| load(c, m.id)).transpose()?,
            loss: loss.map(|m| load(c, m.id)).transpose()?,
        })
    })
}
