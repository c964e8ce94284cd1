//! Units' group chats: read, replace, remove. Never commits on its own.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::codes::text_columns;
use crate::db::schema::unit_chats;
use crate::db::DbConn;
use crate::mail::webhook::Flavour;

text_columns!(Flavour);

/// A unit's group chat as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = unit_chats)]
pub struct Chat {
    pub unit_id: i64,
    pub flavour: Flavour,
    pub url: String,
    pub secret: String,
    /// The kinds it hears, comma-separated codes.
    pub kinds: String,
    pub updated_at: NaiveDateTime,
}

/// A unit's group chat, if it has one.
pub fn chat_of(conn: &mut DbConn, unit_id: i64) -> QueryResult<Option<Chat>> {
    unit_chats::table
        .find(unit_id)
        .select(Chat::as_select())
        .first(conn)
        .optional()
}

/// The group chats of these units.
pub fn chats_of(conn: &mut DbConn, unit_ids: &[i64]) -> QueryResult<Vec<Chat>> {
    unit_chats::table
        .filter(unit_chats::unit_id.eq_any(unit_ids))
        .select(Chat::as_select())
        .load(conn)
}

/// Sets a unit's group chat, replacing the one it had (call inside a write transaction).
pub fn set_chat(conn: &mut DbConn, chat: &Chat) -> QueryResult<usize> {
    remove_chat(conn, chat.unit_id)?;
    diesel::insert_into(unit_chats::table)
        .values(chat)
        .execute(conn)
}

/// Removes a unit's group chat; returns whether it had one.
pub fn remove_chat(conn: &mut DbConn, unit_id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(unit_chats::table.find(unit_id)).execute(conn)? == 1)
}
