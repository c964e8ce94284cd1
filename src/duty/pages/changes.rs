//! Swaps and substitutions on pages: asking for one from a shift, answering, approving (warned first of any
//! clash it would make); the managers' queue of open changes.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{change_line, text, ChangeLine, LABELS};
use crate::duty::model::{ChangeAction, ChangeKind, ChangeState};
use crate::duty::service::changes::{self, Ask};
use crate::duty::service::clashes::DESPITE;
use crate::duty::service::{change_list, options};
use crate::error::ServiceError;
use crate::i18n::{Lang, Text};
use crate::web::auth::request_lang;
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::typed::{submit_or_again, Refused, Typed};
use crate::web::{render, InLang, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(ask_form)
        .service(ask)
        .service(act)
        .service(queue);
}

#[derive(Template)]
#[template(path = "duty/ask.html")]
struct AskPage {
    ctx: Ctx,
    shift_id: i64,
    when: String,
    roster_name: String,
    giver: (i64, String),
    /// People who could take over: `(id, name)`.
    takers: Vec<(i64, String)>,
    /// Places on shifts of the same roster the giver could take in return: `("shift:person", label)`.
    swaps: Vec<(String, String)>,
    /// The caller manages the roster (may make the change at once).
    manage: bool,
    typed: Typed,
}

#[derive(Deserialize)]
struct AskQuery {
    person: Option<i64>,
}

#[get("/duty/shifts/{id}/change")]
async fn ask_form(
    page: Page,
    id: web::Path<i64>,
    q: web::Query<AskQuery>,
) -> Result<HttpResponse, PageError> {
    ask_view(&page, id.into_inner(), q.person, None).await
}

/// The form asking to give up a place on shift `id` (the caller's, or `person`'s), as it was refused (what
/// was typed, and why) when it was.
async fn ask_view(
    page: &Page,
    id: i64,
    person: Option<i64>,
    refused: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (o, tz)) = page
        .run(move |c| {
            let o = options::ask_options(c.conn, c.actor, c.now, c.tz, id, person)?;
            Ok((o, c.tz))
        })
        .await?;
    let (typed, status) = Typed::of(refused, ctx.lang, LABELS);
    let view = AskPage {
        manage: o.manage,
        shift_id: id,
        when: crate::duty::notices::span(
            o.shift.starts_at.and_utc(),
            o.shift.ends_at.and_utc(),
            tz,
        ),
        roster_name: o.roster_name,
        giver: o.giver,
        takers: o.takers,
        swaps: o.swaps,
        typed,
        ctx,
    };
    render(&view, status)
}

fn id_of(f: &[(String, String)], name: &'static str) -> Result<i64, ServiceError> {
    text(f, name)
        .trim()
        .parse()
        .map_err(|_| ServiceError::invalid(name, "请选择", "Choose one"))
}

/// What a change's state is called in the message after it was asked for or decided.
fn said(ch: &crate::duty::store::changes::DutyChange) -> Text {
    Text::new(
        ch.state.label(Lang::Zh),
        ch.state.label(Lang::En).to_lowercase(),
    )
}

#[post("/duty/changes")]
async fn ask(
    page: Page,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    // Shown again for the shift and person it was asked for; a form naming neither is not one of ours.
    let shift = id_of(&f, "shift_id").page(request_lang(page.request()))?;
    let giver = id_of(&f, "giver_id").ok();
    let form = if text(&f, "kind") == "swap" {
        "swap"
    } else {
        "substitution"
    };
    let typed = f.clone();
    submit_or_again(
        &page,
        form,
        typed,
        move |c| {
            let kind = ChangeKind::parse(text(&f, "kind"))?;
            let (taker_id, taker_shift_id) = match kind {
                ChangeKind::Substitution => (id_of(&f, "taker_id")?, None),
                ChangeKind::Swap => {
                    let bad = || {
                        ServiceError::invalid(
                            "taker_shift_id",
                            "请选择要换的班次和人员",
                            "Choose the shift and person to swap with",
                        )
                    };
                    // "shift:person" of the shift taken in return and the person on it.
                    let (s, p) = text(&f, "swap").split_once(':').ok_or_else(bad)?;
                    (
                        p.parse().map_err(|_| bad())?,
                        Some(s.parse().map_err(|_| bad())?),
                    )
                }
            };
            changes::ask(
                c.conn,
                c.config,
                c.actor,
                c.now,
                c.tz,
                Ask {
                    kind,
                    shift_id: shift,
                    giver_id: id_of(&f, "giver_id")?,
                    taker_id,
                    taker_shift_id,
                    reason: text(&f, "reason").trim().into(),
                    apply_now: text(&f, "apply_now") == "1",
                    despite_clashes: text(&f, DESPITE) == "1",
                },
            )
        },
        |ch| {
            let to = if ch.state == ChangeState::Applied {
                "/duty/changes"
            } else {
                "/duty/mine"
            };
            let state = said(ch);
            (
                Text::new(
                    format!("{}申请已提交：{}", ch.kind.label(Lang::Zh), state.zh),
                    format!("{} submitted: {}", ch.kind.label(Lang::En), state.en),
                ),
                to.to_string(),
            )
        },
        |refused| ask_view(&page, shift, giver, Some(refused)),
    )
    .await
}

#[post("/duty/changes/{id}")]
async fn act(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = crate::web::context::safe_next(Some(text(&f, "next")));
    let again = back.clone();
    let typed = f.clone();
    let shown = &page;
    submit_or_again(
        &page,
        format!("change{id}"),
        typed,
        move |c| {
            let action = match text(&f, "action") {
                "agree" => ChangeAction::Agree,
                "decline" => ChangeAction::Decline,
                "approve" => ChangeAction::Approve,
                "refuse" => ChangeAction::Refuse,
                "withdraw" => ChangeAction::Withdraw,
                _ => {
                    return Err(ServiceError::invalid(
                        "action",
                        "未知的操作",
                        "Unknown action",
                    ))
                }
            };
            let despite = text(&f, DESPITE) == "1";
            let note = text(&f, "note");
            changes::act(
                c.conn, c.config, c.actor, c.now, c.tz, id, action, note, despite,
            )
        },
        move |ch| {
            let state = said(ch);
            (
                Text::new(
                    format!("已处理：{}", state.zh),
                    format!("Done: {}", state.en),
                ),
                back,
            )
        },
        |refused| async move {
            if again == "/duty/mine" {
                super::mine::mine_view(shown, Some(refused)).await
            } else {
                queue_view(shown, Some(refused)).await
            }
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "duty/changes.html")]
struct QueuePage {
    ctx: Ctx,
    /// Open changes of rosters I manage or that I am party to: `(line, roster name, I may approve)`.
    open: Vec<(ChangeLine, String, bool)>,
    typed: Typed,
}

#[get("/duty/changes")]
async fn queue(page: Page) -> Result<HttpResponse, PageError> {
    queue_view(&page, None).await
}

/// The queue of open changes, with the decision that was refused (the note typed, and why) when one was.
async fn queue_view(page: &Page, refused: Option<Refused>) -> Result<HttpResponse, PageError> {
    let (ctx, open) = page
        .run(|c| {
            Ok(change_list::queue(c.conn, c.actor)?
                .into_iter()
                .map(|q| {
                    (
                        change_line(&q.seen, c.actor.lang, c.tz),
                        q.roster,
                        q.approve,
                    )
                })
                .collect::<Vec<_>>())
        })
        .await?;
    let (typed, status) = Typed::of(refused, ctx.lang, LABELS);
    render(&QueuePage { ctx, open, typed }, status)
}
