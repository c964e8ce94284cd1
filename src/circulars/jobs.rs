//! The escalation job: a unit that has still not acknowledged an issued circular the configured time after
//! its deadline is escalated to its head, once (recorded on the unit's row in the same transaction as the
//! notice, so instances racing each other tell the head once). It then stays on the overdue report.

use chrono::{DateTime, Utc};

use crate::circulars::notices::{self, Occasion};
use crate::circulars::store;
use crate::circulars::Area;
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::ServiceResult;
use crate::org::store as org_store;
use crate::state::AppState;

/// Escalates every unit due for it at `now`; returns how many.
pub async fn escalate(state: &AppState, area: Area, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let cfg = state.config.clone();
    Ok(state.db(move |c| escalate_due(c, &cfg, &area, now)).await?)
}

/// Escalates every unit due for it at `now`, each in its own short transaction; returns how many.
pub fn escalate_due(
    conn: &mut DbConn,
    cfg: &Config,
    area: &Area,
    now: DateTime<Utc>,
) -> ServiceResult<usize> {
    let rule = area.settings.escalation;
    let due: Vec<_> = store::overdue(conn, db_time(now))?
        .into_iter()
        .filter(|(c, r)| rule.due_now(c.ack_due.and_utc(), false, r.escalated_at.is_some(), now))
        .collect();
    if due.is_empty() {
        return Ok(0);
    }
    let people = org_store::reachable_people(conn)?;
    let names = org_store::unit_names(conn, false)?;
    let mut n = 0;
    for (c, row) in due {
        n += usize::from(escalate_one(
            conn,
            cfg,
            area,
            &people,
            &names,
            &c,
            row.unit_id,
            now,
        )?);
    }
    Ok(n)
}

/// Tells the head of `unit` that it has not acknowledged `c`, and records it, in one transaction; false
/// when it had been told already or has acknowledged meanwhile.
#[allow(clippy::too_many_arguments)]
pub fn escalate_one(
    conn: &mut DbConn,
    cfg: &Config,
    area: &Area,
    people: &[crate::org::store::Reachable],
    names: &[(i64, String)],
    c: &store::Circular,
    unit: i64,
    now: DateTime<Utc>,
) -> ServiceResult<bool> {
    let name = |id: i64| {
        names
            .iter()
            .find(|(u, _)| *u == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let fields = store::fields_of(conn, c.id)?;
    let files: Vec<String> = store::files_of(conn, c.id)?
        .into_iter()
        .map(|f| f.file_name)
        .collect();
    let unit_name = name(unit);
    let text = notices::mail(
        area,
        c,
        &name(c.from_unit_id),
        (unit, &unit_name),
        &fields,
        &files,
        Occasion::Escalated,
        cfg.timezone,
    );
    write_tx(conn, |tx| {
        if !store::escalated(tx, c.id, unit, db_time(now))? {
            return Ok(false);
        }
        let out = notices::outgoing(
            tx,
            people,
            text,
            c,
            unit,
            format!("circular_escalated:{}:{unit}", c.id),
        )?;
        crate::notify::service::enqueue(tx, cfg, now, &out)?;
        let change = crate::audit::model::Change::of(
            "circular",
            c.id,
            Some(unit),
            None::<&serde_json::Value>,
            Some(&serde_json::json!({"unit_id": unit, "escalated_at": db_time(now)})),
        )
        .action("escalate");
        crate::audit::service::record(tx, None, now, change)?;
        Ok(true)
    })
}
