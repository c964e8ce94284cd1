//! The home page's allocation tasks: requests waiting for my decision, approved goods my warehouses are to
//! send, goods on the road to my warehouses, loans overdue.

use crate::allocation::model::{authorize_alloc, AllocAction, LineState, RequestState, Step};
use crate::allocation::service::lists::{self, Direction};
use crate::allocation::service::waiting_step;
use crate::clock::today;
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::inventory::model::{ConsignmentState, Quantity, StockAction};
use crate::inventory::service::warehouse_for;
use crate::web::run::Call;
use crate::web::tasks::Task;

fn task(call: &Call<'_>, zh: &str, en: &str, count: usize, link: &str, urgent: bool) -> Task {
    Task {
        label: match call.actor.lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
        },
        count: count as i64,
        link: link.to_string(),
        urgent,
    }
}

/// The caller's allocation tasks now.
pub fn tasks(call: &mut Call<'_>) -> ServiceResult<Vec<Task>> {
    let actor = call.actor;
    if actor
        .grants
        .iter()
        .all(|g| g.unit_id.is_none() && g.role == crate::org::model::Role::Viewer)
    {
        return Ok(Vec::new());
    }
    let day = today(call.now, call.tz);
    let conn = &mut *call.conn;
    let open = lists::requests(
        conn,
        actor,
        Direction::Both,
        Some(RequestState::Open),
        None,
        day,
    )?;
    let tree = crate::org::store::tree_of(conn, actor)?;
    let (mut decide, mut send, mut receive, mut overdue) = (0, 0, 0, 0);
    for v in &open {
        let mine = |unit| authorize_alloc(actor, AllocAction::Decide, unit, &tree).is_ok();
        if v.lines.iter().any(|l| match waiting_step(l, &v.decisions) {
            Some(Step::Requester) => mine(v.request.unit_id),
            Some(Step::Holder) => l.holder_unit_id.is_some_and(mine),
            None => false,
        }) {
            decide += 1;
        }
        let keeps = |conn: &mut _, w: i64| warehouse_for(conn, actor, w, StockAction::Move).is_ok();
        let mut sends = false;
        for l in &v.lines {
            let pending = matches!(
                l.state,
                LineState::Approved | LineState::Reserved | LineState::Dispatched
            ) && (l.reserved > Quantity::ZERO
                || l.approved.unwrap_or_default() > l.dispatched);
            if pending && l.from_warehouse_id.is_some_and(|w| keeps(conn, w)) {
                sends = true;
            }
        }
        send += usize::from(sends);
        let mut receives = false;
        for c in &v.consignments {
            if c.consignment.state == ConsignmentState::InTransit
                && keeps(conn, c.consignment.to_warehouse_id)
            {
                receives = true;
            }
        }
        receive += usize::from(receives);
        overdue += usize::from(v.overdue);
    }
    Ok(vec![
        task(
            call,
            "待我审批的调拨申请",
            "Requests awaiting my decision",
            decide,
            "/allocations?direction=in",
            false,
        ),
        task(
            call,
            "已批准待发货的调拨",
            "Approved requests to send",
            send,
            "/allocations?direction=in",
            false,
        ),
        task(
            call,
            "在途待接收的物资",
            "Goods on the road to count in",
            receive,
            "/allocations?direction=out",
            false,
        ),
        task(
            call,
            "逾期未还的借用",
            "Loans overdue",
            overdue,
            "/allocations/loans",
            true,
        ),
    ])
}
