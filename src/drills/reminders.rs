//! What the drills area reminds people of, as a reminder source: a plan's drill due within 30 or 7 days or
//! overdue, a plan's revision due, a scheme or an annual plan awaiting approval, an open corrective action due
//! within 7 days or overdue — escalating from its owner to the owner's unit head after a week and to the office
//! after two — and evidence that has waited 3 days for verification (its verifiers, not its owner). Each
//! occasion has one key, so a scan run twice (or on three instances) tells once.

use chrono::{DateTime, Duration, Utc};

use crate::clock::today;
use crate::db::DbConn;
use crate::drills::model::{
    alarm, verification_overdue, ActionAlarm, AnnualState, DrillStanding, DrillState,
    EscalationStep,
};
use crate::drills::notices::{
    DrillNotice, COORDINATOR, DRILL_ACTION_DUE, DRILL_ACTION_VERIFY, DRILL_DUE, DRILL_REPORT,
    DRILL_WAITING, OFFICE, OWNER, OWNER_HEAD, SUPERVISOR, VERIFIER,
};
use crate::drills::service::compliance;
use crate::drills::store::{
    actions as action_store, annual as annual_store, drills as drill_store, registry as plan_store,
};
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::notify::model::{lead_reached, KindSpec, Reason};
use crate::notify::service::Outgoing;
use crate::notify::ReminderSource;
use crate::org::model::{grants_cover, Actor, Role, UnitTree};
use crate::org::store::{self as org_store, Reachable};

static KINDS: [&KindSpec; 5] = [
    &DRILL_DUE,
    &DRILL_WAITING,
    &DRILL_ACTION_DUE,
    &DRILL_ACTION_VERIFY,
    &DRILL_REPORT,
];
static REASONS: [&Reason; 6] = [
    &COORDINATOR,
    &OWNER,
    &OWNER_HEAD,
    &OFFICE,
    &SUPERVISOR,
    &VERIFIER,
];

/// Days before a drill's or a revision's due day to remind.
const LEADS: [i64; 2] = [30, 7];

/// People holding one of `roles` over `unit` through a grant scoped to a unit (district-wide grants hear
/// through their lists, not every notice).
fn scoped(
    people: &[Reachable],
    tree: &UnitTree,
    roles: &[Role],
    unit: i64,
    reason: &'static Reason,
) -> Vec<(i64, &'static Reason)> {
    people
        .iter()
        .filter(|p| grants_cover(&p.grants, roles, Some(unit), tree))
        .filter(|p| {
            p.grants
                .iter()
                .any(|g| roles.contains(&g.role) && g.unit_id.is_some())
        })
        .map(|p| (p.person_id, reason))
        .collect()
}

/// Office staff of the whole district.
fn office(people: &[Reachable]) -> Vec<(i64, &'static Reason)> {
    people
        .iter()
        .filter(|p| {
            p.grants
                .iter()
                .any(|g| g.role == Role::OfficeStaff && g.unit_id.is_none())
        })
        .map(|p| (p.person_id, &OFFICE))
        .collect()
}

