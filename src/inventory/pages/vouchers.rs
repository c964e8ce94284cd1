//! A voucher: its page (printable) and the second signature, rejection and reversal.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::labels;
use crate::i18n::{Lang, Text};
use crate::inventory::model::{MovementKind, MovementState, StockAction};
use crate::inventory::service::corrections;
use crate::inventory::service::ledger::{self, Voucher};
use crate::inventory::service::{catalogue, warehouse_for};
use crate::org::pages::render;
use crate::org::store as org_store;
use crate::web::auth::PageActor;
use crate::web::context::{local_time, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{AppState, InLang};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(voucher)
        .service(countersign)
        .service(reject)
        .service(reverse);
}

#[derive(Template)]
#[template(path = "inventory/voucher.html")]
struct VoucherPage {
    ctx: Ctx,
    m: crate::inventory::store::ledger::Movement,
    kind: &'static str,
    state: &'static str,
    owed: bool,
    warehouse: String,
    created_by: String,
    created: String,
    countersigned_by: String,
    countersigned: String,
    lines: Vec<(String, String, String)>,
    can_sign: bool,
    can_reverse: bool,
}

#[get("/reserves/movements/{id}")]
async fn voucher(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, tz, a) = (
        actor.lang,
        id.into_inner(),
        state.config.timezone,
        actor.clone(),
    );
    let (v, w, names, creator, signer, may_move) = state
        .db(move |c| {
            let v: Voucher = ledger::get(c, &a, id)?;
            let w = crate::inventory::store::warehouses::find(c, v.movement.warehouse_id)?
                .map(|w| w.name)
                .unwrap_or_default();
            let ids: Vec<i64> = v.lines.iter().map(|l| l.batch_id).collect();
            let names = labels(catalogue::batch_labels(c, Some(&ids))?);
            let creator = org_store::find_account(c, v.movement.created_by)?
                .map(|a| a.username)
                .unwrap_or_default();
            let signer = match v.movement.countersigned_by {
                Some(s) => org_store::find_account(c, s)?
                    .map(|a| a.username)
                    .unwrap_or_default(),
                None => String::new(),
            };
            let may_move = warehouse_for(c, &a, v.movement.warehouse_id, StockAction::Move).is_ok();
            Ok((v, w, names, creator, signer, may_move))
        })
        .await
        .page(lang)?;
    let m = v.movement;
    let owed = m.emergency && m.countersigned_by.is_none();
    let page = VoucherPage {
        ctx: Ctx::new(&req, &session, Some(&actor)),
        kind: MovementKind::parse(&m.kind).map_or("?", |k| k.label(lang)),
        state: MovementState::parse(&m.state).map_or("?", |s| s.label(lang)),
        owed,
        warehouse: w,
        created_by: creator,
        created: local_time(&m.created_at, tz),
        countersigned_by: signer,
        countersigned: m
            .countersigned_at
            .map(|t| local_time(&t, tz))
            .unwrap_or_default(),
        lines: v
            .lines
            .iter()
            .map(|l| {
                let (item, batch, b) = names.get(&l.batch_id).cloned().unwrap_or_default();
                (item, batch, format!("{} {}", l.qty, b.uom))
            })
            .collect(),
        can_sign: may_move && (m.state == "pending" || owed) && m.created_by != actor.account_id,
        can_reverse: may_move
            && m.state == "posted"
            && MovementKind::parse(&m.kind)
                .is_ok_and(|k| k.recordable() && k != MovementKind::TransferOut),
        m,
    };
    render(&page, StatusCode::OK)
}

/// Runs a voucher action and returns to the voucher with its outcome as a flash message.
async fn act<F>(
    session: &Session,
    state: &AppState,
    lang: Lang,
    id: i64,
    done: Text,
    f: F,
) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut crate::db::DbConn) -> crate::error::ServiceResult<Voucher> + Send + 'static,
{
    let back = format!("/reserves/movements/{id}");
    crate::org::pages::act(session, state, lang, back, done, f, |v: &Voucher| {
        format!("/reserves/movements/{}", v.movement.id)
    })
    .await
}

#[derive(Deserialize)]
struct Empty {}

#[post("/reserves/movements/{id}/countersign")]
async fn countersign(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, now, tz) = (
        actor.lang,
        id.into_inner(),
        state.now(),
        state.config.timezone,
    );
    act(
        &session,
        &state,
        lang,
        id,
        Text::new("已复核签字", "Countersigned"),
        move |c| ledger::countersign(c, &actor, now, tz, id),
    )
    .await
}

#[post("/reserves/movements/{id}/reject")]
async fn reject(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    act(
        &session,
        &state,
        lang,
        id,
        Text::new("已退回", "Rejected"),
        move |c| corrections::reject(c, &actor, now, id),
    )
    .await
}

#[derive(Deserialize)]
struct ReverseForm {
    reason: String,
}

#[post("/reserves/movements/{id}/reverse")]
async fn reverse(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ReverseForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, now, tz) = (
        actor.lang,
        id.into_inner(),
        state.now(),
        state.config.timezone,
    );
    act(
        &session,
        &state,
        lang,
        id,
        Text::new(
            "已登记冲销凭证，待复核",
            "Reversal recorded; awaiting countersignature",
        ),
        move |c| corrections::reverse(c, &actor, now, tz, id, &form.reason),
    )
    .await
}
