//! My duty: my shifts ahead, the swaps and substitutions I am party to, the days I cannot be on duty, how
//! long before a shift I am reminded of it, my calendar feeds.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::roster::{change_line, ChangeLine};
use crate::duty::model::{ChangeState, LeadChoice, ReminderLead};
use crate::duty::service::feeds;
use crate::duty::service::mine::{self, MyReminder, MyShift};
use crate::duty::service::names;
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::web::context::{local_time, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::Page;

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
}

#[get("/duty/mine")]
async fn show(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| {
            let d = mine::of_actor(c.conn, c.actor, c.now, c.tz)?;
            let feeds: Vec<_> = feeds::mine(c.conn, c.actor)?
                .into_iter()
                .map(|f| (f.id, f.name, local_time(&f.created_at, c.tz)))
                .collect();
            let reminder = match c.actor.person_id {
                Some(_) => Some(mine::reminder(c.conn, c.actor)?),
                None => None,
            };
            let all = names(c.conn)?;
            let mut lines = Vec::new();
            for ch in &d.waiting {
                lines.push(change_line(c.conn, ch, &all, (c.actor.lang, c.tz))?);
            }
            Ok((
                (d, lines),
                reminder,
                c.actor.person_id,
                crate::clock::today(c.now, c.tz),
                feeds,
            ))
        },
        |ctx, ((d, lines), reminder, me, today, feeds)| MinePage {
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
            ctx,
        },
    )
    .await
}

#[derive(Deserialize)]
struct ReminderForm {
    lead: String,
    /// Read only with the lead `hours` (the field is on the form whatever is chosen).
    #[serde(default)]
    hours: String,
}

#[post("/duty/mine/reminder")]
async fn set_reminder(
    page: Page,
    CsrfForm(f): CsrfForm<ReminderForm>,
) -> Result<HttpResponse, PageError> {
    page.act(
        "/duty/mine",
        move |c| {
            let hours = match (LeadChoice::parse(&f.lead)?, f.hours.trim()) {
                (LeadChoice::Hours, "") => None,
                (LeadChoice::Hours, h) => Some(h.parse().map_err(|_| {
                    ServiceError::invalid("hours", "请填写整数小时数", "Enter whole hours")
                })?),
                _ => None,
            };
            mine::set_reminder(c.conn, c.actor, c.now, ReminderLead::parse(&f.lead, hours)?)
        },
        |_| {
            (
                Text::new("班前提醒已保存", "Reminder saved"),
                "/duty/mine".into(),
            )
        },
    )
    .await
}

#[derive(Deserialize)]
struct UnavailableForm {
    person_id: i64,
    starts_on: String,
    ends_on: String,
    #[serde(default)]
    reason: String,
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

#[post("/duty/unavailable")]
async fn add_unavailable(
    page: Page,
    CsrfForm(f): CsrfForm<UnavailableForm>,
) -> Result<HttpResponse, PageError> {
    page.act(
        "/duty/mine",
        move |c| {
            let range = (
                date("starts_on", &f.starts_on)?,
                date("ends_on", &f.ends_on)?,
            );
            mine::add_unavailable(c.conn, c.actor, c.now, c.tz, f.person_id, range, &f.reason)
        },
        |_| {
            (
                Text::new("已登记不可值班日期", "Unavailable days recorded"),
                "/duty/mine".into(),
            )
        },
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
