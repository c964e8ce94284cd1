//! The ledger's use cases. A movement waits for a second signature before it posts; an emergency issue
//! posts at once and owes its signature (see `posting` for what posting does), all in one transaction.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::posting::{check_count_allows, insert, insufficient, post};
use super::warehouse_for;
use crate::audit::{model::Change, service as audit};
use crate::clock::today;
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{
    authorize_stock, check_countersign, check_issuable, check_kept_by_hand, check_lines,
    check_reversible, check_serial_line, check_whole, reason, repair_overrides, signed, BatchInput,
    Line, LineRequest, LocationKind, MovementKind, MovementState, Quantity, SignFacts, StockAction,
};
use crate::inventory::reminders::{countersign_owed, owed_to, waiting_keys};
use crate::inventory::store::ledger::{
    self as store, Movement, MovementFilter, NewMovement, Receipt,
};
use crate::inventory::store::{catalogue as cat_store, warehouses as wh_store};
use crate::org::model::{optional_text, Actor, UnitTree};
use crate::org::store as org_store;
use crate::pagination::{Page, PageRequest};

/// A movement with its lines.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Voucher {
    #[serde(flatten)]
    pub movement: Movement,
    pub lines: Vec<Line>,
}

/// What a keeper asks to record.
#[derive(Debug, Clone)]
pub struct MovementRequest {
    pub warehouse_id: i64,
    pub kind: MovementKind,
    pub reason: String,
    pub emergency: bool,
    pub counterpart_warehouse_id: Option<i64>,
    pub lines: Vec<LineRequest>,
    /// For a receipt: who delivered, the delivery note, the day received.
    pub receipt: Receipt,
}

/// A batch received for the first time, typed on the receiving form.
#[derive(Debug, Clone)]
pub struct NewBatch {
    pub item_id: i64,
    pub batch: BatchInput,
    pub qty: Quantity,
}

/// Records a movement together with a batch new to the catalogue (a delivery received on one page): the
/// batch and the voucher are both written, or neither.
pub fn receive(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    cfg: &Config,
    mut req: MovementRequest,
    new: Option<NewBatch>,
) -> ServiceResult<Voucher> {
    let Some(new) = new else {
        return record(conn, actor, now, cfg, req);
    };
    write_tx(conn, |c| {
        let batch = super::catalogue::add_batch(c, actor, now, new.item_id, new.batch)?;
        req.lines.push(LineRequest {
            batch_id: batch.id,
            qty: new.qty,
            out: None,
        });
        record(c, actor, now, cfg, req)
    })
}

