//! The home page's allocation tasks: requests waiting for my decision, approved goods my warehouses are to
//! send, goods on the road to my warehouses, loans overdue.

use crate::allocation::model::RequestState;
use crate::allocation::service::lists::{self, Direction};
use crate::allocation::service::may::mays;
use crate::clock::today;
use crate::error::ServiceResult;
use crate::i18n::Lang;
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
    let (mut decide, mut send, mut receive, mut overdue) = (0, 0, 0, 0);
    for v in &open {
        // What the request's page would offer this viewer now, by the same rules.
        let m = mays(conn, actor, v)?;
        decide += usize::from(!m.decide.is_empty());
        send += usize::from(m.reserve || !m.dispatch.is_empty());
        receive += usize::from(!m.receive.is_empty());
        overdue += usize::from(v.overdue);
    }
    Ok(vec![
        task(
            call,
            "待我审批的调拨申请",
            "Requests awaiting my decision",
            decide,
            "/allocations",
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
