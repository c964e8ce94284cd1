//! Audit rows: append and search.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::Change;
use crate::db::schema::audit_log;
use crate::db::DbConn;
use crate::pagination::{Page, PageRequest};

/// A stored audit record.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub unit_id: Option<i64>,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// Appends one record.
pub fn insert(
    conn: &mut DbConn,
    at: NaiveDateTime,
    actor: Option<(i64, &str)>,
    change: &Change,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(at),
            audit_log::actor_id.eq(actor.map(|a| a.0)),
            audit_log::actor_name.eq(actor.map_or("system", |a| a.1)),
            audit_log::unit_id.eq(change.unit_id),
            audit_log::entity.eq(change.entity),
            audit_log::entity_id.eq(change.entity_id),
            audit_log::action.eq(change.action),
            audit_log::before_json.eq(change.before.as_ref().map(|v| v.to_string())),
            audit_log::after_json.eq(change.after.as_ref().map(|v| v.to_string())),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Search criteria; `visible_units = Some(..)` restricts to those units (district-wide rows excluded).
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub action: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub visible_units: Option<Vec<i64>>,
}

fn filtered(f: &AuditFilter) -> audit_log::BoxedQuery<'static, crate::db::MultiBackend> {
    let mut q = audit_log::table.into_boxed();
    if let Some(v) = &f.entity {
        q = q.filter(audit_log::entity.eq(v.clone()));
    }
    if let Some(v) = f.entity_id {
        q = q.filter(audit_log::entity_id.eq(v));
    }
    if let Some(v) = f.actor_id {
        q = q.filter(audit_log::actor_id.eq(v));
    }
    if let Some(v) = f.unit_id {
        q = q.filter(audit_log::unit_id.eq(v));
    }
    if let Some(v) = &f.action {
        q = q.filter(audit_log::action.eq(v.clone()));
    }
    if let Some(v) = f.from {
        q = q.filter(audit_log::at.ge(v));
    }
    if let Some(v) = f.to {
        q = q.filter(audit_log::at.lt(v));
    }
    if let Some(units) = &f.visible_units {
        q = q.filter(audit_log::unit_id.eq_any(units.clone()));
    }
    q
}

/// One page of matching records, newest first.
pub fn list(conn: &mut DbConn, f: &AuditFilter, page: PageRequest) -> QueryResult<Page<AuditRow>> {
    let total = filtered(f).count().get_result::<i64>(conn)?;
    let rows = filtered(f)
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .offset(page.offset())
        .limit(page.per_page)
        .select(AuditRow::as_select())
        .load(conn)?;
    Ok(Page::new(rows, total, page))
}
