//! Hours of training as people write and read them, and the days of a year.

use chrono::NaiveDate;

use crate::error::ServiceError;

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
