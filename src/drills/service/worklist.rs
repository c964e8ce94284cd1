//! What waits for the actor in the drills area (the home page's tasks): schemes to decide, annual plans to
//! approve, their own corrective actions falling due, actions to verify, and their unit's plans due to be
//! drilled. Read-only.

use chrono::{Duration, NaiveDate};

use super::{actions, compliance, rights};
use crate::db::DbConn;
use crate::drills::model::{ActionState, AnnualState, DrillStanding, DrillState, DUE_SOON_DAYS};
use crate::drills::store::{annual as annual_store, drills as drill_store};
use crate::error::ServiceResult;
use crate::org::model::Actor;

/// Days ahead a plan's next drill shows as due on its unit's home page.
pub const PLAN_DUE_DAYS: i64 = 30;

/// Ids of what waits, by kind.
#[derive(Debug, Clone, Default)]
pub struct Worklist {
    /// Submitted schemes the actor may approve (not their own).
    pub schemes: Vec<i64>,
    /// Submitted annual plans the actor approves as office staff.
    pub annuals: Vec<i64>,
    /// The actor's own open actions past their deadline.
    pub my_overdue: Vec<i64>,
    /// The actor's own open actions due within `DUE_SOON_DAYS`.
    pub my_due: Vec<i64>,
    /// Actions with evidence the actor may verify.
    pub to_verify: Vec<i64>,
    /// The actor's unit's plans overdue for a drill by the compliance rules.
    pub plans_overdue: Vec<i64>,
    /// The actor's unit's plans whose next drill is due within `PLAN_DUE_DAYS`.
    pub plans_due: Vec<i64>,
    /// The actor's unit (when they manage its drills).
    pub unit: Option<i64>,
}

/// What waits for the actor on `day`.
pub fn worklist(
    conn: &mut DbConn,
    actor: &Actor,
    day: NaiveDate,
    tz: chrono_tz::Tz,
) -> ServiceResult<Worklist> {
    let mut w = Worklist::default();
    for d in drill_store::in_state(conn, DrillState::Submitted)? {
        if d.created_by != actor.account_id && rights(conn, actor, d.unit_id)?.decide {
            w.schemes.push(d.id);
        }
    }
    for a in annual_store::list(conn, None, None)? {
        if a.state == AnnualState::Submitted && rights(conn, actor, a.unit_id)?.office {
            w.annuals.push(a.id);
        }
    }
    for v in actions::list(conn, actor, true, day)? {
        let a = &v.action;
        if actor.person_id == Some(a.owner_person_id) && a.state == ActionState::Open {
            if a.due_on < day {
                w.my_overdue.push(a.id);
            } else if a.due_on <= day + Duration::days(DUE_SOON_DAYS) {
                w.my_due.push(a.id);
            }
        }
        if v.may_verify {
            w.to_verify.push(a.id);
        }
    }
    if let Some(unit) = actor.unit_id {
        if rights(conn, actor, unit)?.manage {
            w.unit = Some(unit);
            let report = compliance::report(conn, actor, day, tz, Some(unit))?;
            for p in report.units.iter().flat_map(|u| &u.plans) {
                match p.compliance.standing {
                    DrillStanding::Overdue => w.plans_overdue.push(p.plan_id),
                    DrillStanding::Due
                        if p.compliance.next_due <= day + Duration::days(PLAN_DUE_DAYS) =>
                    {
                        w.plans_due.push(p.plan_id)
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(w)
}
