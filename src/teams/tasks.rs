//! The teams' part of the home page: leave waiting for my decision, my certificates lapsing or lapsed, the
//! teams I lead that cannot turn out, and — for those who oversee teams — every team short or not ready.

use crate::clock::today;
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::teams::model::{ReadyState, MANAGERS};
use crate::teams::service::{leaves, readiness};
use crate::teams::store::{certificates as cert_store, members as member_store};
use crate::web::tasks::{Task, TaskSource};
use crate::web::Call;

/// Days ahead a certificate's expiry shows on its holder's home page.
const EXPIRING_DAYS: i64 = 30;

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
        "teams"
    }

    fn tasks(&self, call: &mut Call<'_>) -> ServiceResult<Vec<Task>> {
        let (conn, actor, lang) = (&mut *call.conn, call.actor, call.actor.lang);
        let day = today(call.now, call.tz);
        let mut tasks = vec![task(
            lang,
            "待我审批的请假",
            "Leave waiting for my decision",
            leaves::awaiting(conn, actor)?.len(),
            "/teams/leaves".into(),
            false,
        )];
        let mut led = Vec::new();
        if let Some(me) = actor.person_id {
            // Per certificate type, the one valid longest: a renewed certificate leaves its old one behind.
            let mut best: std::collections::HashMap<String, Option<chrono::NaiveDate>> =
                Default::default();
            for c in cert_store::of_people(conn, Some(&[me]))? {
                let e = best.entry(c.certificate_type).or_insert(c.expires_on);
                if e.is_some() && c.expires_on.is_none_or(|x| Some(x) > *e) {
                    *e = c.expires_on;
                }
            }
            let lapsing = best
                .values()
                .filter(|e| e.is_some_and(|e| (e - day).num_days() <= EXPIRING_DAYS))
                .count();
            tasks.push(task(
                lang,
                "我的证书即将到期或已过期",
                "My certificates lapsing or lapsed",
                lapsing,
                format!("/teams/people/{me}"),
                true,
            ));
            led = member_store::teams_led_by(conn, me)?;
        }
        let oversees = actor.holds_any(MANAGERS);
        if led.is_empty() && !oversees {
            return Ok(tasks);
        }
        let statuses = readiness::statuses(conn, actor, day)?;
        let short: Vec<_> = statuses
            .iter()
            .filter(|s| led.contains(&s.team.id) && s.readiness.state != ReadyState::Ready)
            .collect();
        let link = match short.as_slice() {
            [one] => format!("/teams/{}", one.team.id),
            _ => "/teams".into(),
        };
        tasks.push(task(
            lang,
            "我带领的队伍未达到出动条件",
            "A team I lead cannot turn out in full",
            short.len(),
            link,
            true,
        ));
        if oversees {
            let tree = crate::org::store::tree_of(conn, actor)?;
            let overseen = statuses
                .iter()
                .filter(|s| s.readiness.state != ReadyState::Ready)
                .filter(|s| actor.covers(MANAGERS, Some(s.team.unit_id), &tree))
                .count();
            tasks.push(task(
                lang,
                "辖区内未达到出动条件的队伍",
                "Teams in my units that cannot turn out in full",
                overseen,
                "/teams".into(),
                false,
            ));
        }
        Ok(tasks)
    }
}