/// Records a movement; it waits for a countersignature unless it is an emergency issue, which posts now.
/// An emergency issue also tells the unit's signers, in the same transaction, that it owes a signature.
pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    cfg: &Config,
    req: MovementRequest,
) -> ServiceResult<Voucher> {
    let tz = cfg.timezone;
    if !req.kind.recordable() {
        return Err(ServiceError::invalid(
            "kind",
            "该类型由调拨、盘点或冲销自动生成，不能直接登记",
            "This kind is created by transfers, stocktakes or reversals, not recorded directly",
        ));
    }
    if req.emergency && !req.kind.may_be_emergency() {
        return Err(ServiceError::invalid(
            "emergency",
            "只有领用、调拨、借用出库可以先发后补",
            "Only issues for use, transfers and loans may go first and be signed afterwards",
        ));
    }
    let reason = reason(&req.reason)?;
    let receipt = Receipt {
        supplier: optional_text("supplier", &req.receipt.supplier, 100)?,
        document_no: optional_text("document_no", &req.receipt.document_no, 64)?,
        received_on: req.receipt.received_on,
    };
    // Everything read-only is checked before taking the write lock, so the lock is held only for the
    // writes; the conditional decrement at posting still guards the stock.
    let w = warehouse_for(conn, actor, req.warehouse_id, StockAction::Move)?;
    if !w.active {
        return Err(ServiceError::conflict(
            "该储备库已停用",
            "This warehouse is inactive",
        ));
    }
    check_kept_by_hand(w.kind, &w.name)?;
    let counterpart = match (req.kind, req.counterpart_warehouse_id) {
        (MovementKind::TransferOut, Some(dest)) if dest != w.id => {
            match wh_store::find(conn, dest)? {
                Some(d) if d.active && d.kind == LocationKind::Store => Some(dest),
                _ => {
                    return Err(ServiceError::invalid(
                        "counterpart_warehouse_id",
                        "调入储备库不存在或已停用",
                        "The destination warehouse does not exist or is inactive",
                    ))
                }
            }
        }
        (MovementKind::TransferOut, _) => {
            return Err(ServiceError::invalid(
                "counterpart_warehouse_id",
                "调拨出库须指定另一个调入储备库",
                "A transfer needs another warehouse to receive it",
            ))
        }
        _ => None,
    };
    let ids: Vec<i64> = req.lines.iter().map(|l| l.batch_id).collect();
    let found = cat_store::find_batches(conn, &ids)?;
    let item_ids: Vec<i64> = found.iter().map(|b| b.item_id).collect();
    let items = cat_store::find_items(conn, &item_ids)?;
    let day = today(now, tz);
    let mut lines = Vec::with_capacity(req.lines.len());
    for l in &req.lines {
        let b = found
            .iter()
            .find(|b| b.id == l.batch_id)
            .ok_or_else(|| ServiceError::invalid("batch_id", "批次不存在", "No such batch"))?;
        let qty = signed(req.kind, l)?;
        let item = items
            .iter()
            .find(|i| i.id == b.item_id)
            .ok_or_else(|| ServiceError::invalid("batch_id", "批次不存在", "No such batch"))?;
        if item.track_serial {
            check_serial_line(qty)?;
        }
        check_whole(item.divisible, qty, &item.name, &item.uom)?;
        if qty.is_negative() {
            check_issuable(req.kind, b.expiry_date, b.quality, day)?;
        }
        lines.push(Line {
            item_id: b.item_id,
            batch_id: b.id,
            qty,
        });
    }
    check_lines(req.kind, &lines)?;
    // Equipment found needing repair goes out only in an emergency, and the voucher says so.
    let taken_broken = repair_overrides(
        req.kind,
        req.emergency,
        found.iter().map(|b| (b.needs_repair, b.batch_no.as_str())),
    )?;
    let owed = if req.emergency {
        owed_to(conn, req.kind, w.unit_id, actor)?
    } else {
        Vec::new()
    };
    write_tx(conn, |c| {
        check_count_allows(c, w.id, req.emergency)?;
        let new = NewMovement {
            warehouse_id: w.id,
            unit_id: w.unit_id,
            kind: req.kind,
            voucher_no: String::new(),
            reason: reason.clone(),
            state: MovementState::Pending,
            emergency: req.emergency,
            created_by: actor.account_id,
            created_at: db_time(now),
            reverses_id: None,
            counterpart_warehouse_id: counterpart,
            stocktake_id: None,
            receipt,
        };
        let m = insert(c, w.unit_id, new, &lines, now, tz)?;
        if !taken_broken.is_empty() {
            store::set_repair_override(c, m.id, &taken_broken.join("、"))?;
        }
        if req.emergency {
            post(c, &m, &lines, now, None, tz)?;
        } else {
            // Refuse at once what could never post; the countersignature re-checks under its own lock.
            for l in lines.iter().filter(|l| l.qty.is_negative()) {
                let (have, reserved) =
                    crate::inventory::store::reservations::on_hand(c, w.id, l.batch_id)?;
                if have.checked_sub(reserved).unwrap_or_default() < -l.qty {
                    return Err(insufficient(c, w.id, l));
                }
            }
        }
        let voucher = load(c, m.id)?;
        if req.emergency {
            let notice = countersign_owed(c, &voucher.movement, &w.name, owed, now, tz)?;
            crate::notify::service::enqueue(c, cfg, now, &notice)?;
        }
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("movement", m.id, Some(w.unit_id), None, Some(&voucher)),
        )?;
        Ok(voucher)
    })
}

pub(crate) fn load(conn: &mut DbConn, id: i64) -> ServiceResult<Voucher> {
    let movement = store::find_movement(conn, id)?
        .ok_or_else(|| ServiceError::not_found("该凭证", "Voucher"))?;
    Ok(Voucher {
        lines: store::lines_of(conn, id)?,
        movement,
    })
}

/// One voucher the actor may see.
pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<Voucher> {
    let v = load(conn, id)?;
    warehouse_for(conn, actor, v.movement.warehouse_id, StockAction::View).map_err(
        |e| match e {
            ServiceError::Forbidden => ServiceError::not_found("该凭证", "Voucher"),
            other => other,
        },
    )?;
    Ok(v)
}

/// A voucher as its page shows it: the names of the warehouse and the people, and what the viewer may do
/// with it now (the same rules the use cases apply).
#[derive(Debug, Clone)]
pub struct VoucherPage {
    pub voucher: Voucher,
    pub warehouse: String,
    pub created_by: String,
    pub countersigned_by: String,
    /// The viewer may give it its second signature.
    pub may_sign: bool,
    /// The viewer may send it back.
    pub may_reject: bool,
    /// The viewer may record its reversal.
    pub may_reverse: bool,
}

