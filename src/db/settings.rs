//! What one process records for the others (the public base URL links use), by key.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::settings;
use super::DbConn;

/// The value recorded under `key`.
pub fn get(conn: &mut DbConn, key: &str) -> QueryResult<Option<String>> {
    settings::table
        .find(key)
        .select(settings::value)
        .first(conn)
        .optional()
}

/// Records `value` under `key`, replacing what was there (an upsert both backends understand).
pub fn put(conn: &mut DbConn, key: &str, value: &str, now: NaiveDateTime) -> QueryResult<()> {
    use diesel::sql_types::{Text, Timestamp};
    diesel::sql_query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind::<Text, _>(key)
    .bind::<Text, _>(value)
    .bind::<Timestamp, _>(now)
    .execute(conn)
    .map(|_| ())
}
