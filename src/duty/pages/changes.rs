//! Swaps and substitutions on pages: asking for one from a shift, answering, approving; the managers'
//! queue of open changes.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::Duration;
use serde::Deserialize;

use super::roster::{change_line, ChangeLine};
use crate::duty::model::{manages_duty, ChangeAction, ChangeKind, ChangeState};
use crate::duty::service::changes::{self, Ask};
use crate::duty::service::{names, roster_for};
use crate::duty::store::changes as change_store;
use crate::duty::store::rosters as roster_store;
use crate::duty::store::shifts as store;
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::org::store as org_store;
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::Page;

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
    let id = id.into_inner();
    let asked_for = q.person;
    page.show(
        move |c| {
            let s = store::find_shift(c.conn, id)?
                .filter(|s| s.live && s.ends_at.and_utc() > c.now)
                .ok_or_else(|| {
                    ServiceError::not_found("该班次（尚未结束的）", "Shift (not yet over)")
                })?;
            let r = roster_for(c.conn, s.roster_id)?;
            let giver = asked_for
                .or(c.actor.person_id)
                .ok_or(ServiceError::Forbidden)?;
            let all = names(c.conn)?;
            let here = store::holders(c.conn, &[id])?;
            let on: Vec<i64> = here.iter().map(|h| h.person_id).collect();
            // A swap trades places of the same role: an officer's for an officer's.
            let giver_role = here
                .iter()
                .find(|h| h.person_id == giver)
                .map_or_else(String::new, |h| h.role.clone());
            if !on.contains(&giver) {
                return Err(ServiceError::invalid(
                    "person",
                    "此人不在该班次上",
                    "That person is not on the shift",
                ));
            }
            let mut takers: Vec<(i64, String)> = roster_store::eligible(c.conn, r.id)?
                .into_iter()
                .filter(|(p, _)| !on.contains(p))
                .map(|(p, _)| (p, all.get(&p).cloned().unwrap_or_default()))
                .collect();
            takers.dedup_by_key(|t| t.0);
            let ahead = store::live_between(
                c.conn,
                Some(&[r.id]),
                crate::db::db_time(c.now),
                crate::db::db_time(c.now + Duration::days(60)),
            )?;
            let ids: Vec<i64> = ahead.iter().map(|s| s.id).collect();
            let holders = store::holders(c.conn, &ids)?;
            let mut swaps = Vec::new();
            for x in ahead
                .iter()
                .filter(|x| x.id != id && x.starts_at.and_utc() > c.now)
            {
                if holders
                    .iter()
                    .any(|h| h.shift_id == x.id && h.person_id == giver)
                {
                    continue;
                }
                let when =
                    crate::duty::notices::span(x.starts_at.and_utc(), x.ends_at.and_utc(), c.tz);
                for h in holders.iter().filter(|h| {
                    h.shift_id == x.id && !on.contains(&h.person_id) && h.role == giver_role
                }) {
                    swaps.push((
                        format!("{}:{}", x.id, h.person_id),
                        format!("{when} · {}", h.name),
                    ));
                }
            }
            let manage = crate::duty::service::manages(c.conn, c.actor, &r)?;
            Ok((
                s,
                r.name,
                (giver, all.get(&giver).cloned().unwrap_or_default()),
                (takers, swaps, manage),
                c.tz,
            ))
        },
        move |ctx, (s, roster_name, giver, (takers, swaps, manage), tz)| AskPage {
            manage,
            shift_id: id,
            when: crate::duty::notices::span(s.starts_at.and_utc(), s.ends_at.and_utc(), tz),
            roster_name,
            giver,
            takers,
            swaps,
            ctx,
        },
    )
    .await
}

fn field<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

fn id_of(f: &[(String, String)], name: &'static str) -> Result<i64, ServiceError> {
    field(f, name)
        .parse()
        .map_err(|_| ServiceError::invalid(name, "请选择", "Choose one"))
}

