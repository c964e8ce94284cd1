//! Audit use cases: record a change inside the caller's transaction; browse the trail within one's scope.

use chrono::{DateTime, Utc};

use super::model::Change;
use super::store::{self, AuditFilter, AuditRow};
use crate::db::{db_time, DbConn};
use crate::error::ServiceResult;
use crate::org::model::Actor;
use crate::pagination::{Page, PageRequest};

/// Records `change` by `actor` (or the system) at `now`. Call inside the use case's transaction.
pub fn record(
    conn: &mut DbConn,
    actor: Option<&Actor>,
    now: DateTime<Utc>,
    change: Change,
) -> ServiceResult<()> {
    let who = actor
        .filter(|a| !a.is_system())
        .map(|a| (a.account_id, a.username.as_str()));
    store::insert(conn, db_time(now), who, &change)?;
    Ok(())
}

/// Audit records an administrator may see: all for a district administrator, otherwise those of the
/// units within their scopes.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    mut filter: AuditFilter,
    page: PageRequest,
) -> ServiceResult<Page<AuditRow>> {
    filter.visible_units = crate::org::store::administered_units(conn, actor)?;
    Ok(store::list(conn, &filter, page)?)
}
