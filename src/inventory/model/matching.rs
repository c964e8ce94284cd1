//! The account-matching dashboard's rules: what counts as expired or expiring, and norm compliance.

use chrono::{Duration, NaiveDate};

use super::quantity::Quantity;

/// Expired: the last usable day has passed (a batch is still usable on its expiry date).
pub fn is_expired(expiry: Option<NaiveDate>, today: NaiveDate) -> bool {
    expiry.is_some_and(|e| e < today)
}

/// Still usable, but its expiry falls within `days` from today.
pub fn expires_within(expiry: Option<NaiveDate>, today: NaiveDate, days: i64) -> bool {
    expiry.is_some_and(|e| e >= today && e <= today + Duration::days(days))
}

/// How much of some stock (each lot's expiry and quantity) is still usable on `day`: expired stock does not
/// count towards a reserve norm.
pub fn usable(
    lots: impl IntoIterator<Item = (Option<NaiveDate>, Quantity)>,
    day: NaiveDate,
) -> Quantity {
    Quantity::from_milli(
        lots.into_iter()
            .filter(|(expiry, _)| !is_expired(*expiry, day))
            .map(|(_, q)| q.milli())
            .sum(),
    )
}

/// Whether the usable stock meets the reserve norm (储备定额); expired stock does not count.
pub fn meets_norm(usable: Quantity, required: Quantity) -> bool {
    usable >= required
}

/// Share of normed items that meet their norm, in whole percent; none when no norm is set.
pub fn compliance_percent(met: usize, total: usize) -> Option<i64> {
    (total > 0).then(|| (met * 100 / total) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_lots_do_not_count_as_usable_stock() {
        let day: NaiveDate = "2026-11-28".parse().unwrap();
        let lots = [
            (None, Quantity::units(5)),
            (Some(day), Quantity::units(3)),
            (Some(day - Duration::days(1)), Quantity::units(100)),
        ];
        assert_eq!(usable(lots, day), Quantity::units(8));
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_batch_is_usable_on_its_expiry_date_and_expired_the_day_after() {
        let today = d("2026-11-28");
        assert!(!is_expired(Some(today), today));
        assert!(is_expired(Some(d("2026-11-27")), today));
        assert!(!is_expired(None, today));
    }

    #[test]
    fn expiring_counts_only_usable_batches_within_the_window() {
        let today = d("2026-11-28");
        assert!(expires_within(Some(d("2026-12-28")), today, 30));
        assert!(!expires_within(Some(d("2026-12-29")), today, 30));
        assert!(
            !expires_within(Some(d("2026-11-27")), today, 30),
            "already expired"
        );
        assert!(!expires_within(None, today, 90));
    }

    #[test]
    fn compliance_is_the_share_of_norms_met() {
        assert_eq!(compliance_percent(1, 2), Some(50));
        assert_eq!(compliance_percent(2, 3), Some(66));
        assert_eq!(compliance_percent(0, 0), None);
        assert!(meets_norm(Quantity::units(5), Quantity::units(5)));
        assert!(!meets_norm(Quantity::from_milli(4_999), Quantity::units(5)));
    }
}
