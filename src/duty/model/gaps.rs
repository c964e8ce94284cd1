//! Gaps and conflicts ahead: shifts without a leader or short of officers, days not yet rostered, a person
//! in two places at once, a person rostered while on leave, a 24-hour shift right after another.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{DutyRole, Need, People, Place};
use crate::i18n::Lang;

/// A shift as the scan sees it: when, what it needs, who holds it (`None`: not rostered yet).
#[derive(Debug, Clone)]
pub struct Held {
    pub day: NaiveDate,
    pub no: usize,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub need: Need,
    pub places: Option<Vec<Place>>,
}

/// Something wrong ahead.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// No roster covers the day yet.
    NotRostered { day: NaiveDate },
    /// The shift has no leader on duty.
    NoLeader { day: NaiveDate, no: usize },
    /// The shift has fewer officers than it needs.
    ShortOfOfficers {
        day: NaiveDate,
        no: usize,
        have: usize,
        need: usize,
    },
    /// A person is on leave or unavailable on a day they are rostered.
    OnLeave {
        day: NaiveDate,
        no: usize,
        person_id: i64,
    },
    /// A person is on this shift and, at the same time, on another roster's.
    DoubleBooked {
        day: NaiveDate,
        no: usize,
        person_id: i64,
        elsewhere: String,
    },
    /// A person starts a shift straight after finishing one.
    BackToBack {
        day: NaiveDate,
        no: usize,
        person_id: i64,
    },
}

impl Finding {
    /// The day the finding concerns.
    pub fn day(&self) -> NaiveDate {
        match self {
            Finding::NotRostered { day }
            | Finding::NoLeader { day, .. }
            | Finding::ShortOfOfficers { day, .. }
            | Finding::OnLeave { day, .. }
            | Finding::DoubleBooked { day, .. }
            | Finding::BackToBack { day, .. } => *day,
        }
    }

    /// The finding's kind as in the API (`no_leader`, `short_of_officers` …).
    pub fn code(&self) -> &'static str {
        match self {
            Finding::NotRostered { .. } => "not_rostered",
            Finding::NoLeader { .. } => "no_leader",
            Finding::ShortOfOfficers { .. } => "short_of_officers",
            Finding::OnLeave { .. } => "on_leave",
            Finding::DoubleBooked { .. } => "double_booked",
            Finding::BackToBack { .. } => "back_to_back",
        }
    }

    /// Whether the shift would run short (as opposed to a person's conflict).
    pub fn is_gap(&self) -> bool {
        matches!(
            self,
            Finding::NotRostered { .. }
                | Finding::NoLeader { .. }
                | Finding::ShortOfOfficers { .. }
        )
    }

    /// The finding in words; `name` gives a person's name.
    pub fn describe(&self, lang: Lang, name: &dyn Fn(i64) -> String) -> String {
        match (self, lang) {
            (Finding::NotRostered { day }, Lang::Zh) => format!("{day} 尚未排班"),
            (Finding::NotRostered { day }, Lang::En) => format!("{day} is not rostered yet"),
            (Finding::NoLeader { day, .. }, Lang::Zh) => format!("{day} 无带班领导"),
            (Finding::NoLeader { day, .. }, Lang::En) => format!("{day} has no leader on duty"),
            (
                Finding::ShortOfOfficers {
                    day, have, need, ..
                },
                Lang::Zh,
            ) => {
                format!("{day} 值班员 {have}/{need}，缺 {} 人", need - have)
            }
            (
                Finding::ShortOfOfficers {
                    day, have, need, ..
                },
                Lang::En,
            ) => {
                format!("{day} has {have} of {need} duty officers")
            }
            (Finding::OnLeave { day, person_id, .. }, Lang::Zh) => {
                format!("{day} {} 在假期中却被排班", name(*person_id))
            }
            (Finding::OnLeave { day, person_id, .. }, Lang::En) => {
                format!("{day} {} is rostered while on leave", name(*person_id))
            }
            (
                Finding::DoubleBooked {
                    day,
                    person_id,
                    elsewhere,
                    ..
                },
                Lang::Zh,
            ) => {
                format!("{day} {} 同时在“{elsewhere}”值班", name(*person_id))
            }
            (
                Finding::DoubleBooked {
                    day,
                    person_id,
                    elsewhere,
                    ..
                },
                Lang::En,
            ) => {
                format!(
                    "{day} {} is also on duty in “{elsewhere}”",
                    name(*person_id)
                )
            }
            (Finding::BackToBack { day, person_id, .. }, Lang::Zh) => {
                format!("{day} {} 连续值班，中间没有休息", name(*person_id))
            }
            (Finding::BackToBack { day, person_id, .. }, Lang::En) => {
                format!(
                    "{day} {} starts straight after their previous shift",
                    name(*person_id)
                )
            }
        }
    }
}

