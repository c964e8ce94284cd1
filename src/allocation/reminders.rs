//! What the allocation area tells people, as a reminder source: a request waiting for a head's decision,
//! approved goods waiting to be held and sent, goods on the road waiting to be counted in, a loan due back
//! soon or overdue (to the borrower and the lender).

use chrono::{DateTime, Duration, Utc};

use crate::allocation::model::{LineState, RequestKind, RequestState, Step};
use crate::allocation::service::{load, waiting_step, RequestView};
use crate::allocation::store::{self as store, RequestFilter};
use crate::clock::today;
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::inventory::model::{ConsignmentState, Quantity};
use crate::notify::model::{KindSpec, Mode, Reason};
use crate::notify::render::email_content;
use crate::notify::service::Outgoing;
use crate::notify::ReminderSource;
use crate::org::model::{grants_cover, Role, UnitTree};
use crate::org::store::{self as org_store, Reachable};

/// A request waits for someone: a decision, sending, counting in.
pub static ALLOCATION_WAITING: KindSpec = KindSpec {
    code: "allocation_waiting",
    zh: "调拨待办理",
    en: "Allocation waiting",
    default_mode: Mode::Immediate,
    unit_choice: true,
    chat: true,
};

/// A loan is due back within the lead, or overdue.
pub static LOAN_DUE: KindSpec = KindSpec {
    code: "loan_due",
    zh: "借用物资到期",
    en: "Loan due back",
    default_mode: Mode::Immediate,
    unit_choice: true,
    chat: true,
};

/// A head who decides for the unit.
pub static HEAD: Reason = Reason {
    code: "allocation_head",
    zh: "审批人",
    en: "Approver",
};
/// A keeper who sends or counts in.
pub static KEEPER: Reason = Reason {
    code: "allocation_keeper",
    zh: "仓库保管员",
    en: "Warehouse keeper",
};

static KINDS: [&KindSpec; 2] = [&ALLOCATION_WAITING, &LOAN_DUE];
static REASONS: [&Reason; 2] = [&HEAD, &KEEPER];

/// Days before a loan's return date to remind (and then daily while overdue).
const LOAN_LEAD_DAYS: i64 = 3;

/// A request as a notice tells it.
#[derive(Debug, Clone)]
pub struct AllocationNotice {
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub todo_zh: String,
    pub todo_en: String,
    pub no: String,
    pub unit: String,
    pub items: String,
    pub purpose: String,
    pub urgent: bool,
    pub when_zh: String,
    pub when_en: String,
}
email_content!(
    AllocationNotice,
    "email/allocation/subject.txt",
    "email/allocation/body.txt",
    "email/allocation/body.html"
);

fn people_with(
    people: &[Reachable],
    tree: &UnitTree,
    roles: &[Role],
    unit: i64,
    reason: &'static Reason,
) -> Vec<(i64, &'static Reason)> {
    people
        .iter()
        .filter(|p| grants_cover(&p.grants, roles, Some(unit), tree))
        // A district-wide grant (office staff, administrators) hears it through the lists, not every notice.
        .filter(|p| {
            p.grants
                .iter()
                .any(|g| roles.contains(&g.role) && g.unit_id.is_some())
        })
        .map(|p| (p.person_id, reason))
        .collect()
}