#[post("/duty/changes")]
async fn ask(
    page: Page,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let back = format!("/duty/shifts/{}/change", field(&f, "shift_id"));
    page.act(
        &back,
        move |c| {
            let kind = ChangeKind::parse(field(&f, "kind"))?;
            let (taker_id, taker_shift_id) = match kind {
                ChangeKind::Substitution => (id_of(&f, "taker_id")?, None),
                ChangeKind::Swap => {
                    // "shift:person" of the shift taken in return and the person on it.
                    let (s, p) = field(&f, "swap").split_once(':').ok_or_else(|| {
                        ServiceError::invalid(
                            "taker_shift_id",
                            "请选择要换的班次和人员",
                            "Choose the shift and person to swap with",
                        )
                    })?;
                    let bad = |_| {
                        ServiceError::invalid(
                            "taker_shift_id",
                            "请选择要换的班次和人员",
                            "Choose the shift and person to swap with",
                        )
                    };
                    (p.parse().map_err(bad)?, Some(s.parse().map_err(bad)?))
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
                    shift_id: id_of(&f, "shift_id")?,
                    giver_id: id_of(&f, "giver_id")?,
                    taker_id,
                    taker_shift_id,
                    reason: field(&f, "reason").into(),
                    apply_now: field(&f, "apply_now") == "1",
                },
            )
        },
        |ch| {
            let to = if ch.state == ChangeState::Applied {
                "/duty/changes".to_string()
            } else {
                "/duty/mine".to_string()
            };
            (
                Text::new(
                    format!(
                        "{}申请已提交：{}",
                        ch.kind.label(crate::i18n::Lang::Zh),
                        ch.state.label(crate::i18n::Lang::Zh)
                    ),
                    format!(
                        "{} submitted: {}",
                        ch.kind.label(crate::i18n::Lang::En),
                        ch.state.label(crate::i18n::Lang::En).to_lowercase()
                    ),
                ),
                to,
            )
        },
    )
    .await
}

#[derive(Deserialize)]
struct ActForm {
    action: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    next: String,
}

#[post("/duty/changes/{id}")]
async fn act(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<ActForm>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = crate::web::context::safe_next(Some(&f.next));
    page.act(
        &back.clone(),
        move |c| {
            let action = match f.action.as_str() {
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
            changes::act(c.conn, c.config, c.actor, c.now, c.tz, id, action, &f.note)
        },
        move |ch| {
            (
                Text::new(
                    format!("已处理：{}", ch.state.label(crate::i18n::Lang::Zh)),
                    format!(
                        "Done: {}",
                        ch.state.label(crate::i18n::Lang::En).to_lowercase()
                    ),
                ),
                back,
            )
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "duty/changes.html")]
struct QueuePage {
    ctx: Ctx,
    /// Changes of rosters I manage that are open: `(line, roster name, I may approve)`.
    open: Vec<(ChangeLine, String, bool)>,
}

#[get("/duty/changes")]
async fn queue(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| {
            let tree = org_store::tree_of(c.conn, c.actor)?;
            let rosters = roster_store::all(c.conn)?;
            let all = names(c.conn)?;
            let me = c.actor.person_id;
            let mut open = Vec::new();
            for ch in change_store::open(c.conn)? {
                let Some(r) = rosters.iter().find(|r| r.id == ch.roster_id) else {
                    continue;
                };
                let party = me == Some(ch.giver_id) || me == Some(ch.taker_id);
                if !(party || manages_duty(c.actor, r.unit_id, &tree)) {
                    continue;
                }
                let approve = ch.state == ChangeState::Agreed
                    && !party
                    && manages_duty(c.actor, r.unit_id, &tree);
                open.push((
                    change_line(c.conn, &ch, &all, (c.actor.lang, c.tz))?,
                    r.name.clone(),
                    approve,
                ));
            }
            Ok(open)
        },
        |ctx, open| QueuePage { open, ctx },
    )
    .await
}
