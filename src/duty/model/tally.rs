//! Counting a year of duty: each person's shifts per month, weekends, holidays and hours on each place, and
//! who carried more weekends or holidays than the mean of those on the same place (leaders are compared
//! with leaders, officers with officers: a roster needs different numbers of each). Exact: means and
//! differences are fractions, shown in hundredths.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::{DayClass, DutyRole};

/// A place held on a live shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Served {
    pub person: i64,
    pub role: DutyRole,
    /// The day the shift begins (it counts in that day's month).
    pub day: NaiveDate,
    pub class: DayClass,
    /// How long the shift lasts.
    pub minutes: i64,
}

/// What one person carried on one place over the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub person: i64,
    pub role: DutyRole,
    /// Shifts begun in each month, January first.
    pub months: [u32; 12],
    pub weekend: u32,
    pub holiday: u32,
    pub total: u32,
    pub minutes: i64,
}

impl Tally {
    fn new(person: i64, role: DutyRole) -> Tally {
        Tally {
            person,
            role,
            months: [0; 12],
            weekend: 0,
            holiday: 0,
            total: 0,
            minutes: 0,
        }
    }
}

/// Each person's tally per place, leaders first; `also` adds people (the roster's eligible ones) who count
/// towards the means with nothing carried yet.
pub fn tally(served: &[Served], also: &[(i64, DutyRole)]) -> Vec<Tally> {
    let mut out: BTreeMap<(DutyRole, i64), Tally> = also
        .iter()
        .map(|(p, r)| ((*r, *p), Tally::new(*p, *r)))
        .collect();
    for s in served {
        let t = out
            .entry((s.role, s.person))
            .or_insert_with(|| Tally::new(s.person, s.role));
        t.months[s.day.month0() as usize] += 1;
        t.total += 1;
        t.minutes += s.minutes;
        match s.class {
            DayClass::Weekend => t.weekend += 1,
            DayClass::Holiday => t.holiday += 1,
            DayClass::Workday => {}
        }
    }
    out.into_values().collect()
}

/// The mean per person of a group: `sum / people`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mean {
    pub sum: u32,
    pub people: u32,
}

impl Mean {
    /// The mean of `counts`.
    pub fn of(counts: impl IntoIterator<Item = u32>) -> Mean {
        counts
            .into_iter()
            .fold(Mean { sum: 0, people: 0 }, |m, c| Mean {
                sum: m.sum + c,
                people: m.people + 1,
            })
    }

    /// The mean in hundredths.
    pub fn hundredths(self) -> i64 {
        rounded(i64::from(self.sum) * 100, i64::from(self.people))
    }

    /// How far `count` lies from the mean, in hundredths (above it is positive).
    pub fn difference(self, count: u32) -> i64 {
        rounded(self.excess(count) * 100, i64::from(self.people))
    }

    /// Whether `count` lies above the mean by more than one shift.
    pub fn exceeded_by_more_than_one(self, count: u32) -> bool {
        self.excess(count) > i64::from(self.people)
    }

    /// `(count - mean) * people`: the difference without a fraction.
    fn excess(self, count: u32) -> i64 {
        i64::from(count) * i64::from(self.people) - i64::from(self.sum)
    }
}

/// `num / den` rounded half away from zero (0 when there is no one to divide among).
fn rounded(num: i64, den: i64) -> i64 {
    if den == 0 {
        return 0;
    }
    let twice = 2 * num.abs() + den;
    num.signum() * (twice / (2 * den))
}

/// Hundredths as a decimal with at most two places: `2.29`, `-0.5`, `3`; `signed` puts `+` before a
/// positive number (a difference).
pub fn hundredths_text(v: i64, signed: bool) -> String {
    let sign = match (v < 0, signed && v > 0) {
        (true, _) => "-",
        (false, true) => "+",
        _ => "",
    };
    let (whole, frac) = (v.abs() / 100, v.abs() % 100);
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

/// Minutes as hours with at most two places (`24`, `23.5`).
pub fn hours_text(minutes: i64) -> String {
    hundredths_text(rounded(minutes * 100, 60), false)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(d: &str) -> NaiveDate {
        d.parse().unwrap()
    }

    fn served(person: i64, role: DutyRole, d: &str, class: DayClass) -> Served {
        Served {
            person,
            role,
            day: day(d),
            class,
            minutes: 24 * 60,
        }
    }

    #[test]
    fn a_tally_counts_each_month_weekends_holidays_and_hours_per_place() {
        let t = tally(
            &[
                served(1, DutyRole::Officer, "2026-01-01", DayClass::Holiday),
                served(1, DutyRole::Officer, "2026-01-03", DayClass::Weekend),
                served(1, DutyRole::Officer, "2026-12-31", DayClass::Workday),
                served(1, DutyRole::Leader, "2026-02-02", DayClass::Workday),
            ],
            &[(2, DutyRole::Officer)],
        );
        assert_eq!(t.len(), 3, "1 as leader, 1 and 2 as officers");
        assert_eq!(
            (t[0].person, t[0].role, t[0].total),
            (1, DutyRole::Leader, 1)
        );
        let one = &t[1];
        assert_eq!((one.months[0], one.months[11], one.total), (2, 1, 3));
        assert_eq!((one.weekend, one.holiday, one.minutes), (1, 1, 3 * 24 * 60));
        assert_eq!((t[2].person, t[2].total), (2, 0), "eligible, nothing yet");
    }

    #[test]
    fn the_mean_and_differences_are_exact_and_only_more_than_one_above_is_heavy() {
        // 3, 2, 2 weekends: mean 7/3 = 2.33.
        let m = Mean::of([3, 2, 2]);
        assert_eq!(m.hundredths(), 233);
        assert_eq!(m.difference(3), 67);
        assert_eq!(m.difference(2), -33);
        assert!(!m.exceeded_by_more_than_one(3), "0.67 above is within one");
        let m = Mean::of([4, 2, 2, 0]);
        assert!(m.exceeded_by_more_than_one(4), "4 against a mean of 2");
        let m = Mean::of([3, 2]);
        assert!(
            !m.exceeded_by_more_than_one(3),
            "exactly one above is not more than one"
        );
        assert_eq!(Mean::of([]).hundredths(), 0, "nobody: no mean, no division");
    }

    #[test]
    fn hundredths_read_as_people_write_them() {
        assert_eq!(hundredths_text(233, false), "2.33");
        assert_eq!(hundredths_text(67, true), "+0.67");
        assert_eq!(hundredths_text(-50, true), "-0.5");
        assert_eq!(hundredths_text(0, true), "0");
        assert_eq!(hundredths_text(300, true), "+3");
        assert_eq!(hours_text(25 * 60), "25");
        assert_eq!(hours_text(90), "1.5");
    }
}
