//! A plan: the month (or quarter, or holiday) as the office's 值班表 grid, printable on A4 landscape, with
//! its gaps and conflicts and the steps to approval and publication; the form that sets a shift's people.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use super::{shift_line, text, weekday, ShiftLine, LABELS};
use crate::duty::model::{DayClass, DutyRole};
use crate::duty::service::options;
use crate::duty::service::plan_view::{self, PlanView};
use crate::duty::service::plans::{self, Step};
use crate::duty::store::shifts::PlanState;
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::typed::{submit_or_again, Refused, Typed};
use crate::web::{render, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(step)
        .service(places_form)
        .service(set_places);
}

/// A day of the grid.
struct DayLine {
    day: String,
    weekday: &'static str,
    /// `workday`, `weekend` or `holiday`: how the row is marked.
    class: &'static str,
    class_label: &'static str,
    holiday: String,
    shifts: Vec<ShiftLine>,
}

#[derive(Template)]
#[template(path = "duty/plan.html")]
struct PlanPage {
    ctx: Ctx,
    v: PlanView,
    state: &'static str,
    days: Vec<DayLine>,
    /// The steps the caller may take now: `(code, label, needs a note)`.
    steps: Vec<(&'static str, &'static str, bool)>,
    issued: String,
    /// The months of a published plan (`2026-12`), for their 值班表 downloads.
    months: Vec<String>,
    typed: Typed,
}

#[get("/duty/plans/{id}")]
async fn show(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    plan_view(&page, id.into_inner(), None).await
}

/// A plan's page, with its refused step (the note typed, and why) when there was one.
async fn plan_view(
    page: &Page,
    id: i64,
    refused: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (v, tz, today)) = page
        .run(move |c| {
            Ok((
                plan_view::view(c.conn, c.actor, id)?,
                c.tz,
                crate::clock::today(c.now, c.tz),
            ))
        })
        .await?;
    let (typed, status) = Typed::of(refused, ctx.lang, LABELS);
    let lang = ctx.lang;
    let state = v.plan.state();
    let mut steps = Vec::new();
    let label = |zh: &'static str, en: &'static str| match lang {
        crate::i18n::Lang::Zh => zh,
        crate::i18n::Lang::En => en,
    };
    if v.can_edit && state == PlanState::Draft && v.plan.holiday {
        steps.push((
            "submit",
            label("报安委办审批", "Send to the office for approval"),
            false,
        ));
    }
    if v.can_approve && state == PlanState::Submitted {
        steps.push(("approve", label("审批通过", "Approve"), false));
        steps.push(("refuse", label("退回修改", "Send back"), true));
    }
    if v.can_edit
        && (state == PlanState::Approved || (state == PlanState::Draft && !v.plan.holiday))
    {
        steps.push(("publish", label("发布", "Publish"), false));
    }
    if v.can_edit
        && matches!(
            state,
            PlanState::Draft | PlanState::Submitted | PlanState::Approved
        )
    {
        steps.push(("discard", label("废弃", "Discard"), false));
    }
    let view = PlanPage {
        months: if state == PlanState::Published {
            super::months_between(v.plan.starts_on, v.plan.ends_on)
        } else {
            Vec::new()
        },
        state: state.label(lang),
        days: v
            .days
            .iter()
            .map(|d| DayLine {
                day: d.day.format("%m-%d").to_string(),
                weekday: weekday(d.day, lang),
                class: d.class.code(),
                class_label: if d.class == DayClass::Workday {
                    ""
                } else {
                    d.class.label(lang)
                },
                holiday: d.holiday.clone(),
                shifts: d.shifts.iter().map(|s| shift_line(s, tz)).collect(),
            })
            .collect(),
        steps,
        issued: today.to_string(),
        typed,
        v,
        ctx,
    };
    render(&view, status)
}

#[post("/duty/plans/{id}")]
async fn step(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/duty/plans/{id}");
    let discarded = text(&f, "step") == "discard";
    let typed = f.clone();
    submit_or_again(
        &page,
        "step",
        typed,
        move |c| {
            let step = match text(&f, "step") {
                "submit" => Step::Submit,
                "approve" => Step::Approve,
                "refuse" => Step::Refuse,
                "publish" => Step::Publish,
                "discard" => Step::Discard,
                _ => return Err(ServiceError::invalid("step", "未知的操作", "Unknown step")),
            };
            let note = text(&f, "note");
            plans::step(c.conn, c.config, c.actor, c.now, c.tz, id, step, note).map(|v| v.roster_id)
        },
        move |roster| {
            if discarded {
                (
                    Text::new("排班已废弃", "Plan discarded"),
                    format!("/duty/rosters/{roster}"),
                )
            } else {
                (Text::new("已完成", "Done"), back)
            }
        },
        |refused| plan_view(&page, id, Some(refused)),
    )
    .await
}

#[derive(Template)]
#[template(path = "duty/places.html")]
struct PlacesPage {
    ctx: Ctx,
    shift: ShiftLine,
    plan_id: i64,
    roster_name: String,
    /// Candidates: `(person, name, current role code or "")`, eligible ones first.
    people: Vec<(i64, String, &'static str)>,
    typed: Typed,
}

#[get("/duty/shifts/{id}/places")]
async fn places_form(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    places_view(&page, id.into_inner(), None).await
}

/// The form setting a shift's places, as it was refused (the places chosen, and why) when it was.
async fn places_view(
    page: &Page,
    id: i64,
    refused: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (o, tz)) = page
        .run(move |c| Ok((options::place_options(c.conn, c.actor, id)?, c.tz)))
        .await?;
    let (typed, status) = Typed::of(refused, ctx.lang, LABELS);
    let people = o
        .people
        .into_iter()
        .map(|(p, name, role)| {
            if !typed.is("places") {
                return (p, name, role);
            }
            let chosen = DutyRole::parse(typed.value("places", &format!("role_{p}")));
            (p, name, chosen.map_or("", |r| r.code()))
        })
        .collect();
    let view = PlacesPage {
        shift: shift_line(&o.shift, tz),
        plan_id: o.plan_id,
        roster_name: o.roster_name,
        people,
        typed,
        ctx,
    };
    render(&view, status)
}

#[post("/duty/shifts/{id}/places")]
async fn set_places(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let typed = f.clone();
    submit_or_again(
        &page,
        "places",
        typed,
        move |c| {
            let mut places = Vec::new();
            for (k, v) in &f {
                let Some(person) = k.strip_prefix("role_").and_then(|p| p.parse::<i64>().ok())
                else {
                    continue;
                };
                match v.as_str() {
                    "" => {}
                    role => places.push((person, DutyRole::parse(role)?)),
                }
            }
            plans::set_shift(c.conn, c.config, c.actor, c.now, c.tz, id, places)?;
            options::plan_of_shift(c.conn, id)
        },
        |plan| {
            (
                Text::new("班次已更新", "Shift updated"),
                format!("/duty/plans/{plan}"),
            )
        },
        |refused| places_view(&page, id, Some(refused)),
    )
    .await
}
