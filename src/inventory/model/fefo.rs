//! First expiry, first out (先到期先出): the order batches are offered in and the batches suggested for an issue.

use chrono::NaiveDate;

use super::quantity::Quantity;

/// A batch on hand, for first-expiry-first-out suggestions.
#[derive(Debug, Clone, Copy)]
pub struct OnHand {
    pub batch_id: i64,
    pub expiry: Option<NaiveDate>,
    pub qty: Quantity,
}

/// First expiry, first out: the order batches are offered and issued in — earliest expiry first, undated
/// batches last, then by batch.
pub fn fefo_order(expiry: Option<NaiveDate>, batch_id: i64) -> (bool, Option<NaiveDate>, i64) {
    (expiry.is_none(), expiry, batch_id)
}

/// Suggests batches for `needed`: earliest expiry first (undated last), skipping expired ones.
/// Returns what can be covered; the sum may fall short of `needed` when stock is short.
pub fn fefo(mut stock: Vec<OnHand>, needed: Quantity, today: NaiveDate) -> Vec<(i64, Quantity)> {
    stock.retain(|s| s.qty > Quantity::ZERO && s.expiry.is_none_or(|e| e >= today));
    stock.sort_by_key(|s| fefo_order(s.expiry, s.batch_id));
    let mut left = needed;
    let mut out = Vec::new();
    for s in stock {
        if left <= Quantity::ZERO {
            break;
        }
        let take = if s.qty < left { s.qty } else { left };
        out.push((s.batch_id, take));
        left = left.checked_sub(take).unwrap_or(Quantity::ZERO);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn fefo_suggests_the_earliest_expiry_first_and_skips_expired_stock() {
        let today = d("2026-11-28");
        let stock = vec![
            OnHand {
                batch_id: 1,
                expiry: None,
                qty: Quantity::units(10),
            },
            OnHand {
                batch_id: 2,
                expiry: Some(d("2027-06-01")),
                qty: Quantity::units(3),
            },
            OnHand {
                batch_id: 3,
                expiry: Some(d("2026-12-31")),
                qty: Quantity::units(4),
            },
            OnHand {
                batch_id: 4,
                expiry: Some(d("2026-01-01")),
                qty: Quantity::units(50),
            },
        ];
        assert_eq!(
            fefo(stock.clone(), Quantity::units(9), today),
            vec![
                (3, Quantity::units(4)),
                (2, Quantity::units(3)),
                (1, Quantity::units(2))
            ]
        );
        let all: i64 = fefo(stock, Quantity::units(100), today)
            .iter()
            .map(|(_, q)| q.milli())
            .sum();
        assert_eq!(all, 17_000, "expired batch 4 is never suggested");
    }
}
