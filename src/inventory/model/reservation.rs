//! Reservations (预留): stock held in a warehouse for a purpose — an allocation on its way, a drill's
//! materials, something set aside by hand. Ordinary issues take only what is not reserved; a count that finds
//! less than is reserved shrinks the newest holds first. Pure.

use super::quantity::Quantity;
use crate::error::ServiceError;
use crate::i18n::text_enum;

text_enum!(
    /// Where a reservation stands.
    ReservationState, "state", {
        Held = "held", "预留中", "Held";
        Released = "released", "已释放", "Released";
        Used = "used", "已出库", "Used";
    }
);

/// What a reservation is for, as people read it: 1–200 characters.
pub fn check_purpose(text: &str) -> Result<String, ServiceError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 200 {
        return Err(ServiceError::invalid(
            "purpose",
            "请写明预留用途（1–200 字），例如“滨湖街道防汛调拨”",
            "Say what the stock is held for (1–200 characters), e.g. “sandbags for 滨湖街道”",
        ));
    }
    Ok(text.to_string())
}

/// How much of a held reservation to let go: all of it, or part (more than zero, at most what is held).
pub fn check_release(
    state: ReservationState,
    held: Quantity,
    asked: Option<Quantity>,
) -> Result<Quantity, ServiceError> {
    if state != ReservationState::Held {
        return Err(ServiceError::conflict(
            "该预留已释放或已出库",
            "This reservation has already been released or used",
        ));
    }
    match asked {
        None => Ok(held),
        Some(q) if q > Quantity::ZERO && q <= held => Ok(q),
        Some(q) => Err(ServiceError::Invalid {
            field: "qty",
            message: crate::i18n::Text::new(
                format!("释放数量应大于 0 且不超过预留的 {held}（填写了 {q}）"),
                format!("Release more than 0 and at most the {held} held (asked {q})"),
            ),
        }),
    }
}

/// The refusal when a warehouse cannot reserve `asked` of a batch: `free` is what is neither issued nor
/// already reserved.
pub fn short_to_reserve(batch: &str, free: Quantity, asked: Quantity) -> ServiceError {
    ServiceError::conflict(
        format!("批次 {batch} 可预留 {free}（未被其他预留占用的库存），不足 {asked}"),
        format!("Batch {batch} has {free} free to reserve (not held by other reservations), not {asked}"),
    )
}

/// When a count finds less than the reservations on a batch hold, which holds shrink: the newest first, by
/// `excess` in all. `held` lists (reservation, quantity held) oldest first; returns (reservation, new held
/// quantity) for those that change.
pub fn shrink(held: &[(i64, Quantity)], excess: Quantity) -> Vec<(i64, Quantity)> {
    let mut left = excess;
    let mut out = Vec::new();
    for (id, qty) in held.iter().rev() {
        if left <= Quantity::ZERO {
            break;
        }
        let cut = if *qty < left { *qty } else { left };
        out.push((*id, qty.checked_sub(cut).unwrap_or(Quantity::ZERO)));
        left = left.checked_sub(cut).unwrap_or(Quantity::ZERO);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64) -> Quantity {
        Quantity::units(n)
    }

    #[test]
    fn a_count_short_of_the_reservations_shrinks_the_newest_first() {
        let held = [(1, q(50)), (2, q(30)), (3, q(20))];
        assert_eq!(shrink(&held, q(10)), [(3, q(10))]);
        assert_eq!(shrink(&held, q(35)), [(3, q(0)), (2, q(15))]);
        assert_eq!(shrink(&held, q(200)), [(3, q(0)), (2, q(0)), (1, q(0))]);
        assert!(shrink(&held, q(0)).is_empty());
        let total_cut: i64 = shrink(&held, q(35))
            .iter()
            .map(|(id, new)| held.iter().find(|h| h.0 == *id).unwrap().1.milli() - new.milli())
            .sum();
        assert_eq!(total_cut, q(35).milli(), "exactly the excess");
    }

    #[test]
    fn releases_are_whole_or_part_of_what_is_held() {
        assert_eq!(
            check_release(ReservationState::Held, q(5), None).unwrap(),
            q(5)
        );
        assert_eq!(
            check_release(ReservationState::Held, q(5), Some(q(2))).unwrap(),
            q(2)
        );
        assert!(check_release(ReservationState::Held, q(5), Some(q(6))).is_err());
        assert!(check_release(ReservationState::Held, q(5), Some(q(0))).is_err());
        assert!(check_release(ReservationState::Released, q(5), None).is_err());
        assert!(check_release(ReservationState::Used, q(5), None).is_err());
    }

    #[test]
    fn a_reservation_says_what_it_is_for() {
        assert_eq!(check_purpose("  防汛调拨 ").unwrap(), "防汛调拨");
        assert!(check_purpose(" ").is_err());
        assert!(check_purpose(&"水".repeat(201)).is_err());
    }
}