fn notice(
    v: &RequestView,
    kind: &'static KindSpec,
    key: String,
    unit: i64,
    people: Vec<(i64, &'static Reason)>,
    text: AllocationNotice,
) -> Outgoing {
    Outgoing {
        kind,
        key,
        unit_id: Some(unit),
        path: format!("/allocations/{}", v.request.id),
        people,
        to_unit: true,
        addresses: Vec::new(),
        content: Box::new(text),
    }
}

fn items(v: &RequestView) -> String {
    v.lines
        .iter()
        .map(|l| {
            format!(
                "{} {}{}",
                l.item_name,
                l.approved.unwrap_or(l.requested),
                l.uom
            )
        })
        .collect::<Vec<_>>()
        .join("、")
}

impl ReminderSource for super::Area {
    fn area(&self) -> &'static str {
        "allocation"
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
        let day = today(now, tz);
        let open = store::list(
            conn,
            &RequestFilter {
                state: Some(RequestState::Open),
                ..Default::default()
            },
        )?;
        if open.is_empty() {
            return Ok(Vec::new());
        }
        let people = org_store::reachable_people(conn)?;
        let tree = org_store::unit_tree(conn)?;
        let heads = [Role::UnitHead];
        let keepers = [Role::WarehouseKeeper];
        let mut out = Vec::new();
        for r in open {
            let v = load(conn, r.id, day)?;
            let needed = v
                .request
                .needed_by
                .and_utc()
                .with_timezone(&tz)
                .format("%Y-%m-%d %H:%M")
                .to_string();
            let base = |title_zh, title_en, todo_zh: String, todo_en: String| AllocationNotice {
                title_zh,
                title_en,
                todo_zh,
                todo_en,
                no: v.request.no.clone(),
                unit: v.unit.clone(),
                items: items(&v),
                purpose: v.request.purpose.clone(),
                urgent: v.request.priority == crate::allocation::model::Priority::Urgent,
                when_zh: format!("需用时间 {needed}"),
                when_en: format!("Needed by {needed}"),
            };
            // Decisions awaited, per deciding unit.
            let mut deciders: Vec<(Step, i64)> = v
                .lines
                .iter()
                .filter_map(|l| match waiting_step(l, &v.decisions) {
                    Some(Step::Requester) => Some((Step::Requester, v.request.unit_id)),
                    Some(Step::Holder) => l.holder_unit_id.map(|u| (Step::Holder, u)),
                    None => None,
                })
                .collect();
            deciders.sort_unstable_by_key(|(s, u)| (s.code(), *u));
            deciders.dedup();
            for (step, unit) in deciders {
                let to = people_with(&people, &tree, &heads, unit, &HEAD);
                let text = base(
                    "调拨待审批",
                    "Request awaiting your decision",
                    format!("以下{}申请等待您作为{}审批（可全部、部分批准或说明理由不批准）。", v.request.kind.label(crate::i18n::Lang::Zh), step.label(crate::i18n::Lang::Zh)),
                    format!("This {} request awaits your decision as {} (approve all, part, or refuse with a reason).", v.request.kind.label(crate::i18n::Lang::En).to_lowercase(), step.label(crate::i18n::Lang::En).to_lowercase()),
                );
                out.push(notice(
                    &v,
                    &ALLOCATION_WAITING,
                    format!("allocation:{}:{}:{unit}", r.id, step.code()),
                    unit,
                    to,
                    text,
                ));
            }
            // Approved goods to hold and send, per holding unit.
            let mut senders: Vec<i64> = v
                .lines
                .iter()
                .filter(|l| {
                    matches!(
                        l.state,
                        LineState::Approved | LineState::Reserved | LineState::Dispatched
                    ) && (l.reserved > Quantity::ZERO
                        || l.approved.unwrap_or_default() > l.dispatched)
                })
                .filter_map(|l| l.holder_unit_id)
                .collect();
            senders.sort_unstable();
            senders.dedup();
            for unit in senders {
                let to = people_with(&people, &tree, &keepers, unit, &KEEPER);
                let text = base(
                    "调拨待发货",
                    "Approved: to be sent",
                    "以下调拨已批准，请预留并发出物资（发出后进入在途，由接收方清点签收）。".into(),
                    "This request is approved: reserve the goods and send them (they are then on the road until the receiver counts them in).".into(),
                );
                out.push(notice(
                    &v,
                    &ALLOCATION_WAITING,
                    format!("allocation:{}:send:{unit}", r.id),
                    unit,
                    to,
                    text,
                ));
            }
            // Goods on the road to be counted in.
            for c in v
                .consignments
                .iter()
                .filter(|c| c.consignment.state == ConsignmentState::InTransit)
            {
                let Some(unit) =
                    crate::inventory::store::warehouses::find(conn, c.consignment.to_warehouse_id)?
                        .map(|w| w.unit_id)
                else {
                    continue;
                };
                let to = people_with(&people, &tree, &keepers, unit, &KEEPER);
                let text = base(
                    "在途物资待接收",
                    "Goods on the road to count in",
                    format!("{} 发出的物资（{}）已在途，到达后请清点接收并请另一人复核签字。", c.from_warehouse, c.out_voucher_no),
                    format!("Goods sent from {} ({}) are on the road: count them in when they arrive and have a second person countersign.", c.from_warehouse, c.out_voucher_no),
                );
                out.push(notice(
                    &v,
                    &ALLOCATION_WAITING,
                    format!("allocation:{}:receive:{}", r.id, c.consignment.id),
                    unit,
                    to,
                    text,
                ));
            }
            // A loan due back soon or overdue: the borrower and the lenders.
            if v.request.kind == RequestKind::Loan {
                let out_now: bool = v
                    .lines
                    .iter()
                    .any(|l| l.received > l.returned || l.on_the_road > Quantity::ZERO);
                if let (true, Some(due)) = (out_now, v.request.return_due) {
                    if due - Duration::days(LOAN_LEAD_DAYS) <= day {
                        let overdue = due < day;
                        let stage = if overdue {
                            format!("overdue:{day}")
                        } else {
                            "due".into()
                        };
                        let mut units = vec![v.request.unit_id];
                        units.extend(v.lines.iter().filter_map(|l| l.holder_unit_id));
                        units.sort_unstable();
                        units.dedup();
                        for unit in units {
                            let mut to = people_with(&people, &tree, &keepers, unit, &KEEPER);
                            to.extend(people_with(&people, &tree, &heads, unit, &HEAD));
                            to.sort_unstable_by_key(|(p, _)| *p);
                            to.dedup_by_key(|(p, _)| *p);
                            let (zh, en) = if overdue {
                                (
                                    format!("借用物资应于 {due} 归还，已逾期 {} 天，请尽快归还或由出借方办理延期。", (day - due).num_days()),
                                    format!("The loan was due back on {due}, {} days ago: return it or ask the lender for an extension.", (day - due).num_days()),
                                )
                            } else {
                                (
                                    format!("借用物资应于 {due} 归还，请安排归还或由出借方办理延期。"),
                                    format!("The loan is due back on {due}: arrange the return or ask the lender for an extension."),
                                )
                            };
                            let mut text = base(
                                if overdue {
                                    "借用逾期未还"
                                } else {
                                    "借用即将到期"
                                },
                                if overdue {
                                    "Loan overdue"
                                } else {
                                    "Loan due back soon"
                                },
                                zh,
                                en,
                            );
                            text.when_zh = format!("归还日期 {due}");
                            text.when_en = format!("Due back {due}");
                            out.push(notice(
                                &v,
                                &LOAN_DUE,
                                format!("loan:{}:{due}:{stage}:{unit}", r.id),
                                unit,
                                to,
                                text,
                            ));
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}
