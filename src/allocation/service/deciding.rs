//! Deciding: the requesting unit's head, then the holding unit's head, approve all, part or none of each
//! line (office staff may decide in place of either); after an emergency order the same decisions are
//! recorded after the fact.

use chrono::{DateTime, Utc};

use super::{get, load, not_found, tree, waiting_step, RequestView};
use crate::allocation::model::{
    authorize_alloc, check_decision_reason, decide as decide_line, AllocAction, Step,
};
use crate::allocation::store;
use crate::audit::{model::Change, service as audit};
use crate::clock::today;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::Quantity;
use crate::org::model::Actor;

/// A decision on one line.
#[derive(Debug, Clone)]
pub struct DecisionInput {
    pub line_id: i64,
    /// Approved quantity; zero refuses.
    pub qty: Quantity,
    pub reason: String,
}

/// Records decisions on lines of a request. Each line takes the decision it waits for (the requester's head
/// first); the actor must be a head of that unit or office staff. On an emergency order the decisions are
/// recorded after the fact and change nothing that has happened.
pub fn decide(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    id: i64,
    decisions: &[DecisionInput],
) -> ServiceResult<RequestView> {
    let day = today(now, tz);
    if decisions.is_empty() {
        return Err(ServiceError::invalid(
            "lines",
            "没有要审批的行",
            "No line to decide",
        ));
    }
    write_tx(conn, |c| {
        let before = get(c, actor, id, day)?;
        if before.request.state != crate::allocation::model::RequestState::Open {
            return Err(ServiceError::conflict(
                "该申请已办结或已取消",
                "This request is closed or cancelled",
            ));
        }
        let tree = tree(c, actor)?;
        for d in decisions {
            let line = before
                .lines
                .iter()
                .find(|l| l.id == d.line_id)
                .ok_or_else(not_found)?;
            let step = if before.request.emergency {
                let recorded = |s| {
                    before
                        .decisions
                        .iter()
                        .any(|x| x.decision.line_id == line.id && x.decision.step == s)
                };
                match (recorded(Step::Requester), recorded(Step::Holder)) {
                    (false, _) => Step::Requester,
                    (true, false) => Step::Holder,
                    (true, true) => {
                        return Err(ServiceError::conflict(
                            "该行的事后审批已记录",
                            "The decisions on this line have been recorded",
                        ))
                    }
                }
            } else {
                waiting_step(line, &before.decisions).ok_or_else(|| {
                    ServiceError::conflict(
                        "该行不在待审批状态",
                        "This line is not awaiting a decision",
                    )
                })?
            };
            let unit = match step {
                Step::Requester => before.request.unit_id,
                Step::Holder => line.holder_unit_id.ok_or_else(|| {
                    ServiceError::invalid(
                        "from_warehouse_id",
                        "请先确定该行的调出储备库，再由其所属单位负责人审批",
                        "Propose the source warehouse of this line before its holder decides",
                    )
                })?,
            };
            authorize_alloc(actor, AllocAction::Decide, unit, &tree)?;
            let reason =
                check_decision_reason(d.qty, line.approved.unwrap_or(line.requested), &d.reason)?;
            if !before.request.emergency {
                let prior = before
                    .decisions
                    .iter()
                    .find(|x| x.decision.line_id == line.id && x.decision.step == Step::Requester)
                    .map(|x| Quantity::from_milli(x.decision.qty));
                let rows = store::lines_of(c, id)?;
                let row = rows
                    .iter()
                    .find(|r| r.id == line.id)
                    .ok_or_else(not_found)?;
                let was = row.facts();
                super::check_whole_of(c, row.item_id, &[d.qty])?;
                let next = decide_line(was, step, d.qty, prior)?;
                if !store::update_line(c, line.id, &was, &next)? {
                    return Err(stale());
                }
            } else if d.qty > line.requested || d.qty.is_negative() {
                return Err(ServiceError::invalid(
                    "qty",
                    "事后审批的数量不能超过调令数量",
                    "A decision after the fact cannot exceed what was ordered",
                ));
            }
            store::insert_decision(
                c,
                line.id,
                step,
                d.qty,
                &reason,
                actor.account_id,
                db_time(now),
                before.request.emergency,
            )
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ) => stale(),
                other => other.into(),
            })?;
        }
        let after = load(c, id, day)?;
        let change = Change::of(
            "allocation",
            id,
            Some(before.request.unit_id),
            Some(&before),
            Some(&after),
        )
        .action("decide");
        audit::record(c, Some(actor), now, change)?;
        Ok(after)
    })
}

/// Someone else acted on the same line meanwhile.
pub(crate) fn stale() -> ServiceError {
    ServiceError::conflict(
        "该申请刚被他人办理，请刷新后再试",
        "Someone else acted on this request just now; refresh and try again",
    )
}
