//! Queries for the organisation. Never commits.

mod accounts;
mod actors;

pub use accounts::*;
pub use actors::*;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::model::{sort_key, Role, UnitKind, UnitTree};
use crate::db::codes::text_columns;
use crate::db::schema::{people, units};
use crate::db::{unique, DbConn, MultiBackend, WriteResult};
use crate::pagination::{Page, PageRequest};

text_columns!(Role, UnitKind);

/// A unit as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = units)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub contact_emails: String,
    pub phone: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The name in pinyin, for ordering.
    #[serde(skip)]
    pub sort_key: String,
}

/// A person as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = people)]
pub struct Person {
    pub id: i64,
    pub unit_id: i64,
    pub name: String,
    pub post: String,
    pub phone: String,
    pub email: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The person does not want the daily digest (notices addressed to them by role still come).
    pub digest_opt_out: bool,
    /// The name in pinyin, for ordering.
    #[serde(skip)]
    pub sort_key: String,
}

/// Escapes `%`, `_` and `\` for a LIKE pattern and wraps it for "contains".
pub(crate) fn contains(q: &str) -> String {
    let escaped = q
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

// ---- units ----

/// Filters for the unit list.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    pub q: Option<String>,
    pub kind: Option<UnitKind>,
    pub parent_id: Option<i64>,
    pub active: Option<bool>,
}

fn units_filtered(f: &UnitFilter) -> units::BoxedQuery<'static, MultiBackend> {
    let mut q = units::table.into_boxed();
    if let Some(text) = &f.q {
        q = q.filter(units::name.like(contains(text)).escape('\\'));
    }
    if let Some(kind) = f.kind {
        q = q.filter(units::kind.eq(kind));
    }
    if let Some(parent) = f.parent_id {
        q = q.filter(units::parent_id.eq(parent));
    }
    if let Some(active) = f.active {
        q = q.filter(units::active.eq(active));
    }
    q
}

/// One page of units by name.
pub fn list_units(conn: &mut DbConn, f: &UnitFilter, page: PageRequest) -> QueryResult<Page<Unit>> {
    let total = units_filtered(f).count().get_result(conn)?;
    let rows = units_filtered(f)
        .order((units::sort_key.asc(), units::id.asc()))
        .offset(page.offset())
        .limit(page.per_page)
        .select(Unit::as_select())
        .load(conn)?;
    Ok(Page::new(rows, total, page))
}

/// Every unit's id and name, for pickers.
pub fn unit_names(conn: &mut DbConn, only_active: bool) -> QueryResult<Vec<(i64, String)>> {
    let mut q = units::table
        .select((units::id, units::name))
        .order((units::sort_key.asc(), units::id.asc()))
        .into_boxed();
    if only_active {
        q = q.filter(units::active.eq(true));
    }
    q.load(conn)
}

/// Every person's id and name, active or not (to name people in records).
pub fn all_person_names(conn: &mut DbConn) -> QueryResult<Vec<(i64, String)>> {
    people::table.select((people::id, people::name)).load(conn)
}

/// One unit.
pub fn find_unit(conn: &mut DbConn, id: i64) -> QueryResult<Option<Unit>> {
    units::table
        .find(id)
        .select(Unit::as_select())
        .first(conn)
        .optional()
}

/// The whole tree of units (id → parent).
pub fn unit_tree(conn: &mut DbConn) -> QueryResult<UnitTree> {
    let pairs: Vec<(i64, Option<i64>)> = units::table
        .select((units::id, units::parent_id))
        .load(conn)?;
    Ok(UnitTree::new(pairs))
}

/// The tree as the caller saw it when they were looked up (a few seconds at most; every change to units
/// forgets remembered callers), else read now. For checking access; a change to the tree reads it afresh.
pub fn tree_of(
    conn: &mut DbConn,
    actor: &super::model::Actor,
) -> QueryResult<std::sync::Arc<UnitTree>> {
    match &actor.units {
        Some(tree) => Ok(tree.clone()),
        None => unit_tree(conn).map(std::sync::Arc::new),
    }
}

/// Active units directly below `id`.
pub fn count_active_children(conn: &mut DbConn, id: i64) -> QueryResult<i64> {
    units::table
        .filter(units::parent_id.eq(id))
        .filter(units::active.eq(true))
        .count()
        .get_result(conn)
}

