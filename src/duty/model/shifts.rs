//! When shifts begin and end: a roster's pattern (the times of day its shifts change, in the office's zone)
//! turned into instants. Each shift ends where the next one begins, so a day in a zone that changes its
//! clocks has no missing and no doubled hour: the 24-hour shift across the change lasts 23 or 25 hours.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::ServiceError;

/// The times of day a roster's shifts change, earliest first: `08:30` is one 24-hour shift a day,
/// `08:30 20:30` a day shift and a night shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    starts: Vec<NaiveTime>,
}

impl Pattern {
    /// Reads `HH:MM` times separated by spaces or commas: one to four, at least two hours apart.
    pub fn parse(text: &str) -> Result<Pattern, ServiceError> {
        let bad = || {
            ServiceError::invalid(
                "shift_starts",
                "交接班时间应为 1–4 个“时:分”（如 08:30 或 08:30 20:30），间隔至少 2 小时",
                "Give 1–4 changeover times as HH:MM (e.g. 08:30, or 08:30 20:30), at least 2 hours apart",
            )
        };
        let mut starts = Vec::new();
        for part in text.split([' ', ',', '，', ';']).filter(|p| !p.is_empty()) {
            starts.push(NaiveTime::parse_from_str(part.trim(), "%H:%M").map_err(|_| bad())?);
        }
        starts.sort();
        if starts.is_empty() || starts.len() > 4 {
            return Err(bad());
        }
        let apart = |a: NaiveTime, b: NaiveTime| (b - a) >= Duration::hours(2);
        let wraps = (starts[0] - starts[starts.len() - 1]) + Duration::hours(24);
        if starts.windows(2).any(|w| !apart(w[0], w[1]))
            || (starts.len() > 1 && wraps < Duration::hours(2))
        {
            return Err(bad());
        }
        Ok(Pattern { starts })
    }

    /// One 24-hour shift from 08:30, the usual duty-room day.
    pub fn daily() -> Pattern {
        Pattern {
            starts: vec![NaiveTime::from_hms_opt(8, 30, 0).unwrap_or(NaiveTime::MIN)],
        }
    }

