//! The `STANDBY_*` variables, with the checks every section uses (whole numbers in a range, lists of days,
//! six-field schedules), so that each area reads its own section and a bad value names its variable.

use std::collections::HashMap;

use super::{err, ConfigError};
use crate::cron::CronSpec;

/// The service's environment.
#[derive(Clone, Default)]
pub struct Vars(HashMap<String, String>);

impl std::fmt::Debug for Vars {
    /// Names only: values may hold passwords (an SMTP URL, the secret).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self.0.keys().map(String::as_str).collect();
        names.sort_unstable();
        write!(f, "Vars({})", names.join(", "))
    }
}

impl Vars {
    /// The variables given.
    pub fn new(vars: HashMap<String, String>) -> Vars {
        Vars(vars)
    }

    /// A variable's trimmed value; absent when unset or blank.
    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// A whole number within `range`, or `default` when the variable is not set.
    pub fn number(
        &self,
        name: &'static str,
        default: i64,
        range: std::ops::RangeInclusive<i64>,
    ) -> Result<i64, ConfigError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => match v.parse::<i64>() {
                Ok(n) if range.contains(&n) => Ok(n),
                _ => Err(err(
                    name,
                    format!(
                        "`{v}` is not a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                )),
            },
        }
    }

    /// Lead times such as `90,30,7`: distinct whole days from 0 to 3650, kept largest first.
    pub fn days(&self, name: &'static str, default: &[i64]) -> Result<Vec<i64>, ConfigError> {
        let Some(v) = self.get(name) else {
            return Ok(default.to_vec());
        };
        let mut days = Vec::new();
        for part in v.split(',') {
            match part.trim().parse::<i64>() {
                Ok(n) if (0..=3650).contains(&n) => days.push(n),
                _ => {
                    return Err(err(
                        name,
                        format!("`{v}` is not a list of days such as 90,30,7"),
                    ))
                }
            }
        }
        days.sort_unstable_by(|a, b| b.cmp(a));
        days.dedup();
        Ok(days)
    }

    /// A job's six-field schedule (office time); `None` when the variable is set empty or to `off`.
    pub fn schedule(
        &self,
        name: &'static str,
        default: &str,
    ) -> Result<Option<CronSpec>, ConfigError> {
        match self.0.get(name).map(|v| v.trim()) {
            Some("" | "off") => Ok(None),
            v => CronSpec::parse(v.unwrap_or(default))
                .map(Some)
                .map_err(|p| err(name, p)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vars {
        Vars::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn each_check_names_its_variable_and_keeps_the_default_when_unset() {
        let v = vars(&[
            ("STANDBY_A", "0"),
            ("STANDBY_DAYS", "7, 60,30,7"),
            ("STANDBY_BAD_DAYS", "90,thirty"),
            ("STANDBY_JOB_X", "* * * * *"),
            ("STANDBY_JOB_OFF", "off"),
            ("STANDBY_JOB_EMPTY", ""),
            ("STANDBY_JOB_HOUR", "0 0 25 * * *"),
        ]);
        assert_eq!(
            v.number("STANDBY_A", 5, 1..=9).unwrap_err().variable,
            "STANDBY_A"
        );
        assert_eq!(v.number("STANDBY_UNSET", 5, 1..=9).unwrap(), 5);
        assert_eq!(v.days("STANDBY_DAYS", &[90]).unwrap(), [60, 30, 7]);
        assert_eq!(v.days("STANDBY_UNSET", &[90, 30, 7]).unwrap(), [90, 30, 7]);
        assert!(v.days("STANDBY_BAD_DAYS", &[]).is_err());
        let five = v.schedule("STANDBY_JOB_X", "0 * * * * *").unwrap_err();
        assert!(five.problem.contains("six fields"), "{five}");
        assert!(
            v.schedule("STANDBY_JOB_HOUR", "0 * * * * *").is_err(),
            "no 25th hour"
        );
        assert!(v
            .schedule("STANDBY_JOB_OFF", "0 * * * * *")
            .unwrap()
            .is_none());
        assert!(v
            .schedule("STANDBY_JOB_EMPTY", "0 * * * * *")
            .unwrap()
            .is_none());
        assert!(v
            .schedule("STANDBY_UNSET", "0 0 8 * * *")
            .unwrap()
            .is_some());
    }
}
