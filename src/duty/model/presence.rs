//! Presence checks (查岗): the limit to confirm, and the unannounced checks (随机查岗) a roster plans on each
//! shift. Their times are drawn from a key derived from the server's secret and the shift, so the people on
//! duty cannot predict them while every instance and every rerun agree on them and nothing is stored ahead:
//! never in the first or last 30 minutes of a shift (nor so late that the limit would outrun it), at least an
//! hour apart, on whole minutes.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use crate::error::ServiceError;

/// No unannounced check in the first or the last this many minutes of a shift (the changeover).
pub const CHECK_MARGIN_MINUTES: i64 = 30;
/// The unannounced checks of one shift are at least this many minutes apart.
pub const CHECK_SPACING_MINUTES: i64 = 60;
/// A planned check that no instance asked within this many minutes of its time (nothing ran) is let go:
/// asked much later, it would no longer be the time that was drawn.
pub const CHECK_LATE_MINUTES: i64 = 10;
/// At most this many unannounced checks per shift.
pub const MAX_CHECKS: i64 = 3;

/// The minutes allowed to confirm a presence check: 5–120.
pub fn confirm_minutes(minutes: i64) -> Result<i64, ServiceError> {
    if (5..=120).contains(&minutes) {
        Ok(minutes)
    } else {
        Err(ServiceError::invalid(
            "minutes",
            "确认时限应为 5–120 分钟",
            "Allow 5–120 minutes to confirm",
        ))
    }
}

/// A roster's unannounced presence checks: how many per shift, and the minutes to confirm each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresencePlan {
    /// 0 (none) to 3.
    pub checks: u8,
    /// 5–120.
    pub minutes: u8,
}

impl Default for PresencePlan {
    /// No unannounced checks; 15 minutes to confirm, as when asked by hand.
    fn default() -> PresencePlan {
        PresencePlan {
            checks: 0,
            minutes: 15,
        }
    }
}

impl PresencePlan {
    /// Checks the numbers of a roster form: 0–3 checks per shift, 5–120 minutes to confirm.
    pub fn parse(checks: i64, minutes: i64) -> Result<PresencePlan, ServiceError> {
        if !(0..=MAX_CHECKS).contains(&checks) {
            return Err(ServiceError::invalid(
                "presence_checks",
                "每班随机查岗次数应为 0–3",
                "Unannounced checks per shift: 0–3",
            ));
        }
        let minutes = confirm_minutes(minutes).map_err(|_| {
            ServiceError::invalid(
                "presence_minutes",
                "随机查岗的确认时限应为 5–120 分钟",
                "Allow 5–120 minutes to confirm an unannounced check",
            )
        })?;
        Ok(PresencePlan {
            checks: checks as u8,
            minutes: minutes as u8,
        })
    }

    /// The plan as stored (`checks`, `minutes`), each clamped into its range.
    pub fn from_columns(checks: i32, minutes: i32) -> PresencePlan {
        PresencePlan {
            checks: checks.clamp(0, MAX_CHECKS as i32) as u8,
            minutes: minutes.clamp(5, 120) as u8,
        }
    }
}

/// The key the times are drawn with, derived from the server's secret (the same on every instance).
#[derive(Clone)]
pub struct CheckKey([u8; 32]);

impl std::fmt::Debug for CheckKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CheckKey(…)")
    }
}

impl CheckKey {
    /// The key of a server secret (its own use of it: nothing else derived from the secret reveals it).
    pub fn from_secret(secret: &str) -> CheckKey {
        CheckKey(
            Sha256::new()
                .chain_update(b"standby: unannounced duty presence checks\0")
                .chain_update(secret.as_bytes())
                .finalize()
                .into(),
        )
    }
}

