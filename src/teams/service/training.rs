//! Training (训练): sessions with attendance per member, and a team's summary for a year (sessions, hours,
//! hours per member).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{managed_team, team_for};
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::teams::model::{Attendance, MemberStatus, TrainingInput};
use crate::teams::store::members as member_store;
use crate::teams::store::training::{self as store, Training};

/// Records a session of a team the actor manages; everyone listed must be a member of the team.
pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    team: i64,
    input: TrainingInput,
) -> ServiceResult<Training> {
    write_tx(conn, |c| {
        let t = managed_team(c, actor, team)?;
        let members: Vec<i64> = member_store::of_teams(c, Some(&[team]))?
            .into_iter()
            .map(|m| m.person_id)
            .collect();
        if input.attendance.iter().any(|(p, _)| !members.contains(p)) {
            return Err(ServiceError::invalid(
                "attendance",
                "出勤名单中有不是本队队员的人",
                "Someone listed is not a member of the team",
            ));
        }
        let session = store::insert(c, team, &input, actor.account_id, db_time(now))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "training",
                session.id,
                Some(t.unit_id),
                None,
                Some(&session),
            ),
        )?;
        Ok(session)
    })
}

/// A member's training in the period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberHours {
    pub person_id: i64,
    pub name: String,
    /// Minutes present.
    pub minutes: i64,
    pub present: i64,
    pub absent: i64,
    pub leave: i64,
}

/// A session with its attendance counts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    #[serde(flatten)]
    pub session: Training,
    pub present: i64,
    pub absent: i64,
    pub leave: i64,
}

/// A team's training from `from` through `to`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrainingSummary {
    pub team_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub sessions: Vec<SessionView>,
    /// Minutes of all sessions.
    pub minutes: i64,
    /// Per member who has not left (and anyone who attended).
    pub members: Vec<MemberHours>,
}

/// A team's sessions and hours per member from `from` through `to` (anyone signed in may read it).
pub fn summary(
    conn: &mut DbConn,
    team: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> ServiceResult<TrainingSummary> {
    if to < from {
        return Err(ServiceError::invalid(
            "to",
            "结束日期不能早于开始日期",
            "The end date is before the start date",
        ));
    }
    team_for(conn, team)?;
    let sessions = store::of_team(conn, team, from, to)?;
    let ids: Vec<i64> = sessions.iter().map(|s| s.id).collect();
    let attendance = store::attendance(conn, &ids)?;
    let minutes_of: HashMap<i64, i64> = sessions
        .iter()
        .map(|s| (s.id, i64::from(s.minutes)))
        .collect();
    let mut members: Vec<MemberHours> = member_store::of_teams(conn, Some(&[team]))?
        .into_iter()
        .filter(|m| m.status != MemberStatus::Left || attendance.iter().any(|a| a.1 == m.person_id))
        .map(|m| MemberHours {
            person_id: m.person_id,
            name: m.name,
            minutes: 0,
            present: 0,
            absent: 0,
            leave: 0,
        })
        .collect();
    for (session, person, status) in &attendance {
        if let Some(m) = members.iter_mut().find(|m| m.person_id == *person) {
            match status {
                Attendance::Present => {
                    m.present += 1;
                    m.minutes += minutes_of.get(session).copied().unwrap_or(0);
                }
                Attendance::Absent => m.absent += 1,
                Attendance::Leave => m.leave += 1,
            }
        }
    }
    let count = |s: i64, a: Attendance| {
        attendance
            .iter()
            .filter(|(t, _, x)| *t == s && *x == a)
            .count() as i64
    };
    Ok(TrainingSummary {
        team_id: team,
        from,
        to,
        minutes: minutes_of.values().sum(),
        sessions: sessions
            .into_iter()
            .map(|s| SessionView {
                present: count(s.id, Attendance::Present),
                absent: count(s.id, Attendance::Absent),
                leave: count(s.id, Attendance::Leave),
                session: s,
            })
            .collect(),
        members,
    })
}
