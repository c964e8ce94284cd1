//! The calendar itself: the stored exceptions over the rule "Saturday and Sunday are weekends", and the
//! years whose official arrangement has been entered.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::{check_year, is_weekend, weekday_name, DayKind, NAME_MAX};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Text;

/// A date with its kind and, for a holiday or an adjusted workday, the holiday's name (春节).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// Empty for an ordinary day.
    pub name: String,
}

impl CalendarDay {
    /// A day as an administrator or a file sets it: a holiday or an adjusted workday needs a name of at most
    /// 40 characters, an adjusted workday falls on a Saturday or Sunday, the year is 2000–2100.
    pub fn parse(date: NaiveDate, kind: DayKind, name: &str) -> ServiceResult<CalendarDay> {
        check_year("date", date.year())?;
        let name = name.trim();
        if name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
            return Err(ServiceError::Invalid {
                field: "name",
                message: Text::new(
                    format!("名称不能超过 {NAME_MAX} 个字符，也不能含换行等控制字符"),
                    format!("A name has at most {NAME_MAX} characters and no line breaks"),
                ),
            });
        }
        if kind.needs_name() && name.is_empty() {
            return Err(ServiceError::Invalid {
                field: "name",
                message: Text::new(
                    format!(
                        "{date} 设为{}须填写所属节日的名称，例如“春节”",
                        kind.label(crate::i18n::Lang::Zh)
                    ),
                    format!(
                        "{date} as a {} needs the name of its holiday, e.g. 春节 (Spring Festival)",
                        kind.label(crate::i18n::Lang::En).to_lowercase()
                    ),
                ),
            });
        }
        if kind == DayKind::AdjustedWorkday && !is_weekend(date) {
            let weekday = weekday_name(date);
            return Err(ServiceError::Invalid {
                field: "kind",
                message: Text::new(
                    format!("{date} 是{}：调休上班只能安排在星期六或星期日", weekday.zh),
                    format!(
                        "{date} is a {}: an adjusted workday falls on a Saturday or a Sunday",
                        weekday.en
                    ),
                ),
            });
        }
        Ok(CalendarDay {
            date,
            kind,
            name: name.to_string(),
        })
    }

    /// What a date is when nothing is stored for it: Saturday and Sunday are weekends, other days workdays.
    pub fn usual(date: NaiveDate) -> CalendarDay {
        CalendarDay {
            date,
            kind: if is_weekend(date) {
                DayKind::Weekend
            } else {
                DayKind::Workday
            },
            name: String::new(),
        }
    }

    /// Whether the day is just what the date would be anyway (so nothing needs storing).
    pub fn is_usual(&self) -> bool {
        *self == CalendarDay::usual(self.date)
    }
}

/// The calendar as read for a span of dates: its stored exceptions and every covered year.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, CalendarDay>,
    covered: BTreeSet<i32>,
}

/// A named holiday of a year: its days off and the weekend days worked for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Festival {
    pub name: String,
    /// Days off, in order.
    pub holidays: Vec<NaiveDate>,
    /// Adjusted workdays (调休上班), in order.
    pub workdays: Vec<NaiveDate>,
}

/// How the days of a year fall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct YearCounts {
    /// Days worked (ordinary and adjusted workdays).
    pub workdays: u32,
    /// Days off (weekends and public holidays).
    pub rest_days: u32,
    pub holidays: u32,
    pub adjusted_workdays: u32,
}

impl Calendar {
    /// The calendar from the stored exceptions and the years whose arrangement has been entered.
    pub fn new(
        days: impl IntoIterator<Item = CalendarDay>,
        covered_years: impl IntoIterator<Item = i32>,
    ) -> Calendar {
        Calendar {
            days: days.into_iter().map(|d| (d.date, d)).collect(),
            covered: covered_years.into_iter().collect(),
        }
    }

    /// The stored exception for `date`, if there is one.
    pub fn exception(&self, date: NaiveDate) -> Option<&CalendarDay> {
        self.days.get(&date)
    }

    /// Every stored exception, in date order.
    pub fn exceptions(&self) -> impl Iterator<Item = &CalendarDay> {
        self.days.values()
    }

    /// The date as it is: the stored exception, else a weekend on Saturday and Sunday, else a workday.
    pub fn day(&self, date: NaiveDate) -> CalendarDay {
        self.exception(date)
            .cloned()
            .unwrap_or_else(|| CalendarDay::usual(date))
    }