/// When the unannounced checks of a shift fall: up to `plan.checks` times, in order, on whole minutes,
/// from 30 minutes after the start to 30 minutes (or the limit, if longer) before the end, at least an hour
/// apart. A shift too short for all of them gets as many as fit; one shorter than the margins gets none.
pub fn check_times(
    key: &CheckKey,
    shift: i64,
    (starts, ends): (DateTime<Utc>, DateTime<Utc>),
    plan: PresencePlan,
) -> Vec<DateTime<Utc>> {
    let first = starts + Duration::minutes(CHECK_MARGIN_MINUTES);
    let last = ends - Duration::minutes(CHECK_MARGIN_MINUTES.max(i64::from(plan.minutes)));
    let window = (last - first).num_minutes();
    if plan.checks == 0 || window < 0 {
        return Vec::new();
    }
    let n = i64::from(plan.checks).min(window / CHECK_SPACING_MINUTES + 1);
    // Sorted uniform draws in what the spacing leaves free, each then moved up by the spacing before it:
    // every arrangement that keeps the spacing is as likely as any other.
    let free = (window - (n - 1) * CHECK_SPACING_MINUTES) as u64;
    let digest: [u8; 32] = Sha256::new()
        .chain_update(key.0)
        .chain_update(shift.to_be_bytes())
        .chain_update(starts.timestamp().to_be_bytes())
        .chain_update(ends.timestamp().to_be_bytes())
        .finalize()
        .into();
    let mut draws: Vec<i64> = digest
        .chunks_exact(8)
        .take(n as usize)
        .map(|c| {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            (u64::from_be_bytes(b) % (free + 1)) as i64
        })
        .collect();
    draws.sort_unstable();
    draws
        .iter()
        .zip(0..)
        .map(|(d, i)| first + Duration::minutes(d + i * CHECK_SPACING_MINUTES))
        .collect()
}

