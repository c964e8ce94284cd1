//! Goods on the road (在途): each unit has an in-transit location beside its warehouses. A transfer goes out
//! of the sending warehouse into the sender's in-transit location; the receiving keeper counts what arrived
//! and records it in (countersigned by a second person of the receiving unit); what did not arrive is written
//! off from the road with a reason, approved like any write-off. Pure.

use super::ledger::Line;
use super::quantity::Quantity;
use crate::error::ServiceError;
use crate::i18n::{text_enum, Text};

text_enum!(
    /// What a ledger location is.
    LocationKind, "kind", {
        Store = "store", "储备库", "Warehouse";
        Transit = "transit", "在途", "In transit";
    }
);

text_enum!(
    /// Where a consignment is.
    ConsignmentState, "state", {
        InTransit = "in_transit", "在途", "In transit";
        Received = "received", "已接收", "Received";
    }
);

/// The name of a unit's in-transit location.
pub fn transit_name(unit: &str) -> String {
    format!("{unit}（在途）")
}

/// Refuses to let people record movements in, count or otherwise keep an in-transit location by hand: its
/// book is written by dispatches and receipts only.
pub fn check_kept_by_hand(kind: LocationKind, name: &str) -> Result<(), ServiceError> {
    if kind == LocationKind::Transit {
        return Err(ServiceError::Conflict(Text::new(
            format!("“{name}”是在途位置，只随调拨发出和接收变动，不能直接登记或盘点"),
            format!("“{name}” holds goods on the road: only dispatches and receipts change it, it is not recorded or counted by hand"),
        )));
    }
    Ok(())
}

/// What a receipt comes to: the lines counted in (positive) and the lines lost on the road (negative, for the
/// loss voucher), from what was sent (`sent`, positive per batch) and what the keeper counted per batch.
/// A batch not counted arrived in full; a count may not exceed what was sent, and nothing is counted twice.
pub fn receipt_lines(
    sent: &[Line],
    counted: &[(i64, Quantity)],
) -> Result<(Vec<Line>, Vec<Line>), ServiceError> {
    let mut seen = std::collections::HashSet::new();
    for (batch, qty) in counted {
        if !seen.insert(*batch) {
            return Err(ServiceError::invalid(
                "lines",
                "同一批次只能清点一次",
                "Each batch is counted once",
            ));
        }
        let Some(line) = sent.iter().find(|l| l.batch_id == *batch) else {
            return Err(ServiceError::invalid(
                "batch_id",
                "该批次不在这次发出的物资中",
                "This batch was not sent on this consignment",
            ));
        };
        if qty.is_negative() || *qty > line.qty {
            return Err(ServiceError::Invalid {
                field: "qty",
                message: Text::new(
                    format!("实收数量应在 0 到发出的 {} 之间（填写了 {qty}）", line.qty),
                    format!(
                        "The count must be between 0 and the {} sent (got {qty})",
                        line.qty
                    ),
                ),
            });
        }
    }
    let mut received = Vec::new();
    let mut lost = Vec::new();
    for l in sent {
        let got = counted
            .iter()
            .find(|(b, _)| *b == l.batch_id)
            .map_or(l.qty, |(_, q)| *q);
        if got > Quantity::ZERO {
            received.push(Line { qty: got, ..*l });
        }
        let short = l.qty.checked_sub(got).unwrap_or_default();
        if short > Quantity::ZERO {
            lost.push(Line { qty: -short, ..*l });
        }
    }
    Ok((received, lost))
}

/// A loss on the road needs its reason (the approver of the write-off judges it).
pub fn check_loss_reason(lost: &[Line], reason: &str) -> Result<String, ServiceError> {
    let reason = crate::org::model::optional_text("loss_reason", reason, 500)?;
    if !lost.is_empty() && reason.is_empty() {
        return Err(ServiceError::invalid(
            "loss_reason",
            "实收少于发出：请写明短少原因（将据此登记报损，经审批后核销）",
            "Less arrived than was sent: say why (a loss voucher is recorded for approval)",
        ));
    }
    Ok(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(batch: i64, units: i64) -> Line {
        Line {
            item_id: 1,
            batch_id: batch,
            qty: Quantity::units(units),
        }
    }

    #[test]
    fn what_is_not_counted_arrived_in_full() {
        let (got, lost) = receipt_lines(&[line(1, 10), line(2, 5)], &[]).unwrap();
        assert_eq!(got, vec![line(1, 10), line(2, 5)]);
        assert!(lost.is_empty());
    }

    #[test]
    fn a_short_count_becomes_a_loss_and_the_two_add_up_to_what_was_sent() {
        let (got, lost) = receipt_lines(
            &[line(1, 10), line(2, 5)],
            &[(1, Quantity::units(7)), (2, Quantity::ZERO)],
        )
        .unwrap();
        assert_eq!(got, vec![line(1, 7)]);
        assert_eq!(lost, vec![line(1, -3), line(2, -5)]);
        assert!(check_loss_reason(&lost, " ").is_err());
        assert_eq!(check_loss_reason(&lost, "途中破损").unwrap(), "途中破损");
        assert_eq!(check_loss_reason(&[], "").unwrap(), "");
    }

    #[test]
    fn counts_stay_within_what_was_sent() {
        let sent = [line(1, 10)];
        assert!(receipt_lines(&sent, &[(1, Quantity::units(11))]).is_err());
        assert!(receipt_lines(&sent, &[(1, -Quantity::units(1))]).is_err());
        assert!(receipt_lines(&sent, &[(2, Quantity::units(1))]).is_err());
        assert!(receipt_lines(&sent, &[(1, Quantity::units(1)), (1, Quantity::units(1))]).is_err());
    }

    #[test]
    fn in_transit_locations_are_not_kept_by_hand() {
        assert!(check_kept_by_hand(LocationKind::Transit, "建设局（在途）").is_err());
        assert!(check_kept_by_hand(LocationKind::Store, "东太湖仓库").is_ok());
    }
}
