//! Six-field cron schedules (seconds first) in the office's time zone, and the tick a run belongs to.

use chrono::{DateTime, Utc};
use croner::parser::{CronParser, Seconds};
use croner::Cron;

/// A six-field cron schedule (seconds first), checked when the settings are read.
#[derive(Clone)]
pub struct CronSpec {
    text: String,
    cron: Cron,
}

impl std::fmt::Debug for CronSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CronSpec({})", self.text)
    }
}

impl CronSpec {
    /// Parses `sec min hour day month weekday`; day-of-month and weekday must both match when both are given.
    pub fn parse(text: &str) -> Result<CronSpec, String> {
        if text.split_whitespace().count() < 6 {
            return Err(format!(
                "`{text}` needs six fields, seconds first (e.g. `0 0 8 * * *` for 08:00 every day)"
            ));
        }
        let cron = parser()
            .parse(text)
            .map_err(|e| format!("`{text}` is not a cron schedule: {e}"))?;
        Ok(CronSpec {
            text: text.to_string(),
            cron,
        })
    }

    /// The schedule as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The tick a run at `now` belongs to: the latest scheduled instant at or before `now` (office time).
    /// Every instance that fires for the same tick names the same slot.
    pub fn slot(&self, now: DateTime<Utc>, tz: chrono_tz::Tz) -> DateTime<Utc> {
        use chrono::SubsecRound;
        // Whole seconds: croner matches a time by its fields, so 08:00:00.4 would be its own slot.
        let now = now.trunc_subsecs(0);
        self.cron
            .find_previous_occurrence(&now.with_timezone(&tz), true)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now)
    }
}

fn parser() -> CronParser {
    // The same settings tokio-cron-scheduler parses with, so a schedule accepted here runs there.
    CronParser::builder()
        .seconds(Seconds::Required)
        .dom_and_dow(true)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn five_field_schedules_are_refused_with_the_reason() {
        let e = CronSpec::parse("30 8 * * *").unwrap_err();
        assert!(e.contains("six fields"), "{e}");
        assert!(CronSpec::parse("0 0 8 * * *").is_ok());
        assert!(CronSpec::parse("0 61 8 * * *").is_err());
    }

    #[test]
    fn every_instance_firing_for_a_tick_names_the_same_slot_in_office_time() {
        let spec = CronSpec::parse("0 0 8 * * *").unwrap();
        let tz = chrono_tz::Asia::Shanghai;
        // 08:00:00.4 and 08:00:01.9 Beijing time (00:00 UTC) are the same tick.
        let a = Utc.with_ymd_and_hms(2026, 11, 29, 0, 0, 0).unwrap()
            + chrono::Duration::milliseconds(400);
        let b = a + chrono::Duration::milliseconds(1500);
        let slot = Utc.with_ymd_and_hms(2026, 11, 29, 0, 0, 0).unwrap();
        assert_eq!(spec.slot(a, tz), slot);
        assert_eq!(spec.slot(b, tz), slot);
        // A run late in the day still belongs to that morning's tick; the next morning is a new slot.
        assert_eq!(spec.slot(a + chrono::Duration::hours(15), tz), slot);
        assert_eq!(
            spec.slot(a + chrono::Duration::hours(24), tz),
            slot + chrono::Duration::days(1)
        );
    }
}