fn notice(
    kind: &'static KindSpec,
    key: String,
    unit: i64,
    path: String,
    people: Vec<(i64, &'static Reason)>,
    to_unit: bool,
    text: DrillNotice,
) -> Outgoing {
    Outgoing {
        kind,
        key,
        unit_id: Some(unit),
        path,
        people,
        to_unit,
        addresses: Vec::new(),
        content: Box::new(text),
    }
}

impl ReminderSource for super::Area {
    fn area(&self) -> &'static str {
        "drills"
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
        let people = org_store::reachable_people(conn)?;
        let tree = org_store::unit_tree(conn)?;
        let managers = [Role::UnitHead, Role::DrillCoordinator];
        let mut out = Vec::new();

        // Drills due or overdue, plan by plan.
        let report = compliance::report(conn, &Actor::system(), day, tz, None)?;
        for u in &report.units {
            for p in &u.plans {
                let c = &p.compliance;
                let stage = match c.standing {
                    DrillStanding::Overdue => Some("overdue".to_string()),
                    DrillStanding::Due => {
                        lead_reached(c.next_due, day, &LEADS).map(|l| l.to_string())
                    }
                    DrillStanding::Done => None,
                };
                let Some(stage) = stage else { continue };
                let overdue = c.standing == DrillStanding::Overdue;
                let (zh, en) = if overdue {
                    (
                        format!("预案“{}”应在 {} 前完成演练，已逾期 {} 天，请尽快组织演练并评估。", p.title, c.next_due, c.overdue_days),
                        format!("The plan “{}” was due to be drilled by {}, {} days ago: hold and evaluate a drill soon.", p.title, c.next_due, c.overdue_days),
                    )
                } else {
                    (
                        format!("预案“{}”应在 {} 前完成本期演练（每 {} 个月至少一次），请安排演练。", p.title, c.next_due, p.freq_months),
                        format!("The plan “{}” is to be drilled by {} (at least every {} months): arrange the drill.", p.title, c.next_due, p.freq_months),
                    )
                };
                out.push(notice(
                    &DRILL_DUE,
                    format!("drill_due:{}:{}:{stage}", p.plan_id, c.next_due),
                    u.unit_id,
                    format!("/drills/plans/{}", p.plan_id),
                    scoped(&people, &tree, &managers, u.unit_id, &COORDINATOR),
                    true,
                    DrillNotice {
                        title_zh: if overdue {
                            "应急演练逾期".into()
                        } else {
                            "应急演练即将到期".into()
                        },
                        title_en: if overdue {
                            "Drill overdue".into()
                        } else {
                            "Drill due soon".into()
                        },
                        todo_zh: zh,
                        todo_en: en,
                        facts: vec![
                            ("单位", "Unit", u.unit_name.clone()),
                            ("预案", "Plan", p.title.clone()),
                            ("到期日", "Due", c.next_due.to_string()),
                        ],
                    },
                ));
            }
        }

        // Plan revisions due.
        let names: std::collections::HashMap<i64, String> =
            org_store::unit_names(conn, false)?.into_iter().collect();
        for p in plan_store::plans(conn, None, false)? {
            let overdue = p.next_revision_on < day;
            let stage = if overdue {
                Some("overdue".to_string())
            } else {
                lead_reached(p.next_revision_on, day, &LEADS).map(|l| l.to_string())
            };
            let Some(stage) = stage else { continue };
            let unit = names.get(&p.unit_id).cloned().unwrap_or_default();
            out.push(notice(
                &DRILL_DUE,
                format!("drill_revision:{}:{}:{stage}", p.id, p.next_revision_on),
                p.unit_id,
                format!("/drills/plans/{}", p.id),
                scoped(&people, &tree, &managers, p.unit_id, &COORDINATOR),
                true,
                DrillNotice {
                    title_zh: "应急预案到期修订".into(),
                    title_en: "Plan revision due".into(),
                    todo_zh: format!("预案“{}”应于 {} 前评估修订，修订后请在预案登记中更新版本和批准日期。", p.title, p.next_revision_on),
                    todo_en: format!("The plan “{}” is due for revision by {}: record the revised version and its approval day.", p.title, p.next_revision_on),
                    facts: vec![
                        ("单位", "Unit", unit),
                        ("预案", "Plan", p.title.clone()),
                        ("修订到期", "Revision due", p.next_revision_on.to_string()),
                    ],
                },
            ));
        }

        // Schemes awaiting the unit head; annual plans awaiting the office.
        let horizon = (
            super::service::day_start(day - Duration::days(400), tz),
            super::service::day_start(day + Duration::days(400), tz),
        );
        for d in drill_store::list(conn, None, horizon.0, horizon.1)?
            .into_iter()
            .filter(|d| d.state == DrillState::Submitted)
        {
            let unit = names.get(&d.unit_id).cloned().unwrap_or_default();
            out.push(notice(
                &DRILL_WAITING,
                format!("drill_scheme:{}:{}", d.id, d.updated_at.and_utc().timestamp()),
                d.unit_id,
                format!("/drills/{}", d.id),
                scoped(&people, &tree, &[Role::UnitHead], d.unit_id, &COORDINATOR),
                false,
                DrillNotice {
                    title_zh: "演练方案待审批".into(),
                    title_en: "Drill scheme awaiting approval".into(),
                    todo_zh: "以下演练方案已提交，请审批（批准或写明原因退回）。".into(),
                    todo_en: "This drill scheme awaits your approval (approve, or return it with a reason).".into(),
                    facts: vec![
                        ("单位", "Unit", unit),
                        ("演练", "Drill", d.title.clone()),
                        (
                            "时间",
                            "When",
                            d.starts_at.and_utc().with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
                        ),
                    ],
                },
            ));
        }
        for a in annual_store::list(conn, None, None)?
            .into_iter()
            .filter(|a| a.state == AnnualState::Submitted)
        {
            let unit = names.get(&a.unit_id).cloned().unwrap_or_default();
            out.push(notice(
                &DRILL_WAITING,
                format!(
                    "drill_annual:{}:{}",
                    a.id,
                    a.updated_at.and_utc().timestamp()
                ),
                a.unit_id,
                format!("/drills/annual/{}", a.id),
                office(&people),
                false,
                DrillNotice {
                    title_zh: "年度演练计划待审批".into(),
                    title_en: "Annual drill plan awaiting approval".into(),
                    todo_zh: format!("{}已提交 {} 年度应急演练计划，请审批。", unit, a.year),
                    todo_en: format!(
                        "{} submitted its {} annual drill plan for approval.",
                        unit, a.year
                    ),
                    facts: vec![
                        ("单位", "Unit", unit.clone()),
                        ("年度", "Year", a.year.to_string()),
                    ],
                },
            ));
        }

        // Corrective actions due or overdue, escalating; evidence waiting for verification.
        for a in action_store::list(conn, None, true)? {
            if let Some(n) = verify_reminder(conn, &people, &tree, &a, day, tz)? {
                out.push(n);
            }
            let Some(found) = alarm(a.state, a.due_on, day) else {
                continue;
            };
            let Some(drill) = drill_store::find(conn, a.drill_id)? else {
                continue;
            };
            let owner_name = org_store::find_person(conn, a.owner_person_id)?
                .map(|p| p.name)
                .unwrap_or_default();
            let mut to = vec![(a.owner_person_id, &OWNER)];
            let stage = match found {
                ActionAlarm::DueSoon => "soon",
                ActionAlarm::Overdue(EscalationStep::Owner) => "overdue",
                ActionAlarm::Overdue(EscalationStep::UnitHead) => "head",
                ActionAlarm::Overdue(EscalationStep::Office) => "office",
            };
            if let ActionAlarm::Overdue(step) = found {
                if step >= EscalationStep::UnitHead {
                    to.extend(scoped(
                        &people,
                        &tree,
                        &[Role::UnitHead],
                        a.owner_unit_id,
                        &OWNER_HEAD,
                    ));
                }
                if step >= EscalationStep::Office {
                    to.extend(office(&people));
                }
            }
            to.sort_unstable_by_key(|(p, _)| *p);
            to.dedup_by_key(|(p, _)| *p);
            let late = (day - a.due_on).num_days();
            let (title_zh, title_en, zh, en) = match found {
                ActionAlarm::DueSoon => (
                    "演练整改即将到期",
                    "Corrective action due soon",
                    format!(
                        "整改事项应于 {} 前完成，请按期整改并提交整改材料。",
                        a.due_on
                    ),
                    format!(
                        "The corrective action is due by {}: complete it and submit the evidence.",
                        a.due_on
                    ),
                ),
                ActionAlarm::Overdue(step) => (
                    "演练整改逾期",
                    "Corrective action overdue",
                    format!(
                        "整改事项应于 {} 前完成，已逾期 {late} 天（已告知：{}）。",
                        a.due_on,
                        step.label(Lang::Zh)
                    ),
                    format!(
                        "The corrective action was due by {}, {late} days ago (now told: {}).",
                        a.due_on,
                        step.label(Lang::En).to_lowercase()
                    ),
                ),
            };
            out.push(notice(
                &DRILL_ACTION_DUE,
                format!("drill_action:{}:{}:{stage}", a.id, a.due_on),
                a.owner_unit_id,
                format!("/drills/actions/{}", a.id),
                to,
                false,
                DrillNotice {
                    title_zh: title_zh.into(),
                    title_en: title_en.into(),
                    todo_zh: zh,
                    todo_en: en,
                    facts: vec![
                        ("整改事项", "Action", a.problem.clone()),
                        ("演练", "Drill", drill.title.clone()),
                        ("责任人", "Owner", owner_name),
                        ("期限", "Due", a.due_on.to_string()),
                    ],
                },
            ));
        }
        Ok(out)
    }
}

