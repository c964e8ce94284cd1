//! Calendar subscriptions of drills, kept by the hash of their secret.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_drills::drill_feeds;
use crate::db::DbConn;

/// A drills calendar feed as its maker sees it (never its secret).
#[derive(Debug, Clone, Serialize, Queryable, utoipa::ToSchema)]
pub struct DrillFeed {
    pub id: i64,
    /// The account that made it; the feed shows what this account may see when it is fetched.
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<NaiveDateTime>,
}

/// Which live feeds.
pub enum Which<'a> {
    /// The one whose secret has this hash.
    Hash(&'a str),
    /// The one with this id.
    Id(i64),
    /// Those an account made.
    Maker(i64),
}

/// Live (not revoked) feeds, newest first.
pub fn live(conn: &mut DbConn, which: Which<'_>) -> QueryResult<Vec<DrillFeed>> {
    let q = drill_feeds::table
        .filter(drill_feeds::revoked_at.is_null())
        .order(drill_feeds::id.desc())
        .select((
            drill_feeds::id,
            drill_feeds::created_by,
            drill_feeds::created_at,
            drill_feeds::revoked_at,
        ))
        .into_boxed();
    match which {
        Which::Hash(h) => q.filter(drill_feeds::token_hash.eq(h.to_string())),
        Which::Id(id) => q.filter(drill_feeds::id.eq(id)),
        Which::Maker(a) => q.filter(drill_feeds::created_by.eq(a)),
    }
    .load(conn)
}

/// How many live feeds an account has.
pub fn count_live(conn: &mut DbConn, maker: i64) -> QueryResult<i64> {
    drill_feeds::table
        .filter(drill_feeds::revoked_at.is_null())
        .filter(drill_feeds::created_by.eq(maker))
        .select(count_star())
        .first(conn)
}

/// Stores a feed by the hash of its secret; returns its id.
pub fn insert(conn: &mut DbConn, hash: &str, by: i64, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(drill_feeds::table)
        .values((
            drill_feeds::token_hash.eq(hash),
            drill_feeds::created_by.eq(by),
            drill_feeds::created_at.eq(now),
        ))
        .returning(drill_feeds::id)
        .get_result(conn)
}

/// Revokes a live feed; false when it was revoked already.
pub fn revoke(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    Ok(diesel::update(
        drill_feeds::table
            .filter(drill_feeds::id.eq(id))
            .filter(drill_feeds::revoked_at.is_null()),
    )
    .set(drill_feeds::revoked_at.eq(now))
    .execute(conn)?
        == 1)
}
