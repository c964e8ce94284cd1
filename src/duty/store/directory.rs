//! What the contact directory (通讯录) reads of the organisation: the active units with their tree and phone,
//! and people by id with their post and mobile phone.

use diesel::prelude::*;

use crate::db::schema::{people, units};
use crate::db::DbConn;

/// An active unit as the directory lists it.
#[derive(Debug, Clone, Queryable)]
pub struct UnitLine {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    /// The unit's contact phone.
    pub phone: String,
    pub sort_key: String,
}

/// Every active unit.
pub fn active_units(conn: &mut DbConn) -> QueryResult<Vec<UnitLine>> {
    units::table
        .filter(units::active.eq(true))
        .select((
            units::id,
            units::parent_id,
            units::name,
            units::phone,
            units::sort_key,
        ))
        .load(conn)
}

/// A person with their post and mobile phone.
#[derive(Debug, Clone, Queryable)]
pub struct PersonLine {
    pub id: i64,
    pub unit_id: i64,
    pub name: String,
    pub post: String,
    pub phone: String,
}

/// The active people among `ids`, in pinyin order.
pub fn active_people(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<PersonLine>> {
    people::table
        .filter(people::id.eq_any(ids.to_vec()))
        .filter(people::active.eq(true))
        .order((people::sort_key, people::id))
        .select((
            people::id,
            people::unit_id,
            people::name,
            people::post,
            people::phone,
        ))
        .load(conn)
}
