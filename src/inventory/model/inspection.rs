//! Equipment inspection and maintenance (检查维护): an item that needs it (generators, pumps, boats, breathing
//! apparatus) carries an interval; each inspection of a batch (a serial-numbered unit is its own batch) finds
//! it fine, needing repair, or repaired. Equipment needing repair does not go out for use, loan or transfer
//! until it is repaired, except by an emergency, whose voucher records the override. Pure.

use chrono::{Duration, NaiveDate};

use super::ledger::MovementKind;
use crate::error::ServiceError;
use crate::i18n::{text_enum, Text};
use crate::org::model::optional_text;

text_enum!(
    /// What an inspection found.
    InspectionResult, "result", {
        Passed = "ok", "合格", "OK";
        NeedsRepair = "needs_repair", "待修", "Needs repair";
        Repaired = "repaired", "已修复", "Repaired";
    }
);

text_enum!(
    /// Where a piece of equipment stands with its next inspection.
    InspectionDue, "due", {
        Overdue = "overdue", "检查逾期", "Overdue";
        DueSoon = "due_soon", "即将到期", "Due soon";
        Current = "current", "未到期", "Not yet due";
    }
);

/// Longest interval between inspections: ten years.
pub const MAX_INSPECTION_DAYS: i32 = 3650;

/// Most characters of an inspection's findings.
const MAX_FINDINGS: usize = 1000;

/// Days between inspections of an item (1–3650), or none for an item that needs none.
pub fn check_inspection_interval(days: Option<i32>) -> Result<Option<i32>, ServiceError> {
    match days {
        Some(d) if !(1..=MAX_INSPECTION_DAYS).contains(&d) => Err(ServiceError::invalid(
            "inspection_interval_days",
            "检查周期须在 1–3650 天之间（例如每月 30、每季度 90），不需要定期检查的物资留空",
            "The inspection interval is 1–3650 days (monthly 30, quarterly 90); leave it empty for items that need none",
        )),
        _ => Ok(days),
    }
}

/// An inspection as recorded: the day, what it found and, unless all was fine, what was wrong or done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionInput {
    pub inspected_on: NaiveDate,
    pub result: InspectionResult,
    pub findings: String,
}

impl InspectionInput {
    /// Parses an inspection as submitted: findings are required when it needs repair (what is wrong) or was
    /// repaired (what was done).
    pub fn parse(
        inspected_on: NaiveDate,
        result: &str,
        findings: &str,
    ) -> Result<InspectionInput, ServiceError> {
        let result = InspectionResult::parse(result)?;
        let findings = optional_text("findings", findings, MAX_FINDINGS)?;
        if findings.is_empty() && result != InspectionResult::Passed {
            return Err(ServiceError::invalid(
                "findings",
                "检查结果为待修或已修复时，请写明发现的问题或修复情况",
                "Say what is wrong (needs repair) or what was done (repaired)",
            ));
        }
        Ok(InspectionInput {
            inspected_on,
            result,
            findings,
        })
    }

    /// Checks the inspection against the office's `today`, the batch's last inspection and whether it is
    /// marked as needing repair: not in the future, not before the last one (the latest inspection says
    /// whether the batch needs repair), and "repaired" only for a batch that needed it.
    pub fn check(
        &self,
        today: NaiveDate,
        last: Option<NaiveDate>,
        needs_repair: bool,
    ) -> Result<(), ServiceError> {
        if self.inspected_on > today {
            return Err(ServiceError::Invalid {
                field: "inspected_on",
                message: Text::new(
                    format!("检查日期不能晚于今天（{today}）"),
                    format!("The inspection cannot be dated after today ({today})"),
                ),
            });
        }
        if let Some(last) = last.filter(|l| self.inspected_on < *l) {
            return Err(ServiceError::Invalid {
                field: "inspected_on",
                message: Text::new(
                    format!("该批次已有 {last} 的检查记录，新记录不能早于它"),
                    format!("This batch was last inspected on {last}; a new inspection cannot be dated earlier"),
                ),
            });
        }
        if self.result == InspectionResult::Repaired && !needs_repair {
            return Err(ServiceError::conflict(
                "该批次没有待修标记；检查合格请选“合格”",
                "This batch is not marked as needing repair; record a passed inspection as “OK”",
            ));
        }
        Ok(())
    }
}

