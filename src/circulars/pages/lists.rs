//! The circulars my units received and those I send; the overdue report.

use actix_web::{get, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::circulars::api::folder;
use crate::circulars::model::{CircularState, CircularUrgency};
use crate::circulars::service::tracking::{self, CircularOverdueRow};
use crate::circulars::service::{self, CircularRow, Folder};
use crate::web::context::{local_time, Ctx};
use crate::web::error::PageError;
use crate::web::Page;

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(overdue);
}

#[derive(Deserialize)]
struct ListQuery {
    folder: Option<String>,
}

struct Line {
    id: i64,
    title: String,
    from_unit: String,
    urgency: &'static str,
    urgent: bool,
    state: &'static str,
    draft: bool,
    withdrawn: bool,
    due: String,
    overdue: bool,
    tally: String,
    mine_waiting: usize,
    mine_to_reply: usize,
}

#[derive(Template)]
#[template(path = "circulars/list.html")]
struct ListPage {
    ctx: Ctx,
    sent: bool,
    may_send: bool,
    lines: Vec<Line>,
}

fn line(r: &CircularRow, ctx: &Ctx, tz: chrono_tz::Tz, now: chrono::DateTime<chrono::Utc>) -> Line {
    let c = &r.circular;
    let t = &r.tally;
    Line {
        id: c.id,
        title: c.title.clone(),
        from_unit: r.from_unit.clone(),
        urgency: c.urgency.label(ctx.lang),
        urgent: c.urgency != CircularUrgency::Routine,
        state: c.state.label(ctx.lang),
        draft: c.state == CircularState::Draft,
        withdrawn: c.state == CircularState::Withdrawn,
        due: local_time(&c.ack_due, tz),
        overdue: c.state == CircularState::Issued && c.ack_due.and_utc() <= now,
        tally: format!(
            "{} {}/{} · {} {}/{} · {} {}",
            ctx.t("ci.acknowledged"),
            t.acknowledged,
            t.units,
            ctx.t("ci.replied"),
            t.replied,
            t.units,
            ctx.t("ci.overdue"),
            t.overdue
        ),
        mine_waiting: r.mine_waiting,
        mine_to_reply: r.mine_to_reply,
    }
}

#[get("/circulars")]
async fn list(page: Page, q: web::Query<ListQuery>) -> Result<HttpResponse, PageError> {
    let raw = q.into_inner().folder;
    page.show(
        move |c| {
            let which = folder(raw.as_deref())?;
            let rows = service::list(c.conn, c.actor, which, c.now)?;
            let may_send = c.actor.holds_any(crate::circulars::model::SENDERS);
            Ok((which, rows, may_send, c.tz, c.now))
        },
        |ctx, (which, rows, may_send, tz, now)| ListPage {
            sent: which == Folder::Sent,
            may_send,
            lines: rows.iter().map(|r| line(r, &ctx, tz, now)).collect(),
            ctx,
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "circulars/overdue.html")]
struct OverduePage {
    ctx: Ctx,
    rows: Vec<(CircularOverdueRow, String, String)>,
}

#[get("/circulars/overdue")]
async fn overdue(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| {
            let rows = tracking::overdue_report(c.conn, c.actor, c.now)?;
            Ok((rows, c.tz))
        },
        |ctx, (rows, tz)| OverduePage {
            rows: rows
                .into_iter()
                .map(|r| {
                    let due = local_time(&r.ack_due, tz);
                    let esc = r
                        .escalated_at
                        .map(|e| local_time(&e, tz))
                        .unwrap_or_default();
                    (r, due, esc)
                })
                .collect(),
            ctx,
        },
    )
    .await
}
