//! A roster's page: its settings, periods, eligible people, plans, gaps ahead and changes; the forms that
//! change them.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{change_line, date, number, text, ChangeLine, LABELS};
use crate::duty::model::{DutyRole, PeriodInput, PeriodKind, PresencePlan, RosterInput};
use crate::duty::service::rosters::{self, RosterView, Source};
use crate::duty::service::{change_list, changes, feeds, gaps, names, options};
use crate::duty::store::shifts::PlanState;
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::web::context::{local_time, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::typed::{submit_or_again, Refused, Typed};
use crate::web::{render, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(update)
        .service(add_period)
        .service(remove_period)
        .service(set_people)
        .service(generate);
}

#[derive(Template)]
#[template(path = "duty/roster.html")]
struct RosterPage {
    ctx: Ctx,
    v: RosterView,
    findings: Vec<String>,
    changes: Vec<ChangeLine>,
    /// Active people of the roster's unit: `(id, name, leader?, officer?)`.
    people: Vec<(i64, String, bool, bool)>,
    teams: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    plan_states: Vec<(i64, String, &'static str, bool)>,
    /// The roster's live calendar feeds, for its managers: `(id, made)`.
    feeds: Vec<(i64, String)>,
    /// Months holding published shifts, newest first (`2026-12`), for their 值班表 downloads.
    months: Vec<String>,
    /// Whether the roster has one 24-hour shift a day (so a 值班表 file can be imported into it).
    daily: bool,
    typed: Typed,
}

#[get("/duty/rosters/{id:\\d+}")]
async fn show(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    roster_view(&page, id.into_inner(), None).await
}

/// A roster's page, with the form that was refused (what was typed, and why) when one was.
pub(super) async fn roster_view(
    page: &Page,
    id: i64,
    refused: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (v, findings, changes, people, teams, feeds)) = page
        .run(move |c| {
            let v = rosters::view(c.conn, c.actor, id)?;
            let all = names(c.conn)?;
            let found = gaps::ahead(c.conn, c.now, c.tz, id, 30)?;
            let name = |p: i64| all.get(&p).cloned().unwrap_or_default();
            let findings: Vec<String> = found
                .iter()
                .map(|f| f.describe(c.actor.lang, &name))
                .collect();
            let recent = changes::list(c.conn, Some(id), None)?
                .into_iter()
                .take(30)
                .collect();
            let changes: Vec<ChangeLine> = change_list::seen(c.conn, recent)?
                .iter()
                .map(|s| change_line(s, c.actor.lang, c.tz))
                .collect();
            let sources = options::roster_sources(c.conn, v.roster.unit_id)?;
            let people = sources
                .people
                .iter()
                .map(|(p, n)| {
                    let has = |r| v.eligible.iter().any(|e| e.person_id == *p && e.role == r);
                    (*p, n.clone(), has(DutyRole::Leader), has(DutyRole::Officer))
                })
                .collect();
            let feeds = if v.manage {
                feeds::of_roster(c.conn, c.actor, id)?
                    .into_iter()
                    .map(|f| (f.id, local_time(&f.created_at, c.tz)))
                    .collect()
            } else {
                Vec::new()
            };
            Ok((v, findings, changes, people, sources.teams, feeds))
        })
        .await?;
    let lang = ctx.lang;
    let (typed, status) = Typed::of(refused, lang, LABELS);
    let mut months: Vec<String> = v
        .plans
        .iter()
        .filter(|p| p.state() == PlanState::Published)
        .flat_map(|p| super::months_between(p.starts_on, p.ends_on))
        .collect();
    months.sort_unstable_by(|a, b| b.cmp(a));
    months.dedup();
    let view = RosterPage {
        months,
        daily: v.roster.pattern.is_24_hour(),
        kinds: PeriodKind::ALL
            .iter()
            .map(|k| (k.code(), k.label(lang)))
            .collect(),
        plan_states: v
            .plans
            .iter()
            .map(|p| {
                (
                    p.id,
                    format!("{} → {}", p.starts_on, p.ends_on),
                    p.state().label(lang),
                    p.holiday,
                )
            })
            .collect(),
        v,
        findings,
        changes,
        people,
        teams,
        feeds,
        typed,
        ctx,
    };
    render(&view, status)
}

#[post("/duty/rosters/{id:\\d+}")]
async fn update(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/duty/rosters/{id}");
    let typed = f.clone();
    submit_or_again(
        &page,
        "settings",
        typed,
        move |c| {
            let unit = crate::duty::service::roster_for(c.conn, id)?.unit_id;
            let n = |name| number(&f, name);
            let input = RosterInput::parse(
                unit,
                text(&f, "name"),
                text(&f, "shift_starts"),
                [
                    (n("workday_leaders")?, n("workday_officers")?),
                    (n("weekend_leaders")?, n("weekend_officers")?),
                    (n("holiday_leaders")?, n("holiday_officers")?),
                ],
                text(&f, "duty_phone"),
                n("handover_minutes")?,
                text(&f, "checklist"),
                n("remind_hours")?,
            )?
            .with_presence(PresencePlan::parse(
                n("presence_checks")?,
                n("presence_minutes")?,
            )?);
            rosters::update(c.conn, c.actor, c.now, id, input, text(&f, "active") != "0")
        },
        move |_| (Text::new("已保存", "Saved"), back),
        |refused| roster_view(&page, id, Some(refused)),
    )
    .await
}

#[post("/duty/rosters/{id}/periods")]
async fn add_period(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/duty/rosters/{id}");
    let typed = f.clone();
    submit_or_again(
        &page,
        "period",
        typed,
        move |c| {
            let kind = PeriodKind::parse(text(&f, "kind"))?;
            let range = (date(&f, "starts_on")?, date(&f, "ends_on")?);
            let need = (number(&f, "leaders")?, number(&f, "officers")?);
            rosters::add_period(c.conn, c.actor, c.now, id, |others| {
                PeriodInput::parse(kind, text(&f, "name"), range, need, others)
            })
        },
        move |_| (Text::new("时段已添加", "Period added"), back),
        |refused| roster_view(&page, id, Some(refused)),
    )
    .await
}

#[derive(Deserialize)]
struct Empty {}

#[post("/duty/rosters/{id}/periods/{period}/delete")]
async fn remove_period(
    page: Page,
    path: web::Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let (id, period) = path.into_inner();
    let back = format!("/duty/rosters/{id}");
    page.act(
        &back.clone(),
        move |c| rosters::remove_period(c.conn, c.actor, c.now, id, period),
        move |_| (Text::new("时段已删除", "Period removed"), back),
    )
    .await
}

#[post("/duty/rosters/{id}/people")]
async fn set_people(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/duty/rosters/{id}");
    let form = if text(&f, "source") == "team" {
        "team"
    } else {
        "people"
    };
    let typed = f.clone();
    submit_or_again(
        &page,
        form,
        typed,
        move |c| {
            let source = match text(&f, "source") {
                "unit_roles" => Source::UnitRoles,
                "team" => Source::Team(number(&f, "team_id")?),
                _ => {
                    let mut people = Vec::new();
                    for (k, v) in &f {
                        let role = match k.as_str() {
                            "leader" => DutyRole::Leader,
                            "officer" => DutyRole::Officer,
                            _ => continue,
                        };
                        let person = v.trim().parse().map_err(|_| {
                            ServiceError::invalid(
                                "people",
                                "请从名单中选择",
                                "Choose from the list",
                            )
                        })?;
                        people.push((person, role));
                    }
                    Source::People(people)
                }
            };
            rosters::set_eligible(c.conn, c.actor, c.now, id, source)
        },
        move |p| {
            (
                Text::new(
                    format!("值班人员已保存（{} 人次）", p.len()),
                    format!("People saved ({} places)", p.len()),
                ),
                back,
            )
        },
        |refused| roster_view(&page, id, Some(refused)),
    )
    .await
}

#[post("/duty/rosters/{id}/plans")]
async fn generate(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let typed = f.clone();
    submit_or_again(
        &page,
        "generate",
        typed,
        move |c| {
            let range = (date(&f, "from")?, date(&f, "to")?);
            crate::duty::service::plans::generate(c.conn, c.actor, c.now, c.tz, id, range)
        },
        |p| {
            (
                Text::new(
                    "已生成排班草稿，请检查后发布",
                    "Draft generated: check it, then publish",
                ),
                format!("/duty/plans/{}", p.plan.id),
            )
        },
        |refused| roster_view(&page, id, Some(refused)),
    )
    .await
}
