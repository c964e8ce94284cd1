//! Units: list, view, create, edit, deactivate.

use chrono::{DateTime, Utc};

use super::{forgetting_callers, found};
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::{
    authorize, check_parent, check_unit_deactivation, Actor, OrgAction, UnitPatch, UnitTree,
};
use crate::org::store::{self, Unit, UnitFilter, UnitRecord};
use crate::pagination::{Page, PageRequest};

/// Units matching `filter`; every signed-in account may read the directory.
pub fn list(
    conn: &mut DbConn,
    filter: &UnitFilter,
    page: PageRequest,
) -> ServiceResult<Page<Unit>> {
    Ok(store::list_units(conn, filter, page)?)
}

/// One unit.
pub fn get(conn: &mut DbConn, id: i64) -> ServiceResult<Unit> {
    found(store::find_unit(conn, id)?, "该单位", "Unit")
}

/// A parent must exist and be active.
fn check_parent_exists(conn: &mut DbConn, parent: Option<i64>) -> ServiceResult<()> {
    if let Some(p) = parent {
        match store::find_unit(conn, p)? {
            Some(u) if u.active => {}
            Some(_) => {
                return Err(ServiceError::invalid(
                    "parent_id",
                    "上级单位已停用",
                    "The parent unit is inactive",
                ))
            }
            None => {
                return Err(ServiceError::invalid(
                    "parent_id",
                    "上级单位不存在",
                    "The parent unit does not exist",
                ))
            }
        }
    }
    Ok(())
}

/// Creates a unit under `parent_id` (or at the top, which needs a district-wide role).
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    patch: UnitPatch,
) -> ServiceResult<Unit> {
    let (Some(name), Some(kind)) = (patch.name, patch.kind) else {
        return Err(ServiceError::invalid(
            "name",
            "单位名称和类型必填",
            "A unit needs a name and a kind",
        ));
    };
    let parent_id = patch.parent_id.flatten();
    forgetting_callers(write_tx(conn, |c| {
        authorize(
            actor,
            OrgAction::ManageUnits,
            parent_id,
            &store::unit_tree(c)?,
        )?;
        check_parent_exists(c, parent_id)?;
        let rec = UnitRecord {
            name,
            kind,
            parent_id,
            contact_emails: patch.contact_emails.unwrap_or_default(),
            phone: patch.phone.unwrap_or_default(),
            active: patch.active.unwrap_or(true),
            updated_at: db_time(now),
        };
        let unit = store::insert_unit(c, &rec, db_time(now)).map_err(duplicate_name)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("unit", unit.id, Some(unit.id), None, Some(&unit)),
        )?;
        Ok(unit)
    }))
}

/// Edits a unit, including moving it (the actor must manage both places) and (de)activating it.
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    patch: UnitPatch,
) -> ServiceResult<Unit> {
    // Remembered callers carry the tree they were looked up with: a change forgets them.
    forgetting_callers(write_tx(conn, |c| {
        let before = found(store::find_unit(c, id)?, "该单位", "Unit")?;
        let tree: UnitTree = store::unit_tree(c)?;
        authorize(actor, OrgAction::ManageUnits, Some(id), &tree)?;
        let parent_id = patch.parent_id.unwrap_or(before.parent_id);
        if parent_id != before.parent_id {
            check_parent(&tree, id, parent_id)?;
            authorize(actor, OrgAction::ManageUnits, parent_id, &tree)?;
            check_parent_exists(c, parent_id)?;
        }
        let active = patch.active.unwrap_or(before.active);
        if before.active && !active {
            check_unit_deactivation(store::count_active_children(c, id)?)?;
        }
        let rec = UnitRecord {
            name: patch.name.unwrap_or_else(|| before.name.clone()),
            kind: patch.kind.unwrap_or(before.kind),
            parent_id,
            contact_emails: patch
                .contact_emails
                .unwrap_or_else(|| before.contact_emails.clone()),
            phone: patch.phone.unwrap_or_else(|| before.phone.clone()),
            active,
            updated_at: db_time(now),
        };
        let after = store::update_unit(c, id, &rec).map_err(duplicate_name)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("unit", id, Some(id), Some(&before), Some(&after)),
        )?;
        Ok(after)
    }))
}

fn duplicate_name(e: crate::db::WriteError) -> ServiceError {
    ServiceError::unless_duplicate(e, "已有同名单位", "A unit with this name already exists")
}

/// Every unit's id and name, for pickers and for showing parent names.
pub fn names(conn: &mut DbConn, only_active: bool) -> ServiceResult<Vec<(i64, String)>> {
    Ok(store::unit_names(conn, only_active)?)
}

/// Gives units and people recorded before pinyin ordering their sort key (at start-up).
pub fn fill_sort_keys(conn: &mut DbConn) -> ServiceResult<usize> {
    Ok(store::fill_sort_keys(conn)?)
}
