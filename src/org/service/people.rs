//! People: the district's staff directory.

use chrono::{DateTime, Utc};

use super::forgetting_callers;
use super::found;
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::{authorize, mask_phone, Actor, OrgAction, PersonPatch};
use crate::org::store::{self, Person, PersonFilter, PersonRecord};
use crate::pagination::{Page, PageRequest};

/// A person as `actor` may see them: phone numbers are personal information, masked (138****1234) for
/// accounts whose roles do not need them.
fn as_seen_by(actor: &Actor, mut p: Person) -> Person {
    if !actor.sees_phones() {
        p.phone = mask_phone(&p.phone);
    }
    p
}

/// People matching `filter`; every signed-in account may read the directory.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    filter: &PersonFilter,
    page: PageRequest,
) -> ServiceResult<Page<Person>> {
    Ok(store::list_people(conn, filter, page)?.map(|p| as_seen_by(actor, p)))
}

/// One person.
pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<Person> {
    found(store::find_person(conn, id)?, "该人员", "Person").map(|p| as_seen_by(actor, p))
}

fn check_unit(conn: &mut DbConn, unit_id: i64) -> ServiceResult<()> {
    match store::find_unit(conn, unit_id)? {
        Some(u) if u.active => Ok(()),
        Some(_) => Err(ServiceError::invalid(
            "unit_id",
            "所属单位已停用",
            "The unit is inactive",
        )),
        None => Err(ServiceError::invalid(
            "unit_id",
            "所属单位不存在",
            "The unit does not exist",
        )),
    }
}

/// Adds a person to a unit the actor manages.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    patch: PersonPatch,
) -> ServiceResult<Person> {
    let (Some(unit_id), Some(name)) = (patch.unit_id, patch.name) else {
        return Err(ServiceError::invalid(
            "name",
            "人员需要姓名和所属单位",
            "A person needs a name and a unit",
        ));
    };
    write_tx(conn, |c| {
        authorize(
            actor,
            OrgAction::ManagePeople,
            Some(unit_id),
            &store::unit_tree(c)?,
        )?;
        check_unit(c, unit_id)?;
        let rec = PersonRecord {
            unit_id,
            name,
            post: patch.post.unwrap_or_default(),
            phone: patch.phone.unwrap_or_default(),
            email: patch.email.unwrap_or_default(),
            active: patch.active.unwrap_or(true),
            updated_at: db_time(now),
        };
        let person = store::insert_person(c, &rec, db_time(now))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("person", person.id, Some(unit_id), None, Some(&person)),
        )?;
        Ok(person)
    })
}

/// Edits a person; moving them needs rights in both units.
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    patch: PersonPatch,
) -> ServiceResult<Person> {
    forgetting_callers(write_tx(conn, |c| {
        let before = found(store::find_person(c, id)?, "该人员", "Person")?;
        let tree = store::unit_tree(c)?;
        authorize(actor, OrgAction::ManagePeople, Some(before.unit_id), &tree)?;
        let unit_id = patch.unit_id.unwrap_or(before.unit_id);
        if unit_id != before.unit_id {
            authorize(actor, OrgAction::ManagePeople, Some(unit_id), &tree)?;
            check_unit(c, unit_id)?;
        }
        let rec = PersonRecord {
            unit_id,
            name: patch.name.unwrap_or_else(|| before.name.clone()),
            post: patch.post.unwrap_or_else(|| before.post.clone()),
            phone: patch.phone.unwrap_or_else(|| before.phone.clone()),
            email: patch.email.unwrap_or_else(|| before.email.clone()),
            active: patch.active.unwrap_or(before.active),
            updated_at: db_time(now),
        };
        let after = store::update_person(c, id, &rec)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("person", id, Some(unit_id), Some(&before), Some(&after)),
        )?;
        Ok(after)
    }))
}

/// Active people as `(id, "name · unit")`, for pickers.
pub fn names(conn: &mut DbConn) -> ServiceResult<Vec<(i64, String)>> {
    Ok(store::person_names(conn)?)
}

/// Active people to pick a custodian from: those of `unit_id` first (the people who work there), then the
/// rest of the district, each group by unit and name.
pub fn picker(conn: &mut DbConn, unit_id: i64) -> ServiceResult<Vec<(i64, String)>> {
    let mut all = store::people_with_units(conn)?;
    all.sort_by_key(|(_, _, u)| *u != unit_id);
    Ok(all.into_iter().map(|(id, label, _)| (id, label)).collect())
}
