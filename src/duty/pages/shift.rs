//! A shift's page, made for a phone: who is on it, the duty log, matters carried over, the handover
//! (outgoing signature with the checklist, incoming confirmation); and a roster's day as the printed 值班记录.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use serde::Deserialize;

use super::{shift_line, text, ShiftLine, LABELS};
use crate::duty::service::log::{self, DayRecord, EntryInput, ShiftLog};
use crate::duty::store::log::Entry;
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::typed::{submit_or_again, Refused, Typed};
use crate::web::{render, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(record)
        .service(close)
        .service(sign_out)
        .service(sign_in)
        .service(day);
}

/// A log entry as shown.
struct EntryLine {
    id: i64,
    at: String,
    caller: String,
    summary: String,
    notified: String,
    handling: String,
    open: bool,
}

fn entry_line(e: &Entry, tz: chrono_tz::Tz) -> EntryLine {
    let caller = [
        e.caller_unit.as_str(),
        e.caller_name.as_str(),
        e.caller_phone.as_str(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" ");
    EntryLine {
        id: e.id,
        at: local(e.occurred_at, tz),
        caller,
        summary: e.summary.clone(),
        notified: e.notified.clone(),
        handling: e.handling.clone(),
        open: e.open,
    }
}

/// The name of the account that signed, if one did.
fn signer(signers: &[(i64, String)], account: Option<i64>) -> String {
    account
        .and_then(|a| signers.iter().find(|(id, _)| *id == a))
        .map_or_else(String::new, |(_, n)| n.clone())
}

fn local(t: NaiveDateTime, tz: chrono_tz::Tz) -> String {
    tz.from_utc_datetime(&t).format("%m-%d %H:%M").to_string()
}

/// A handover as shown: when each side signed, the matters handed over, the items ticked, the note.
struct HandoverLine {
    out_by: String,
    in_by: String,
    out_at: String,
    in_at: Option<String>,
    matters: String,
    checked: Vec<String>,
    note: String,
}

#[derive(Template)]
#[template(path = "duty/shift.html")]
struct ShiftPage {
    ctx: Ctx,
    v: ShiftLog,
    shift: ShiftLine,
    entries: Vec<EntryLine>,
    carried: Vec<EntryLine>,
    handover: Option<HandoverLine>,
    /// Presence checks: who, asked at, answered, asked by the schedule (unannounced).
    presence: Vec<(String, String, bool, bool)>,
    day: String,
    typed: Typed,
}

#[get("/duty/shifts/{id:\\d+}")]
async fn show(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    shift_view(&page, id.into_inner(), None).await
}

/// A shift's page, with the form that was refused (what was typed, and why) when one was.
pub(super) async fn shift_view(
    page: &Page,
    id: i64,
    refused: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (v, tz)) = page
        .run(move |c| Ok((log::shift_log(c.conn, c.actor, c.now, id)?, c.tz)))
        .await?;
    let (typed, status) = Typed::of(refused, ctx.lang, LABELS);
    let view = ShiftPage {
        shift: shift_line(&v.shift, tz),
        entries: v.entries.iter().map(|e| entry_line(e, tz)).collect(),
        carried: v.carried.iter().map(|e| entry_line(e, tz)).collect(),
        handover: v.handover.as_ref().map(|h| HandoverLine {
            out_by: signer(&v.signers, Some(h.outgoing_by)),
            in_by: signer(&v.signers, h.incoming_by),
            out_at: local(h.outgoing_at, tz),
            in_at: h.incoming_at.map(|t| local(t, tz)),
            matters: h.open_matters.clone(),
            checked: h.checked.lines().map(str::to_string).collect(),
            note: h.note.clone(),
        }),
        day: v.shift.day.to_string(),
        presence: v
            .presence
            .iter()
            .map(|c| {
                let who = v
                    .shift
                    .leaders
                    .iter()
                    .chain(&v.shift.officers)
                    .find(|h| h.person_id == c.person_id)
                    .map_or_else(String::new, |h| h.name.clone());
                (
                    who,
                    local(c.asked_at, tz),
                    c.confirmed_at.is_some(),
                    c.by_schedule(),
                )
            })
            .collect(),
        typed,
        v,
        ctx,
    };
    render(&view, status)
}

