//! Sign-in throttling: failed attempts per account and per address within a sliding window.

use chrono::{DateTime, Duration, Utc};

use crate::error::ServiceError;

/// Limits on failed sign-ins.
#[derive(Debug, Clone, Copy)]
pub struct Throttle {
    /// Failures allowed per username within the window.
    pub per_account: i64,
    /// Failures allowed per client address within the window.
    pub per_address: i64,
    /// The sliding window.
    pub window: Duration,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle {
            per_account: 5,
            per_address: 20,
            window: Duration::minutes(15),
        }
    }
}

/// Recent failures for one attempt's username and address.
#[derive(Debug, Clone, Copy)]
pub struct Failures {
    /// Failures for the username within the window.
    pub account: i64,
    /// Oldest of those.
    pub account_oldest: Option<DateTime<Utc>>,
    /// Failures from the address within the window.
    pub address: i64,
    /// Oldest of those.
    pub address_oldest: Option<DateTime<Utc>>,
}

impl Throttle {
    /// The start of the window at `now`.
    pub fn since(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window
    }

    /// Refuses the attempt when either limit is reached, saying when the oldest failure leaves the window.
    pub fn check(&self, f: &Failures, now: DateTime<Utc>) -> Result<(), ServiceError> {
        let blocked = |count: i64, limit: i64, oldest: Option<DateTime<Utc>>| {
            (count >= limit).then(|| {
                oldest.map_or(self.window.num_seconds(), |o| {
                    (o + self.window - now).num_seconds().max(1)
                })
            })
        };
        let wait = [
            blocked(f.account, self.per_account, f.account_oldest),
            blocked(f.address, self.per_address, f.address_oldest),
        ]
        .into_iter()
        .flatten()
        .max();
        match wait {
            Some(retry_after_secs) => Err(ServiceError::TooManyAttempts { retry_after_secs }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(min: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + min * 60, 0).unwrap()
    }

    #[test]
    fn the_fifth_failure_for_an_account_blocks_until_the_oldest_leaves_the_window() {
        let t = Throttle::default();
        let four = Failures {
            account: 4,
            account_oldest: Some(at(0)),
            address: 4,
            address_oldest: Some(at(0)),
        };
        assert!(t.check(&four, at(5)).is_ok());
        let five = Failures { account: 5, ..four };
        match t.check(&five, at(5)) {
            Err(ServiceError::TooManyAttempts { retry_after_secs }) => {
                assert_eq!(retry_after_secs, 10 * 60)
            }
            other => panic!("expected a block, got {other:?}"),
        }
    }

    #[test]
    fn one_address_trying_many_accounts_is_blocked_too() {
        let t = Throttle::default();
        let f = Failures {
            account: 1,
            account_oldest: Some(at(0)),
            address: 20,
            address_oldest: Some(at(0)),
        };
        assert!(t.check(&f, at(1)).is_err());
    }
}