/// The people on `earlier` who are also on `later` with no rest between (it ends as `later` begins, or
/// after).
fn no_rest<'a>(earlier: &'a Held, later: &'a Held) -> impl Iterator<Item = i64> + 'a {
    let on_later = |p: &i64| later.places.iter().flatten().any(|(q, _)| q == p);
    earlier
        .places
        .iter()
        .flatten()
        .map(|(p, _)| *p)
        .filter(move |p| earlier.end >= later.start && on_later(p))
}

/// A 24-hour shift right after another across the edges of a range of shifts (a plan): `before` is the
/// roster's shift of another plan that ends as the range begins, `after` the one that begins as it ends.
/// Found on the later shift of each pair.
pub fn across_edges(shifts: &[Held], before: Option<&Held>, after: Option<&Held>) -> Vec<Finding> {
    let pairs = [before.zip(shifts.first()), shifts.last().zip(after)];
    pairs
        .into_iter()
        .flatten()
        .flat_map(|(earlier, later)| {
            no_rest(earlier, later).map(|person_id| Finding::BackToBack {
                day: later.day,
                no: later.no,
                person_id,
            })
        })
        .collect()
}

/// Another roster's shift a person holds: when, and the roster's name.
pub type Elsewhere = (DateTime<Utc>, DateTime<Utc>, String);