    /// The kind of `date`: the stored exception, else Saturday and Sunday are weekends, else a workday.
    pub fn kind(&self, date: NaiveDate) -> DayKind {
        self.exception(date)
            .map_or_else(|| CalendarDay::usual(date).kind, |d| d.kind)
    }

    /// The holiday `date` belongs to (春节 for a day off or a day worked for it), if any.
    pub fn name(&self, date: NaiveDate) -> Option<&str> {
        self.exception(date)
            .map(|d| d.name.as_str())
            .filter(|n| !n.is_empty())
    }

    /// Whether the official arrangement of `year` has been entered.
    pub fn covers(&self, year: i32) -> bool {
        self.covered.contains(&year)
    }

    /// The years between `from` and `to` (inclusive) whose arrangement has not been entered: there, only
    /// weekends are known, and a plan should say so rather than guess.
    pub fn uncovered_years(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        (from.year()..=to.year())
            .filter(|y| !self.covers(*y))
            .collect()
    }

    /// The last year of the unbroken run of covered years starting at `year` ("covered through 2026"), or
    /// `None` when `year` itself is not covered.
    pub fn covered_through(&self, year: i32) -> Option<i32> {
        let mut last = None;
        let mut y = year;
        while self.covers(y) {
            last = Some(y);
            y += 1;
        }
        last
    }

    /// The named holidays of `year` in the order they begin, each with its days off and days worked.
    pub fn festivals(&self, year: i32) -> Vec<Festival> {
        let mut out: Vec<Festival> = Vec::new();
        for d in self.exceptions().filter(|d| d.date.year() == year) {
            if !d.kind.needs_name() {
                continue;
            }
            let at = match out.iter().position(|f| f.name == d.name) {
                Some(i) => i,
                None => {
                    out.push(Festival {
                        name: d.name.clone(),
                        holidays: Vec::new(),
                        workdays: Vec::new(),
                    });
                    out.len() - 1
                }
            };
            match d.kind {
                DayKind::Holiday => out[at].holidays.push(d.date),
                _ => out[at].workdays.push(d.date),
            }
        }
        let first = |f: &Festival| f.holidays.first().or(f.workdays.first()).copied();
        out.sort_by_key(first);
        out
    }

