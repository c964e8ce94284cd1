//! My duty: my shifts ahead, the swaps and substitutions I am party to, the days I cannot be on duty, how
//! long before a shift I am reminded of it, my calendar feeds.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{change_line, date, number, text, ChangeLine, LABELS};
use crate::duty::model::{ChangeState, LeadChoice, ReminderLead};
use crate::duty::service::mine::{self, MyReminder, MyShift};
use crate::duty::service::{change_list, feeds};
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::web::context::{local_time, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::typed::{submit_or_again, Refused, Typed};
use crate::web::{render, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(set_reminder)
        .service(add_unavailable)
        .service(remove_unavailable);
}

/// An open change with what I may do about it.
struct Waiting {
    line: ChangeLine,
    /// I take over and have not answered yet.
    answer: bool,
    /// I asked: I may withdraw.
    withdraw: bool,
}

#[derive(Template)]
#[template(path = "duty/mine.html")]
struct MinePage {
    ctx: Ctx,
    shifts: Vec<MyShift>,
    waiting: Vec<Waiting>,
    /// `(person, id, from → to, reason)`.
    unavailable: Vec<(i64, i64, String, String)>,
    person: Option<i64>,
    today: String,
    /// Live calendar feeds I made or that show my duty: `(id, whose, made)`.
    feeds: Vec<(i64, String, String)>,
    /// My reminder lead (none for an account without a person).
    reminder: Option<MyReminder>,
    choices: &'static [LeadChoice],
    typed: Typed,
}

#[get("/duty/mine")]
async fn show(page: Page) -> Result<HttpResponse, PageError> {
    mine_view(&page, None).await
}

/// My duty, with the form that was refused (what was typed, and why) when one was.
pub(super) async fn mine_view(
    page: &Page,
    refused: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let (ctx, ((d, lines), reminder, me, today, feeds)) = page
        .run(|c| {
            let d = mine::of_actor(c.conn, c.actor, c.now, c.tz)?;
            let feeds: Vec<_> = feeds::mine(c.conn, c.actor)?
                .into_iter()
                .map(|f| (f.id, f.name, local_time(&f.created_at, c.tz)))
                .collect();
            let reminder = match c.actor.person_id {
                Some(_) => Some(mine::reminder(c.conn, c.actor)?),
                None => None,
            };
            let lines: Vec<ChangeLine> = change_list::seen(c.conn, d.waiting.clone())?
                .iter()
                .map(|s| change_line(s, c.actor.lang, c.tz))
                .collect();
            Ok((
                (d, lines),
                reminder,
                c.actor.person_id,
                crate::clock::today(c.now, c.tz),
                feeds,
            ))
        })
        .await?;
    let (typed, status) = Typed::of(refused, ctx.lang, LABELS);
    let view = MinePage {
        waiting: d
            .waiting
            .iter()
            .zip(lines)
            .map(|(c, line)| Waiting {
                line,
                answer: c.state == ChangeState::Asked && Some(c.taker_id) == me,
                withdraw: Some(c.giver_id) == me,
            })
            .collect(),
        unavailable: d
            .unavailable
            .iter()
            .map(|u| {
                (
                    u.person_id,
                    u.id,
                    format!("{} → {}", u.starts_on, u.ends_on),
                    u.reason.clone(),
                )
            })
            .collect(),
        shifts: d.shifts,
        person: me,
        today: today.to_string(),
        feeds,
        reminder,
        choices: LeadChoice::ALL,
        typed,
        ctx,
    };
    render(&view, status)
}

#[post("/duty/mine/reminder")]
async fn set_reminder(
    page: Page,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let typed = f.clone();
    submit_or_again(
        &page,
        "reminder",
        typed,
        move |c| {
            let lead = text(&f, "lead");
            // The hours field is on the form whatever is chosen; it is read only with the lead `hours`.
            let hours = match (LeadChoice::parse(lead)?, text(&f, "hours").trim()) {
                (LeadChoice::Hours, "") => None,
                (LeadChoice::Hours, h) => Some(h.parse().map_err(|_| {
                    ServiceError::invalid("hours", "请填写整数小时数", "Enter whole hours")
                })?),
                _ => None,
            };
            mine::set_reminder(c.conn, c.actor, c.now, ReminderLead::parse(lead, hours)?)
        },
        |_| {
            (
                Text::new("班前提醒已保存", "Reminder saved"),
                "/duty/mine".into(),
            )
        },
        |refused| mine_view(&page, Some(refused)),
    )
    .await
}

#[post("/duty/unavailable")]
async fn add_unavailable(
    page: Page,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let typed = f.clone();
    submit_or_again(
        &page,
        "unavailable",
        typed,
        move |c| {
            let person = number(&f, "person_id")?;
            let range = (date(&f, "starts_on")?, date(&f, "ends_on")?);
            mine::add_unavailable(
                c.conn,
                c.actor,
                c.now,
                c.tz,
                person,
                range,
                text(&f, "reason"),
            )
        },
        |_| {
            (
                Text::new("已登记不可值班日期", "Unavailable days recorded"),
                "/duty/mine".into(),
            )
        },
        |refused| mine_view(&page, Some(refused)),
    )
    .await
}

#[derive(Deserialize)]
struct Empty {}

#[post("/duty/unavailable/{person}/{id}/delete")]
async fn remove_unavailable(
    page: Page,
    path: web::Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let (person, id) = path.into_inner();
    page.act(
        "/duty/mine",
        move |c| mine::remove_unavailable(c.conn, c.actor, c.now, person, id),
        |_| (Text::new("已撤销", "Withdrawn"), "/duty/mine".into()),
    )
    .await
}