/// The planned times to ask at `now`: reached, at most 10 minutes ago, and leaving the whole limit of
/// `minutes` inside the shift that ends at `ends`.
pub fn checks_due(
    times: &[DateTime<Utc>],
    now: DateTime<Utc>,
    ends: DateTime<Utc>,
    minutes: i64,
) -> Vec<DateTime<Utc>> {
    times
        .iter()
        .copied()
        .filter(|t| {
            *t <= now
                && now - *t < Duration::minutes(CHECK_LATE_MINUTES)
                && now + Duration::minutes(minutes) <= ends
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::{TimeZone, Timelike};
    use proptest::prelude::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap()
    }

    fn plan(checks: u8, minutes: u8) -> PresencePlan {
        PresencePlan { checks, minutes }
    }

    fn day_shift() -> (DateTime<Utc>, DateTime<Utc>) {
        (at(0, 30), at(0, 30) + Duration::hours(24))
    }

    #[test]
    fn a_roster_plans_zero_to_three_checks_with_five_to_a_hundred_and_twenty_minutes() {
        assert_eq!(PresencePlan::parse(3, 120).unwrap(), plan(3, 120));
        assert_eq!(PresencePlan::parse(0, 5).unwrap(), plan(0, 5));
        let field = |e: ServiceError| match e {
            ServiceError::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(PresencePlan::parse(4, 15).unwrap_err()),
            "presence_checks"
        );
        assert_eq!(
            field(PresencePlan::parse(-1, 15).unwrap_err()),
            "presence_checks"
        );
        assert_eq!(
            field(PresencePlan::parse(1, 4).unwrap_err()),
            "presence_minutes"
        );
        assert_eq!(
            field(PresencePlan::parse(1, 121).unwrap_err()),
            "presence_minutes"
        );
        assert_eq!(field(confirm_minutes(1).unwrap_err()), "minutes");
        assert_eq!(PresencePlan::default(), plan(0, 15));
    }

    #[test]
    fn a_roster_without_checks_plans_none() {
        let key = CheckKey::from_secret("s");
        assert!(check_times(&key, 1, day_shift(), plan(0, 15)).is_empty());
    }

    #[test]
    fn the_times_are_the_same_on_every_instance_and_every_rerun() {
        let key = CheckKey::from_secret("the-secret");
        let again = CheckKey::from_secret("the-secret");
        let times = check_times(&key, 42, day_shift(), plan(3, 15));
        assert_eq!(times.len(), 3);
        assert_eq!(times, check_times(&again, 42, day_shift(), plan(3, 15)));
    }

    #[test]
    fn another_secret_or_another_shift_gives_other_times() {
        let key = CheckKey::from_secret("the-secret");
        let other = CheckKey::from_secret("another-secret");
        let times = check_times(&key, 42, day_shift(), plan(3, 15));
        assert_ne!(times, check_times(&other, 42, day_shift(), plan(3, 15)));
        let firsts: std::collections::BTreeSet<_> = (1..=50)
            .map(|shift| check_times(&key, shift, day_shift(), plan(1, 15))[0])
            .collect();
        assert!(
            firsts.len() > 40,
            "50 shifts, {} distinct times",
            firsts.len()
        );
    }

    #[test]
    fn the_times_spread_over_the_whole_shift() {
        let key = CheckKey::from_secret("spread");
        let (starts, ends) = day_shift();
        let firsts: Vec<i64> = (1..=400)
            .map(|shift| {
                (check_times(&key, shift, (starts, ends), plan(1, 15))[0] - starts).num_hours()
            })
            .collect();
        // Every hour of the shift but the margins' sees some first check.
        for hour in 1..23 {
            assert!(firsts.contains(&hour), "no check in hour {hour}");
        }
    }

    #[test]
    fn a_short_shift_gets_as_many_checks_as_fit_and_one_shorter_than_the_margins_none() {
        let key = CheckKey::from_secret("short");
        let two_hours = (at(8, 0), at(10, 0));
        assert_eq!(
            check_times(&key, 7, two_hours, plan(3, 15)),
            vec![at(8, 30), at(9, 30)],
            "the only two times that keep the margins and the spacing"
        );
        assert!(check_times(&key, 7, (at(8, 0), at(8, 59)), plan(1, 15)).is_empty());
        assert_eq!(
            check_times(&key, 7, (at(8, 0), at(9, 0)), plan(1, 15)),
            vec![at(8, 30)]
        );
    }

    #[test]
    fn a_long_limit_keeps_the_last_check_that_far_from_the_end() {
        let key = CheckKey::from_secret("limit");
        // Two and a half hours with 120 minutes to confirm: only 08:30 keeps both the margin and the limit.
        assert_eq!(
            check_times(&key, 3, (at(8, 0), at(10, 30)), plan(2, 120)),
            vec![at(8, 30)]
        );
        for t in check_times(&key, 3, (at(8, 0), at(20, 0)), plan(3, 120)) {
            assert!(t <= at(18, 0), "{t}");
        }
    }

    #[test]
    fn a_check_is_asked_from_its_minute_for_ten_minutes_and_only_with_the_limit_inside_the_shift() {
        let t = at(12, 0);
        let ends = at(20, 30);
        assert!(checks_due(&[t], at(11, 59), ends, 15).is_empty());
        assert_eq!(checks_due(&[t], t, ends, 15), vec![t]);
        assert_eq!(checks_due(&[t], at(12, 9), ends, 15), vec![t]);
        assert!(checks_due(&[t], at(12, 10), ends, 15).is_empty(), "let go");
        assert!(
            checks_due(&[t], at(12, 5), at(12, 19), 15).is_empty(),
            "the limit outruns the shift"
        );
    }

    proptest! {
        #[test]
        fn checks_keep_the_margins_the_spacing_and_the_count(
            shift in 1i64..1_000_000,
            start_min in 0i64..525_600,
            length_min in 0i64..(26 * 60),
            checks in 0u8..=3,
            minutes in 5u8..=120,
            secret in "[a-z]{8,40}",
        ) {
            let starts = at(0, 0) + Duration::minutes(start_min);
            let ends = starts + Duration::minutes(length_min);
            let times = check_times(&CheckKey::from_secret(&secret), shift, (starts, ends), plan(checks, minutes));
            prop_assert!(times.len() <= usize::from(checks));
            let tail = CHECK_MARGIN_MINUTES.max(i64::from(minutes));
            let room = length_min - CHECK_MARGIN_MINUTES - tail;
            if room >= 0 {
                let fit = (room / CHECK_SPACING_MINUTES + 1) as usize;
                prop_assert_eq!(times.len(), usize::from(checks).min(fit));
            } else {
                prop_assert!(times.is_empty());
            }
            for t in &times {
                prop_assert!(*t >= starts + Duration::minutes(CHECK_MARGIN_MINUTES));
                prop_assert!(*t <= ends - Duration::minutes(tail));
                prop_assert_eq!(t.second(), 0);
            }
            for w in times.windows(2) {
                prop_assert!(w[1] - w[0] >= Duration::minutes(CHECK_SPACING_MINUTES));
            }
        }
    }
}
