//! Stocktakes (盘点): the book frozen at opening, counted lines, variances with reasons, approval.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use super::quantity::Quantity;
use crate::error::ServiceError;
use crate::i18n::text_enum;

text_enum!(
    /// Where a stocktake is.
    StocktakeState, "state", {
        Counting = "counting", "盘点中", "Counting";
        Approved = "approved", "已审批", "Approved";
        Cancelled = "cancelled", "已取消", "Cancelled";
    }
);

text_enum!(
    /// Why a counted quantity differs from the book.
    VarianceReason, "reason", {
        Lost = "lost", "丢失", "Lost";
        Damaged = "damaged", "损坏", "Damaged";
        Expired = "expired", "过期", "Expired";
        Found = "found", "盘盈找到", "Found";
        RecordingError = "recording_error", "记账差错", "Recording error";
        Other = "other", "其他", "Other";
    }
);

/// One counted line as the rules see it.
#[derive(Debug, Clone)]
pub struct CountLine {
    pub book: Quantity,
    /// Counts entered by the counters (summed: several people count parts of one line).
    pub counts: Vec<Quantity>,
    pub recount_requested: bool,
    pub reason: Option<VarianceReason>,
}

impl CountLine {
    /// The counted quantity, once someone has counted.
    pub fn counted(&self) -> Option<Quantity> {
        if self.counts.is_empty() {
            return None;
        }
        self.counts
            .iter()
            .try_fold(Quantity::ZERO, |acc, q| acc.checked_add(*q))
    }

    /// Counted minus book (positive: gain 盘盈; negative: loss 盘亏).
    pub fn variance(&self) -> Option<Quantity> {
        self.counted().and_then(|c| c.checked_sub(self.book))
    }
}

/// A stocktake may be approved once every line is counted, no recount is pending, and every difference
/// is explained.
pub fn check_approvable(state: StocktakeState, lines: &[CountLine]) -> Result<(), ServiceError> {
    if state != StocktakeState::Counting {
        return Err(ServiceError::conflict(
            "该盘点已结束，不能再次审批",
            "This stocktake is finished and cannot be approved again",
        ));
    }
    let uncounted = lines.iter().filter(|l| l.counted().is_none()).count();
    if uncounted > 0 {
        return Err(ServiceError::conflict(
            format!("还有 {uncounted} 行未盘点"),
            format!("{uncounted} line(s) are not counted yet"),
        ));
    }
    if lines.iter().any(|l| l.recount_requested) {
        return Err(ServiceError::conflict(
            "有行要求复盘，尚未复盘",
            "A recount was requested and is not done",
        ));
    }
    let unexplained = lines
        .iter()
        .filter(|l| l.variance().is_some_and(|v| v != Quantity::ZERO) && l.reason.is_none())
        .count();
    if unexplained > 0 {
        return Err(ServiceError::conflict(
            format!("有 {unexplained} 行差异未填写原因"),
            format!("{unexplained} difference(s) have no reason"),
        ));
    }
    Ok(())
}

/// A count under way in a warehouse, as a refusal names it.
#[derive(Debug, Clone, Copy)]
pub struct OpenCount<'a> {
    pub id: i64,
    pub warehouse: &'a str,
}

/// While a warehouse is counted, only an emergency moves its stock (an emergency issue, loan or transfer,
/// and that transfer's arrival): in a flood the material must leave. Ordinary receipts, issues, signatures
/// that would post, and corrections wait until the count is approved or cancelled.
pub fn check_moves_during_count(
    emergency: bool,
    open: Option<OpenCount>,
) -> Result<(), ServiceError> {
    match open {
        Some(c) if !emergency => Err(ServiceError::conflict(
            format!(
                "「{}」正在盘点（盘点 #{}），盘点审批或取消前只能办理紧急出库",
                c.warehouse, c.id
            ),
            format!(
                "{} is being counted (stocktake #{}): until the count is approved or cancelled only \
                 emergency issues move its stock",
                c.warehouse, c.id
            ),
        )),
        _ => Ok(()),
    }
}

/// Counting is possible only while the stocktake is open.
pub fn check_counting(state: StocktakeState) -> Result<(), ServiceError> {
    if state != StocktakeState::Counting {
        return Err(ServiceError::conflict(
            "该盘点已结束，不能修改",
            "This stocktake is finished and can no longer change",
        ));
    }
    Ok(())
}

