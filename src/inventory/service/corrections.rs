//! Correcting the ledger without editing it: sending a waiting voucher back, or reversing a posted one
//! with a mirrored voucher that needs its own countersignature.

use chrono::{DateTime, Utc};

use super::ledger::{get, load, Voucher};
use super::posting::{check_count_allows, insert};
use super::warehouse_for;
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{
    check_reversible, reason as movement_reason, rejection_reason, Line, MovementKind,
    MovementState, StockAction,
};
use crate::inventory::store::ledger::{self as store, NewMovement, Receipt};
use crate::org::model::Actor;

/// Sends a pending movement back (the second person refuses to sign, or the recorder withdraws it), saying
/// why: the reason is kept on the voucher for whoever must correct it.
pub fn reject(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    reason: &str,
) -> ServiceResult<Voucher> {
    let reason = rejection_reason(reason)?;
    write_tx(conn, |c| {
        let v = get(c, actor, id)?;
        if v.movement.created_by != actor.account_id {
            warehouse_for(c, actor, v.movement.warehouse_id, StockAction::Countersign)?;
        }
        if crate::inventory::store::consignments::of_movement(c, id)?.is_some() {
            return Err(ServiceError::conflict(
                "在途物资的接收和短少凭证不能退回：请当面核对实物后签字，仍有差额的由盘点更正",
                "A receipt of goods on the road, or its loss, cannot be sent back: check the goods together and sign; a remaining difference is corrected by a count",
            ));
        }
        if store::mark_rejected(c, id, &reason)? != 1 {
            return Err(ServiceError::conflict(
                "只有待复核的凭证可以退回",
                "Only a voucher awaiting countersignature can be rejected",
            ));
        }
        let after = load(c, id)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "movement",
                id,
                Some(v.movement.unit_id),
                Some(&v),
                Some(&after),
            )
            .action("reject"),
        )?;
        Ok(after)
    })
}

/// Records the reversal of a posted movement (nothing is edited or deleted); it needs a countersignature
/// like any movement. Transfers are corrected by a transfer back.
pub fn reverse(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    reason: &str,
) -> ServiceResult<Voucher> {
    let reason = movement_reason(reason)?;
    write_tx(conn, |c| {
        let original = get(c, actor, id)?;
        let m = &original.movement;
        warehouse_for(c, actor, m.warehouse_id, StockAction::Move)?;
        check_reversible(m.kind, m.state, store::reversal_of(c, id)?.is_some())?;
        check_count_allows(c, m.warehouse_id, false)?;
        let lines: Vec<Line> = original
            .lines
            .iter()
            .map(|l| Line { qty: -l.qty, ..*l })
            .collect();
        let new = NewMovement {
            warehouse_id: m.warehouse_id,
            unit_id: m.unit_id,
            kind: MovementKind::Reversal,
            voucher_no: String::new(),
            reason: format!("{reason}（冲销 {}）", m.voucher_no),
            state: MovementState::Pending,
            emergency: false,
            created_by: actor.account_id,
            created_at: db_time(now),
            reverses_id: Some(id),
            counterpart_warehouse_id: None,
            stocktake_id: None,
            receipt: Receipt::default(),
        };
        let r = insert(c, m.unit_id, new, &lines, now, tz)?;
        let voucher = load(c, r.id)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("movement", r.id, Some(m.unit_id), None, Some(&voucher)),
        )?;
        Ok(voucher)
    })
}
