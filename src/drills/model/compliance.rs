//! Compliance (达标) on a date: a plan is drilled in its current period (done), not yet but the previous period
//! was (due), or its previous period passed without an evaluated drill (overdue). A unit complies when it has
//! at least one plan on file and none is overdue; the district's rate is complying units over units held to it.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::period_of;
use crate::i18n::text_enum;

text_enum!(
    /// Where a plan stands against its minimum frequency.
    DrillStanding, "standing", {
        Overdue = "overdue", "逾期未演练", "Overdue";
        Due = "due", "本期待演练", "Due this period";
        Done = "done", "本期已演练", "Drilled this period";
    }
);

/// A plan's compliance on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlanCompliance {
    /// First day of the current period.
    pub period_from: NaiveDate,
    /// Last day of the current period.
    pub period_to: NaiveDate,
    /// Required in the period (always one: at least one drill per period).
    pub required: u32,
    /// Evaluated drills in the period.
    pub done: u32,
    /// The latest evaluated drill.
    pub last_drill: Option<NaiveDate>,
    /// The last day by which the next drill is due (for an overdue plan: the day it was due).
    pub next_due: NaiveDate,
    pub standing: DrillStanding,
    /// Days past `next_due` (overdue plans only).
    pub overdue_days: i64,
}

/// The compliance on `today` of a plan approved on `anchor` that is drilled every `months`, given the days of
/// its evaluated drills (any order).
pub fn plan_compliance(
    anchor: NaiveDate,
    months: u32,
    drilled: &[NaiveDate],
    today: NaiveDate,
) -> PlanCompliance {
    let (from, to) = period_of(anchor, months, today);
    let within = |a: NaiveDate, b: NaiveDate| {
        drilled
            .iter()
            .filter(|d| **d >= a && **d < b && **d <= today)
            .count()
    };
    let done = within(from, to);
    let last_drill = drilled.iter().copied().filter(|d| *d <= today).max();
    let last_day = |d: NaiveDate| d - Duration::days(1);
    let (standing, next_due) = if done > 0 {
        let (_, next_end) = period_of(anchor, months, to);
        (DrillStanding::Done, last_day(next_end))
    } else if from > anchor && within(period_of(anchor, months, last_day(from)).0, from) == 0 {
        (DrillStanding::Overdue, last_day(from))
    } else {
        (DrillStanding::Due, last_day(to))
    };
    PlanCompliance {
        period_from: from,
        period_to: last_day(to),
        required: 1,
        done: u32::try_from(done).unwrap_or(u32::MAX),
        last_drill,
        next_due,
        standing,
        overdue_days: if standing == DrillStanding::Overdue {
            (today - next_due).num_days()
        } else {
            0
        },
    }
}

/// Whether a unit complies: at least one plan on file and none overdue.
pub fn unit_complies(plans: &[DrillStanding]) -> bool {
    !plans.is_empty() && !plans.contains(&DrillStanding::Overdue)
}

/// The share of complying units, in tenths of a percent (`None` when no unit is held to it).
pub fn rate_permille(complying: usize, units: usize) -> Option<u32> {
    if units == 0 {
        return None;
    }
    u32::try_from((complying * 1000 + units / 2) / units).ok()
}

/// A rate in tenths of a percent as people read it: `87.5%`.
pub fn percent(permille: Option<u32>) -> String {
    permille.map_or_else(|| "—".to_string(), |p| format!("{}.{}%", p / 10, p % 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_new_plan_is_due_by_the_end_of_its_first_period() {
        let c = plan_compliance(d(2026, 3, 1), 6, &[], d(2026, 5, 1));
        assert_eq!(c.standing, DrillStanding::Due);
        assert_eq!(c.next_due, d(2026, 8, 31));
        assert_eq!((c.required, c.done), (1, 0));
    }

    #[test]
    fn a_period_passed_without_a_drill_makes_the_plan_overdue_from_the_day_after() {
        let c = plan_compliance(d(2026, 3, 1), 6, &[], d(2026, 9, 1));
        assert_eq!(c.standing, DrillStanding::Overdue);
        assert_eq!(c.next_due, d(2026, 8, 31));
        assert_eq!(c.overdue_days, 1);
        let c = plan_compliance(d(2026, 3, 1), 6, &[], d(2026, 8, 31));
        assert_eq!(c.standing, DrillStanding::Due);
    }

    #[test]
    fn a_drill_in_the_current_period_makes_it_done_until_the_next_periods_end() {
        let c = plan_compliance(d(2025, 9, 15), 6, &[d(2026, 1, 20)], d(2026, 2, 1));
        assert_eq!(c.standing, DrillStanding::Done);
        assert_eq!(c.done, 1);
        assert_eq!(c.next_due, d(2026, 9, 14));
        assert_eq!(c.last_drill, Some(d(2026, 1, 20)));
    }

    #[test]
    fn a_drill_last_period_keeps_the_plan_due_not_overdue_across_the_year_end() {
        // Half-year periods from 15 September: the drill in the period that ended on 14 March counts.
        let c = plan_compliance(d(2025, 9, 15), 6, &[d(2025, 12, 30)], d(2026, 4, 1));
        assert_eq!(c.standing, DrillStanding::Due);
        assert_eq!(c.next_due, d(2026, 9, 14));
        // A period later, with no further drill, it is overdue.
        let c = plan_compliance(d(2025, 9, 15), 6, &[d(2025, 12, 30)], d(2026, 9, 15));
        assert_eq!(c.standing, DrillStanding::Overdue);
    }

    #[test]
    fn a_two_year_plan_drilled_once_in_its_period_is_done() {
        let c = plan_compliance(d(2023, 7, 1), 24, &[d(2024, 11, 3)], d(2025, 1, 5));
        assert_eq!(c.standing, DrillStanding::Done);
        assert_eq!(c.period_from, d(2023, 7, 1));
        assert_eq!(c.period_to, d(2025, 6, 30));
        assert_eq!(c.next_due, d(2027, 6, 30));
        let c = plan_compliance(d(2023, 7, 1), 24, &[], d(2025, 7, 1));
        assert_eq!(c.standing, DrillStanding::Overdue);
        assert_eq!(c.next_due, d(2025, 6, 30));
    }

    #[test]
    fn drills_after_the_day_do_not_count() {
        let c = plan_compliance(d(2026, 3, 1), 6, &[d(2026, 6, 1)], d(2026, 5, 1));
        assert_eq!(c.standing, DrillStanding::Due);
        assert_eq!(c.last_drill, None);
    }

    #[test]
    fn a_unit_complies_with_plans_and_none_overdue() {
        assert!(!unit_complies(&[]));
        assert!(unit_complies(&[DrillStanding::Done, DrillStanding::Due]));
        assert!(!unit_complies(&[
            DrillStanding::Done,
            DrillStanding::Overdue
        ]));
    }

    #[test]
    fn the_rate_is_rounded_to_a_tenth_of_a_percent() {
        assert_eq!(rate_permille(7, 8), Some(875));
        assert_eq!(rate_permille(2, 3), Some(667));
        assert_eq!(rate_permille(0, 0), None);
        assert_eq!(percent(Some(875)), "87.5%");
        assert_eq!(percent(None), "—");
    }
}
