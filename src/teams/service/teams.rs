//! Teams: create and edit (with their specialities), one team with everything about it, the equipment
//! it carries (linked to the reserves, so a team's pumps are the stock the keepers count).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::readiness::{Facts, TeamStatus};
use super::{managed_team, manages, phone_for, team_for};
use crate::audit::{model::Change, service as audit};
use crate::clock::today;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::Quantity;
use crate::inventory::service::stock as stock_service;
use crate::inventory::store::{catalogue as cat_store, warehouses as wh_store};
use crate::org::model::Actor;
use crate::org::store as org_store;
use crate::teams::model::{authorize_new_team, TeamInput};
use crate::teams::store::lists;
use crate::teams::store::members::{self as member_store, Member};
use crate::teams::store::teams::{self as store, Equipment, Team};

/// A team as audited: the record with its specialities.
#[derive(Debug, Clone, Serialize)]
struct Audited<'a> {
    #[serde(flatten)]
    team: &'a Team,
    specialities: &'a [String],
}

fn check(conn: &mut DbConn, input: &TeamInput) -> ServiceResult<()> {
    match org_store::find_unit(conn, input.unit_id)? {
        Some(u) if u.active => {}
        _ => {
            return Err(ServiceError::invalid(
                "unit_id",
                "所属单位不存在或已停用",
                "The unit does not exist or is inactive",
            ))
        }
    }
    let known = lists::specialities(conn)?;
    if let Some(bad) = input
        .specialities
        .iter()
        .find(|s| !known.iter().any(|k| k.active && &k.code == *s))
    {
        return Err(ServiceError::Invalid {
            field: "specialities",
            message: crate::i18n::Text::new(
                format!("没有专长“{bad}”，请从列表中选择"),
                format!("No speciality `{bad}`; choose from the list"),
            ),
        });
    }
    Ok(())
}

fn duplicate(e: crate::db::WriteError) -> ServiceError {
    ServiceError::unless_duplicate(
        e,
        "已有同名救援队伍",
        "A team with this name already exists",
    )
}

/// Creates a team for a unit the actor manages.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    input: TeamInput,
) -> ServiceResult<Team> {
    write_tx(conn, |c| {
        check(c, &input)?;
        authorize_new_team(actor, input.unit_id, &*org_store::tree_of(c, actor)?)?;
        let team = store::insert(c, &input, db_time(now)).map_err(duplicate)?;
        let after = Audited {
            team: &team,
            specialities: &input.specialities,
        };
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("team", team.id, Some(team.unit_id), None, Some(&after)),
        )?;
        Ok(team)
    })
}

/// Changes a team (its leaders may; moving it to another unit takes a role over that unit too).
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    input: TeamInput,
    active: bool,
) -> ServiceResult<Team> {
    write_tx(conn, |c| {
        let before = managed_team(c, actor, id)?;
        check(c, &input)?;
        if input.unit_id != before.unit_id || active != before.active {
            authorize_new_team(actor, input.unit_id, &*org_store::tree_of(c, actor)?)?;
        }
        let specialities_before = store::specialities_of(c, id)?;
        let after = store::update(c, id, &input, active, db_time(now)).map_err(duplicate)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "team",
                id,
                Some(after.unit_id),
                Some(&Audited {
                    team: &before,
                    specialities: &specialities_before,
                }),
                Some(&Audited {
                    team: &after,
                    specialities: &input.specialities,
                }),
            ),
        )?;
        Ok(after)
    })
}

/// Every team's id and name (to label memberships).
pub fn names(conn: &mut DbConn) -> ServiceResult<Vec<(i64, String)>> {
    Ok(store::all(conn)?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect())
}

/// Every active team's id and name, by name (for other areas to offer as choices).
pub fn active_names(conn: &mut DbConn) -> ServiceResult<Vec<(i64, String)>> {
    Ok(store::all(conn)?
        .into_iter()
        .filter(|t| t.active)
        .map(|t| (t.id, t.name))
        .collect())
}

/// Equipment with what it is and how much of it the book holds.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EquipmentView {
    #[serde(flatten)]
    pub link: Equipment,
    pub warehouse: String,
    /// The item's code and name, when one item is linked.
    pub item: Option<String>,
    /// The book quantity and unit of the item, or how many kinds of stock the warehouse holds; null when
    /// the caller may not see that warehouse's book.
    pub on_hand: Option<String>,
}

fn equipment_view(conn: &mut DbConn, actor: &Actor, e: Equipment) -> ServiceResult<EquipmentView> {
    let warehouse = wh_store::find(conn, e.warehouse_id)?
        .map(|w| w.name)
        .unwrap_or_default();
    let item = match e.item_id {
        Some(i) => cat_store::find_item(conn, i)?,
        None => None,
    };
    let on_hand = match stock_service::stock(conn, actor, e.warehouse_id, e.item_id, None) {
        Ok(s) if !s.book_hidden => Some(match &item {
            Some(i) => format!(
                "{} {}",
                Quantity::from_milli(s.rows.iter().map(|r| r.qty).sum()),
                i.uom
            ),
            None => {
                let mut kinds: Vec<i64> = s
                    .rows
                    .iter()
                    .filter(|r| r.qty > 0)
                    .map(|r| r.item_id)
                    .collect();
                kinds.sort_unstable();
                kinds.dedup();
                match actor.lang {
                    crate::i18n::Lang::Zh => format!("{} 种物资", kinds.len()),
                    crate::i18n::Lang::En => format!("{} kinds of stock", kinds.len()),
                }
            }
        }),
        Ok(_) | Err(ServiceError::Forbidden) => None,
        Err(e) => return Err(e),
    };
    Ok(EquipmentView {
        item: item.map(|i| format!("{} {}", i.code, i.name)),
        link: e,
        warehouse,
        on_hand,
    })
}