impl InspectionResult {
    /// Whether the batch needs repair after an inspection with this result.
    pub fn needs_repair(self) -> bool {
        self == InspectionResult::NeedsRepair
    }
}

/// When a batch's next inspection is due: its last inspection, or before any the day it was registered, plus
/// the item's interval.
pub fn next_inspection(last: Option<NaiveDate>, since: NaiveDate, interval_days: i32) -> NaiveDate {
    last.unwrap_or(since) + Duration::days(i64::from(interval_days))
}

/// Where an inspection due on `due` stands on `today`: overdue once the day has passed, due soon within
/// `ahead_days` (the due day included).
pub fn inspection_due(due: NaiveDate, today: NaiveDate, ahead_days: i64) -> InspectionDue {
    if due < today {
        InspectionDue::Overdue
    } else if due <= today + Duration::days(ahead_days) {
        InspectionDue::DueSoon
    } else {
        InspectionDue::Current
    }
}

/// Whether `kind` takes stock out to be used somewhere (issue, loan, transfer): what equipment needing
/// repair must not do.
fn puts_to_use(kind: MovementKind) -> bool {
    matches!(
        kind,
        MovementKind::Use | MovementKind::Loan | MovementKind::TransferOut
    )
}

/// Equipment needing repair does not go out for use, loan or transfer until it is repaired (a write-off, a
/// rotation or a count may still take it). An emergency takes it anyway: `Ok(true)` says the voucher must
/// record that override.
pub fn check_repair(
    kind: MovementKind,
    needs_repair: bool,
    emergency: bool,
    batch_no: &str,
) -> Result<bool, ServiceError> {
    if !needs_repair || !puts_to_use(kind) {
        return Ok(false);
    }
    if emergency {
        return Ok(true);
    }
    Err(ServiceError::conflict(
        format!(
            "批次 {batch_no} 检查结果为待修，修复前不能发放、借出或调拨；确需动用请办理紧急出库（将记录为带病出库）"
        ),
        format!(
            "Batch {batch_no} was found needing repair: it cannot be issued, loaned or transferred until repaired; \
             in an emergency record an emergency issue (the override is recorded)"
        ),
    ))
}

/// [`check_repair`] for each batch a voucher takes out, given as (needs repair, batch no): the numbers of
/// those an emergency takes anyway, or the refusal of the first that may not go.
pub fn repair_overrides<'a>(
    kind: MovementKind,
    emergency: bool,
    batches: impl IntoIterator<Item = (bool, &'a str)>,
) -> Result<Vec<String>, ServiceError> {
    let mut taken = Vec::new();
    for (needs_repair, batch_no) in batches {
        if check_repair(kind, needs_repair, emergency, batch_no)? {
            taken.push(batch_no.to_string());
        }
    }
    Ok(taken)
}

