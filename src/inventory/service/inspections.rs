//! Equipment inspection and maintenance (检查维护): the equipment a warehouse holds and when each is due,
//! recording an inspection (which marks a batch as needing repair or clears the mark), a batch's history, and
//! the gate that keeps equipment needing repair from going out except in an emergency. Other areas
//! (allocation) call [`repair_gate`] before they send stock out.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{book_hidden_for, visible_warehouses, warehouse_for};
use crate::audit::{model::Change, service as audit};
use crate::clock::today;
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Text;
use crate::inventory::model::{
    check_kept_by_hand, inspection_due, next_inspection, repair_overrides, InspectionDue,
    InspectionInput, InspectionResult, MovementKind, Quantity, StockAction,
};
use crate::inventory::reminders::inspection_ahead_days;
use crate::inventory::store::inspections::{
    self as store, EquipmentRow, Inspection, NewInspection,
};
use crate::inventory::store::{
    catalogue as cat_store, ledger as ledger_store, warehouses as wh_store,
};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// Most inspections a batch's history shows.
const HISTORY: i64 = 200;

/// A piece of equipment in a warehouse (a batch of an item inspected at intervals, or one marked as needing
/// repair) and where it stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectedEquipment {
    pub batch_id: i64,
    pub item_id: i64,
    pub item_code: String,
    pub item_name: String,
    pub spec: String,
    pub batch_no: String,
    pub uom: String,
    /// Held here, an exact decimal; null while the caller counts this warehouse blind.
    pub qty: Option<String>,
    /// Who keeps it here (null: the warehouse's custodians).
    pub custodian_id: Option<i64>,
    /// Days between inspections; null when the item has none (the batch is listed because it needs repair).
    pub inspection_interval_days: Option<i32>,
    pub last_inspected_on: Option<NaiveDate>,
    pub last_result: Option<InspectionResult>,
    /// The last inspection (or, before any, the day the batch was registered) plus the interval.
    pub next_due: Option<NaiveDate>,
    pub due: Option<InspectionDue>,
    /// Days from today to `next_due` (negative once overdue).
    pub days_left: Option<i64>,
    /// Found needing repair (待修): not issued, loaned, transferred or reserved until repaired, except by an
    /// emergency issue.
    pub needs_repair: bool,
}

/// The equipment warehouse `warehouse_id` holds on office day `day`, needing repair first, then by due state
/// and date (no authorization: the reminders and tasks read it too).
pub(crate) fn equipment_of(
    conn: &mut DbConn,
    warehouse_id: i64,
    day: NaiveDate,
    tz: chrono_tz::Tz,
    ahead_days: i64,
) -> ServiceResult<Vec<InspectedEquipment>> {
    let rows = store::equipment(conn, warehouse_id)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.batch_id).collect();
    let latest = store::latest(conn, &ids)?;
    let mut out: Vec<InspectedEquipment> = rows
        .into_iter()
        .map(|r| {
            let last = latest.iter().find(|i| i.batch_id == r.batch_id);
            equipment(r, last, day, tz, ahead_days)
        })
        .collect();
    out.sort_by_key(|e| (!e.needs_repair, e.due.is_none(), e.due, e.next_due));
    Ok(out)
}

fn equipment(
    r: EquipmentRow,
    last: Option<&Inspection>,
    day: NaiveDate,
    tz: chrono_tz::Tz,
    ahead_days: i64,
) -> InspectedEquipment {
    let registered = r.registered_at.and_utc().with_timezone(&tz).date_naive();
    let last_on = last.map(|i| i.inspected_on);
    let next_due = r
        .interval_days
        .map(|days| next_inspection(last_on, registered, days));
    InspectedEquipment {
        due: next_due.map(|d| inspection_due(d, day, ahead_days)),
        days_left: next_due.map(|d| (d - day).num_days()),
        next_due,
        last_inspected_on: last_on,
        last_result: last.map(|i| i.result),
        qty: Some(Quantity::from_milli(r.qty).to_string()),
        batch_id: r.batch_id,
        item_id: r.item_id,
        item_code: r.item_code,
        item_name: r.item_name,
        spec: r.spec,
        batch_no: r.batch_no,
        uom: r.uom,
        custodian_id: r.custodian_id,
        inspection_interval_days: r.interval_days,
        needs_repair: r.needs_repair,
    }
}

/// The equipment of a warehouse the actor may see, needing repair and overdue first (due soon within the
/// reminders' window, `STANDBY_INSPECTION_REMIND_DAYS`).
pub fn equipment_list(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    cfg: &Config,
    warehouse_id: i64,
) -> ServiceResult<Vec<InspectedEquipment>> {
    let w = warehouse_for(conn, actor, warehouse_id, StockAction::View)?;
    let hidden = book_hidden_for(conn, actor, &w)?;
    let (tz, ahead) = (cfg.timezone, inspection_ahead_days(&cfg.vars)?);
    let mut list = equipment_of(conn, w.id, today(now, tz), tz, ahead)?;
    if hidden {
        list.iter_mut().for_each(|e| e.qty = None);
    }
    Ok(list)
}

/// An inspection as people read it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionView {
    #[serde(flatten)]
    pub inspection: Inspection,
    pub batch_no: String,
    pub item_name: String,
    pub warehouse: String,
    /// Who recorded it, by name.
    pub inspected_by_name: String,
}

