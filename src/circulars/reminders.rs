//! What the circulars area tells people as a reminder source: a unit that has not acknowledged an issued
//! circular by its deadline is reminded (once per circular, with its 签收 link). The escalation to the
//! unit's head, which is recorded, is a job (`jobs`).

use chrono::{DateTime, Utc};

use crate::circulars::notices::{self, Occasion, ADDRESSEE, CIRCULAR, CIRCULAR_OVERDUE, HEAD};
use crate::circulars::store;
use crate::db::{db_time, DbConn};
use crate::error::ServiceResult;
use crate::metrics::Gauge;
use crate::notify::model::{KindSpec, Reason};
use crate::notify::service::Outgoing;
use crate::notify::ReminderSource;
use crate::org::store as org_store;

static KINDS: [&KindSpec; 2] = [&CIRCULAR, &CIRCULAR_OVERDUE];
static REASONS: [&Reason; 2] = [&ADDRESSEE, &HEAD];

fn name(names: &[(i64, String)], id: i64) -> String {
    names
        .iter()
        .find(|(u, _)| *u == id)
        .map(|(_, n)| n.clone())
        .unwrap_or_default()
}

impl ReminderSource for super::Area {
    fn area(&self) -> &'static str {
        "circulars"
    }

    fn kinds(&self) -> &'static [&'static KindSpec] {
        &KINDS
    }

    fn reasons(&self) -> &'static [&'static Reason] {
        &REASONS
    }

    fn findings(
        &self,
        conn: &mut DbConn,
        now: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> ServiceResult<Vec<Outgoing>> {
        let overdue = store::overdue(conn, db_time(now))?;
        if overdue.is_empty() {
            return Ok(Vec::new());
        }
        let people = org_store::reachable_people(conn)?;
        let names = org_store::unit_names(conn, false)?;
        let mut out = Vec::new();
        for (c, row) in overdue {
            let fields = store::fields_of(conn, c.id)?;
            let files: Vec<String> = store::files_of(conn, c.id)?
                .into_iter()
                .map(|f| f.file_name)
                .collect();
            let unit = name(&names, row.unit_id);
            let text = notices::mail(
                self,
                &c,
                &name(&names, c.from_unit_id),
                (row.unit_id, &unit),
                &fields,
                &files,
                Occasion::Reminder,
                tz,
            );
            out.push(notices::outgoing(
                conn,
                &people,
                text,
                &c,
                row.unit_id,
                format!("circular_overdue:{}:{}", c.id, row.unit_id),
            )?);
        }
        Ok(out)
    }

    fn gauges(
        &self,
        conn: &mut DbConn,
        now: DateTime<Utc>,
        _tz: chrono_tz::Tz,
    ) -> ServiceResult<Vec<Gauge>> {
        let overdue = store::overdue(conn, db_time(now))?;
        let escalated = overdue
            .iter()
            .filter(|(_, r)| r.escalated_at.is_some())
            .count();
        Ok(vec![
            Gauge {
                name: "standby_circular_units_overdue",
                help:
                    "Addressed units that have not acknowledged an issued circular by its deadline",
                labels: Vec::new(),
                value: overdue.len() as f64,
            },
            Gauge {
                name: "standby_circular_units_escalated",
                help: "Overdue units whose head has been told",
                labels: Vec::new(),
                value: escalated as f64,
            },
        ])
    }
}
