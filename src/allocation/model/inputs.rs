//! What a request must say: for whom, what, how much, by when, why; a loan also when it comes back.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::RequestKind;
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::inventory::model::Quantity;

/// Most items one request may ask for.
pub const MAX_LINES: usize = 50;

/// One item asked for, and from where if the requester proposes a source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineAsk {
    pub item_id: i64,
    pub qty: Quantity,
    pub from_warehouse_id: Option<i64>,
}

/// Why: 1–200 characters.
pub fn check_purpose(text: &str) -> Result<String, ServiceError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 200 {
        return Err(ServiceError::invalid(
            "purpose",
            "请写明用途（1–200 字），例如“应对强降雨防汛抢险”",
            "Say what it is for (1–200 characters), e.g. “flood response to the heavy-rain warning”",
        ));
    }
    Ok(text.to_string())
}

/// The lines: at least one, at most [`MAX_LINES`], each item once, each quantity above zero.
pub fn check_asks(lines: &[LineAsk]) -> Result<(), ServiceError> {
    if lines.is_empty() || lines.len() > MAX_LINES {
        return Err(ServiceError::invalid(
            "lines",
            "请至少申请一种物资（每单最多 50 种）",
            "Ask for at least one item (at most 50 per request)",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for l in lines {
        if l.qty <= Quantity::ZERO {
            return Err(ServiceError::invalid(
                "qty",
                "申请数量须大于 0",
                "A quantity asked for must be more than zero",
            ));
        }
        if !seen.insert(l.item_id) {
            return Err(ServiceError::invalid(
                "lines",
                "同一种物资在一张申请中只能出现一次",
                "Each item appears once per request",
            ));
        }
    }
    Ok(())
}

/// When it is needed: not in the past (a few minutes' grace for the time it took to fill the form), within a
/// year.
pub fn check_needed_by(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), ServiceError> {
    if at < now - Duration::minutes(10) || at > now + Duration::days(366) {
        return Err(ServiceError::invalid(
            "needed_by",
            "需用时间应在现在到一年之内（是否填错了日期？）",
            "The time needed must be between now and a year ahead (is the date mistyped?)",
        ));
    }
    Ok(())
}

/// A loan says when it comes back (today at the earliest, within two years); a transfer for keeps does not.
pub fn check_return_due(
    kind: RequestKind,
    due: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, ServiceError> {
    match (kind, due) {
        (RequestKind::Transfer, None) => Ok(None),
        (RequestKind::Transfer, Some(_)) => Err(ServiceError::invalid(
            "return_due",
            "调拨不归还，不填归还日期；需要归还请选择“借用”",
            "A transfer is for keeps and has no return date; choose a loan if it comes back",
        )),
        (RequestKind::Loan, None) => Err(ServiceError::invalid(
            "return_due",
            "借用须填写归还日期",
            "A loan needs its return date",
        )),
        (RequestKind::Loan, Some(d)) if d < today || d > today + Duration::days(731) => {
            Err(ServiceError::Invalid {
                field: "return_due",
                message: Text::new(
                    format!("归还日期应在今天（{today}）到两年之内"),
                    format!("The return date must be between today ({today}) and two years ahead"),
                ),
            })
        }
        (RequestKind::Loan, Some(d)) => Ok(Some(d)),
    }
}

/// An extension moves the return date later, never earlier, and not into the past.
pub fn check_extension(
    current: NaiveDate,
    new: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, ServiceError> {
    if new <= current || new < today || new > today + Duration::days(731) {
        return Err(ServiceError::Invalid {
            field: "return_due",
            message: Text::new(
                format!("延期后的归还日期应晚于原定的 {current}，且不早于今天、不超过两年"),
                format!("The new return date must be after {current}, not before today, within two years"),
            ),
        });
    }
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_loan_has_a_return_date_and_a_transfer_does_not() {
        let today = d("2026-11-30");
        assert!(check_return_due(RequestKind::Loan, None, today).is_err());
        assert!(check_return_due(RequestKind::Loan, Some(d("2026-11-29")), today).is_err());
        assert_eq!(
            check_return_due(RequestKind::Loan, Some(d("2026-12-10")), today).unwrap(),
            Some(d("2026-12-10"))
        );
        assert!(check_return_due(RequestKind::Transfer, Some(d("2026-12-10")), today).is_err());
        assert_eq!(
            check_return_due(RequestKind::Transfer, None, today).unwrap(),
            None
        );
    }

    #[test]
    fn an_extension_only_moves_later() {
        let today = d("2026-11-30");
        assert!(check_extension(d("2026-11-29"), d("2026-11-29"), today).is_err());
        assert!(check_extension(d("2026-11-29"), d("2026-11-28"), today).is_err());
        assert_eq!(
            check_extension(d("2026-11-29"), d("2026-12-05"), today).unwrap(),
            d("2026-12-05")
        );
    }

    #[test]
    fn asks_are_positive_and_each_item_once() {
        let ask = |item, n| LineAsk {
            item_id: item,
            qty: Quantity::units(n),
            from_warehouse_id: None,
        };
        assert!(check_asks(&[]).is_err());
        assert!(check_asks(&[ask(1, 0)]).is_err());
        assert!(check_asks(&[ask(1, 2), ask(1, 3)]).is_err());
        assert!(check_asks(&[ask(1, 2), ask(2, 3)]).is_ok());
        assert!(check_purpose("  ").is_err());
        assert!(check_purpose(&"字".repeat(201)).is_err());
    }

    #[test]
    fn needed_by_is_not_in_the_past() {
        let now: DateTime<Utc> = "2026-11-30T08:00:00Z".parse().unwrap();
        assert!(check_needed_by(now - Duration::days(1), now).is_err());
        assert!(check_needed_by(now - Duration::minutes(5), now).is_ok());
        assert!(check_needed_by(now + Duration::days(400), now).is_err());
    }
}
