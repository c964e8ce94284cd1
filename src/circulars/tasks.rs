//! The home page's circular tasks: circulars my units have not acknowledged (overdue ones urgent), replies
//! my units owe.

use crate::circulars::service::{self, Folder};
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::web::run::Call;
use crate::web::tasks::Task;

/// The caller's circular tasks now.
pub fn tasks(call: &mut Call<'_>) -> ServiceResult<Vec<Task>> {
    let rows = service::list(call.conn, call.actor, Folder::Received, call.now)?;
    let open: Vec<_> = rows
        .iter()
        .filter(|r| r.circular.state == crate::circulars::model::CircularState::Issued)
        .collect();
    let due = |r: &&&service::CircularRow| r.circular.ack_due.and_utc() <= call.now;
    let waiting = open.iter().filter(|r| r.mine_waiting > 0).count();
    let overdue = open
        .iter()
        .filter(|r| r.mine_waiting > 0)
        .filter(due)
        .count();
    let to_reply = open.iter().filter(|r| r.mine_to_reply > 0).count();
    let zh = call.actor.lang == Lang::Zh;
    let label = |a: &str, b: &str| if zh { a.to_string() } else { b.to_string() };
    Ok(vec![
        Task {
            label: label("逾期未签收的通知", "Circulars overdue for acknowledgement"),
            count: overdue as i64,
            link: "/circulars".into(),
            urgent: true,
        },
        Task {
            label: label("待签收的通知", "Circulars to acknowledge"),
            count: (waiting - overdue) as i64,
            link: "/circulars".into(),
            urgent: false,
        },
        Task {
            label: label("待填报的回执", "Replies to send"),
            count: to_reply as i64,
            link: "/circulars".into(),
            urgent: false,
        },
    ])
}
