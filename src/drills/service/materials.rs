//! A drill's materials through the reserves area: the warehouse's keeper holds them for `drill:{id}`, issues
//! them on a loan voucher (借用出库, countersigned as any voucher) and takes them back on a return voucher
//! (归还入库) of the same batches, so the ledger and `standby ledger verify` stay true.

use chrono::{DateTime, Utc};

use super::drills::{get, DrillView};
use super::{no_drill, stale};
use crate::audit::{model::Change, service as audit};
use crate::config::Config;
use crate::db::{write_tx, DbConn};
use crate::drills::model::{held_for, may_issue, may_reserve};
use crate::drills::store::drills as store;
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{LineRequest, MovementKind, MovementState, Quantity, StockAction};
use crate::inventory::service::ledger::{record, MovementRequest};
use crate::inventory::service::reservations::{hold_stock, use_reserved, Hold};
use crate::inventory::service::warehouse_for;
use crate::inventory::store::ledger as ledger_store;
use crate::org::model::Actor;

fn audited(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    before: &DrillView,
    action: &'static str,
) -> ServiceResult<DrillView> {
    let after = get(conn, actor, before.drill.id, now, tz)?;
    audit::record(
        conn,
        Some(actor),
        now,
        Change::of(
            "drill",
            before.drill.id,
            Some(before.drill.unit_id),
            Some(&before.materials),
            Some(&after.materials),
        )
        .action(action),
    )?;
    Ok(after)
}

/// The keeper of a warehouse holds `qty` of an item for the drill (first expiry first, usable stock only).
#[allow(clippy::too_many_arguments)]
pub fn reserve(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    warehouse_id: i64,
    item_id: i64,
    qty: Quantity,
) -> ServiceResult<DrillView> {
    write_tx(conn, |c| {
        let d = store::find(c, id)?.ok_or_else(no_drill)?;
        let w = warehouse_for(c, actor, warehouse_id, StockAction::Move)?;
        may_reserve(d.state)?;
        let until = super::local_day(d.ends_at, tz);
        hold_stock(
            c,
            actor.account_id,
            now,
            tz,
            w.id,
            Hold::Item(item_id),
            qty,
            &format!("演练：{}", d.title),
            &held_for(id),
            Some(until),
        )?;
        // The keeper may not see the drill until it holds their stock: the record before is the lines.
        let before = store::materials(c, id)?;
        store::add_material(c, id, w.id, item_id, qty.milli())?;
        let after = get(c, actor, id, now, tz)?;
        let lines: Vec<_> = after.materials.iter().map(|m| m.line.clone()).collect();
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("drill", id, Some(d.unit_id), Some(&before), Some(&lines)).action("reserve"),
        )?;
        Ok(after)
    })
}

/// The keeper issues what is held for the drill in their warehouse on one loan voucher (it waits for a
/// second signature like any voucher).
pub fn issue(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    cfg: &Config,
    id: i64,
    warehouse_id: i64,
) -> ServiceResult<DrillView> {
    let tz = cfg.timezone;
    write_tx(conn, |c| {
        let before = get(c, actor, id, now, tz)?;
        warehouse_for(c, actor, warehouse_id, StockAction::Move)?;
        may_issue(before.drill.state)?;
        let lines: Vec<_> = before
            .materials
            .iter()
            .filter(|m| m.line.warehouse_id == warehouse_id && m.line.issued == 0)
            .map(|m| m.line.clone())
            .collect();
        if lines.is_empty() {
            return Err(ServiceError::conflict(
                "该储备库没有为这次演练预留、待出库的物资",
                "Nothing held for this drill waits to leave this warehouse",
            ));
        }
        let mut voucher_lines = Vec::new();
        for m in &lines {
            for (batch_id, qty) in use_reserved(
                c,
                warehouse_id,
                &held_for(id),
                m.item_id,
                Quantity::from_milli(m.qty),
                now,
            )? {
                voucher_lines.push(LineRequest {
                    batch_id,
                    qty,
                    out: None,
                });
            }
        }
        let v = record(
            c,
            actor,
            now,
            cfg,
            MovementRequest {
                warehouse_id,
                kind: MovementKind::Loan,
                reason: format!("演练用物资：{}", before.drill.title),
                emergency: false,
                counterpart_warehouse_id: None,
                lines: voucher_lines,
                receipt: ledger_store::Receipt::default(),
            },
        )?;
        for m in &lines {
            if !store::set_issued(c, m.id, m.qty, v.movement.id)? {
                return Err(stale());
            }
        }
        audited(c, actor, now, tz, &before, "issue_materials")
    })
}

/// The keeper takes back what the drill borrowed from their warehouse, the same batches on one return
/// voucher; the loan voucher must have been countersigned (posted) first.
pub fn give_back(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    cfg: &Config,
    id: i64,
    warehouse_id: i64,
) -> ServiceResult<DrillView> {
    let tz = cfg.timezone;
    write_tx(conn, |c| {
        let before = get(c, actor, id, now, tz)?;
        warehouse_for(c, actor, warehouse_id, StockAction::Move)?;
        let lines: Vec<_> = before
            .materials
            .iter()
            .filter(|m| {
                m.line.warehouse_id == warehouse_id
                    && m.line.issued > 0
                    && m.line.return_movement_id.is_none()
            })
            .map(|m| m.line.clone())
            .collect();
        if lines.is_empty() {
            return Err(ServiceError::conflict(
                "这次演练没有从该储备库借出、待归还的物资",
                "Nothing this drill borrowed from this warehouse waits to come back",
            ));
        }
        let mut voucher_lines: Vec<LineRequest> = Vec::new();
        let mut issues: Vec<i64> = lines.iter().filter_map(|l| l.issue_movement_id).collect();
        issues.sort_unstable();
        issues.dedup();
        for m in issues {
            let out = ledger_store::find_movement(c, m)?
                .ok_or_else(|| ServiceError::Internal("drill issue voucher missing".into()))?;
            if out.state != MovementState::Posted {
                return Err(ServiceError::conflict(
                    format!("出库凭证 {} 尚未复核过账，过账后才能办理归还", out.voucher_no),
                    format!(
                        "The issue voucher {} is not countersigned yet; it must post before the return",
                        out.voucher_no
                    ),
                ));
            }
            for l in ledger_store::lines_of(c, m)? {
                voucher_lines.push(LineRequest {
                    batch_id: l.batch_id,
                    qty: Quantity::from_milli(l.qty.milli().abs()),
                    out: None,
                });
            }
        }
        let v = record(
            c,
            actor,
            now,
            cfg,
            MovementRequest {
                warehouse_id,
                kind: MovementKind::Return,
                reason: format!("演练物资归还：{}", before.drill.title),
                emergency: false,
                counterpart_warehouse_id: None,
                lines: voucher_lines,
                receipt: ledger_store::Receipt::default(),
            },
        )?;
        for m in &lines {
            if !store::set_returned(c, m.id, m.issued, v.movement.id)? {
                return Err(stale());
            }
        }
        audited(c, actor, now, tz, &before, "give_back")
    })
}
