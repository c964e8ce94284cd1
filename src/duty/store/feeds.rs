//! Calendar feeds (日历订阅) of a person's duty or a roster, kept by the hash of their secret; and what a feed
//! shows besides the shifts: each roster's unit, and how many times each shift's people changed.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;

use super::rosters::RosterHead;
use crate::db::schema::{audit_log, people, units};
use crate::db::schema_duty::{duty_changes, duty_feeds, duty_rosters};
use crate::db::DbConn;
use crate::duty::model::ChangeState;

/// A calendar feed as its owners see it (never its secret).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Feed {
    pub id: i64,
    /// The person whose duty it shows (or none for a roster's feed).
    pub person_id: Option<i64>,
    /// The roster whose shifts it shows (or none for a person's feed).
    pub roster_id: Option<i64>,
    /// The person's or the roster's name.
    pub name: String,
    /// The account that made it.
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<NaiveDateTime>,
}

type Row = (
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    i64,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

impl From<Row> for Feed {
    fn from(
        (id, person_id, roster_id, person, roster, created_by, created_at, revoked_at): Row,
    ) -> Feed {
        Feed {
            id,
            person_id,
            roster_id,
            name: person.or(roster).unwrap_or_default(),
            created_by,
            created_at,
            revoked_at,
        }
    }
}

/// Which live feeds.
pub enum Which<'a> {
    /// The one whose secret has this hash.
    Hash(&'a str),
    /// The one with this id.
    Id(i64),
    /// Those an account made or that show its person's duty.
    Account(i64, Option<i64>),
    /// Those of a roster.
    Roster(i64),
}

/// Live (not revoked) feeds, newest first.
pub fn live(conn: &mut DbConn, which: Which<'_>) -> QueryResult<Vec<Feed>> {
    let mut q = duty_feeds::table
        .left_join(people::table.on(people::id.nullable().eq(duty_feeds::person_id)))
        .left_join(duty_rosters::table.on(duty_rosters::id.nullable().eq(duty_feeds::roster_id)))
        .filter(duty_feeds::revoked_at.is_null())
        .order(duty_feeds::id.desc())
        .select((
            duty_feeds::id,
            duty_feeds::person_id,
            duty_feeds::roster_id,
            people::name.nullable(),
            duty_rosters::name.nullable(),
            duty_feeds::created_by,
            duty_feeds::created_at,
            duty_feeds::revoked_at,
        ))
        .into_boxed();
    q = match which {
        Which::Hash(h) => q.filter(duty_feeds::token_hash.eq(h.to_string())),
        Which::Id(id) => q.filter(duty_feeds::id.eq(id)),
        Which::Account(account, Some(person)) => q.filter(
            duty_feeds::created_by
                .eq(account)
                .or(duty_feeds::person_id.eq(person)),
        ),
        Which::Account(account, None) => q.filter(duty_feeds::created_by.eq(account)),
        Which::Roster(r) => q.filter(duty_feeds::roster_id.eq(r)),
    };
    Ok(q.load::<Row>(conn)?.into_iter().map(Feed::from).collect())
}

/// How many live feeds show the person's duty, or the roster.
pub fn count_live(conn: &mut DbConn, person: Option<i64>, roster: Option<i64>) -> QueryResult<i64> {
    let q = duty_feeds::table
        .filter(duty_feeds::revoked_at.is_null())
        .select(count_star())
        .into_boxed();
    match (person, roster) {
        (Some(p), _) => q.filter(duty_feeds::person_id.eq(p)).first(conn),
        (None, Some(r)) => q.filter(duty_feeds::roster_id.eq(r)).first(conn),
        (None, None) => Ok(0),
    }
}

/// Stores a feed by the hash of its secret; returns its id.
pub fn insert(
    conn: &mut DbConn,
    hash: &str,
    (person, roster): (Option<i64>, Option<i64>),
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(duty_feeds::table)
        .values((
            duty_feeds::token_hash.eq(hash),
            duty_feeds::person_id.eq(person),
            duty_feeds::roster_id.eq(roster),
            duty_feeds::created_by.eq(by),
            duty_feeds::created_at.eq(now),
        ))
        .returning(duty_feeds::id)
        .get_result(conn)
}

/// Revokes a live feed; false when it was revoked already.
pub fn revoke(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    Ok(diesel::update(
        duty_feeds::table
            .filter(duty_feeds::id.eq(id))
            .filter(duty_feeds::revoked_at.is_null()),
    )
    .set(duty_feeds::revoked_at.eq(now))
    .execute(conn)?
        == 1)
}

/// The given rosters with their units' names.
pub fn heads(conn: &mut DbConn, rosters: &[i64]) -> QueryResult<Vec<RosterHead>> {
    duty_rosters::table
        .inner_join(units::table)
        .filter(duty_rosters::id.eq_any(rosters.to_vec()))
        .select((
            duty_rosters::id,
            duty_rosters::name,
            duty_rosters::unit_id,
            units::name,
            duty_rosters::duty_phone,
            duty_rosters::shift_starts,
        ))
        .load(conn)
}

/// How many times each shift's people changed: its audited edits and the swaps and substitutions applied to
/// it. Every change of a shift's places is one of those, so the count only goes up.
pub fn revisions(conn: &mut DbConn, shifts: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    let mut out: HashMap<i64, i64> = HashMap::new();
    for chunk in shifts.chunks(500) {
        let edits: Vec<(Option<i64>, i64)> = audit_log::table
            .filter(audit_log::entity.eq("duty_shift"))
            .filter(audit_log::entity_id.eq_any(chunk.to_vec()))
            .group_by(audit_log::entity_id)
            .select((audit_log::entity_id, count_star()))
            .load(conn)?;
        let applied =
            || duty_changes::table.filter(duty_changes::state.eq(ChangeState::Applied.code()));
        let given: Vec<(i64, i64)> = applied()
            .filter(duty_changes::shift_id.eq_any(chunk.to_vec()))
            .group_by(duty_changes::shift_id)
            .select((duty_changes::shift_id, count_star()))
            .load(conn)?;
        let taken: Vec<(Option<i64>, i64)> = applied()
            .filter(duty_changes::taker_shift_id.eq_any(chunk.to_vec()))
            .group_by(duty_changes::taker_shift_id)
            .select((duty_changes::taker_shift_id, count_star()))
            .load(conn)?;
        let all = edits
            .into_iter()
            .chain(taken)
            .filter_map(|(s, n)| s.map(|s| (s, n)))
            .chain(given);
        for (shift, n) in all {
            *out.entry(shift).or_default() += n;
        }
    }
    Ok(out)
}