/// Equipment needing repair is not held for a purpose (an allocation, a drill) until it is repaired.
pub fn check_reservable(needs_repair: bool, batch_no: &str) -> Result<(), ServiceError> {
    if needs_repair {
        return Err(ServiceError::conflict(
            format!("批次 {batch_no} 检查结果为待修，修复前不能预留"),
            format!(
                "Batch {batch_no} was found needing repair: it cannot be reserved until repaired"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_next_inspection_counts_from_the_last_one_or_from_registration() {
        assert_eq!(
            next_inspection(Some(d("2026-11-15")), d("2025-01-01"), 30),
            d("2026-12-15")
        );
        assert_eq!(next_inspection(None, d("2026-11-28"), 90), d("2027-02-26"));
        assert_eq!(
            next_inspection(Some(d("2026-01-31")), d("2025-01-01"), 30),
            d("2026-03-02"),
            "across the end of a short month"
        );
        assert_eq!(
            next_inspection(Some(d("2026-12-20")), d("2025-01-01"), 15),
            d("2027-01-04"),
            "across the end of the year"
        );
        assert_eq!(
            next_inspection(Some(d("2028-02-15")), d("2025-01-01"), 30),
            d("2028-03-16"),
            "across a leap day"
        );
    }

    #[test]
    fn an_inspection_is_due_soon_within_the_window_and_overdue_once_its_day_has_passed() {
        let today = d("2026-12-29");
        assert_eq!(
            inspection_due(d("2027-01-05"), today, 7),
            InspectionDue::DueSoon,
            "seven days ahead, over the new year"
        );
        assert_eq!(
            inspection_due(d("2027-01-06"), today, 7),
            InspectionDue::Current
        );
        assert_eq!(
            inspection_due(today, today, 7),
            InspectionDue::DueSoon,
            "due today is not yet overdue"
        );
        assert_eq!(
            inspection_due(d("2026-12-28"), today, 7),
            InspectionDue::Overdue
        );
        assert_eq!(
            inspection_due(d("2026-11-30"), d("2026-12-01"), 0),
            InspectionDue::Overdue,
            "across the end of a month"
        );
    }

    #[test]
    fn findings_say_what_is_wrong_or_what_was_done() {
        let day = d("2026-11-28");
        assert!(InspectionInput::parse(day, "ok", "").is_ok());
        for result in ["needs_repair", "repaired"] {
            let e = InspectionInput::parse(day, result, "  ").unwrap_err();
            assert!(matches!(
                e,
                ServiceError::Invalid {
                    field: "findings",
                    ..
                }
            ));
        }
        let broken = InspectionInput::parse(day, "needs_repair", " 柴油机启动困难 ").unwrap();
        assert_eq!(broken.findings, "柴油机启动困难");
        assert!(InspectionInput::parse(day, "broken", "x").is_err());
        assert!(InspectionInput::parse(day, "ok", &"检".repeat(1001)).is_err());
    }

    #[test]
    fn an_inspection_is_not_dated_in_the_future_nor_before_the_last_one() {
        let today = d("2026-11-28");
        let at =
            |day: &str, result: &str| InspectionInput::parse(d(day), result, "发现问题").unwrap();
        assert!(at("2026-11-29", "ok").check(today, None, false).is_err());
        assert!(at("2026-11-28", "ok").check(today, None, false).is_ok());
        assert!(at("2026-11-20", "ok")
            .check(today, Some(d("2026-11-21")), false)
            .is_err());
        assert!(
            at("2026-11-21", "repaired")
                .check(today, Some(d("2026-11-21")), true)
                .is_ok(),
            "found broken and repaired on the same day"
        );
        assert!(
            at("2026-11-28", "repaired")
                .check(today, None, false)
                .is_err(),
            "nothing to repair"
        );
    }

    #[test]
    fn equipment_needing_repair_goes_out_only_in_an_emergency_which_is_recorded() {
        for kind in [
            MovementKind::Use,
            MovementKind::Loan,
            MovementKind::TransferOut,
        ] {
            assert!(check_repair(kind, true, false, "SB-1").is_err(), "{kind:?}");
            assert!(check_repair(kind, true, true, "SB-1").unwrap(), "{kind:?}");
            assert!(!check_repair(kind, false, true, "SB-1").unwrap());
        }
        for kind in [
            MovementKind::WriteOff,
            MovementKind::Rotation,
            MovementKind::CountLoss,
        ] {
            assert!(
                !check_repair(kind, true, false, "SB-1").unwrap(),
                "{kind:?}"
            );
        }
        let refused = check_repair(MovementKind::Use, true, false, "SB-2023-A").unwrap_err();
        assert!(refused
            .message(crate::i18n::Lang::Zh)
            .contains("批次 SB-2023-A 检查结果为待修"));
        let batches = [(false, "SB-1"), (true, "SB-2"), (true, "SB-3")];
        assert_eq!(
            repair_overrides(MovementKind::Loan, true, batches).unwrap(),
            ["SB-2", "SB-3"]
        );
        assert!(repair_overrides(MovementKind::Loan, false, batches).is_err());
        assert!(check_reservable(true, "SB-1").is_err());
        assert!(check_reservable(false, "SB-1").is_ok());
    }

    #[test]
    fn an_interval_is_one_day_to_ten_years_or_none() {
        assert_eq!(check_inspection_interval(None).unwrap(), None);
        assert_eq!(check_inspection_interval(Some(30)).unwrap(), Some(30));
        assert!(check_inspection_interval(Some(0)).is_err());
        assert!(check_inspection_interval(Some(3651)).is_err());
    }
}
