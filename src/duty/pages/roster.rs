//! A roster's page: its settings, periods, eligible people, plans, gaps ahead and changes; the forms that
//! change them.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::duty::model::{DutyRole, PeriodInput, PeriodKind, PresencePlan, RosterInput};
use crate::duty::service::rosters::{self, RosterView, Source};
use crate::duty::service::{changes, feeds, gaps, names};
use crate::duty::store::changes::DutyChange;
use crate::duty::store::shifts::PlanState;
use crate::error::ServiceError;
use crate::i18n::{Lang, Text};
use crate::teams::store::teams as team_store;
use crate::web::context::{local_time, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::Page;

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(update)
        .service(add_period)
        .service(remove_period)
        .service(set_people)
        .service(generate);
}

/// A change as lists show it.
pub(super) struct ChangeLine {
    pub id: i64,
    pub kind: &'static str,
    /// The shift given up (and for a swap, the one taken in return), in office time.
    pub when: String,
    pub state: &'static str,
    pub open: bool,
    pub giver: String,
    pub taker: String,
    pub reason: String,
    pub note: String,
}

pub(super) fn change_line(
    conn: &mut crate::db::DbConn,
    c: &DutyChange,
    names: &std::collections::HashMap<i64, String>,
    (lang, tz): (Lang, chrono_tz::Tz),
) -> crate::error::ServiceResult<ChangeLine> {
    use crate::duty::model::ChangeState;
    let name = |p: i64| names.get(&p).cloned().unwrap_or_default();
    let mut span = |id: i64| -> crate::error::ServiceResult<String> {
        Ok(
            crate::duty::store::shifts::find_shift(conn, id)?.map_or_else(String::new, |s| {
                crate::duty::notices::span(s.starts_at.and_utc(), s.ends_at.and_utc(), tz)
            }),
        )
    };
    let when = match c.taker_shift_id {
        Some(other) => format!("{} ⇄ {}", span(c.shift_id)?, span(other)?),
        None => span(c.shift_id)?,
    };
    Ok(ChangeLine {
        id: c.id,
        when,
        kind: c.kind.label(lang),
        state: c.state.label(lang),
        open: matches!(c.state, ChangeState::Asked | ChangeState::Agreed),
        giver: name(c.giver_id),
        taker: name(c.taker_id),
        reason: c.reason.clone(),
        note: c.decision_note.clone(),
    })
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
}

#[get("/duty/rosters/{id:\\d+}")]
async fn show(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    page.show(
        move |c| {
            let v = rosters::view(c.conn, c.actor, id)?;
            let all = names(c.conn)?;
            let found = gaps::ahead(c.conn, c.now, c.tz, id, 30)?;
            let name = |p: i64| all.get(&p).cloned().unwrap_or_default();
            let findings: Vec<String> = found
                .iter()
                .map(|f| f.describe(c.actor.lang, &name))
                .collect();
            let mut changes: Vec<ChangeLine> = Vec::new();
            for x in changes::list(c.conn, Some(id), None)?.iter().take(30) {
                changes.push(change_line(c.conn, x, &all, (c.actor.lang, c.tz))?);
            }
            let people = crate::duty::store::rosters::people_of_unit(c.conn, v.roster.unit_id)?
                .into_iter()
                .map(|(p, n)| {
                    let has = |r| v.eligible.iter().any(|e| e.person_id == p && e.role == r);
                    (p, n, has(DutyRole::Leader), has(DutyRole::Officer))
                })
                .collect();
            let teams = team_store::all(c.conn)?
                .into_iter()
                .filter(|t| t.active)
                .map(|t| (t.id, t.name))
                .collect();
            let feeds = if v.manage {
                feeds::of_roster(c.conn, c.actor, id)?
                    .into_iter()
                    .map(|f| (f.id, local_time(&f.created_at, c.tz)))
                    .collect()
            } else {
                Vec::new()
            };
            Ok((v, findings, changes, people, teams, feeds))
        },
        |ctx, (v, findings, changes, people, teams, feeds)| {
            let lang = ctx.lang;
            let mut months: Vec<String> = v
                .plans
                .iter()
                .filter(|p| p.state() == PlanState::Published)
                .flat_map(|p| super::months_between(p.starts_on, p.ends_on))
                .collect();
            months.sort_unstable_by(|a, b| b.cmp(a));
            months.dedup();
            RosterPage {
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
                ctx,
            }
        },
    )
    .await
}