#[post("/duty/shifts/{id}/log")]
async fn record(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/duty/shifts/{id}");
    let typed = f.clone();
    submit_or_again(
        &page,
        "entry",
        typed,
        move |c| {
            let at = match text(&f, "occurred_at").trim() {
                "" => None,
                t => {
                    let naive =
                        NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M").map_err(|_| {
                            ServiceError::invalid(
                                "occurred_at",
                                "时间格式应为 2026-12-01T08:30",
                                "Times look like 2026-12-01T08:30",
                            )
                        })?;
                    Some(crate::duty::model::local_instant(
                        naive.date(),
                        naive.time(),
                        c.tz,
                    ))
                }
            };
            log::record(
                c.conn,
                c.actor,
                c.now,
                id,
                EntryInput {
                    occurred_at: at,
                    caller_unit: text(&f, "caller_unit").into(),
                    caller_name: text(&f, "caller_name").into(),
                    caller_phone: text(&f, "caller_phone").into(),
                    summary: text(&f, "summary").into(),
                    notified: text(&f, "notified").into(),
                    handling: text(&f, "handling").into(),
                    open: text(&f, "open") == "1",
                },
            )
        },
        move |_| (Text::new("已记录", "Recorded"), back),
        |refused| shift_view(&page, id, Some(refused)),
    )
    .await
}

/// Closes an open matter from the page of the shift in `next` (shown again there when refused).
#[post("/duty/log/{id}/close")]
async fn close(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = crate::web::context::safe_next(Some(text(&f, "next")));
    let on = back
        .strip_prefix("/duty/shifts/")
        .and_then(|s| s.parse::<i64>().ok());
    let typed = f.clone();
    let run = move |c: &mut crate::web::Call<'_>| {
        log::close(c.conn, c.actor, c.now, id, text(&f, "handling"))
    };
    let to = back.clone();
    let done = move |_: &_| (Text::new("事项已办结", "Matter closed"), to);
    match on {
        Some(shift) => {
            submit_or_again(&page, format!("close{id}"), typed, run, done, |refused| {
                shift_view(&page, shift, Some(refused))
            })
            .await
        }
        None => page.act(&back, run, done).await,
    }
}

#[post("/duty/shifts/{id}/handover")]
async fn sign_out(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/duty/shifts/{id}");
    let typed = f.clone();
    submit_or_again(
        &page,
        "handover",
        typed,
        move |c| {
            let checked: Vec<String> = f
                .iter()
                .filter(|(k, _)| k == "checked")
                .map(|(_, v)| v.clone())
                .collect();
            log::sign_out(
                c.conn,
                c.actor,
                c.now,
                id,
                text(&f, "open_matters"),
                &checked,
                text(&f, "note"),
            )
        },
        move |_| {
            (
                Text::new(
                    "交班已签字，请接班人确认",
                    "Signed out: the incoming side confirms next",
                ),
                back,
            )
        },
        |refused| shift_view(&page, id, Some(refused)),
    )
    .await
}

#[derive(Deserialize)]
struct Empty {}

#[post("/duty/shifts/{id}/handover/confirm")]
async fn sign_in(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/duty/shifts/{id}");
    page.act(
        &back.clone(),
        move |c| log::sign_in(c.conn, c.actor, c.now, id),
        move |_| (Text::new("接班已确认", "Handover confirmed"), back),
    )
    .await
}

#[derive(Template)]
#[template(path = "duty/record.html")]
struct RecordPage {
    ctx: Ctx,
    r: DayRecord,
    shifts: Vec<ShiftLine>,
    entries: Vec<EntryLine>,
    /// `(outgoing signed: who and when, incoming signed: who and when, open matters)` per handover.
    handovers: Vec<(String, String, String)>,
    roster_id: i64,
}

#[get("/duty/rosters/{id}/record/{day}")]
async fn day(page: Page, path: web::Path<(i64, String)>) -> Result<HttpResponse, PageError> {
    let (id, day) = path.into_inner();
    page.show(
        move |c| {
            let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|_| ServiceError::not_found("该日期", "Date"))?;
            Ok((log::day_record(c.conn, c.actor, id, day)?, c.tz))
        },
        move |ctx, (r, tz)| RecordPage {
            shifts: r.shifts.iter().map(|s| shift_line(s, tz)).collect(),
            entries: r.entries.iter().map(|e| entry_line(e, tz)).collect(),
            handovers: r
                .handovers
                .iter()
                .map(|h| {
                    (
                        format!(
                            "{} {}",
                            signer(&r.signers, Some(h.outgoing_by)),
                            local(h.outgoing_at, tz)
                        ),
                        h.incoming_at.map_or_else(
                            || "—".into(),
                            |t| format!("{} {}", signer(&r.signers, h.incoming_by), local(t, tz)),
                        ),
                        h.open_matters.clone(),
                    )
                })
                .collect(),
            roster_id: id,
            r,
            ctx,
        },
    )
    .await
}
