//! What a swap or substitution would do to the people it moves: put someone on duty in two places at once,
//! or on one shift straight after another with no rest between. Found before the change is applied, so
//! whoever approves it decides knowingly.

use chrono::{DateTime, NaiveDate, Utc};

use crate::i18n::Text;

/// A shift as a clash sees it: its day, when it runs, and its roster's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spell {
    pub day: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub roster: String,
}

/// What a change would do to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clash {
    /// The shift taken overlaps another they hold.
    TwoPlaces {
        person_id: i64,
        day: NaiveDate,
        elsewhere: String,
    },
    /// The shift taken begins as another of theirs ends, or ends as one begins.
    NoRest {
        person_id: i64,
        day: NaiveDate,
        other_day: NaiveDate,
        elsewhere: String,
    },
}

/// The clashes of `person` taking `taking` while holding `held` (their other shifts; those the change
/// takes from them left out).
pub fn clashes(person_id: i64, taking: &Spell, held: &[Spell]) -> Vec<Clash> {
    held.iter()
        .filter_map(|h| {
            if h.start < taking.end && taking.start < h.end {
                Some(Clash::TwoPlaces {
                    person_id,
                    day: taking.day,
                    elsewhere: h.roster.clone(),
                })
            } else if h.end == taking.start || h.start == taking.end {
                Some(Clash::NoRest {
                    person_id,
                    day: taking.day,
                    other_day: h.day,
                    elsewhere: h.roster.clone(),
                })
            } else {
                None
            }
        })
        .collect()
}

impl Clash {
    /// The clash in words; `name` gives a person's name.
    pub fn describe(&self, name: &dyn Fn(i64) -> String) -> Text {
        match self {
            Clash::TwoPlaces {
                person_id,
                day,
                elsewhere,
            } => {
                let who = name(*person_id);
                Text::new(
                    format!("{who} 将在 {day} 同时在“{elsewhere}”值班"),
                    format!("{who} would also be on duty in “{elsewhere}” on {day}"),
                )
            }
            Clash::NoRest {
                person_id,
                day,
                other_day,
                elsewhere,
            } => {
                let who = name(*person_id);
                Text::new(
                    format!(
                        "{who} 将连续值班：{day} 的班次与其 {other_day} 在“{elsewhere}”的班次紧接，中间没有休息"
                    ),
                    format!(
                        "{who} would get no rest: the shift on {day} runs on from or into their shift on {other_day} in “{elsewhere}”"
                    ),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::Duration;

    use super::*;

    fn day(i: i64, roster: &str) -> Spell {
        let t0 = DateTime::parse_from_rfc3339("2026-12-01T00:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        Spell {
            day: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() + Duration::days(i),
            start: t0 + Duration::days(i),
            end: t0 + Duration::days(i + 1),
            roster: roster.into(),
        }
    }

    #[test]
    fn a_shift_next_to_or_over_another_clashes_and_one_with_a_day_between_does_not() {
        let taking = day(5, "总值班");
        let found = clashes(
            7,
            &taking,
            &[day(4, "总值班"), day(6, "总值班"), day(8, "总值班")],
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(matches!(found[0], Clash::NoRest { other_day, .. } if other_day == day(4, "").day));
        let mut over = day(5, "建设局");
        over.start += Duration::hours(6);
        assert_eq!(
            clashes(7, &taking, &[over]),
            vec![Clash::TwoPlaces {
                person_id: 7,
                day: taking.day,
                elsewhere: "建设局".into()
            }]
        );
        assert!(clashes(7, &taking, &[day(3, "总值班"), day(7, "总值班")]).is_empty());
        let name = |_| "李俊".to_string();
        assert_eq!(
            found[1].describe(&name).zh,
            "李俊 将连续值班：2026-12-06 的班次与其 2026-12-07 在“总值班”的班次紧接，中间没有休息"
        );
    }
}