/// Scans `shifts` (in time order): what is short, who is away, who is in two places, who gets no rest
/// (after their previous shift here, or after one elsewhere that ends as this one begins).
pub fn scan(
    shifts: &[Held],
    people: &People,
    elsewhere: &HashMap<i64, Vec<Elsewhere>>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut previous: Option<&Held> = None;
    for s in shifts {
        let Some(places) = &s.places else {
            if s.no == 0 || !out.contains(&Finding::NotRostered { day: s.day }) {
                out.push(Finding::NotRostered { day: s.day });
            }
            previous = Some(s);
            continue;
        };
        let count = |r| places.iter().filter(|(_, role)| *role == r).count();
        if s.need.leaders > 0 && count(DutyRole::Leader) == 0 {
            out.push(Finding::NoLeader {
                day: s.day,
                no: s.no,
            });
        }
        let (have, need) = (count(DutyRole::Officer), s.need.of(DutyRole::Officer));
        if have < need {
            out.push(Finding::ShortOfOfficers {
                day: s.day,
                no: s.no,
                have,
                need,
            });
        }
        for (person, _) in places {
            let person_id = *person;
            if people.is_away(person_id, s.day) {
                out.push(Finding::OnLeave {
                    day: s.day,
                    no: s.no,
                    person_id,
                });
            }
            let theirs = elsewhere.get(&person_id).map_or(&[][..], Vec::as_slice);
            if let Some((_, _, name)) = theirs.iter().find(|(a, b, _)| *a < s.end && s.start < *b) {
                out.push(Finding::DoubleBooked {
                    day: s.day,
                    no: s.no,
                    person_id,
                    elsewhere: name.clone(),
                });
            }
            let after_elsewhere = theirs.iter().any(|(_, b, _)| *b == s.start);
            if after_elsewhere || previous.is_some_and(|p| no_rest(p, s).any(|q| q == person_id)) {
                out.push(Finding::BackToBack {
                    day: s.day,
                    no: s.no,
                    person_id,
                });
            }
        }
        previous = Some(s);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::Duration;

    use super::*;

    fn shifts(places: Vec<Option<Vec<Place>>>) -> Vec<Held> {
        let first = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let t0 = DateTime::parse_from_rfc3339("2026-12-01T00:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        places
            .into_iter()
            .enumerate()
            .map(|(i, places)| Held {
                day: first + Duration::days(i as i64),
                no: 0,
                start: t0 + Duration::days(i as i64),
                end: t0 + Duration::days(i as i64 + 1),
                need: Need {
                    leaders: 1,
                    officers: 2,
                },
                places,
            })
            .collect()
    }

    #[test]
    fn every_kind_of_trouble_is_found_on_its_day() {
        use DutyRole::{Leader, Officer};
        let s = shifts(vec![
            Some(vec![(1, Leader), (10, Officer), (11, Officer)]),
            Some(vec![(10, Officer)]),
            None,
            Some(vec![(2, Leader), (12, Officer), (13, Officer)]),
        ]);
        let mut people = People::default();
        people.away.insert(12, vec![(s[3].day, s[3].day)]);
        let elsewhere = HashMap::from([(
            13,
            vec![(
                s[3].start,
                s[3].start + Duration::hours(2),
                "建设局".to_string(),
            )],
        )]);
        let found = scan(&s, &people, &elsewhere);
        let d = |i: usize| s[i].day;
        assert_eq!(
            found,
            vec![
                Finding::NoLeader { day: d(1), no: 0 },
                Finding::ShortOfOfficers {
                    day: d(1),
                    no: 0,
                    have: 1,
                    need: 2
                },
                Finding::BackToBack {
                    day: d(1),
                    no: 0,
                    person_id: 10
                },
                Finding::NotRostered { day: d(2) },
                Finding::OnLeave {
                    day: d(3),
                    no: 0,
                    person_id: 12
                },
                Finding::DoubleBooked {
                    day: d(3),
                    no: 0,
                    person_id: 13,
                    elsewhere: "建设局".into()
                },
            ]
        );
        let name = |id: i64| format!("#{id}");
        assert_eq!(
            found[1].describe(Lang::Zh, &name),
            "2026-12-02 值班员 1/2，缺 1 人"
        );
        assert!(found[3].is_gap() && !found[4].is_gap());
    }

    #[test]
    fn a_full_roster_with_rest_has_nothing_to_report() {
        use DutyRole::{Leader, Officer};
        let s = shifts(vec![
            Some(vec![(1, Leader), (10, Officer), (11, Officer)]),
            Some(vec![(2, Leader), (12, Officer), (13, Officer)]),
        ]);
        assert!(scan(&s, &People::default(), &HashMap::new()).is_empty());
    }

    #[test]
    fn no_rest_is_found_across_the_edges_of_a_plan_and_after_another_rosters_shift() {
        use DutyRole::{Leader, Officer};
        let all = shifts(vec![
            Some(vec![(1, Leader), (10, Officer)]),
            Some(vec![(2, Leader), (11, Officer)]),
            Some(vec![(3, Leader), (12, Officer)]),
            Some(vec![(3, Leader), (13, Officer)]),
        ]);
        let (before, plan, after) = (&all[0], &all[1..3], &all[3]);
        let tired = |s: &Held, person_id| {
            vec![Finding::BackToBack {
                day: s.day,
                no: 0,
                person_id,
            }]
        };
        assert_eq!(
            across_edges(plan, Some(before), Some(after)),
            tired(after, 3),
            "leader 3 ends the plan and begins the next one"
        );
        let mut first_again = plan.to_vec();
        first_again[0].places = Some(vec![(1, Leader), (11, Officer)]);
        assert_eq!(
            across_edges(&first_again, Some(before), None),
            tired(&plan[0], 1)
        );
        assert!(across_edges(&[], Some(before), Some(after)).is_empty());
        let ends_as_it_begins = (plan[0].start - Duration::hours(24), plan[0].start);
        let elsewhere = HashMap::from([(
            11,
            vec![(
                ends_as_it_begins.0,
                ends_as_it_begins.1,
                "建设局".to_string(),
            )],
        )]);
        let conflicts: Vec<Finding> = scan(plan, &People::default(), &elsewhere)
            .into_iter()
            .filter(|f| !f.is_gap())
            .collect();
        assert_eq!(
            conflicts,
            tired(&plan[0], 11),
            "a shift elsewhere that ends as this one begins leaves no rest; touching is not double booking"
        );
    }
}
