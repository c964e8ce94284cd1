//! The rules of the holiday calendar: what kind of day a date is, which years hold the official arrangement,
//! what an administrator may enter, and reading an arrangement from a CSV/XLSX table or an ICS file. Pure.

mod calendar;
mod ics;
mod import;
mod table;

pub use calendar::*;
pub use import::*;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::error::{ServiceError, ServiceResult};
use crate::i18n::{text_enum, Text};
use crate::org::model::{Actor, Role, UnitTree};

text_enum!(
    /// What kind of day a date is. Only exceptions are stored; an ordinary Saturday or Sunday is a weekend
    /// and any other day a workday.
    DayKind, "kind", {
        Workday = "workday", "工作日", "Workday";
        Weekend = "weekend", "休息日", "Weekend";
        Holiday = "holiday", "法定节假日", "Public holiday";
        AdjustedWorkday = "adjusted_workday", "调休上班", "Adjusted workday";
    }
);

impl DayKind {
    /// Whether people are off that day (a weekend or a public holiday).
    pub fn is_rest(self) -> bool {
        matches!(self, DayKind::Weekend | DayKind::Holiday)
    }

    /// Whether a day of this kind must carry a name (the holiday it belongs to).
    pub fn needs_name(self) -> bool {
        matches!(self, DayKind::Holiday | DayKind::AdjustedWorkday)
    }
}

/// The roles that keep the calendar, with a district-wide grant.
pub const EDITORS: &[Role] = &[Role::Administrator, Role::OfficeStaff];

/// Whether the actor keeps the calendar: a district-wide administrator or office (安委办) staff.
pub fn may_edit(actor: &Actor) -> bool {
    actor.covers(EDITORS, None, &UnitTree::default())
}

/// Allows a change to the calendar, or says why not.
pub fn authorize(actor: &Actor) -> ServiceResult<()> {
    if may_edit(actor) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Most days one request may list.
pub const MAX_SPAN: i64 = 400;

/// A span of dates to list: `to` not before `from`, at most [`MAX_SPAN`] days.
pub fn check_span(from: NaiveDate, to: NaiveDate) -> ServiceResult<()> {
    let days = (to - from).num_days() + 1;
    if days < 1 {
        return Err(ServiceError::invalid(
            "to",
            "结束日期不能早于开始日期",
            "The end date cannot be before the start date",
        ));
    }
    if days > MAX_SPAN {
        return Err(ServiceError::Invalid {
            field: "to",
            message: Text::new(
                format!("一次最多查询 {MAX_SPAN} 天，请缩短日期范围"),
                format!("At most {MAX_SPAN} days at a time; shorten the span"),
            ),
        });
    }
    Ok(())
}

/// The first and the last year the calendar holds.
pub const YEARS: (i32, i32) = (2000, 2100);

/// Longest name of a holiday.
pub const NAME_MAX: usize = 40;

/// A year the calendar may hold (2000–2100).
pub fn check_year(field: &'static str, year: i32) -> ServiceResult<i32> {
    if (YEARS.0..=YEARS.1).contains(&year) {
        Ok(year)
    } else {
        Err(ServiceError::Invalid {
            field,
            message: Text::new(
                format!("年份应在 {}–{} 之间", YEARS.0, YEARS.1),
                format!("The year must be between {} and {}", YEARS.0, YEARS.1),
            ),
        })
    }
}

/// The first and last day of a year the calendar may hold.
pub fn year_bounds(year: i32) -> ServiceResult<(NaiveDate, NaiveDate)> {
    let year = check_year("year", year)?;
    match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(first), Some(last)) => Ok((first, last)),
        _ => Err(ServiceError::Internal(format!("no bounds for {year}"))),
    }
}

/// A date as typed or sent (`2026-10-01`, also `2026/10/01` or `20261001`) within the calendar's years.
pub fn parse_day(field: &'static str, raw: &str) -> ServiceResult<NaiveDate> {
    let date = crate::sheets::parse_date(raw).ok_or_else(|| ServiceError::Invalid {
        field,
        message: Text::new(
            format!(
                "“{}”不是有效日期，格式应为 年-月-日，例如 2026-10-01",
                raw.trim()
            ),
            format!(
                "“{}” is not a valid date; write year-month-day, e.g. 2026-10-01",
                raw.trim()
            ),
        ),
    })?;
    check_year(field, date.year())?;
    Ok(date)
}

/// Saturday or Sunday.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The weekday's name in both languages (星期一 / Monday).
pub fn weekday_name(date: NaiveDate) -> Text {
    const ZH: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    const EN: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let i = date.weekday().num_days_from_monday() as usize;
    Text::new(format!("星期{}", ZH[i]), EN[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::model::Grant;

    fn actor(grants: &[(Role, Option<i64>)]) -> Actor {
        Actor {
            grants: grants
                .iter()
                .map(|(role, unit_id)| Grant {
                    role: *role,
                    unit_id: *unit_id,
                })
                .collect(),
            ..Actor::system()
        }
    }

    #[test]
    fn only_district_wide_administrators_and_office_staff_keep_the_calendar() {
        assert!(may_edit(&actor(&[(Role::Administrator, None)])));
        assert!(may_edit(&actor(&[(Role::OfficeStaff, None)])));
        assert!(!may_edit(&actor(&[(Role::OfficeStaff, Some(3))])));
        assert!(!may_edit(&actor(&[
            (Role::Viewer, None),
            (Role::DutyLeader, None)
        ])));
    }

    #[test]
    fn rest_days_are_weekends_and_holidays() {
        let rest: Vec<DayKind> = DayKind::ALL
            .iter()
            .copied()
            .filter(|k| k.is_rest())
            .collect();
        assert_eq!(rest, [DayKind::Weekend, DayKind::Holiday]);
    }

    #[test]
    fn dates_are_read_as_people_write_them_within_the_calendars_years() {
        let d = |s| parse_day("date", s);
        assert_eq!(
            d("2026-10-01").unwrap(),
            NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()
        );
        assert_eq!(
            d("2026/10/1").unwrap(),
            NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()
        );
        assert!(d("2026-13-01").is_err());
        assert!(d("tomorrow").is_err());
        assert!(d("1999-12-31").is_err());
        assert!(check_year("year", 2101).is_err());
        assert_eq!(
            year_bounds(2026).unwrap().1,
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        assert_eq!(
            weekday_name(NaiveDate::from_ymd_opt(2026, 10, 10).unwrap()).zh,
            "星期六"
        );
        assert_eq!(
            weekday_name(NaiveDate::from_ymd_opt(2026, 10, 7).unwrap()).en,
            "Wednesday"
        );
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(check_span(day("2026-01-01"), day("2027-02-04")).is_ok());
        assert!(check_span(day("2026-01-01"), day("2027-02-05")).is_err());
        assert!(check_span(day("2026-01-02"), day("2026-01-01")).is_err());
    }
}
