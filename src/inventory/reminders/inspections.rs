//! Equipment inspections (检查维护): a reminder when a batch's inspection falls due within the window, a
//! warning once it is past, each once per due date, to whoever keeps it (else the warehouse's custodians) and
//! the unit. Equipment already marked as needing repair is out of service until repaired: its page shows it
//! first, and no inspection reminder is sent about it.

use chrono::{DateTime, Utc};

use super::mail::{InspectionFacts, InspectionOverdue, InspectionSoon};
use super::{keepers, INSPECTION_DUE, INSPECTION_OVERDUE};
use crate::clock::today;
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::inventory::model::InspectionDue;
use crate::inventory::service::inspections::equipment_of;
use crate::inventory::store::warehouses as wh_store;
use crate::notify::render::Content;
use crate::notify::service::Outgoing;

/// The notices about `w`'s equipment due or overdue for inspection at `now`.
pub(super) fn findings(
    conn: &mut DbConn,
    w: &wh_store::Warehouse,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    ahead_days: i64,
) -> ServiceResult<Vec<Outgoing>> {
    let day = today(now, tz);
    let mut custodians = None;
    let mut out = Vec::new();
    for e in equipment_of(conn, w.id, day, tz, ahead_days)? {
        let (Some(due), Some(state), Some(interval_days), false) = (
            e.next_due,
            e.due,
            e.inspection_interval_days,
            e.needs_repair,
        ) else {
            continue;
        };
        let facts = InspectionFacts {
            item: e.item_name,
            spec: e.spec,
            batch_no: e.batch_no,
            warehouse: w.name.clone(),
            due,
            days: (due - day).num_days(),
            interval_days,
            last: e.last_inspected_on,
        };
        let (kind, content): (_, Box<dyn Content>) = match state {
            InspectionDue::Overdue => (&INSPECTION_OVERDUE, Box::new(InspectionOverdue(facts))),
            InspectionDue::DueSoon => (&INSPECTION_DUE, Box::new(InspectionSoon(facts))),
            InspectionDue::Current => continue,
        };
        let people = keepers(conn, w.id, e.custodian_id, &mut custodians)?;
        out.push(Outgoing {
            kind,
            key: format!("{}:{}:{}:{due}", kind.code, w.id, e.batch_id),
            unit_id: Some(w.unit_id),
            path: format!("/reserves/warehouses/{}/inspections/{}", w.id, e.batch_id),
            people,
            to_unit: true,
            addresses: Vec::new(),
            content,
        });
    }
    Ok(out)
}