/// Fields written when a unit is created or edited.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = units, treat_none_as_null = true)]
pub struct UnitRecord {
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub contact_emails: String,
    pub phone: String,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

/// Gives units and people recorded before names sorted by pinyin their sort key (run at start-up; a
/// no-op once done).
pub fn fill_sort_keys(conn: &mut DbConn) -> QueryResult<usize> {
    let mut n = 0;
    let units_without: Vec<(i64, String)> = units::table
        .filter(units::sort_key.eq(""))
        .select((units::id, units::name))
        .load(conn)?;
    for (id, name) in units_without {
        n += diesel::update(units::table.find(id))
            .set(units::sort_key.eq(sort_key(&name)))
            .execute(conn)?;
    }
    let people_without: Vec<(i64, String)> = people::table
        .filter(people::sort_key.eq(""))
        .select((people::id, people::name))
        .load(conn)?;
    for (id, name) in people_without {
        n += diesel::update(people::table.find(id))
            .set(people::sort_key.eq(sort_key(&name)))
            .execute(conn)?;
    }
    Ok(n)
}

/// Inserts a unit.
pub fn insert_unit(conn: &mut DbConn, rec: &UnitRecord, now: NaiveDateTime) -> WriteResult<Unit> {
    unique(
        diesel::insert_into(units::table)
            .values((
                rec,
                units::sort_key.eq(sort_key(&rec.name)),
                units::created_at.eq(now),
            ))
            .returning(units::all_columns)
            .get_result(conn),
    )
}

/// Overwrites a unit's fields.
pub fn update_unit(conn: &mut DbConn, id: i64, rec: &UnitRecord) -> WriteResult<Unit> {
    unique(
        diesel::update(units::table.find(id))
            .set((rec, units::sort_key.eq(sort_key(&rec.name))))
            .returning(units::all_columns)
            .get_result(conn),
    )
}

// ---- people ----

/// Filters for the people list.
#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    pub q: Option<String>,
    pub unit_id: Option<i64>,
    pub active: Option<bool>,
}

fn people_filtered(f: &PersonFilter) -> people::BoxedQuery<'static, MultiBackend> {
    let mut q = people::table.into_boxed();
    if let Some(text) = &f.q {
        let pattern = contains(text);
        q = q.filter(
            people::name
                .like(pattern.clone())
                .escape('\\')
                .or(people::post.like(pattern.clone()).escape('\\'))
                .or(people::phone.like(pattern).escape('\\')),
        );
    }
    if let Some(unit) = f.unit_id {
        q = q.filter(people::unit_id.eq(unit));
    }
    if let Some(active) = f.active {
        q = q.filter(people::active.eq(active));
    }
    q
}

/// One page of people by name.
pub fn list_people(
    conn: &mut DbConn,
    f: &PersonFilter,
    page: PageRequest,
) -> QueryResult<Page<Person>> {
    let total = people_filtered(f).count().get_result(conn)?;
    let rows = people_filtered(f)
        .order((people::sort_key.asc(), people::id.asc()))
        .offset(page.offset())
        .limit(page.per_page)
        .select(Person::as_select())
        .load(conn)?;
    Ok(Page::new(rows, total, page))
}

/// One person.
pub fn find_person(conn: &mut DbConn, id: i64) -> QueryResult<Option<Person>> {
    people::table
        .find(id)
        .select(Person::as_select())
        .first(conn)
        .optional()
}

/// Fields written when a person is created or edited.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = people)]
pub struct PersonRecord {
    pub unit_id: i64,
    pub name: String,
    pub post: String,
    pub phone: String,
    pub email: String,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

/// Inserts a person.
pub fn insert_person(
    conn: &mut DbConn,
    rec: &PersonRecord,
    now: NaiveDateTime,
) -> QueryResult<Person> {
    diesel::insert_into(people::table)
        .values((
            rec,
            people::sort_key.eq(sort_key(&rec.name)),
            people::created_at.eq(now),
        ))
        .returning(people::all_columns)
        .get_result(conn)
}

/// Overwrites a person's fields.
pub fn update_person(conn: &mut DbConn, id: i64, rec: &PersonRecord) -> QueryResult<Person> {
    diesel::update(people::table.find(id))
        .set((rec, people::sort_key.eq(sort_key(&rec.name))))
        .returning(people::all_columns)
        .get_result(conn)
}

/// Active people as `(id, "name · unit")`, for pickers.
pub fn person_names(conn: &mut DbConn) -> QueryResult<Vec<(i64, String)>> {
    Ok(people_with_units(conn)?
        .into_iter()
        .map(|(id, label, _)| (id, label))
        .collect())
}

/// Active people as (id, "name · unit", unit id), by unit then name.
pub fn people_with_units(conn: &mut DbConn) -> QueryResult<Vec<(i64, String, i64)>> {
    let rows: Vec<(i64, String, String, i64)> = people::table
        .inner_join(units::table)
        .filter(people::active.eq(true))
        .order((units::sort_key.asc(), people::sort_key.asc()))
        .select((people::id, people::name, units::name, units::id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, p, u, uid)| (id, format!("{p} · {u}"), uid))
        .collect())
}