    /// How the days of `year` fall.
    pub fn counts(&self, year: i32) -> YearCounts {
        let mut counts = YearCounts::default();
        let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else {
            return counts;
        };
        for date in first.iter_days().take_while(|d| d.year() == year) {
            let kind = self.kind(date);
            if kind.is_rest() {
                counts.rest_days += 1;
            } else {
                counts.workdays += 1;
            }
            match kind {
                DayKind::Holiday => counts.holidays += 1,
                DayKind::AdjustedWorkday => counts.adjusted_workdays += 1,
                _ => {}
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn day(s: &str, kind: DayKind, name: &str) -> CalendarDay {
        CalendarDay::parse(d(s), kind, name).unwrap()
    }

    /// A piece of 2026: 国庆 off 10/1–10/7, worked 9/20 and 10/10; 2026 covered.
    fn national_day_2026() -> Calendar {
        let mut days: Vec<CalendarDay> = (1..=7)
            .map(|n| day(&format!("2026-10-0{n}"), DayKind::Holiday, "国庆节"))
            .collect();
        days.push(day("2026-09-20", DayKind::AdjustedWorkday, "国庆节"));
        days.push(day("2026-10-10", DayKind::AdjustedWorkday, "国庆节"));
        days.push(day("2026-09-25", DayKind::Holiday, "中秋节"));
        Calendar::new(days, [2026])
    }

    #[test]
    fn a_stored_day_wins_and_other_days_follow_the_week() {
        let cal = national_day_2026();
        assert_eq!(cal.kind(d("2026-10-01")), DayKind::Holiday);
        // 10/3 is a Saturday inside the holiday: a holiday, not a weekend.
        assert_eq!(cal.kind(d("2026-10-03")), DayKind::Holiday);
        assert_eq!(cal.kind(d("2026-10-10")), DayKind::AdjustedWorkday);
        assert!(!cal.kind(d("2026-10-10")).is_rest());
        assert_eq!(cal.kind(d("2026-10-17")), DayKind::Weekend);
        assert_eq!(cal.kind(d("2026-10-18")), DayKind::Weekend);
        assert_eq!(cal.kind(d("2026-10-19")), DayKind::Workday);
        assert_eq!(cal.name(d("2026-10-10")), Some("国庆节"));
        assert_eq!(cal.name(d("2026-10-19")), None);
        assert_eq!(
            cal.day(d("2026-10-17")),
            CalendarDay::usual(d("2026-10-17"))
        );
    }

    #[test]
    fn saturday_and_sunday_are_weekends_in_any_year_even_uncovered() {
        let cal = Calendar::default();
        // 2027-01-02 is a Saturday, 2027-01-04 a Monday.
        assert_eq!(cal.kind(d("2027-01-02")), DayKind::Weekend);
        assert_eq!(cal.kind(d("2027-01-03")), DayKind::Weekend);
        assert_eq!(cal.kind(d("2027-01-04")), DayKind::Workday);
        assert!(CalendarDay::usual(d("2027-01-04")).is_usual());
        assert!(!day("2027-01-04", DayKind::Weekend, "").is_usual());
    }

    #[test]
    fn a_plan_across_years_names_the_years_not_yet_entered() {
        let cal = Calendar::new([], [2024, 2025, 2026]);
        assert!(cal.covers(2026));
        assert!(!cal.covers(2027));
        assert_eq!(
            cal.uncovered_years(d("2026-12-01"), d("2028-01-31")),
            [2027, 2028]
        );
        assert!(cal
            .uncovered_years(d("2026-01-01"), d("2026-12-31"))
            .is_empty());
        assert_eq!(cal.covered_through(2024), Some(2026));
        assert_eq!(cal.covered_through(2027), None);
    }

    #[test]
    fn holidays_and_adjusted_workdays_need_a_name_and_adjusted_workdays_a_weekend() {
        let refused = |date: &str, kind, name: &str| match CalendarDay::parse(d(date), kind, name)
            .unwrap_err()
        {
            ServiceError::Invalid { field, message } => (field, message.zh.to_string()),
            other => panic!("{other:?}"),
        };
        assert_eq!(refused("2026-10-01", DayKind::Holiday, " ").0, "name");
        assert_eq!(
            refused("2026-10-10", DayKind::AdjustedWorkday, "").0,
            "name"
        );
        let (field, message) = refused("2026-10-07", DayKind::AdjustedWorkday, "国庆节");
        assert_eq!(field, "kind");
        assert!(message.contains("星期三"), "{message}");
        assert_eq!(
            refused("2026-10-01", DayKind::Holiday, &"长".repeat(41)).0,
            "name"
        );
        assert_eq!(
            refused("2026-10-01", DayKind::Holiday, "国庆\n节").0,
            "name"
        );
        assert_eq!(refused("2101-01-01", DayKind::Holiday, "元旦").0, "date");
        assert!(CalendarDay::parse(d("2026-10-01"), DayKind::Holiday, &"长".repeat(40)).is_ok());
        // An override needs no name, and may fall on any day.
        assert!(CalendarDay::parse(d("2026-10-14"), DayKind::Weekend, "").is_ok());
        assert!(CalendarDay::parse(d("2026-10-17"), DayKind::Workday, "").is_ok());
    }

    #[test]
    fn a_years_festivals_group_days_off_and_days_worked_by_name() {
        let cal = national_day_2026();
        let f = cal.festivals(2026);
        // In the order the holidays begin: 中秋节 on 9/25, then 国庆节 on 10/1 (though worked for on 9/20).
        let names: Vec<&str> = f.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["中秋节", "国庆节"]);
        assert_eq!(f[1].holidays.len(), 7);
        assert_eq!(f[1].workdays, [d("2026-09-20"), d("2026-10-10")]);
        assert!(cal.festivals(2025).is_empty());
    }

    #[test]
    fn a_years_counts_add_up_to_its_days() {
        let cal = national_day_2026();
        let c = cal.counts(2026);
        assert_eq!(c.workdays + c.rest_days, 365);
        assert_eq!((c.holidays, c.adjusted_workdays), (8, 2));
        // 104 weekend days in 2026; 10/3, 10/4 are holidays now, 9/20 and 10/10 are worked.
        assert_eq!(c.rest_days, 104 - 2 - 2 + 8);
    }
}
