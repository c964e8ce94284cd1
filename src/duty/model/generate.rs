//! Filling a range of shifts from the eligible people, fairly: each place goes to the person who has carried
//! the fewest shifts of that kind of day this year (holidays with holidays, weekends with weekends, then all
//! shifts), never to someone away (leave, unavailability), never to someone coming straight off the shift
//! before, and never twice on one shift. A place nobody can fill is left open and reported as a gap.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{DayClass, DutyRole, Need};

/// A shift to fill.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub day: NaiveDate,
    pub no: usize,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub class: DayClass,
    pub need: Need,
}

/// Shifts a person has carried this year (from published rosters), by kind of day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Load {
    pub total: u32,
    pub weekend: u32,
    pub holiday: u32,
    /// When their latest shift started (the longer ago, the sooner they are next).
    pub last: Option<DateTime<Utc>>,
}

impl Load {
    fn add(&mut self, slot: &Slot) {
        self.total += 1;
        match slot.class {
            DayClass::Weekend => self.weekend += 1,
            DayClass::Holiday => self.holiday += 1,
            DayClass::Workday => {}
        }
        self.last = Some(slot.start);
    }

    fn of(&self, class: DayClass) -> u32 {
        match class {
            DayClass::Workday => 0,
            DayClass::Weekend => self.weekend,
            DayClass::Holiday => self.holiday,
        }
    }

    /// The order in which people are asked for a shift on a day of `class` followed by one of `next`:
    /// fewest of that kind first; when the next shift is a heavier kind of day, those who carried the most
    /// of it first, so that the ones who owe it are rested for it; then fewest shifts, longest ago.
    fn key(
        &self,
        class: DayClass,
        next: Option<DayClass>,
    ) -> (u32, std::cmp::Reverse<u32>, u32, Option<DateTime<Utc>>) {
        let ahead = match next {
            Some(n) if n > class => self.of(n),
            _ => 0,
        };
        (
            self.of(class),
            std::cmp::Reverse(ahead),
            self.total,
            self.last,
        )
    }
}

/// Who may fill a place and what stands in the way.
#[derive(Debug, Clone, Default)]
pub struct People {
    /// Eligible leaders, then eligible officers (a person may be both).
    pub leaders: Vec<i64>,
    pub officers: Vec<i64>,
    /// Days each person is away (approved leave, declared unavailability), as inclusive ranges.
    pub away: HashMap<i64, Vec<(NaiveDate, NaiveDate)>>,
    /// This year's load so far.
    pub load: HashMap<i64, Load>,
    /// Who is on duty until the first slot starts (the rest rule reaches back across the range's edge).
    pub on_before: Vec<(i64, DateTime<Utc>)>,
}

impl People {
    /// Whether `person` is away on `day`.
    pub fn is_away(&self, person: i64, day: NaiveDate) -> bool {
        self.away
            .get(&person)
            .is_some_and(|ranges| ranges.iter().any(|(a, b)| *a <= day && day <= *b))
    }
}

/// One place filled: the person and their role.
pub type Place = (i64, DutyRole);