/// Everything about one team.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TeamView {
    #[serde(flatten)]
    pub status: TeamStatus,
    pub members: Vec<Member>,
    pub equipment: Vec<EquipmentView>,
    /// Members on approved leave today.
    pub on_leave: Vec<i64>,
    /// Members available but without a valid certificate the team's specialities require, with the names of
    /// the certificate types they lack (in the caller's language).
    pub lacking: Vec<(i64, Vec<String>)>,
    /// Whether the caller manages the team (pages show its forms).
    pub manageable: bool,
}

/// One team with its readiness today, members (phones as the caller may see them) and equipment.
pub fn get(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<TeamView> {
    let team = team_for(conn, id)?;
    let day: NaiveDate = today(now, tz);
    let facts = Facts::read(conn, day, Some(&[id]))?;
    let mut status = facts.status(actor, &team);
    let required = facts.required(&status.specialities);
    let (mut on_leave, mut lacking) = (Vec::new(), Vec::new());
    for (_, f) in facts.roster(id) {
        if f.on_leave {
            on_leave.push(f.person_id);
        } else if f.available() && !f.qualified(&required) {
            let names = required
                .iter()
                .filter(|r| !f.holds(r))
                .map(|r| match actor.lang {
                    crate::i18n::Lang::Zh => r.name.clone(),
                    crate::i18n::Lang::En => r.name_en.clone(),
                })
                .collect();
            lacking.push((f.person_id, names));
        }
    }
    let manageable = manages(conn, actor, &team)?;
    let members: Vec<Member> = member_store::of_teams(conn, Some(&[id]))?;
    // Those who manage the team call its members, its 队长/副队长 too, whatever their roles.
    if manageable {
        for l in &mut status.leaders {
            if let Some(m) = members.iter().find(|m| m.person_id == l.person_id) {
                l.phone.clone_from(&m.phone);
            }
        }
    }
    let members = members
        .into_iter()
        .map(|mut m| {
            if !manageable {
                m.phone = phone_for(actor, &m.phone);
            }
            m
        })
        .collect();
    let equipment = store::equipment_of(conn, id)?
        .into_iter()
        .map(|e| equipment_view(conn, actor, e))
        .collect::<ServiceResult<_>>()?;
    Ok(TeamView {
        on_leave,
        lacking,
        manageable,
        status,
        members,
        equipment,
    })
}

/// Links a warehouse's stock, or one item of it, to a team the actor manages.
pub fn add_equipment(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    team: i64,
    warehouse: i64,
    item: Option<i64>,
    note: &str,
) -> ServiceResult<Equipment> {
    let note = crate::org::model::optional_text("note", note, 100)?;
    write_tx(conn, |c| {
        let t = managed_team(c, actor, team)?;
        if !wh_store::find(c, warehouse)?.is_some_and(|w| w.active) {
            return Err(ServiceError::invalid(
                "warehouse_id",
                "储备库不存在或已停用",
                "The warehouse does not exist or is inactive",
            ));
        }
        if let Some(i) = item {
            if cat_store::find_item(c, i)?.is_none() {
                return Err(ServiceError::invalid(
                    "item_id",
                    "没有这种物资",
                    "No such item",
                ));
            }
            if crate::inventory::store::ledger::stock(c, warehouse, Some(i), None)?.is_empty() {
                return Err(ServiceError::invalid(
                    "item_id",
                    "这个储备库没有这种物资的账，请先核对物资编码或储备库",
                    "The warehouse keeps no stock of this item; check the item code or the warehouse",
                ));
            }
        }
        let e = store::add_equipment(c, team, warehouse, item, &note).map_err(|e| {
            ServiceError::unless_duplicate(
                e,
                "已关联过这项装备",
                "This equipment is already linked",
            )
        })?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("team_equipment", e.id, Some(t.unit_id), None, Some(&e)),
        )?;
        Ok(e)
    })
}

/// The item with this catalogue code (blank: none), for forms that name an item by its code.
pub fn item_of_code(conn: &mut DbConn, code: &str) -> ServiceResult<Option<i64>> {
    match code.trim() {
        "" => Ok(None),
        code => cat_store::find_item_by_code(conn, code)?
            .map(|i| Some(i.id))
            .ok_or_else(|| {
                ServiceError::invalid("item_code", "没有这个物资编码", "No item has this code")
            }),
    }
}

/// Removes an equipment link from a team the actor manages.
pub fn remove_equipment(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    team: i64,
    id: i64,
) -> ServiceResult<()> {
    write_tx(conn, |c| {
        let t = managed_team(c, actor, team)?;
        let before = store::equipment_of(c, team)?
            .into_iter()
            .find(|e| e.id == id)
            .ok_or_else(|| ServiceError::not_found("该装备关联", "Equipment link"))?;
        store::remove_equipment(c, team, id)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("team_equipment", id, Some(t.unit_id), Some(&before), None),
        )?;
        Ok(())
    })
}