/// The reminder to those who may verify an action whose evidence has waited `VERIFY_AFTER_DAYS` (3) days: the
/// drill's unit head and coordinator, never the owner nor whoever submitted the evidence (they may not verify
/// it). Once per submission.
fn verify_reminder(
    conn: &mut DbConn,
    people: &[Reachable],
    tree: &UnitTree,
    a: &action_store::DrillAction,
    day: chrono::NaiveDate,
    tz: chrono_tz::Tz,
) -> ServiceResult<Option<Outgoing>> {
    let Some(submitted_at) = a.submitted_at else {
        return Ok(None);
    };
    let submitted = super::service::local_day(submitted_at, tz);
    if !verification_overdue(a.state, submitted, day) {
        return Ok(None);
    }
    let Some(drill) = drill_store::find(conn, a.drill_id)? else {
        return Ok(None);
    };
    // The owner and whoever submitted the evidence may not verify it.
    let excluded: Vec<i64> = people
        .iter()
        .filter(|p| p.person_id == a.owner_person_id || Some(p.account_id) == a.submitted_by)
        .map(|p| p.person_id)
        .collect();
    let to: Vec<(i64, &'static Reason)> = scoped(
        people,
        tree,
        &[Role::UnitHead, Role::DrillCoordinator],
        drill.unit_id,
        &VERIFIER,
    )
    .into_iter()
    .filter(|(p, _)| !excluded.contains(p))
    .collect();
    let owner_name = org_store::find_person(conn, a.owner_person_id)?
        .map(|p| p.name)
        .unwrap_or_default();
    let waited = (day - submitted).num_days();
    Ok(Some(notice(
        &DRILL_ACTION_VERIFY,
        format!(
            "drill_verify:{}:{}",
            a.id,
            submitted_at.and_utc().timestamp()
        ),
        drill.unit_id,
        format!("/drills/actions/{}", a.id),
        to,
        false,
        DrillNotice {
            title_zh: "演练整改待验证".into(),
            title_en: "Corrective action awaiting verification".into(),
            todo_zh: format!("责任人已于 {submitted} 提交整改材料，已等待 {waited} 天，请核验后销号或写明原因退回。"),
            todo_en: format!("The owner submitted evidence on {submitted}, {waited} days ago: verify it and close the action, or return it with a reason."),
            facts: vec![
                ("整改事项", "Action", a.problem.clone()),
                ("演练", "Drill", drill.title.clone()),
                ("责任人", "Owner", owner_name),
                ("期限", "Due", a.due_on.to_string()),
            ],
        },
    )))
}
