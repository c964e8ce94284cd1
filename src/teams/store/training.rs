//! Training sessions (训练) and who attended.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_teams::{training_attendance, trainings};
use crate::db::DbConn;
use crate::i18n::Coded;
use crate::teams::model::{Attendance, TrainingInput};

/// A training session.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = trainings)]
pub struct Training {
    pub id: i64,
    pub team_id: i64,
    pub held_on: NaiveDate,
    /// Its length in minutes.
    pub minutes: i32,
    pub subject: String,
    pub trainer: String,
    pub place: String,
    /// The account that recorded it.
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

/// Records a session with its attendance.
pub fn insert(
    conn: &mut DbConn,
    team: i64,
    t: &TrainingInput,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<Training> {
    let row: Training = diesel::insert_into(trainings::table)
        .values((
            trainings::team_id.eq(team),
            trainings::held_on.eq(t.held_on),
            trainings::minutes.eq(t.minutes),
            trainings::subject.eq(&t.subject),
            trainings::trainer.eq(&t.trainer),
            trainings::place.eq(&t.place),
            trainings::created_by.eq(by),
            trainings::created_at.eq(now),
        ))
        .returning(trainings::all_columns)
        .get_result(conn)?;
    for (person, status) in &t.attendance {
        diesel::insert_into(training_attendance::table)
            .values((
                training_attendance::training_id.eq(row.id),
                training_attendance::person_id.eq(person),
                training_attendance::status.eq(status.code()),
            ))
            .execute(conn)?;
    }
    Ok(row)
}

/// A team's sessions held from `from` through `to`, newest first.
pub fn of_team(
    conn: &mut DbConn,
    team: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Training>> {
    trainings::table
        .filter(trainings::team_id.eq(team))
        .filter(trainings::held_on.ge(from))
        .filter(trainings::held_on.le(to))
        .order((trainings::held_on.desc(), trainings::id.desc()))
        .select(Training::as_select())
        .load(conn)
}

/// Attendance at the given sessions: (session, person, status).
pub fn attendance(conn: &mut DbConn, sessions: &[i64]) -> QueryResult<Vec<(i64, i64, Attendance)>> {
    Ok(training_attendance::table
        .filter(training_attendance::training_id.eq_any(sessions.to_vec()))
        .select((
            training_attendance::training_id,
            training_attendance::person_id,
            training_attendance::status,
        ))
        .load::<(i64, i64, String)>(conn)?
        .into_iter()
        .filter_map(|(t, p, s)| Attendance::from_code(&s).map(|s| (t, p, s)))
        .collect())
}

/// Minutes and sessions a person was present at, held from `from` through `to`.
pub fn attended(
    conn: &mut DbConn,
    person: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<(i64, i64)> {
    let minutes: Vec<i32> = training_attendance::table
        .inner_join(trainings::table)
        .filter(training_attendance::person_id.eq(person))
        .filter(training_attendance::status.eq(Attendance::Present.code()))
        .filter(trainings::held_on.ge(from))
        .filter(trainings::held_on.le(to))
        .select(trainings::minutes)
        .load(conn)?;
    Ok((
        minutes.iter().map(|m| i64::from(*m)).sum(),
        minutes.len() as i64,
    ))
}
