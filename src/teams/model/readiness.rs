//! Readiness: a team is ready when enough of its members can be called on today — in post, not on approved
//! leave, holding a valid certificate of every type its specialities require — and one who leads it is
//! among them. Pure: the service gathers the facts, this decides.

use chrono::NaiveDate;
use serde::Serialize;

use super::{MemberRole, MemberStatus};
use crate::i18n::{text_enum, Text};

text_enum!(
    /// A team's readiness at a glance.
    ReadyState, "readiness", {
        Ready = "ready", "可出动", "Ready";
        Short = "short", "人员不足", "Short";
        NotReady = "not_ready", "不能出动", "Not ready";
    }
);

/// Whether a certificate issued on `issued_on` and last valid on `expires_on` is valid on `day`.
pub fn certificate_valid(
    issued_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    day: NaiveDate,
) -> bool {
    issued_on <= day && expires_on.is_none_or(|e| day <= e)
}

/// A certificate type with its names, as a requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The type's code.
    pub code: String,
    /// Its Chinese name.
    pub name: String,
    /// Its English name.
    pub name_en: String,
}

/// What readiness needs to know of a member on the day it is decided for.
#[derive(Debug, Clone)]
pub struct MemberFacts {
    /// The person.
    pub person_id: i64,
    /// Their role in the team.
    pub role: MemberRole,
    /// Their status.
    pub status: MemberStatus,
    /// On approved leave that day.
    pub on_leave: bool,
    /// The types of the certificates they hold that are valid that day ([`certificate_valid`]).
    pub valid: Vec<String>,
}

impl MemberFacts {
    /// In post and not on leave.
    pub fn available(&self) -> bool {
        self.status == MemberStatus::InPost && !self.on_leave
    }

    /// Holds a valid certificate of every type in `required`.
    pub fn qualified(&self, required: &[Requirement]) -> bool {
        required.iter().all(|r| self.holds(r))
    }

    /// Holds a valid certificate of the type `r`.
    pub fn holds(&self, r: &Requirement) -> bool {
        self.valid.contains(&r.code)
    }
}

/// A team's readiness on a day, with the reasons it falls short.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// Ready, short, or not ready.
    pub state: ReadyState,
    /// How many more qualified members it needs (0 when ready).
    pub short_by: i64,
    /// The headcount it must be able to call on.
    pub min_ready: i64,
    /// Members who have not left the team.
    pub members: i64,
    /// Members in post and not on leave.
    pub available: i64,
    /// Available members who hold every required certificate.
    pub qualified: i64,
    /// Why it falls short, in both languages (empty when ready).
    #[serde(skip)]
    pub why: Vec<Text>,
}

/// Decides a team's readiness from its members' facts on a day. Not ready: nobody qualified, or no 队长/副队长 available to lead;
/// short by N: fewer qualified members than the minimum; else ready.
pub fn readiness(min_ready: i64, required: &[Requirement], members: &[MemberFacts]) -> Readiness {
    let staying: Vec<&MemberFacts> = members
        .iter()
        .filter(|m| m.status != MemberStatus::Left)
        .collect();
    let available: Vec<&&MemberFacts> = staying.iter().filter(|m| m.available()).collect();
    let qualified = available.iter().filter(|m| m.qualified(required)).count() as i64;
    let leader = available.iter().any(|m| m.role.leads());
    let mut why = Vec::new();
    let on_leave = staying
        .iter()
        .filter(|m| m.status == MemberStatus::InPost && m.on_leave)
        .count();
    if on_leave > 0 {
        why.push(Text::new(
            format!("{on_leave} 人休假或请假"),
            format!("{on_leave} on leave"),
        ));
    }
    let injured = staying
        .iter()
        .filter(|m| m.status == MemberStatus::Injured)
        .count();
    if injured > 0 {
        why.push(Text::new(
            format!("{injured} 人伤病"),
            format!("{injured} injured or ill"),
        ));
    }
    for r in required {
        let lacking = available.iter().filter(|m| !m.holds(r)).count();
        if lacking > 0 {
            why.push(Text::new(
                format!("{lacking} 人无有效{}", r.name),
                format!("{lacking} without a valid {} certificate", r.name_en),
            ));
        }
    }
    if !leader {
        why.push(Text::new(
            "队长、副队长均不在岗",
            "Neither the captain nor a deputy is available",
        ));
    }
    let short_by = (min_ready - qualified).max(0);
    if short_by > 0 {
        why.push(Text::new(
            format!("可出动 {qualified} 人，最低 {min_ready} 人，差 {short_by} 人"),
            format!("{qualified} can turn out of the {min_ready} required: short by {short_by}"),
        ));
    }
    let state = if qualified == 0 || !leader {
        ReadyState::NotReady
    } else if short_by > 0 {
        ReadyState::Short
    } else {
        ReadyState::Ready
    };
    if state == ReadyState::Ready {
        why.clear();
    }
    Readiness {
        state,
        short_by,
        min_ready,
        members: staying.len() as i64,
        available: available.len() as i64,
        qualified,
        why,
    }
}

