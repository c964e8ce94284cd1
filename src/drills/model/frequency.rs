//! Minimum drill frequencies (《生产安全事故应急条例》第八条, 《生产安全事故应急预案管理办法》第三十三条) and the
//! periods they make: rolling windows of 6, 12, 24 or 36 months from the plan's approval day.

use chrono::{Months, NaiveDate};

use super::{DrillSector, PlanLevel};
use crate::error::ServiceError;

/// The frequencies a rule may set, in months.
pub const FREQUENCIES: [u32; 4] = [6, 12, 24, 36];

/// The regulations' minimum frequency for a plan of `level` held by a unit of `sector`, in months:
/// hazardous goods, mining, metallurgy, urban rail, construction and crowded places (hotels, tourist sites) every
/// half year; other production units a comprehensive or special plan every year and each on-site disposal plan
/// every half year; governments, departments and streets every two years, their special and departmental
/// plans every three.
pub fn default_months(sector: DrillSector, level: PlanLevel) -> u32 {
    use DrillSector as S;
    use PlanLevel as L;
    match sector {
        S::Hotel
        | S::TouristSite
        | S::CrowdedPlace
        | S::HazardousGoods
        | S::Mining
        | S::Metallurgy
        | S::UrbanRail
        | S::Construction => 6,
        S::Government => match level {
            L::Special | L::Departmental => 36,
            _ => 24,
        },
        S::Production | S::Other => match level {
            L::Onsite => 6,
            _ => 12,
        },
    }
}

/// Whether a unit of `sector` must report each drill to its supervising department (the half-year sectors).
pub fn must_report(sector: DrillSector) -> bool {
    default_months(sector, PlanLevel::EnterpriseComprehensive) == 6
}

/// The frequency in force: the office's rule where it set one, else the regulations' default.
pub fn effective_months(
    overrides: &[(DrillSector, PlanLevel, u32)],
    sector: DrillSector,
    level: PlanLevel,
) -> u32 {
    overrides
        .iter()
        .find(|(s, l, _)| *s == sector && *l == level)
        .map_or_else(|| default_months(sector, level), |(_, _, m)| *m)
}

/// Checks a frequency typed by a person.
pub fn check_months(field: &'static str, months: i64) -> Result<u32, ServiceError> {
    FREQUENCIES
        .iter()
        .copied()
        .find(|m| i64::from(*m) == months)
        .ok_or_else(|| {
            ServiceError::invalid(
                field,
                "演练频次只能是每 6、12、24 或 36 个月一次",
                "A drill frequency is every 6, 12, 24 or 36 months",
            )
        })
}

/// The period of `months` from `anchor` that contains `day` (`day` on or after `anchor`): its first day and
/// the day after its last. Before the anchor, the first period.
pub fn period_of(anchor: NaiveDate, months: u32, day: NaiveDate) -> (NaiveDate, NaiveDate) {
    if day < anchor {
        return (anchor, add(anchor, months));
    }
    let elapsed = u32::try_from(day.year_month() - anchor.year_month()).unwrap_or(0);
    let mut k = elapsed / months * months;
    // A period may start after the day when the day of the month is earlier than the anchor's.
    while k > 0 && add(anchor, k) > day {
        k -= months;
    }
    while add(anchor, k + months) <= day {
        k += months;
    }
    (add(anchor, k), add(anchor, k + months))
}

fn add(anchor: NaiveDate, months: u32) -> NaiveDate {
    anchor
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

trait YearMonth {
    fn year_month(&self) -> i64;
}

impl YearMonth for NaiveDate {
    fn year_month(&self) -> i64 {
        use chrono::Datelike;
        i64::from(self.year()) * 12 + i64::from(self.month0())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_hotel_drills_every_plan_every_half_year() {
        for level in PlanLevel::ALL {
            assert_eq!(default_months(DrillSector::Hotel, *level), 6);
        }
        assert!(must_report(DrillSector::Hotel));
        assert!(must_report(DrillSector::TouristSite));
        assert!(must_report(DrillSector::HazardousGoods));
    }

    #[test]
    fn a_production_unit_drills_yearly_and_its_onsite_plans_every_half_year() {
        assert_eq!(
            default_months(DrillSector::Production, PlanLevel::EnterpriseComprehensive),
            12
        );
        assert_eq!(
            default_months(DrillSector::Production, PlanLevel::EnterpriseSpecial),
            12
        );
        assert_eq!(
            default_months(DrillSector::Production, PlanLevel::Onsite),
            6
        );
        assert!(!must_report(DrillSector::Production));
    }

    #[test]
    fn a_government_drills_every_two_years_and_its_special_plans_every_three() {
        assert_eq!(
            default_months(DrillSector::Government, PlanLevel::General),
            24
        );
        assert_eq!(
            default_months(DrillSector::Government, PlanLevel::Special),
            36
        );
        assert_eq!(
            default_months(DrillSector::Government, PlanLevel::Departmental),
            36
        );
        assert!(!must_report(DrillSector::Government));
    }

    #[test]
    fn the_offices_rule_wins_over_the_default() {
        let rules = [(DrillSector::Government, PlanLevel::Special, 12)];
        assert_eq!(
            effective_months(&rules, DrillSector::Government, PlanLevel::Special),
            12
        );
        assert_eq!(
            effective_months(&rules, DrillSector::Government, PlanLevel::General),
            24
        );
    }

    #[test]
    fn only_the_four_frequencies_are_accepted() {
        assert_eq!(check_months("m", 6).unwrap(), 6);
        assert_eq!(check_months("m", 36).unwrap(), 36);
        for bad in [0, 1, 7, 48, -6] {
            assert!(check_months("m", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn half_year_periods_run_across_the_year_end() {
        let anchor = d(2025, 9, 15);
        assert_eq!(
            period_of(anchor, 6, d(2026, 1, 10)),
            (d(2025, 9, 15), d(2026, 3, 15))
        );
        assert_eq!(
            period_of(anchor, 6, d(2026, 3, 15)),
            (d(2026, 3, 15), d(2026, 9, 15))
        );
        assert_eq!(
            period_of(anchor, 6, d(2026, 3, 14)),
            (d(2025, 9, 15), d(2026, 3, 15))
        );
        assert_eq!(
            period_of(anchor, 6, d(2026, 12, 31)),
            (d(2026, 9, 15), d(2027, 3, 15))
        );
    }

    #[test]
    fn two_year_periods_run_across_year_ends() {
        let anchor = d(2023, 7, 1);
        assert_eq!(
            period_of(anchor, 24, d(2024, 12, 31)),
            (d(2023, 7, 1), d(2025, 7, 1))
        );
        assert_eq!(
            period_of(anchor, 24, d(2025, 7, 1)),
            (d(2025, 7, 1), d(2027, 7, 1))
        );
        assert_eq!(
            period_of(anchor, 24, d(2026, 1, 1)),
            (d(2025, 7, 1), d(2027, 7, 1))
        );
    }

    #[test]
    fn a_month_end_anchor_keeps_its_periods_whole() {
        let anchor = d(2025, 8, 31);
        // 31 August + 6 months is 28 February.
        assert_eq!(
            period_of(anchor, 6, d(2026, 2, 28)),
            (d(2026, 2, 28), d(2026, 8, 31))
        );
        assert_eq!(
            period_of(anchor, 6, d(2026, 2, 27)),
            (d(2025, 8, 31), d(2026, 2, 28))
        );
        assert_eq!(
            period_of(anchor, 6, d(2025, 1, 1)),
            (d(2025, 8, 31), d(2026, 2, 28))
        );
    }
}