/// During a blind count the book stays hidden from the people counting: everyone who may not approve the
/// count. It shows nowhere for them: not on the count sheet, the stock list, exports, suggestions, the
/// dashboard or reminders.
pub fn book_hidden(blind_count_open: bool, may_approve: bool) -> bool {
    blind_count_open && !may_approve
}

/// The approval is the second signature: it must come from someone other than who opened the count.
pub fn check_approver(opened_by: i64, approver: i64) -> Result<(), ServiceError> {
    if opened_by == approver {
        return Err(ServiceError::conflict(
            "审批须由盘点发起人以外的人员进行（双签字）",
            "The approver must be someone other than who opened the count (two signatures)",
        ));
    }
    Ok(())
}

/// When the next stocktake is due: the last finished one (or the warehouse's creation) plus the interval.
pub fn next_due(
    last: Option<NaiveDateTime>,
    created: NaiveDateTime,
    interval_days: i32,
) -> NaiveDateTime {
    last.unwrap_or(created) + Duration::days(i64::from(interval_days))
}

/// Whether a due date has passed.
pub fn overdue(due: NaiveDateTime, now: DateTime<Utc>) -> bool {
    due < now.naive_utc()
}

/// What a warehouse's next stocktake calls for: nothing yet, a reminder that it is due within `ahead_days`,
/// or a warning that it is overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StocktakeReminder {
    /// Not due for a while.
    None,
    /// Due within the reminder window.
    DueSoon,
    /// Past due.
    Overdue,
}

/// The reminder for a stocktake due at `due` (`days_left` office days away) at `now`.
pub fn stocktake_reminder(
    due: NaiveDateTime,
    days_left: i64,
    now: DateTime<Utc>,
    ahead_days: i64,
) -> StocktakeReminder {
    if overdue(due, now) {
        StocktakeReminder::Overdue
    } else if days_left <= ahead_days {
        StocktakeReminder::DueSoon
    } else {
        StocktakeReminder::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn during_a_count_only_an_emergency_moves_stock_and_the_refusal_names_the_count() {
        let open = Some(OpenCount {
            id: 7,
            warehouse: "滨湖街道储备点",
        });
        assert!(check_moves_during_count(true, open).is_ok());
        assert!(check_moves_during_count(false, None).is_ok());
        let refused = check_moves_during_count(false, open).unwrap_err();
        let text = refused.message(crate::i18n::Lang::Zh);
        assert!(
            text.contains("滨湖街道储备点") && text.contains("#7"),
            "{text}"
        );
    }

    #[test]
    fn a_stocktake_is_reminded_within_the_window_and_warned_once_overdue() {
        use chrono::TimeZone;
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).unwrap();
        let due = |days: i64| now.naive_utc() + Duration::days(days);
        assert_eq!(
            stocktake_reminder(due(30), 30, now, 7),
            StocktakeReminder::None
        );
        assert_eq!(
            stocktake_reminder(due(7), 7, now, 7),
            StocktakeReminder::DueSoon
        );
        assert_eq!(
            stocktake_reminder(due(-1), -1, now, 7),
            StocktakeReminder::Overdue
        );
    }

    fn line(book: i64, counts: &[i64], reason: Option<VarianceReason>) -> CountLine {
        CountLine {
            book: Quantity::units(book),
            counts: counts.iter().map(|c| Quantity::units(*c)).collect(),
            recount_requested: false,
            reason,
        }
    }

    #[test]
    fn counts_of_several_counters_are_summed() {
        let l = line(10, &[4, 5], None);
        assert_eq!(l.counted(), Some(Quantity::units(9)));
        assert_eq!(l.variance(), Some(Quantity::units(-1)));
        assert_eq!(line(10, &[], None).variance(), None);
    }

    #[test]
    fn approval_needs_every_line_counted_and_every_difference_explained() {
        let c = StocktakeState::Counting;
        assert!(check_approvable(c, &[line(10, &[10], None)]).is_ok());
        assert!(check_approvable(c, &[line(10, &[], None)]).is_err());
        assert!(check_approvable(c, &[line(10, &[9], None)]).is_err());
        assert!(check_approvable(c, &[line(10, &[9], Some(VarianceReason::Lost))]).is_ok());
        let mut recount = line(10, &[10], None);
        recount.recount_requested = true;
        assert!(check_approvable(c, &[recount]).is_err());
    }

    #[test]
    fn a_stocktake_cannot_be_finalized_twice() {
        assert!(check_approvable(StocktakeState::Approved, &[line(1, &[1], None)]).is_err());
        assert!(check_counting(StocktakeState::Approved).is_err());
    }
}