/// The voucher page's reading of voucher `id`.
pub fn voucher_page(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<VoucherPage> {
    let voucher = get(conn, actor, id)?;
    let m = &voucher.movement;
    let w = wh_store::find(conn, m.warehouse_id)?
        .ok_or_else(|| ServiceError::not_found("该储备库", "Warehouse"))?;
    let tree = org_store::unit_tree(conn)?;
    let may_move = authorize_stock(actor, StockAction::Move, w.unit_id, &tree).is_ok();
    let reversed = store::reversal_of(conn, id)?.is_some();
    Ok(VoucherPage {
        warehouse: w.name,
        created_by: org_store::display_name(conn, m.created_by)?,
        countersigned_by: match m.countersigned_by {
            Some(s) => org_store::display_name(conn, s)?,
            None => String::new(),
        },
        may_sign: may_countersign(actor, m, &tree),
        may_reject: m.state == MovementState::Pending
            && (m.created_by == actor.account_id
                || authorize_stock(actor, StockAction::Countersign, w.unit_id, &tree).is_ok()),
        may_reverse: may_move && check_reversible(m.kind, m.state, reversed).is_ok(),
        voucher,
    })
}

/// Movements of the warehouses the actor may see (or one of them).
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    warehouse_id: Option<i64>,
    mut filter: MovementFilter,
    page: PageRequest,
) -> ServiceResult<Page<Movement>> {
    filter.warehouse_ids = Some(match warehouse_id {
        Some(id) => vec![warehouse_for(conn, actor, id, StockAction::View)?.id],
        None => super::visible_warehouses(conn, actor)?
            .into_iter()
            .map(|w| w.id)
            .collect(),
    });
    Ok(store::list_movements(conn, &filter, page)?)
}

/// What the model needs to know about a voucher to say whether it may be signed.
fn sign_facts(m: &Movement) -> SignFacts {
    SignFacts {
        state: m.state,
        emergency: m.emergency,
        countersigned: m.countersigned_by.is_some(),
        created_by: m.created_by,
    }
}

/// Whether the actor may give `m` its second signature now: the same rule `countersign` applies (who may sign
/// a voucher of its kind in its unit, someone other than its author, a voucher still needing it).
pub fn may_countersign(actor: &Actor, m: &Movement, tree: &UnitTree) -> bool {
    authorize_stock(actor, StockAction::to_sign(m.kind), m.unit_id, tree).is_ok()
        && check_countersign(&sign_facts(m), actor.account_id).is_ok()
}

/// The vouchers the actor may sign now: waiting ones, and emergency issues owing their signature.
pub fn signable(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<Movement>> {
    let tree = org_store::unit_tree(conn)?;
    let ids: Vec<i64> = super::visible_warehouses(conn, actor)?
        .into_iter()
        .map(|w| w.id)
        .collect();
    let all = PageRequest::new(Some(1), Some(PageRequest::MAX_PER_PAGE));
    let mut out = Vec::new();
    for filter in [
        MovementFilter {
            warehouse_ids: Some(ids.clone()),
            state: Some(MovementState::Pending),
            ..Default::default()
        },
        MovementFilter {
            warehouse_ids: Some(ids),
            owed: true,
            ..Default::default()
        },
    ] {
        out.extend(
            store::list_movements(conn, &filter, all)?
                .items
                .into_iter()
                .filter(|m| may_countersign(actor, m, &tree)),
        );
    }
    Ok(out)
}

/// The second signature (双签字): posts a pending movement, or completes an emergency one (事后补办).
/// A write-off needs an approver's signature.
pub fn countersign(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
) -> ServiceResult<Voucher> {
    write_tx(conn, |c| {
        let v = get(c, actor, id)?;
        let m = &v.movement;
        warehouse_for(c, actor, m.warehouse_id, StockAction::to_sign(m.kind))?;
        let facts = sign_facts(m);
        check_countersign(&facts, actor.account_id)?;
        if facts.state == MovementState::Pending {
            check_count_allows(c, m.warehouse_id, false)?;
            // Equipment found needing repair since the voucher was recorded does not go out on it.
            let batches: Vec<i64> = v.lines.iter().map(|l| l.batch_id).collect();
            super::inspections::repair_gate(c, m.kind, false, &batches)?;
            post(c, m, &v.lines, now, Some(actor.account_id), tz)?;
        } else if store::mark_countersigned(c, m.id, actor.account_id, db_time(now))? != 1 {
            return Err(ServiceError::conflict(
                "该凭证已复核签字",
                "This voucher is already countersigned",
            ));
        }
        // Reminders to sign that have not gone out yet (mail was down, say) would now only confuse.
        crate::notify::service::withdraw(c, now, &waiting_keys(id))?;
        let after = load(c, id)?;
        let change = Change::of("movement", id, Some(m.unit_id), Some(&v), Some(&after))
            .action("countersign");
        audit::record(c, Some(actor), now, change)?;
        Ok(after)
    })
}