/// Fills each slot (in order) with its leaders and officers; returns the places per slot. Slots must be in
/// time order and not overlap.
pub fn generate(slots: &[Slot], people: &People) -> Vec<Vec<Place>> {
    let mut load = people.load.clone();
    let mut previous: Vec<(i64, DateTime<Utc>)> = people.on_before.clone();
    let mut out = Vec::with_capacity(slots.len());
    for (i, slot) in slots.iter().enumerate() {
        let next = slots.get(i + 1).map(|s| s.class);
        let mut places: Vec<Place> = Vec::new();
        for role in [DutyRole::Leader, DutyRole::Officer] {
            let pool = match role {
                DutyRole::Leader => &people.leaders,
                DutyRole::Officer => &people.officers,
            };
            for _ in 0..slot.need.of(role) {
                let pick = pool
                    .iter()
                    .copied()
                    .filter(|p| !places.iter().any(|(q, _)| q == p))
                    .filter(|p| !people.is_away(*p, slot.day))
                    .filter(|p| !previous.iter().any(|(q, end)| q == p && *end >= slot.start))
                    .min_by_key(|p| {
                        let key = load.get(p).copied().unwrap_or_default();
                        (key.key(slot.class, next), *p)
                    });
                match pick {
                    Some(p) => {
                        load.entry(p).or_default().add(slot);
                        places.push((p, role));
                    }
                    None => break,
                }
            }
        }
        previous = places.iter().map(|(p, _)| (*p, slot.end)).collect();
        out.push(places);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::Duration;
    use proptest::prelude::*;

    use super::*;

    fn slots(days: i64, class_of: impl Fn(i64) -> DayClass, need: Need) -> Vec<Slot> {
        let first = NaiveDate::from_ymd_opt(2026, 9, 20).unwrap();
        let t0 = DateTime::parse_from_rfc3339("2026-09-20T00:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        (0..days)
            .map(|i| Slot {
                day: first + Duration::days(i),
                no: 0,
                start: t0 + Duration::days(i),
                end: t0 + Duration::days(i + 1),
                class: class_of(i),
                need,
            })
            .collect()
    }

    fn people(leaders: i64, officers: i64) -> People {
        People {
            leaders: (1..=leaders).collect(),
            officers: (100..100 + officers).collect(),
            ..People::default()
        }
    }

    #[test]
    fn nobody_takes_two_24_hour_shifts_in_a_row_even_across_the_range_edge() {
        let need = Need {
            leaders: 1,
            officers: 1,
        };
        let mut p = people(2, 2);
        let s = slots(10, |_| DayClass::Workday, need);
        p.on_before = vec![(1, s[0].start), (100, s[0].start)];
        let out = generate(&s, &p);
        assert_eq!(
            out[0],
            vec![(2, DutyRole::Leader), (101, DutyRole::Officer)]
        );
        for w in out.windows(2) {
            assert!(w[0].iter().all(|a| !w[1].contains(a)), "{w:?}");
        }
    }

    #[test]
    fn a_place_nobody_can_fill_stays_open() {
        let need = Need {
            leaders: 1,
            officers: 2,
        };
        let mut p = people(1, 2);
        let s = slots(2, |_| DayClass::Holiday, need);
        p.away.insert(101, vec![(s[0].day, s[0].day)]);
        let out = generate(&s, &p);
        assert_eq!(
            out[0],
            vec![(1, DutyRole::Leader), (100, DutyRole::Officer)]
        );
        // The only leader was on yesterday; the officer who was on too rests.
        assert_eq!(out[1], vec![(101, DutyRole::Officer)]);
    }

    #[test]
    fn a_person_in_both_pools_holds_one_place_per_shift() {
        let need = Need {
            leaders: 1,
            officers: 1,
        };
        let p = People {
            leaders: vec![1],
            officers: vec![1, 2],
            ..People::default()
        };
        let out = generate(&slots(1, |_| DayClass::Workday, need), &p);
        assert_eq!(out[0], vec![(1, DutyRole::Leader), (2, DutyRole::Officer)]);
    }

    #[test]
    fn those_who_carried_more_holidays_this_year_are_asked_last() {
        let need = Need {
            leaders: 1,
            officers: 0,
        };
        let mut p = people(3, 0);
        p.load.insert(
            1,
            Load {
                total: 9,
                weekend: 2,
                holiday: 3,
                last: None,
            },
        );
        p.load.insert(
            2,
            Load {
                total: 12,
                weekend: 2,
                holiday: 1,
                last: None,
            },
        );
        p.load.insert(
            3,
            Load {
                total: 5,
                weekend: 4,
                holiday: 2,
                last: None,
            },
        );
        let out = generate(&slots(1, |_| DayClass::Holiday, need), &p);
        assert_eq!(out[0], vec![(2, DutyRole::Leader)]);
        let out = generate(&slots(1, |_| DayClass::Workday, need), &p);
        assert_eq!(out[0], vec![(3, DutyRole::Leader)]);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// With enough eligible people (twice the need, plus those away), no place is left open, no one on
        /// leave is rostered, and holiday shifts are spread within one of each other.
        #[test]
        fn enough_people_fill_every_place_fairly(
            leaders in 1u8..=2, officers in 1u8..=3, extra in 0i64..4, days in 5i64..60,
            holidays in proptest::collection::vec(any::<bool>(), 60),
            away in proptest::collection::vec((0i64..60, 0usize..20), 0..6),
        ) {
            let need = Need { leaders, officers };
            let absent = away.len() as i64;
            let mut p = people(2 * i64::from(leaders) + extra + absent, 2 * i64::from(officers) + extra + absent);
            let s = slots(days, |i| if holidays[i as usize] { DayClass::Holiday } else { DayClass::Workday }, need);
            for (day, who) in &away {
                let pool: Vec<i64> = p.leaders.iter().chain(&p.officers).copied().collect();
                let person = pool[*who % pool.len()];
                let d = s[(*day % days) as usize].day;
                p.away.entry(person).or_default().push((d, d));
            }
            let out = generate(&s, &p);
            for (slot, places) in s.iter().zip(&out) {
                let count = |r| places.iter().filter(|(_, role)| *role == r).count();
                prop_assert_eq!(count(DutyRole::Leader), usize::from(leaders));
                prop_assert_eq!(count(DutyRole::Officer), usize::from(officers));
                for (person, _) in places {
                    prop_assert!(!p.is_away(*person, slot.day));
                }
            }
            // With a third group to spare beyond the rest rule's alternation (so the shift before a holiday
            // can leave free those who owe one) and nobody away, every person's holiday shifts are within
            // one of the mean of their pool.
            if away.is_empty() {
                for (pool, need) in [(&p.leaders, leaders), (&p.officers, officers)] {
                    if extra < i64::from(need) {
                        continue;
                    }
                    let held: Vec<f64> = pool.iter().map(|person| {
                        s.iter().zip(&out).filter(|(slot, places)| slot.class == DayClass::Holiday
                            && places.iter().any(|(q, _)| q == person)).count() as f64
                    }).collect();
                    let mean = held.iter().sum::<f64>() / held.len() as f64;
                    prop_assert!(held.iter().all(|h| (h - mean).abs() <= 1.0), "holiday shifts {:?}", held);
                }
            }
        }
    }
}
