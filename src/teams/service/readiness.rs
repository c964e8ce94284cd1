//! Readiness of every team, and the search by capability ("who can do 水域救援 now"), each computed from a
//! handful of queries whatever the number of teams.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::phone_for;
use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::teams::model::{
    distance_km, readiness, LeaveState, MemberFacts, MemberRole, MemberStatus, Readiness,
    ReadyState, Requirement,
};
use crate::teams::store::certificates as cert_store;
use crate::teams::store::leaves as leave_store;
use crate::teams::store::lists::{self, CertificateType};
use crate::teams::store::members::{self as member_store, Roll};
use crate::teams::store::teams::{self as team_store, Team};

/// Someone who leads a team, to call.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Leader {
    pub person_id: i64,
    pub name: String,
    pub role: MemberRole,
    pub phone: String,
    /// In post and not on leave today.
    pub available: bool,
}

/// A team with its readiness today.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TeamStatus {
    pub team: Team,
    /// Speciality codes.
    pub specialities: Vec<String>,
    /// Its 队长 and 副队长.
    pub leaders: Vec<Leader>,
    pub readiness: Readiness,
    /// Why it falls short, in the caller's language.
    pub reasons: Vec<String>,
}

/// Everything readiness needs, read at once for a set of teams.
pub(super) struct Facts {
    pub teams: Vec<Team>,
    pub specialities: HashMap<i64, Vec<String>>,
    /// Required certificate types per speciality.
    pub requires: HashMap<String, Vec<Requirement>>,
    /// Each team's members with what readiness knows of them, leaders first.
    pub rosters: HashMap<i64, Roster>,
}

/// A team's members and, in the same order, what readiness knows of each.
#[derive(Default)]
pub(super) struct Roster {
    pub members: Vec<Roll>,
    pub facts: Vec<MemberFacts>,
}

impl Facts {
    /// Reads the facts of the active teams on `day`, or of the teams in `only` (active or not), in a fixed
    /// number of queries: members without what readiness does not use, only the certificates valid that day,
    /// and for all teams certificates and leave read whole rather than by a list of people.
    pub fn read(conn: &mut DbConn, day: NaiveDate, only: Option<&[i64]>) -> ServiceResult<Facts> {
        let teams: Vec<Team> = team_store::all(conn)?
            .into_iter()
            .filter(|t| only.map_or(t.active, |o| o.contains(&t.id)))
            .collect();
        let ids: Vec<i64> = teams.iter().map(|t| t.id).collect();
        let mut specialities: HashMap<i64, Vec<String>> = HashMap::new();
        for (t, s) in team_store::specialities(conn)? {
            specialities.entry(t).or_default().push(s);
        }
        let types: HashMap<String, CertificateType> = lists::certificate_types(conn)?
            .into_iter()
            .map(|t| (t.code.clone(), t))
            .collect();
        let mut requires: HashMap<String, Vec<Requirement>> = HashMap::new();
        for (s, c) in lists::requirements(conn)? {
            if let Some(t) = types.get(&c) {
                requires.entry(s).or_default().push(Requirement {
                    code: t.code.clone(),
                    name: t.name.clone(),
                    name_en: t.name_en.clone(),
                });
            }
        }
        let members = member_store::roll(conn, only.map(|_| ids.as_slice()))?;
        let people: Option<Vec<i64>> = only.map(|_| {
            let set: HashSet<i64> = members.iter().map(|m| m.person_id).collect();
            set.into_iter().collect()
        });
        let mut valid: HashMap<i64, Vec<String>> = HashMap::new();
        for (person, kind) in cert_store::valid_on(conn, people.as_deref(), day)? {
            valid.entry(person).or_default().push(kind);
        }
        let away: HashSet<i64> = leave_store::leaves(
            conn,
            people.as_deref(),
            Some(LeaveState::Approved),
            Some(day),
        )?
        .into_iter()
        .filter(|l| l.covers(day))
        .map(|l| l.person_id)
        .collect();
        let mut rosters: HashMap<i64, Roster> = HashMap::new();
        for m in members {
            let f = MemberFacts {
                person_id: m.person_id,
                role: m.role,
                status: m.status,
                on_leave: away.contains(&m.person_id),
                valid: valid.get(&m.person_id).cloned().unwrap_or_default(),
            };
            let roster = rosters.entry(m.team_id).or_default();
            roster.members.push(m);
            roster.facts.push(f);
        }
        Ok(Facts {
            teams,
            specialities,
            requires,
            rosters,
        })
    }

    /// The certificate types `specialities` require, each once.
    pub fn required(&self, specialities: &[String]) -> Vec<Requirement> {
        let mut out: Vec<Requirement> = Vec::new();
        for s in specialities {
            for r in self.requires.get(s).into_iter().flatten() {
                if !out.iter().any(|o| o.code == r.code) {
                    out.push(r.clone());
                }
            }
        }
        out
    }

    /// A team's members with their facts (none for a team without members).
    pub fn roster(&self, team: i64) -> impl Iterator<Item = (&Roll, &MemberFacts)> {
        self.rosters
            .get(&team)
            .into_iter()
            .flat_map(|r| r.members.iter().zip(&r.facts))
    }

    /// One team's status on the day the facts were read for.
    pub fn status(&self, actor: &Actor, team: &Team) -> TeamStatus {
        self.status_for(actor, team, None)
    }