/// The distance in kilometres between two points given in degrees (great circle).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    const EARTH_KM: f64 = 6371.0;
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let (dlat, dlon) = ((b.0 - a.0).to_radians(), (b.1 - a.1).to_radians());
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_KM * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn water() -> Vec<Requirement> {
        vec![Requirement {
            code: "water_rescue".into(),
            name: "水域救援证".into(),
            name_en: "Water rescue".into(),
        }]
    }

    fn member(id: i64, role: MemberRole, expires: Option<&str>) -> MemberFacts {
        MemberFacts {
            person_id: id,
            role,
            status: MemberStatus::InPost,
            on_leave: false,
            valid: if certificate_valid(day("2024-01-01"), expires.map(day), day("2026-11-30")) {
                vec!["water_rescue".into()]
            } else {
                Vec::new()
            },
        }
    }

    #[test]
    fn a_certificate_is_valid_from_its_issue_through_its_last_day() {
        let (issued, expires) = (day("2025-03-01"), Some(day("2026-12-31")));
        assert!(!certificate_valid(issued, expires, day("2025-02-28")));
        assert!(certificate_valid(issued, expires, day("2025-03-01")));
        assert!(certificate_valid(issued, expires, day("2026-12-31")));
        assert!(!certificate_valid(issued, expires, day("2027-01-01")));
        assert!(certificate_valid(issued, None, day("2090-01-01")));
    }

    #[test]
    fn a_team_with_enough_qualified_members_and_its_captain_is_ready() {
        let members = [
            member(1, MemberRole::Captain, None),
            member(2, MemberRole::Member, Some("2027-01-01")),
            member(3, MemberRole::Member, None),
        ];
        let r = readiness(3, &water(), &members);
        assert_eq!(
            (r.state, r.short_by, r.qualified),
            (ReadyState::Ready, 0, 3)
        );
        assert!(r.why.is_empty());
    }

    #[test]
    fn leave_injury_and_a_lapsed_certificate_make_a_team_short_and_say_why() {
        let mut members = vec![
            member(1, MemberRole::Captain, None),
            member(2, MemberRole::Member, Some("2026-11-29")),
            member(3, MemberRole::Member, None),
            member(4, MemberRole::Driver, None),
            member(5, MemberRole::Member, None),
        ];
        members[2].on_leave = true;
        members[3].status = MemberStatus::Injured;
        members[4].status = MemberStatus::Left;
        let r = readiness(3, &water(), &members);
        assert_eq!(r.state, ReadyState::Short);
        assert_eq!(
            (r.members, r.available, r.qualified, r.short_by),
            (4, 2, 1, 2)
        );
        let zh: Vec<String> = r.why.iter().map(|t| t.zh.to_string()).collect();
        assert_eq!(
            zh,
            [
                "1 人休假或请假",
                "1 人伤病",
                "1 人无有效水域救援证",
                "可出动 1 人，最低 3 人，差 2 人"
            ]
        );
    }

    #[test]
    fn without_a_captain_or_deputy_in_post_a_team_is_not_ready() {
        let mut members = vec![
            member(1, MemberRole::Captain, None),
            member(2, MemberRole::Member, None),
            member(3, MemberRole::Member, None),
        ];
        members[0].on_leave = true;
        let r = readiness(2, &water(), &members);
        assert_eq!(r.state, ReadyState::NotReady);
        assert_eq!(r.qualified, 2, "enough hands, but nobody to lead them");
        members[1].role = MemberRole::Deputy;
        let r = readiness(2, &water(), &members);
        assert_eq!(
            r.state,
            ReadyState::Ready,
            "a deputy leads in the captain's absence"
        );
    }

    #[test]
    fn a_team_whose_certificates_all_lapsed_is_not_ready_and_one_without_requirements_needs_none() {
        let members = [
            member(1, MemberRole::Captain, Some("2026-01-01")),
            member(2, MemberRole::Member, Some("2026-01-01")),
        ];
        let r = readiness(1, &water(), &members);
        assert_eq!((r.state, r.qualified), (ReadyState::NotReady, 0));
        let r = readiness(1, &[], &members);
        assert_eq!((r.state, r.qualified), (ReadyState::Ready, 2));
    }

    #[test]
    fn distances_are_great_circle_kilometres() {
        let (wujiang, suzhou) = ((31.1390, 120.6450), (31.2990, 120.5853));
        let d = distance_km(wujiang, suzhou);
        assert!((18.0..19.0).contains(&d), "{d}");
        assert_eq!(distance_km(wujiang, wujiang), 0.0);
    }
}
