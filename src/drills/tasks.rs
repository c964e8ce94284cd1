//! The drills' part of the home page: schemes waiting for my approval, annual plans waiting for the office,
//! my corrective actions due within 7 days or overdue, actions waiting for my verification, and my unit's
//! plans overdue for a drill or due within 30 days; each a link to where it is done.

use crate::clock::today;
use crate::drills::service::worklist::worklist;
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::web::tasks::{Task, TaskSource};
use crate::web::Call;

/// One task: its label, and the page of the one thing when there is one, the list otherwise.
fn task(
    lang: Lang,
    (zh, en): (&str, &str),
    ids: &[i64],
    one: &str,
    many: &str,
    urgent: bool,
) -> Task {
    Task {
        label: match lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
        },
        count: ids.len() as i64,
        link: match ids {
            [id] => one.replace("{id}", &id.to_string()),
            _ => many.to_string(),
        },
        urgent,
    }
}

impl TaskSource for super::Area {
    fn area(&self) -> &'static str {
        "drills"
    }

    fn tasks(&self, call: &mut Call<'_>) -> ServiceResult<Vec<Task>> {
        let lang = call.actor.lang;
        let day = today(call.now, call.tz);
        let w = worklist(call.conn, call.actor, day, call.tz)?;
        let compliance = w.unit.map_or("/drills/compliance".to_string(), |u| {
            format!("/drills/compliance#unit-{u}")
        });
        Ok(vec![
            task(
                lang,
                (
                    "待我审批的演练方案",
                    "Drill schemes waiting for my approval",
                ),
                &w.schemes,
                "/drills/{id}",
                "/drills",
                false,
            ),
            task(
                lang,
                (
                    "待审批的年度演练计划",
                    "Annual drill plans waiting for approval",
                ),
                &w.annuals,
                "/drills/annual/{id}",
                "/drills/annual",
                false,
            ),
            task(
                lang,
                ("我的整改事项已逾期", "My corrective actions overdue"),
                &w.my_overdue,
                "/drills/actions/{id}",
                "/drills/actions",
                true,
            ),
            task(
                lang,
                (
                    "我的整改事项 7 天内到期",
                    "My corrective actions due within 7 days",
                ),
                &w.my_due,
                "/drills/actions/{id}",
                "/drills/actions",
                false,
            ),
            task(
                lang,
                (
                    "待我验证销号的整改事项",
                    "Corrective actions waiting for my verification",
                ),
                &w.to_verify,
                "/drills/actions/{id}",
                "/drills/actions",
                false,
            ),
            task(
                lang,
                (
                    "本单位逾期未演练的预案",
                    "My unit's plans overdue for a drill",
                ),
                &w.plans_overdue,
                "/drills/plans/{id}",
                &compliance,
                true,
            ),
            task(
                lang,
                (
                    "本单位 30 天内应演练的预案",
                    "My unit's plans due for a drill within 30 days",
                ),
                &w.plans_due,
                "/drills/plans/{id}",
                &compliance,
                false,
            ),
        ])
    }
}