    /// How many shifts a day has.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Always false: a pattern has at least one shift.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The pattern as stored and shown (`08:30 20:30`).
    pub fn text(&self) -> String {
        self.starts
            .iter()
            .map(|t| t.format("%H:%M").to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether a shift lasts a whole day (the rest rule forbids two of them in a row).
    pub fn is_24_hour(&self) -> bool {
        self.starts.len() == 1
    }

    /// The start of shift `no` (0-based) of `day` and its end (the start of the next shift), as instants.
    pub fn bounds(&self, day: NaiveDate, no: usize, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let no = no.min(self.starts.len() - 1);
        let start = local_instant(day, self.starts[no], tz);
        let end = match self.starts.get(no + 1) {
            Some(t) => local_instant(day, *t, tz),
            None => local_instant(day.succ_opt().unwrap_or(day), self.starts[0], tz),
        };
        (start, end)
    }

    /// The shift (day and number) that holds `at`.
    pub fn shift_at(&self, at: DateTime<Utc>, tz: Tz) -> (NaiveDate, usize) {
        let local = at.with_timezone(&tz).date_naive();
        for day in [local, local.pred_opt().unwrap_or(local)] {
            for no in (0..self.starts.len()).rev() {
                let (start, end) = self.bounds(day, no, tz);
                if start <= at && at < end {
                    return (day, no);
                }
            }
        }
        (local, 0)
    }

    /// A shift's name: 24小时班 for a one-shift day, 白班/夜班 for two, 第 N 班 otherwise.
    pub fn shift_name(&self, no: usize, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang::{En, Zh};
        match (self.starts.len(), no, lang) {
            (1, _, Zh) => "24小时班".into(),
            (1, _, En) => "24-hour".into(),
            (2, 0, Zh) => "白班".into(),
            (2, 0, En) => "Day".into(),
            (2, _, Zh) => "夜班".into(),
            (2, _, En) => "Night".into(),
            (_, n, Zh) => format!("第{}班", n + 1),
            (_, n, En) => format!("Shift {}", n + 1),
        }
    }
}

/// The instant a wall-clock time of a day happens in `tz`: the earlier one when the clocks go back, and
/// when they go forward over it, the moment they land (02:30 on a spring-forward night is 03:00).
pub fn local_instant(day: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let naive = day.and_time(time);
    if let Some(t) = tz.from_local_datetime(&naive).earliest() {
        return t.with_timezone(&Utc);
    }
    // In a gap: the first minute that exists after it.
    let mut probe = naive;
    for _ in 0..(4 * 60) {
        probe += Duration::minutes(1);
        if let Some(t) = tz.from_local_datetime(&probe).earliest() {
            return t.with_timezone(&Utc);
        }
    }
    Utc.from_utc_datetime(&naive)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn patterns_are_read_sorted_and_checked() {
        assert_eq!(
            Pattern::parse("20:30, 08:30").unwrap().text(),
            "08:30 20:30"
        );
        assert!(Pattern::parse("08:30").unwrap().is_24_hour());
        for bad in [
            "",
            "8.30",
            "08:30 09:00",
            "25:00",
            "00:30 23:00",
            "1:00 5:00 9:00 13:00 17:00",
        ] {
            assert!(Pattern::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shifts_follow_each_other_without_gap_or_overlap_in_shanghai() {
        let p = Pattern::parse("08:30 20:30").unwrap();
        let tz = chrono_tz::Asia::Shanghai;
        let (s0, e0) = p.bounds(d(2026, 12, 1), 0, tz);
        let (s1, e1) = p.bounds(d(2026, 12, 1), 1, tz);
        let (s2, _) = p.bounds(d(2026, 12, 2), 0, tz);
        assert_eq!(s0.to_rfc3339(), "2026-12-01T00:30:00+00:00");
        assert_eq!((e0, e1), (s1, s2));
        assert_eq!(e0 - s0, Duration::hours(12));
    }

    /// Across both clock changes of New York (2026-03-08 and 2026-11-01), every 24-hour shift ends where
    /// the next begins: no missing and no doubled hour.
    #[test]
    fn daylight_saving_changes_leave_no_gap_or_doubled_hour() {
        let tz = chrono_tz::America::New_York;
        for text in ["08:30", "02:30", "01:30 13:30"] {
            let p = Pattern::parse(text).unwrap();
            let mut day = d(2026, 3, 5);
            let mut previous_end = None;
            let mut covered = Duration::zero();
            while day < d(2026, 11, 5) {
                for no in 0..p.len() {
                    let (start, end) = p.bounds(day, no, tz);
                    if let Some(prev) = previous_end {
                        assert_eq!(prev, start, "{text} {day} {no}");
                    }
                    assert!(end > start);
                    covered += end - start;
                    previous_end = Some(end);
                }
                day = day.succ_opt().unwrap();
            }
            let first = p.bounds(d(2026, 3, 5), 0, tz).0;
            assert_eq!(covered, previous_end.unwrap() - first, "{text}");
        }
        let p = Pattern::parse("08:30").unwrap();
        let spring = p.bounds(d(2026, 3, 7), 0, tz);
        assert_eq!(spring.1 - spring.0, Duration::hours(23));
        let autumn = p.bounds(d(2026, 10, 31), 0, tz);
        assert_eq!(autumn.1 - autumn.0, Duration::hours(25));
        // 02:30 does not exist on 8 March: that shift starts when the clocks land at 03:00.
        let gap = Pattern::parse("02:30")
            .unwrap()
            .bounds(d(2026, 3, 8), 0, tz)
            .0;
        assert_eq!(gap.with_timezone(&tz).format("%H:%M").to_string(), "03:00");
    }

    #[test]
    fn the_shift_holding_an_instant_is_found_around_midnight_and_changeover() {
        let p = Pattern::parse("08:30 20:30").unwrap();
        let tz = chrono_tz::Asia::Shanghai;
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            p.shift_at(at("2026-12-02T03:00:00+08:00"), tz),
            (d(2026, 12, 1), 1)
        );
        assert_eq!(
            p.shift_at(at("2026-12-02T08:30:00+08:00"), tz),
            (d(2026, 12, 2), 0)
        );
        assert_eq!(
            p.shift_at(at("2026-12-02T08:29:59+08:00"), tz),
            (d(2026, 12, 1), 1)
        );
        let one = Pattern::parse("08:30").unwrap();
        assert_eq!(
            one.shift_at(at("2026-12-02T07:00:00+08:00"), tz),
            (d(2026, 12, 1), 0)
        );
    }
}
