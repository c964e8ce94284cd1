//! The contact directory (通讯录) of emergency duty: each unit in the tree's order with its contact phone, the
//! duty phones of its rosters, and who leads its duty (its people holding the duty leader or unit head role)
//! with their posts and mobile phones, masked for those who may not see them.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::db::DbConn;
use crate::duty::model::tree_order;
use crate::duty::store::directory as store;
use crate::duty::store::rosters::{active_with_units, role_holders};
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::org::model::{mask_phone, Actor, Role};
use crate::org::store as org_store;
use crate::sheets::{Cell, Paper, Table};

/// The roles whose holders lead a unit's duty, in the order the directory names them.
const LEADS: [Role; 2] = [Role::UnitHead, Role::DutyLeader];

/// A roster's duty phone.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DutyPhone {
    pub roster_id: i64,
    pub roster_name: String,
    pub phone: String,
}

/// Someone who leads a unit's duty.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Lead {
    pub person_id: i64,
    pub name: String,
    pub post: String,
    /// The mobile phone (masked for read-only viewers).
    pub phone: String,
    /// Unit head, duty leader, or both.
    pub roles: Vec<Role>,
}

/// A unit in the directory.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DirectoryUnit {
    pub unit_id: i64,
    pub name: String,
    /// How far below the top of the tree (0: a unit at the top).
    pub depth: usize,
    /// The unit's contact phone.
    pub phone: String,
    pub duty_phones: Vec<DutyPhone>,
    pub leads: Vec<Lead>,
}

/// Every active unit in the tree's order with its phones and the people who lead its duty.
pub fn directory(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<DirectoryUnit>> {
    let units = store::active_units(conn)?;
    let tree = org_store::unit_tree(conn)?;
    let mut scopes: HashMap<i64, Vec<(Role, Option<i64>)>> = HashMap::new();
    for role in LEADS {
        for (person, scope) in role_holders(conn, &[role])? {
            scopes.entry(person).or_default().push((role, scope));
        }
    }
    let ids: Vec<i64> = scopes.keys().copied().collect();
    let mut leads: HashMap<i64, Vec<Lead>> = HashMap::new();
    for p in store::active_people(conn, &ids)? {
        // A grant counts for the person's own unit when it covers it (district-wide, or over a unit above).
        let mut roles: Vec<Role> = scopes
            .get(&p.id)
            .into_iter()
            .flatten()
            .filter(|(_, scope)| scope.is_none_or(|s| tree.is_within(p.unit_id, s)))
            .map(|(role, _)| *role)
            .collect();
        roles.sort_by_key(|r| LEADS.iter().position(|l| l == r));
        roles.dedup();
        if roles.is_empty() {
            continue;
        }
        leads.entry(p.unit_id).or_default().push(Lead {
            person_id: p.id,
            phone: if actor.sees_phones() {
                p.phone
            } else {
                mask_phone(&p.phone)
            },
            name: p.name,
            post: p.post,
            roles,
        });
    }
    let mut phones: HashMap<i64, Vec<DutyPhone>> = HashMap::new();
    for r in active_with_units(conn, None)? {
        phones.entry(r.unit_id).or_default().push(DutyPhone {
            roster_id: r.id,
            roster_name: r.name,
            phone: r.duty_phone,
        });
    }
    let keys: Vec<(i64, Option<i64>, &str)> = units
        .iter()
        .map(|u| (u.id, u.parent_id, u.sort_key.as_str()))
        .collect();
    let by_id: HashMap<i64, &store::UnitLine> = units.iter().map(|u| (u.id, u)).collect();
    Ok(tree_order(&keys)
        .into_iter()
        .filter_map(|(id, depth)| {
            let u = by_id.get(&id)?;
            let mut leads = leads.remove(&id).unwrap_or_default();
            // Unit heads before duty leaders; people keep their pinyin order within each.
            leads.sort_by_key(|l| {
                l.roles
                    .first()
                    .and_then(|r| LEADS.iter().position(|x| x == r))
            });
            Some(DirectoryUnit {
                unit_id: id,
                name: u.name.clone(),
                depth,
                phone: u.phone.clone(),
                duty_phones: phones.remove(&id).unwrap_or_default(),
                leads,
            })
        })
        .collect())
}

/// The directory as a document: one row per person who leads a unit's duty (a unit without one still has
/// its row), titled, with the date of issue below.
pub fn directory_paper(units: &[DirectoryUnit], lang: Lang, issued: NaiveDate) -> Paper {
    let mut rows = Vec::new();
    for u in units {
        let duty_phones: Vec<String> = u
            .duty_phones
            .iter()
            .filter(|d| !d.phone.is_empty())
            .map(|d| format!("{} {}", d.roster_name, d.phone))
            .collect();
        let unit = vec![
            Cell::Text(u.name.clone()),
            Cell::Text(u.phone.clone()),
            Cell::Text(duty_phones.join("、")),
        ];
        if u.leads.is_empty() {
            rows.push(unit);
            continue;
        }
        for l in &u.leads {
            let roles: Vec<&str> = l.roles.iter().map(|r| r.label(lang)).collect();
            let mut row = unit.clone();
            row.extend([
                Cell::Text(l.name.clone()),
                Cell::Text(l.post.clone()),
                Cell::Text(roles.join("、")),
                Cell::Text(l.phone.clone()),
            ]);
            rows.push(row);
        }
    }
    let title = lang.t("duty.directory").to_string();
    Paper {
        table: Table {
            name: format!("{title}-{issued}"),
            sheet: title.clone(),
            headers: [
                "field.unit",
                "duty.unit_phone",
                "duty.duty_phone",
                "field.name",
                "duty.post",
                "duty.leads_as",
                "duty.mobile",
            ]
            .iter()
            .map(|k| lang.t(k).to_string())
            .collect(),
            rows,
        },
        title,
        notes: vec![format!(
            "{}{}{issued}",
            lang.t("duty.issued"),
            lang.t("colon")
        )],
    }
}
