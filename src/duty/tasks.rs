//! The duty area's part of the home page: my next shift, swaps waiting for me, handovers to sign, holiday
//! rosters for the office to approve, gaps ahead on rosters I manage.

use chrono::Duration;

use crate::duty::model::{approves_holiday_roster, manages_duty, ChangeState};
use crate::duty::service::{gaps, mine, plans};
use crate::duty::store::changes as change_store;
use crate::duty::store::rosters as roster_store;
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::org::store as org_store;
use crate::web::tasks::{Task, TaskSource};
use crate::web::Call;

fn task(lang: Lang, zh: &str, en: &str, count: usize, link: String, urgent: bool) -> Task {
    Task {
        label: match lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
        },
        count: count as i64,
        link,
        urgent,
    }
}

impl TaskSource for super::Area {
    fn area(&self) -> &'static str {
        "duty"
    }

    fn tasks(&self, call: &mut Call<'_>) -> ServiceResult<Vec<Task>> {
        let (conn, actor, lang, now, tz) = (
            &mut *call.conn,
            call.actor,
            call.actor.lang,
            call.now,
            call.tz,
        );
        let mut tasks = Vec::new();
        if let Some(me) = actor.person_id {
            let soon = mine::shifts_of(conn, me, now, now + Duration::hours(24), tz)?;
            tasks.push(task(
                lang,
                "24小时内我的值班",
                "My duty in the next 24 hours",
                soon.len(),
                "/duty/mine".into(),
                false,
            ));
            let waiting = change_store::list(conn, None, Some(me), 50)?
                .into_iter()
                .filter(|c| c.state == ChangeState::Asked && c.taker_id == me)
                .count();
            tasks.push(task(
                lang,
                "等我同意的换班/替班",
                "Swaps waiting for my answer",
                waiting,
                "/duty/mine".into(),
                true,
            ));
        }
        let tree = org_store::tree_of(conn, actor)?;
        let rosters = roster_store::all(conn)?;
        let managed: Vec<_> = rosters
            .iter()
            .filter(|r| r.active && manages_duty(actor, r.unit_id, &tree))
            .collect();
        if !managed.is_empty() {
            let to_approve = change_store::open(conn)?
                .into_iter()
                .filter(|c| {
                    c.state == ChangeState::Agreed && managed.iter().any(|r| r.id == c.roster_id)
                })
                .filter(|c| {
                    actor.person_id != Some(c.giver_id) && actor.person_id != Some(c.taker_id)
                })
                .count();
            tasks.push(task(
                lang,
                "待我审批的换班/替班",
                "Swaps waiting for my approval",
                to_approve,
                "/duty/changes".into(),
                true,
            ));
            let mut short = 0;
            for r in &managed {
                if gaps::findings(conn, r, now, tz, 7)?
                    .iter()
                    .any(|f| f.is_gap())
                {
                    short += 1;
                }
            }
            tasks.push(task(
                lang,
                "未来7天有缺口的值班表",
                "Rosters with gaps in the next 7 days",
                short,
                "/duty".into(),
                true,
            ));
        }
        let approvals: Vec<i64> = plans::awaiting_approval(conn)?
            .into_iter()
            .filter(|p| {
                rosters.iter().any(|r| {
                    r.id == p.roster_id && approves_holiday_roster(actor, r.unit_id, &tree)
                })
            })
            .map(|p| p.id)
            .collect();
        // The oldest waiting plan opens first; the next is the next task once it is decided.
        let link = approvals
            .first()
            .map_or_else(|| "/duty".into(), |p| format!("/duty/plans/{p}"));
        tasks.push(task(
            lang,
            "待审批的节假日值班表",
            "Holiday rosters to approve",
            approvals.len(),
            link,
            false,
        ));
        Ok(tasks)
    }
}
