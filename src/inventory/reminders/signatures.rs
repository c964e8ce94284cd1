//! Second signatures (双签字): vouchers waiting too long for theirs, and emergency issues that went out first
//! and still owe theirs (事后补办). To the unit's people who may sign, never the author.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use super::mail::{CountersignOwed, CountersignWaiting, VoucherFacts};
use super::{COUNTERSIGNER, COUNTERSIGN_OWED, COUNTERSIGN_WAITING};
use crate::db::{db_time, DbConn};
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::inventory::model::{MovementKind, StockAction};
use crate::inventory::store::ledger::{self as ledger_store, Movement};
use crate::inventory::store::warehouses::Warehouse;
use crate::notify::model::Reason;
use crate::notify::service::Outgoing;
use crate::org::model::{grants_cover, Actor, UnitTree};
use crate::org::store::{self as org_store, Reachable};

fn waiting_key(movement: i64) -> String {
    format!("countersign_waiting:{movement}")
}

fn owed_key(movement: i64) -> String {
    format!("countersign_owed:{movement}")
}

/// The occasions of the reminders to sign a voucher, withdrawn once it is signed.
pub fn waiting_keys(movement: i64) -> [String; 2] {
    [waiting_key(movement), owed_key(movement)]
}

/// People who may sign `m` (an approver for a write-off), except its author. Only grants scoped to units
/// count: district-wide roles would hear of every voucher.
fn countersigners(
    reachable: &[Reachable],
    tree: &UnitTree,
    kind: MovementKind,
    unit_id: i64,
    created_by: i64,
) -> Vec<(i64, &'static Reason)> {
    let roles = StockAction::to_sign(kind).roles();
    let mut people: Vec<i64> = reachable
        .iter()
        .filter(|p| p.account_id != created_by)
        .filter(|p| {
            let scoped: Vec<_> = p
                .grants
                .iter()
                .copied()
                .filter(|g| g.unit_id.is_some())
                .collect();
            grants_cover(&scoped, roles, Some(unit_id), tree)
        })
        .map(|p| p.person_id)
        .collect();
    people.sort_unstable();
    people.dedup();
    people.into_iter().map(|p| (p, &COUNTERSIGNER)).collect()
}

fn facts(
    conn: &mut DbConn,
    m: &Movement,
    warehouse: &str,
    at: NaiveDateTime,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<VoucherFacts> {
    Ok(VoucherFacts {
        voucher_no: m.voucher_no.clone(),
        kind_zh: m.kind.label(Lang::Zh).into(),
        kind_en: m.kind.label(Lang::En).into(),
        warehouse: warehouse.into(),
        at: at
            .and_utc()
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        by: org_store::display_name(conn, m.created_by)?,
        hours: (now.naive_utc() - at).num_hours(),
    })
}

/// The countersignature-owed notice for an emergency issue `m` in `warehouse`, to `people` ([`owed_to`]);
/// sent at posting, in its transaction, and found again by the scan while it is owed.
pub fn countersign_owed(
    conn: &mut DbConn,
    m: &Movement,
    warehouse: &str,
    people: Vec<(i64, &'static Reason)>,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<Outgoing> {
    let posted = m.posted_at.unwrap_or(m.created_at);
    Ok(Outgoing {
        kind: &COUNTERSIGN_OWED,
        key: owed_key(m.id),
        unit_id: Some(m.unit_id),
        path: format!("/reserves/movements/{}", m.id),
        people,
        to_unit: true,
        addresses: Vec::new(),
        content: Box::new(CountersignOwed(facts(conn, m, warehouse, posted, now, tz)?)),
    })
}

/// Who is told that an emergency issue of `kind` recorded by `by` in `unit_id` owes its countersignature
/// (read before the voucher's write lock is taken; see [`countersign_owed`]). The unit tree is the one
/// remembered with the caller when there is one.
pub fn owed_to(
    conn: &mut DbConn,
    kind: MovementKind,
    unit_id: i64,
    by: &Actor,
) -> ServiceResult<Vec<(i64, &'static Reason)>> {
    let reachable = org_store::reachable_people(conn)?;
    let tree = match &by.units {
        Some(tree) => tree.clone(),
        None => std::sync::Arc::new(org_store::unit_tree(conn)?),
    };
    Ok(countersigners(
        &reachable,
        &tree,
        kind,
        unit_id,
        by.account_id,
    ))
}

/// Vouchers waiting longer than `after_hours` for their signature, and emergency issues owing theirs.
pub(super) fn findings(
    conn: &mut DbConn,
    warehouses: &[Warehouse],
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    after_hours: i64,
) -> ServiceResult<Vec<Outgoing>> {
    let waiting = ledger_store::waiting_since(conn, db_time(now - Duration::hours(after_hours)))?;
    let owing = ledger_store::owing_countersignature(conn)?;
    if waiting.is_empty() && owing.is_empty() {
        return Ok(Vec::new());
    }
    let reachable = org_store::reachable_people(conn)?;
    let tree = org_store::unit_tree(conn)?;
    let name_of = |id: i64| {
        warehouses
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.name.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for m in waiting {
        let facts = facts(conn, &m, &name_of(m.warehouse_id), m.created_at, now, tz)?;
        out.push(Outgoing {
            kind: &COUNTERSIGN_WAITING,
            key: waiting_key(m.id),
            unit_id: Some(m.unit_id),
            path: format!("/reserves/movements/{}", m.id),
            people: countersigners(&reachable, &tree, m.kind, m.unit_id, m.created_by),
            to_unit: true,
            addresses: Vec::new(),
            content: Box::new(CountersignWaiting(facts)),
        });
    }
    for m in owing {
        let people = countersigners(&reachable, &tree, m.kind, m.unit_id, m.created_by);
        out.push(countersign_owed(
            conn,
            &m,
            &name_of(m.warehouse_id),
            people,
            now,
            tz,
        )?);
    }
    Ok(out)
}
