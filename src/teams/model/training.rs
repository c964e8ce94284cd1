//! Training: a session as recorded, hours as people write and read them, and the days of a year.

use chrono::NaiveDate;

use super::Attendance;
use crate::error::ServiceError;
use crate::org::model::{optional_text, required_text};

/// A training session with its attendance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingInput {
    pub held_on: NaiveDate,
    pub minutes: i32,
    pub subject: String,
    pub trainer: String,
    pub place: String,
    pub attendance: Vec<(i64, Attendance)>,
}

impl TrainingInput {
    /// Checks a session held by `today` and within the last year: hours written as a decimal (`2.5`) of at most 24, a subject, each
    /// member once.
    pub fn parse(
        held_on: NaiveDate,
        (hours, subject, trainer, place): (&str, &str, &str, &str),
        mut attendance: Vec<(i64, Attendance)>,
        today: NaiveDate,
    ) -> Result<TrainingInput, ServiceError> {
        if held_on > today {
            return Err(ServiceError::invalid(
                "held_on",
                "训练日期不能晚于今天（登记的是已经进行的训练）",
                "The date cannot be later than today (a session is recorded once held)",
            ));
        }
        if (today - held_on).num_days() > 366 {
            return Err(ServiceError::invalid(
                "held_on",
                "训练日期早于一年前，请检查年份",
                "The date is more than a year ago; check the year",
            ));
        }
        attendance.sort_by_key(|(p, _)| *p);
        if attendance.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(ServiceError::invalid(
                "attendance",
                "同一人员只能登记一次出勤",
                "Each member is listed once",
            ));
        }
        Ok(TrainingInput {
            held_on,
            minutes: minutes_of(hours)?,
            subject: required_text("subject", subject, 100)?,
            trainer: optional_text("trainer", trainer, 60)?,
            place: optional_text("place", place, 100)?,
            attendance,
        })
    }
}

/// The first and last day of `year`.
pub fn year_span(year: i32) -> Result<(NaiveDate, NaiveDate), ServiceError> {
    let bad = || ServiceError::invalid("year", "年份应在 2000–2100 之间", "The year is 2000–2100");
    if !(2000..=2100).contains(&year) {
        return Err(bad());
    }
    Ok((
        NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(bad)?,
        NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(bad)?,
    ))
}

/// Hours as people write them (`2`, `1.5`, `0.25`) in whole minutes, more than 0 and at most 24 hours.
pub fn minutes_of(hours: &str) -> Result<i32, ServiceError> {
    let bad = || {
        ServiceError::invalid(
            "hours",
            "学时应大于 0、不超过 24，例如 2 或 1.5",
            "Hours are a number above 0 and at most 24, e.g. 2 or 1.5",
        )
    };
    let v = hours.trim();
    if v.is_empty() || v.len() > 8 || !v.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(bad());
    }
    let h: f64 = v.parse().map_err(|_| bad())?;
    let minutes = (h * 60.0).round();
    if !(1.0..=1440.0).contains(&minutes) {
        return Err(bad());
    }
    Ok(minutes as i32)
}

/// Minutes as hours for people to read: `90` → `1.5`.
pub fn hours_of(minutes: i64) -> String {
    let h = minutes as f64 / 60.0;
    let s = format!("{h:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_recorded_once_held() {
        let day = |s: &str| -> NaiveDate { s.parse().unwrap() };
        let today = day("2026-11-30");
        let training =
            |held| TrainingInput::parse(day(held), ("2", "水上救援", "", ""), vec![], today);
        assert!(training("2026-11-30").is_ok());
        assert!(
            training("2027-05-01").is_err(),
            "not held yet: a mistyped year"
        );
        let twice = TrainingInput::parse(
            today,
            ("2", "水上救援", "", ""),
            vec![(1, Attendance::Present), (1, Attendance::Absent)],
            today,
        );
        assert!(twice.is_err(), "each member once");
    }

    #[test]
    fn hours_are_decimals_of_at_most_a_day() {
        assert_eq!(minutes_of("2").unwrap(), 120);
        assert_eq!(minutes_of(" 1.5 ").unwrap(), 90);
        for bad in ["", "0", "-1", "25", "1,5", "two", "1e2", "nan"] {
            assert!(minutes_of(bad).is_err(), "{bad}");
        }
        assert_eq!(hours_of(90), "1.5");
        assert_eq!(hours_of(120), "2");
        assert_eq!(hours_of(20), "0.33");
    }
}
