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
use crate::i18n::Text;
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

/// What comes back of a drill's materials from one warehouse: per material line, how much (a line not named
/// comes back whole); what does not come back was used up, broken or lost, and `loss_note` says how.
#[derive(Debug, Clone, Default)]
pub struct Returned {
    pub lines: Vec<(i64, Quantity)>,
    pub loss_note: String,
}

/// How much of `issued` comes back and how much does not, when `back` is said (all of it otherwise).
fn settle(issued: Quantity, back: Option<Quantity>) -> ServiceResult<(Quantity, Quantity)> {
    let back = back.unwrap_or(issued);
    if back.is_negative() || back > issued {
        return Err(ServiceError::Invalid {
            field: "lines",
            message: Text::new(
                format!("归还数量应在 0 到借出数量 {issued} 之间"),
                format!("What comes back is between 0 and the {issued} lent"),
            ),
        });
    }
    Ok((back, issued.checked_sub(back).unwrap_or_default()))
}

/// `back` of an item taken from the batches the issue voucher lent, in the voucher's order.
fn from_batches(lent: &[(i64, Quantity)], back: Quantity) -> Vec<LineRequest> {
    let mut left = back;
    let mut out = Vec::new();
    for (batch_id, qty) in lent {
        let take = if *qty < left { *qty } else { left };
        if take > Quantity::ZERO {
            out.push(LineRequest {
                batch_id: *batch_id,
                qty: take,
                out: None,
            });
            left = left.checked_sub(take).unwrap_or_default();
        }
    }
    out
}

/// The keeper takes back what the drill borrowed from their warehouse, all of it or part (what does not come
/// back is recorded on the drill with how it went; the loan voucher already took it off the book), the same
/// batches on one return voucher; the loan voucher must have been countersigned (posted) first.
#[allow(clippy::too_many_arguments)]
pub fn give_back(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    cfg: &Config,
    id: i64,
    warehouse_id: i64,
    returned: &Returned,
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
                    && m.line.returned == 0
                    && m.line.lost == 0
            })
            .map(|m| m.line.clone())
            .collect();
        if lines.is_empty() {
            return Err(ServiceError::conflict(
                "这次演练没有从该储备库借出、待归还的物资",
                "Nothing this drill borrowed from this warehouse waits to come back",
            ));
        }
        if let Some((unknown, _)) = returned
            .lines
            .iter()
            .find(|(m, _)| !lines.iter().any(|l| l.id == *m))
        {
            return Err(ServiceError::Invalid {
                field: "lines",
                message: Text::new(
                    format!("物资 {unknown} 不在这次演练从该储备库借出、待归还之列"),
                    format!("Material {unknown} is not among what waits to come back here"),
                ),
            });
        }
        let mut settled = Vec::with_capacity(lines.len());
        let mut voucher_lines: Vec<LineRequest> = Vec::new();
        for line in &lines {
            let said = returned
                .lines
                .iter()
                .find(|(m, _)| *m == line.id)
                .map(|(_, q)| *q);
            let (back, lost) = settle(Quantity::from_milli(line.issued), said)?;
            let out_id = line
                .issue_movement_id
                .ok_or_else(|| ServiceError::Internal("drill issue voucher missing".into()))?;
            let out = ledger_store::find_movement(c, out_id)?
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
            let lent: Vec<(i64, Quantity)> = ledger_store::lines_of(c, out_id)?
                .into_iter()
                .filter(|l| l.item_id == line.item_id)
                .map(|l| (l.batch_id, Quantity::from_milli(l.qty.milli().abs())))
                .collect();
            voucher_lines.extend(from_batches(&lent, back));
            settled.push((line.id, back, lost));
        }
        let short = settled.iter().any(|(_, _, lost)| *lost > Quantity::ZERO);
        let note = if short {
            crate::inventory::model::reason(&returned.loss_note).map_err(|_| {
                ServiceError::invalid(
                    "loss_note",
                    "有物资未归还：请写明是演练中消耗、损坏还是丢失，以及经过",
                    "Something does not come back: say whether it was used up, broken or lost, and how",
                )
            })?
        } else {
            String::new()
        };
        let movement = if voucher_lines.is_empty() {
            None
        } else {
            let reason = match short {
                true => format!("演练物资归还：{}（未归还部分：{note}）", before.drill.title),
                false => format!("演练物资归还：{}", before.drill.title),
            };
            let v = record(
                c,
                actor,
                now,
                cfg,
                MovementRequest {
                    warehouse_id,
                    kind: MovementKind::Return,
                    reason,
                    emergency: false,
                    counterpart_warehouse_id: None,
                    lines: voucher_lines,
                    receipt: ledger_store::Receipt::default(),
                },
            )?;
            Some(v.movement.id)
        };
        for (line, back, lost) in settled {
            let done = (back.milli(), lost.milli(), note.as_str());
            if !store::set_returned(c, line, done, movement)? {
                return Err(stale());
            }
        }
        audited(c, actor, now, tz, &before, "give_back")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64) -> Quantity {
        Quantity::from_milli(n * 1000)
    }

    #[test]
    fn what_comes_back_is_between_nothing_and_what_was_lent() {
        assert_eq!(settle(q(40), None).unwrap(), (q(40), q(0)), "all of it");
        assert_eq!(settle(q(40), Some(q(37))).unwrap(), (q(37), q(3)));
        assert_eq!(
            settle(q(40), Some(q(0))).unwrap(),
            (q(0), q(40)),
            "all used up"
        );
        assert!(settle(q(40), Some(q(41))).is_err());
        assert!(settle(q(40), Some(Quantity::from_milli(-1))).is_err());
    }

    #[test]
    fn a_part_return_takes_the_lent_batches_in_order() {
        let lent = [(7, q(30)), (9, q(10))];
        let lines = from_batches(&lent, q(35));
        let got: Vec<(i64, Quantity)> = lines.iter().map(|l| (l.batch_id, l.qty)).collect();
        assert_eq!(got, vec![(7, q(30)), (9, q(5))]);
        assert!(from_batches(&lent, q(0)).is_empty());
    }
}
