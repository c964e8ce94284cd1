//! A warehouse's next stocktake: a reminder when it falls due within the window, a warning once it is past.

use chrono::{DateTime, Utc};

use super::mail::{StocktakeDue, StocktakeFacts, StocktakeOverdue};
use super::{CUSTODIAN, STOCKTAKE_DUE, STOCKTAKE_OVERDUE};
use crate::clock::today;
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::inventory::model::{next_due, stocktake_reminder, StocktakeReminder};
use crate::inventory::store::{stocktakes as st_store, warehouses as wh_store};
use crate::notify::render::Content;
use crate::notify::service::Outgoing;

/// The notice about `w`'s next stocktake at `now`, if one is called for.
pub(super) fn findings(
    conn: &mut DbConn,
    w: &wh_store::Warehouse,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    ahead_days: i64,
) -> ServiceResult<Option<Outgoing>> {
    if st_store::open_of(conn, w.id)?.is_some() {
        return Ok(None);
    }
    let last = st_store::last_approved(conn, w.id)?;
    let due = next_due(last, w.created_at, w.stocktake_interval_days);
    let due_day = due.and_utc().with_timezone(&tz).date_naive();
    let facts = StocktakeFacts {
        warehouse: w.name.clone(),
        due: due_day,
        days: (due_day - today(now, tz)).num_days(),
        interval_days: w.stocktake_interval_days,
        last: last.map(|t| t.and_utc().with_timezone(&tz).date_naive()),
    };
    let (kind, content): (_, Box<dyn Content>) =
        match stocktake_reminder(due, facts.days, now, ahead_days) {
            StocktakeReminder::Overdue => (&STOCKTAKE_OVERDUE, Box::new(StocktakeOverdue(facts))),
            StocktakeReminder::DueSoon => (&STOCKTAKE_DUE, Box::new(StocktakeDue(facts))),
            StocktakeReminder::None => return Ok(None),
        };
    Ok(Some(Outgoing {
        kind,
        key: format!("{}:{}:{due_day}", kind.code, w.id),
        unit_id: Some(w.unit_id),
        path: format!("/reserves/warehouses/{}", w.id),
        people: wh_store::custodians(conn, w.id)?
            .into_iter()
            .map(|p| (p, &CUSTODIAN))
            .collect(),
        to_unit: true,
        addresses: Vec::new(),
        content,
    }))
}