    /// One team's status for one of its specialities (`only`): its members count when they hold
    /// what that speciality requires; for the whole team (`None`), what all of its specialities require.
    pub fn status_for(&self, actor: &Actor, team: &Team, only: Option<&str>) -> TeamStatus {
        let specialities = self.specialities.get(&team.id).cloned().unwrap_or_default();
        let required = match only {
            Some(code) => self.required(&[code.to_string()]),
            None => self.required(&specialities),
        };
        let facts = self
            .rosters
            .get(&team.id)
            .map_or(&[][..], |r| r.facts.as_slice());
        let r = readiness(i64::from(team.min_ready), &required, facts);
        let leaders = self
            .roster(team.id)
            .filter(|(m, _)| m.role.leads() && m.status != MemberStatus::Left)
            .map(|(m, f)| Leader {
                person_id: m.person_id,
                name: m.name.clone(),
                role: m.role,
                phone: phone_for(actor, &m.phone),
                available: f.available(),
            })
            .collect();
        TeamStatus {
            reasons: r
                .why
                .iter()
                .map(|t| t.get(actor.lang).to_string())
                .collect(),
            team: team.clone(),
            specialities,
            leaders,
            readiness: r,
        }
    }
}

/// The readiness of every active team today, not ready first.
pub fn statuses(
    conn: &mut DbConn,
    actor: &Actor,
    day: NaiveDate,
) -> ServiceResult<Vec<TeamStatus>> {
    let facts = Facts::read(conn, day, None)?;
    let mut out: Vec<TeamStatus> = facts.teams.iter().map(|t| facts.status(actor, t)).collect();
    out.sort_by_key(|s| (std::cmp::Reverse(s.readiness.state), s.team.name.clone()));
    Ok(out)
}

/// How many teams are ready, short and not ready.
#[derive(Debug, Clone, Copy, Default, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub ready: usize,
    pub short: usize,
    pub not_ready: usize,
    /// Members who can turn out today, across the district.
    pub qualified: i64,
}

/// Counts the states of `statuses`.
pub fn summary(statuses: &[TeamStatus]) -> Summary {
    let mut s = Summary::default();
    for t in statuses {
        match t.readiness.state {
            ReadyState::Ready => s.ready += 1,
            ReadyState::Short => s.short += 1,
            ReadyState::NotReady => s.not_ready += 1,
        }
        s.qualified += t.readiness.qualified;
    }
    s
}

/// A member holding a certificate a speciality requires.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Holder {
    pub person_id: i64,
    pub name: String,
    pub phone: String,
    /// In post, not on leave, and every required certificate valid today.
    pub available: bool,
}

/// A team that has the capability sought, with its readiness for that capability.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Capability {
    /// The team, its readiness counted for the speciality sought (members holding what it requires).
    #[serde(flatten)]
    pub status: TeamStatus,
    /// Members who can do it today: available, holding the speciality's required certificates.
    pub capable: i64,
    /// Kilometres from the point given, when both are known.
    pub distance_km: Option<f64>,
    /// Members holding a certificate the speciality requires.
    pub holders: Vec<Holder>,
}

/// Teams with speciality `code`, each with its readiness for it (ready ones first, then by capable headcount and
/// distance); `ready_only` leaves out teams that are not ready for it.
pub fn search(
    conn: &mut DbConn,
    actor: &Actor,
    day: NaiveDate,
    code: &str,
    near: Option<(f64, f64)>,
    ready_only: bool,
) -> ServiceResult<Vec<Capability>> {
    if !lists::specialities(conn)?.iter().any(|s| s.code == code) {
        return Err(ServiceError::invalid(
            "speciality",
            "没有这个专长，请从列表中选择",
            "No such speciality; choose one from the list",
        ));
    }
    let facts = Facts::read(conn, day, None)?;
    let required = facts.required(&[code.to_string()]);
    let mut out = Vec::new();
    for team in &facts.teams {
        if !facts
            .specialities
            .get(&team.id)
            .is_some_and(|s| s.iter().any(|c| c == code))
        {
            continue;
        }
        let status = facts.status_for(actor, team, Some(code));
        if ready_only && status.readiness.state != ReadyState::Ready {
            continue;
        }
        let capable = status.readiness.qualified;
        let holders = facts
            .roster(team.id)
            .filter(|(m, f)| {
                m.status != MemberStatus::Left
                    && !required.is_empty()
                    && required.iter().any(|r| f.holds(r))
            })
            .map(|(m, f)| Holder {
                person_id: m.person_id,
                name: m.name.clone(),
                phone: phone_for(actor, &m.phone),
                available: f.available() && f.qualified(&required),
            })
            .collect();
        out.push(Capability {
            distance_km: near
                .zip(team.position())
                .map(|(a, b)| (distance_km(a, b) * 10.0).round() / 10.0),
            capable,
            holders,
            status,
        });
    }
    let far = |c: &Capability| c.distance_km.unwrap_or(f64::MAX);
    out.sort_by(|a, b| {
        (a.status.readiness.state.cmp(&b.status.readiness.state))
            .then(b.capable.cmp(&a.capable))
            .then(far(a).total_cmp(&far(b)))
    });
    Ok(out)
}
