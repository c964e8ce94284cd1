//! Closing a count: the approver's signature posts the differences; a cancelled count changes nothing.

use chrono::{DateTime, Utc};

use super::{counted_lines, get, Counted, StocktakeView};
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::{
    check_approvable, check_approver, CountLine, Line, MovementKind, MovementState, Quantity,
    StockAction, StocktakeState,
};
use crate::inventory::service::posting::{insert, post};
use crate::inventory::service::warehouse_for;
use crate::inventory::store::ledger::{NewMovement, Receipt};
use crate::inventory::store::stocktakes::{self as store, Stocktake};
use crate::org::model::Actor;

/// The approver's signature: posts the gains and losses as movements (opener and approver are the two
/// signatures) and closes the stocktake for good.
pub fn approve(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
) -> ServiceResult<StocktakeView> {
    write_tx(conn, |c| {
        let st =
            store::find(c, id)?.ok_or_else(|| ServiceError::not_found("该盘点", "Stocktake"))?;
        let w = warehouse_for(c, actor, st.warehouse_id, StockAction::Approve)?;
        check_approver(st.opened_by, actor.account_id)?;
        let lines = counted_lines(c, &st)?;
        let rules: Vec<CountLine> = lines.iter().map(|l| l.rule.clone()).collect();
        check_approvable(st.state, &rules)?;
        let mut gains = Vec::new();
        let mut losses = Vec::new();
        for Counted {
            line: l, rule: r, ..
        } in &lines
        {
            match r.variance() {
                Some(v) if v > Quantity::ZERO => gains.push(Line {
                    item_id: l.item_id,
                    batch_id: l.batch_id,
                    qty: v,
                }),
                Some(v) if v < Quantity::ZERO => losses.push(Line {
                    item_id: l.item_id,
                    batch_id: l.batch_id,
                    qty: v,
                }),
                _ => {}
            }
        }
        for (kind, adj) in [
            (MovementKind::CountLoss, losses),
            (MovementKind::CountGain, gains),
        ] {
            if adj.is_empty() {
                continue;
            }
            let new = NewMovement {
                warehouse_id: w.id,
                unit_id: w.unit_id,
                kind,
                voucher_no: String::new(),
                reason: format!("盘点 #{} 差异调整", st.id),
                state: MovementState::Pending,
                emergency: false,
                created_by: st.opened_by,
                created_at: db_time(now),
                reverses_id: None,
                counterpart_warehouse_id: None,
                stocktake_id: Some(st.id),
                receipt: Receipt::default(),
            };
            let m = insert(c, w.unit_id, new, &adj, now, tz)?;
            post(c, &m, &adj, now, Some(actor.account_id), tz)?;
        }
        finish(
            c,
            actor,
            now,
            &st,
            w.unit_id,
            StocktakeState::Approved,
            "approve",
        )
    })?;
    get(conn, actor, id)
}

/// Abandons a count without changing stock.
pub fn cancel(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> ServiceResult<StocktakeView> {
    write_tx(conn, |c| {
        let st =
            store::find(c, id)?.ok_or_else(|| ServiceError::not_found("该盘点", "Stocktake"))?;
        let w = warehouse_for(c, actor, st.warehouse_id, StockAction::Move)?;
        finish(
            c,
            actor,
            now,
            &st,
            w.unit_id,
            StocktakeState::Cancelled,
            "cancel",
        )
    })?;
    get(conn, actor, id)
}

/// Closes a counting stocktake as approved or cancelled (once only) and audits it.
fn finish(
    c: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    st: &Stocktake,
    unit_id: i64,
    state: StocktakeState,
    action: &'static str,
) -> ServiceResult<()> {
    if !store::close(c, st.id, state.code(), actor.account_id, db_time(now))? {
        return Err(ServiceError::conflict(
            "该盘点已结束",
            "This stocktake is already finished",
        ));
    }
    let after = store::find(c, st.id)?;
    audit::record(
        c,
        Some(actor),
        now,
        Change::of("stocktake", st.id, Some(unit_id), Some(st), after.as_ref()).action(action),
    )
}