fn number(fields: &[(String, String)], name: &'static str) -> Result<i64, ServiceError> {
    let v = fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim());
    v.parse()
        .map_err(|_| ServiceError::invalid(name, "请填写整数", "Enter a whole number"))
}

fn text<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

#[post("/duty/rosters/{id:\\d+}")]
async fn update(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/duty/rosters/{id}");
    page.act(
        &back.clone(),
        move |c| {
            let unit = crate::duty::service::roster_for(c.conn, id)?.unit_id;
            let input = RosterInput::parse(
                unit,
                text(&f, "name"),
                text(&f, "shift_starts"),
                [
                    (
                        number(&f, "workday_leaders")?,
                        number(&f, "workday_officers")?,
                    ),
                    (
                        number(&f, "weekend_leaders")?,
                        number(&f, "weekend_officers")?,
                    ),
                    (
                        number(&f, "holiday_leaders")?,
                        number(&f, "holiday_officers")?,
                    ),
                ],
                text(&f, "duty_phone"),
                number(&f, "handover_minutes")?,
                text(&f, "checklist"),
                number(&f, "remind_hours")?,
            )?
            .with_presence(PresencePlan::parse(
                number(&f, "presence_checks")?,
                number(&f, "presence_minutes")?,
            )?);
            rosters::update(c.conn, c.actor, c.now, id, input, text(&f, "active") != "0")
        },
        move |_| (Text::new("已保存", "Saved"), back),
    )
    .await
}

#[derive(Deserialize)]
struct PeriodForm {
    kind: String,
    name: String,
    starts_on: String,
    ends_on: String,
    leaders: String,
    officers: String,
}

fn date(field: &'static str, v: &str) -> Result<NaiveDate, ServiceError> {
    NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| {
        ServiceError::invalid(
            field,
            "日期格式应为 2026-12-01",
            "Dates look like 2026-12-01",
        )
    })
}

fn count(field: &'static str, v: &str) -> Result<i64, ServiceError> {
    v.trim()
        .parse()
        .map_err(|_| ServiceError::invalid(field, "请填写整数", "Enter a whole number"))
}

#[post("/duty/rosters/{id}/periods")]
async fn add_period(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<PeriodForm>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/duty/rosters/{id}");
    page.act(
        &back.clone(),
        move |c| {
            let kind = PeriodKind::parse(&f.kind)?;
            let range = (
                date("starts_on", &f.starts_on)?,
                date("ends_on", &f.ends_on)?,
            );
            let need = (
                count("leaders", &f.leaders)?,
                count("officers", &f.officers)?,
            );
            rosters::add_period(c.conn, c.actor, c.now, id, |others| {
                PeriodInput::parse(kind, &f.name, range, need, others)
            })
        },
        move |_| (Text::new("时段已添加", "Period added"), back),
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
    page.act(
        &back.clone(),
        move |c| {
            let source = match text(&f, "source") {
                "unit_roles" => Source::UnitRoles,
                "team" => Source::Team(count("team_id", text(&f, "team_id"))?),
                _ => {
                    let mut people = Vec::new();
                    for (k, v) in &f {
                        let role = match k.as_str() {
                            "leader" => DutyRole::Leader,
                            "officer" => DutyRole::Officer,
                            _ => continue,
                        };
                        people.push((count("people", v)?, role));
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
    )
    .await
}

#[derive(Deserialize)]
struct RangeForm {
    from: String,
    to: String,
}

#[post("/duty/rosters/{id}/plans")]
async fn generate(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<RangeForm>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    page.act(
        &format!("/duty/rosters/{id}"),
        move |c| {
            let range = (date("from", &f.from)?, date("to", &f.to)?);
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
    )
    .await
}