/// Inspections as people read them: each batch, warehouse and recorder looked up once.
fn views(conn: &mut DbConn, rows: Vec<Inspection>) -> ServiceResult<Vec<InspectionView>> {
    let distinct = |f: fn(&Inspection) -> i64| {
        let mut ids: Vec<i64> = rows.iter().map(f).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let labels = cat_store::batch_labels(conn, Some(&distinct(|i| i.batch_id)))?;
    let places = wh_store::find_many(conn, &distinct(|i| i.warehouse_id))?;
    let mut people = HashMap::new();
    for a in distinct(|i| i.inspected_by) {
        people.insert(a, org_store::display_name(conn, a)?);
    }
    Ok(rows
        .into_iter()
        .map(|i| {
            let label = labels.iter().find(|l| l.batch_id == i.batch_id);
            InspectionView {
                batch_no: label.map(|l| l.batch_no.clone()).unwrap_or_default(),
                item_name: label.map(|l| l.item_name.clone()).unwrap_or_default(),
                warehouse: places
                    .iter()
                    .find(|w| w.id == i.warehouse_id)
                    .map(|w| w.name.clone())
                    .unwrap_or_default(),
                inspected_by_name: people.get(&i.inspected_by).cloned().unwrap_or_default(),
                inspection: i,
            }
        })
        .collect())
}

/// Records an inspection of a batch held in warehouse `warehouse_id` (those who may move its stock; goods on
/// the road are inspected where they arrive): an inspection that finds it needing repair marks the batch, one
/// that passes it or says it was repaired clears the mark. Audited, the batch's change too.
pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    warehouse_id: i64,
    batch_id: i64,
    input: InspectionInput,
) -> ServiceResult<InspectionView> {
    let day = today(now, tz);
    let saved = write_tx(conn, |c| {
        let w = warehouse_for(c, actor, warehouse_id, StockAction::Move)?;
        check_kept_by_hand(w.kind, &w.name)?;
        let before = cat_store::find_batch(c, batch_id)?
            .ok_or_else(|| ServiceError::not_found("该批次", "Batch"))?;
        if ledger_store::balance(c, w.id, batch_id)? <= Quantity::ZERO {
            return Err(ServiceError::Invalid {
                field: "batch_id",
                message: Text::new(
                    format!(
                        "批次 {} 不在「{}」，请在它所在的储备库登记检查",
                        before.batch_no, w.name
                    ),
                    format!(
                        "Batch {} is not held in {}: record its inspection where it is",
                        before.batch_no, w.name
                    ),
                ),
            });
        }
        let last = store::of_batch(c, batch_id, 1)?
            .first()
            .map(|i| i.inspected_on);
        input.check(day, last, before.needs_repair)?;
        let row = store::insert(
            c,
            &NewInspection {
                batch_id,
                warehouse_id: w.id,
                inspected_on: input.inspected_on,
                result: input.result,
                findings: input.findings.clone(),
                inspected_by: actor.account_id,
                recorded_at: db_time(now),
            },
        )?;
        let change = Change::of("inspection", row.id, Some(w.unit_id), None, Some(&row));
        audit::record(c, Some(actor), now, change)?;
        let needs = input.result.needs_repair();
        if needs != before.needs_repair {
            store::set_needs_repair(c, batch_id, needs)?;
            let after = cat_store::find_batch(c, batch_id)?;
            let change = Change::of(
                "batch",
                batch_id,
                Some(w.unit_id),
                Some(&before),
                after.as_ref(),
            );
            audit::record(c, Some(actor), now, change)?;
        }
        Ok::<_, ServiceError>(row)
    })?;
    views(conn, vec![saved])?
        .pop()
        .ok_or_else(|| ServiceError::Internal("an inspection recorded and not read back".into()))
}

/// A batch's inspections the actor may see (those made in warehouses they may see), latest first.
pub fn history(
    conn: &mut DbConn,
    actor: &Actor,
    batch_id: i64,
) -> ServiceResult<Vec<InspectionView>> {
    cat_store::find_batch(conn, batch_id)?
        .ok_or_else(|| ServiceError::not_found("该批次", "Batch"))?;
    let visible: Vec<i64> = visible_warehouses(conn, actor)?
        .into_iter()
        .map(|w| w.id)
        .collect();
    let rows = store::of_batch(conn, batch_id, HISTORY)?
        .into_iter()
        .filter(|i| visible.contains(&i.warehouse_id))
        .collect();
    views(conn, rows)
}

/// Refuses a voucher of `kind` that would take batches needing repair out for use, loan or transfer, unless
/// it is an emergency; returns the numbers of the batches an emergency takes anyway, which the voucher
/// records (`ledger::store::set_repair_override`).
pub fn repair_gate(
    conn: &mut DbConn,
    kind: MovementKind,
    emergency: bool,
    batch_ids: &[i64],
) -> ServiceResult<Vec<String>> {
    let batches = cat_store::find_batches(conn, batch_ids)?;
    repair_overrides(
        kind,
        emergency,
        batches
            .iter()
            .map(|b| (b.needs_repair, b.batch_no.as_str())),
    )
}
