//! The reserves' part of the home page: vouchers waiting for my second signature, emergency issues owing
//! one, batches expiring within 30 days, stocktakes due or overdue and counts in progress, equipment overdue
//! for inspection or needing repair, each a link.

use crate::clock::today;
use crate::error::ServiceResult;
use crate::inventory::model::{
    expires_within, next_due, stocktake_reminder, InspectionDue, MovementState, StockAction,
    StocktakeReminder,
};
use crate::inventory::service::inspections::equipment_of;
use crate::inventory::service::{ledger, may, visible_warehouses};
use crate::inventory::store::ledger::MovementFilter;
use crate::inventory::store::{ledger as ledger_store, stocktakes as st_store};
use crate::web::tasks::{Task, TaskSource};
use crate::web::Call;

/// Days ahead a batch's expiry shows on the home page.
const EXPIRING_DAYS: i64 = 30;
/// Days a voucher sent back to its recorder stays on their home page.
const SENT_BACK_DAYS: i64 = 14;

fn task(call: &Call<'_>, zh: &str, en: &str, count: usize, link: String, urgent: bool) -> Task {
    Task {
        label: match call.actor.lang {
            crate::i18n::Lang::Zh => zh.to_string(),
            crate::i18n::Lang::En => en.to_string(),
        },
        count: count as i64,
        link,
        urgent,
    }
}

impl TaskSource for super::Area {
    fn area(&self) -> &'static str {
        "inventory"
    }

    fn tasks(&self, call: &mut Call<'_>) -> ServiceResult<Vec<Task>> {
        let (conn, actor) = (&mut *call.conn, call.actor);
        let day = today(call.now, call.tz);
        let signable = ledger::signable(conn, actor)?;
        let owed = signable
            .iter()
            .filter(|m| m.emergency && m.state == MovementState::Posted)
            .count();
        let mut tasks = vec![
            task(
                call,
                "待我复核签字的凭证",
                "Vouchers waiting for my countersignature",
                signable.len() - owed,
                "/reserves/queue".into(),
                false,
            ),
            task(
                call,
                "紧急出库待我补签",
                "Emergency issues owing my countersignature",
                owed,
                "/reserves/queue".into(),
                true,
            ),
        ];
        let mine_back = MovementFilter {
            state: Some(MovementState::Rejected),
            created_by: Some(call.actor.account_id),
            since: Some(crate::db::db_time(
                call.now - chrono::Duration::days(SENT_BACK_DAYS),
            )),
            ..Default::default()
        };
        let one_page = crate::pagination::PageRequest::new(Some(1), Some(1));
        let sent_back = ledger_store::list_movements(call.conn, &mine_back, one_page)?;
        let back_link = match sent_back.items.as_slice() {
            [m] if sent_back.total == 1 => format!("/reserves/movements/{}", m.id),
            _ => "/reserves/movements".into(),
        };
        tasks.push(task(
            call,
            "被退回、待我更正的凭证",
            "My vouchers sent back to correct",
            sent_back.total as usize,
            back_link,
            true,
        ));
        let (conn, actor) = (&mut *call.conn, call.actor);
        let mut expiring = 0;
        let (mut due, mut overdue, mut counting) = (Vec::new(), Vec::new(), Vec::new());
        let (mut uninspected, mut broken) = (Vec::new(), Vec::new());
        for w in visible_warehouses(conn, actor)?
            .into_iter()
            .filter(|w| w.active)
        {
            if !may(conn, actor, &w, StockAction::Move)? {
                continue;
            }
            expiring += ledger_store::stock(conn, w.id, None, None)?
                .iter()
                .filter(|s| s.qty > 0 && expires_within(s.expiry_date, day, EXPIRING_DAYS))
                .count();
            let ahead = self.settings.inspection_ahead_days;
            for e in equipment_of(conn, w.id, day, call.tz, ahead)? {
                match (e.needs_repair, e.due) {
                    (true, _) => broken.push(w.id),
                    (false, Some(InspectionDue::Overdue)) => uninspected.push(w.id),
                    _ => {}
                }
            }
            if let Some(st) = st_store::open_of(conn, w.id)? {
                counting.push(st.id);
                continue;
            }
            let next = next_due(
                st_store::last_approved(conn, w.id)?,
                w.created_at,
                w.stocktake_interval_days,
            );
            let days = (next.and_utc().with_timezone(&call.tz).date_naive() - day).num_days();
            match stocktake_reminder(next, days, call.now, self.settings.stocktake_ahead_days) {
                StocktakeReminder::Overdue => overdue.push(w.id),
                StocktakeReminder::DueSoon => due.push(w.id),
                StocktakeReminder::None => {}
            }
        }
        let one = |ids: &[i64], all: &str| match ids {
            [id] => format!("/reserves/warehouses/{id}"),
            _ => all.to_string(),
        };
        // Equipment is counted batch by batch (a serial number is one); the link leads to its warehouse's
        // inspection page when all of it is in one.
        let inspect_link = |ids: &[i64]| match ids {
            [first, rest @ ..] if rest.iter().all(|i| i == first) => {
                format!("/reserves/warehouses/{first}/inspections")
            }
            _ => "/reserves".to_string(),
        };
        tasks.push(task(
            call,
            "检查已逾期的设备",
            "Equipment overdue for inspection",
            uninspected.len(),
            inspect_link(&uninspected),
            true,
        ));
        tasks.push(task(
            call,
            "待修设备",
            "Equipment needing repair",
            broken.len(),
            inspect_link(&broken),
            false,
        ));
        tasks.push(task(
            call,
            "30 天内到期的批次",
            "Batches expiring within 30 days",
            expiring,
            "/reserves".into(),
            false,
        ));
        tasks.push(task(
            call,
            "已逾期的盘点",
            "Stocktakes overdue",
            overdue.len(),
            one(&overdue, "/reserves"),
            true,
        ));
        tasks.push(task(
            call,
            "即将到期的盘点",
            "Stocktakes due soon",
            due.len(),
            one(&due, "/reserves"),
            false,
        ));
        let open_link = match counting.as_slice() {
            [id] => format!("/reserves/stocktakes/{id}"),
            _ => "/reserves".into(),
        };
        tasks.push(task(
            call,
            "进行中的盘点",
            "Counts in progress",
            counting.len(),
            open_link,
            false,
        ));
        Ok(tasks)
    }
}
