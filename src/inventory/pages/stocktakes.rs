//! Stocktake entry (one card per line, made for a phone), the printable count sheet, and its actions.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::labels;
use crate::i18n::{Lang, Text};
use crate::inventory::model::{yuan, Quantity, StockAction, StocktakeState, VarianceReason};
use crate::inventory::service::stocktakes::{self as service, StocktakeView};
use crate::inventory::service::{catalogue, warehouse_for};
use crate::inventory::store::stocktakes::Stocktake;
use crate::org::pages::render;
use crate::web::auth::PageActor;
use crate::web::context::{local_time, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{AppState, InLang};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(print)
        .service(count)
        .service(recount)
        .service(explain)
        .service(approve)
        .service(cancel);
}

/// A count-sheet line as shown.
pub(crate) struct SheetLine {
    pub id: i64,
    pub bin: String,
    pub item: String,
    pub batch: String,
    pub book: String,
    pub counted: String,
    pub variance: String,
    pub value: String,
    pub counts: usize,
    pub recount: bool,
    pub reason: String,
    pub reason_code: String,
    pub note: String,
}

/// Loads a stocktake with line labels, and what the actor may do with it.
/// Which part of a count sheet to show: one bin, one item group (category prefix), or all.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SheetQuery {
    pub bin: Option<String>,
    pub category: Option<String>,
}

impl SheetQuery {
    fn bin(&self) -> &str {
        self.bin.as_deref().unwrap_or("").trim()
    }

    fn category(&self) -> &str {
        self.category.as_deref().unwrap_or("").trim()
    }

    /// The query string that keeps this selection (for the print link).
    fn query(&self) -> String {
        let enc = crate::web::context::url_encode;
        format!("bin={}&category={}", enc(self.bin()), enc(self.category()))
    }
}

pub(crate) async fn load_sheet(
    state: &AppState,
    actor: &crate::org::model::Actor,
    id: i64,
    part: &SheetQuery,
) -> Result<(StocktakeView, String, Vec<SheetLine>, bool, bool), PageError> {
    let (lang, a) = (actor.lang, actor.clone());
    let (view, w, names, can_count, can_approve) = state
        .db(move |c| {
            let view = service::get(c, &a, id)?;
            let w = crate::inventory::store::warehouses::find(c, view.stocktake.warehouse_id)?
                .map(|w| w.name)
                .unwrap_or_default();
            let ids: Vec<i64> = view.lines.iter().map(|l| l.batch_id).collect();
            let names = labels(catalogue::batch_labels(c, Some(&ids))?);
            let can_count =
                warehouse_for(c, &a, view.stocktake.warehouse_id, StockAction::Move).is_ok();
            let can_approve =
                warehouse_for(c, &a, view.stocktake.warehouse_id, StockAction::Approve).is_ok()
                    && view.stocktake.opened_by != a.account_id;
            Ok((view, w, names, can_count, can_approve))
        })
        .await
        .page(lang)?;
    let shown = |q: Option<Quantity>| q.map(|q| q.to_string()).unwrap_or_else(|| "—".into());
    let lines = view
        .lines
        .iter()
        .filter(|l| part.bin().is_empty() || l.bin == part.bin())
        .filter(|l| {
            names
                .get(&l.batch_id)
                .is_some_and(|(_, _, b)| b.category_code.starts_with(part.category()))
        })
        .map(|l| {
            let (item, batch, label) = names.get(&l.batch_id).cloned().unwrap_or_default();
            let value = l
                .variance
                .map(|v| yuan(v.value_fen(label.unit_price_fen.unwrap_or(0))))
                .unwrap_or_default();
            let reason = l
                .reason
                .as_deref()
                .and_then(|r| VarianceReason::parse(r).ok());
            SheetLine {
                id: l.id,
                bin: l.bin.clone(),
                item,
                batch,
                book: shown(l.book),
                counted: shown(l.counted),
                variance: shown(l.variance),
                value,
                counts: l.counts,
                recount: l.recount_requested,
                reason: reason
                    .map(|r| r.label(lang).to_string())
                    .unwrap_or_default(),
                reason_code: reason.map(|r| r.code().to_string()).unwrap_or_default(),
                note: l.note.clone(),
            }
        })
        .collect();
    Ok((view, w, lines, can_count, can_approve))
}

#[derive(Template)]
#[template(path = "inventory/stocktake.html")]
struct SheetPage {
    ctx: Ctx,
    st: Stocktake,
    warehouse: String,
    state: &'static str,
    counting: bool,
    lines: Vec<SheetLine>,
    reasons: Vec<(&'static str, &'static str)>,
    can_count: bool,
    can_approve: bool,
    bins: Vec<String>,
    bin: String,
    category: String,
    query: String,
}

#[get("/reserves/stocktakes/{id}")]
async fn show(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    part: web::Query<SheetQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = actor.lang;
    let (view, warehouse, lines, can_count, can_approve) =
        load_sheet(&state, &actor, id.into_inner(), &part).await?;
    let mut bins: Vec<String> = view
        .lines
        .iter()
        .map(|l| l.bin.clone())
        .filter(|b| !b.is_empty())
        .collect();
    bins.sort();
    bins.dedup();
    let st_state = StocktakeState::parse(&view.stocktake.state).page(lang)?;
    let page = SheetPage {
        ctx: Ctx::new(&req, &session, Some(&actor)),
        state: st_state.label(lang),
        counting: st_state == StocktakeState::Counting,
        st: view.stocktake,
        warehouse,
        lines,
        reasons: VarianceReason::ALL
            .iter()
            .map(|r| (r.code(), r.label(lang)))
            .collect(),
        can_count,
        can_approve,
        bins,
        bin: part.bin().to_string(),
        category: part.category().to_string(),
        query: part.query(),
    };
    render(&page, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "inventory/stocktake_print.html")]
struct PrintPage {
    lang: Lang,
    st: Stocktake,
    warehouse: String,
    state: &'static str,
    opened: String,
    lines: Vec<SheetLine>,
    part: String,
}

/// The count sheet (盘点表) with signature lines, for printing.
#[get("/reserves/stocktakes/{id}/print")]
async fn print(
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    part: web::Query<SheetQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = actor.lang;
    let (view, warehouse, lines, _, _) = load_sheet(&state, &actor, id.into_inner(), &part).await?;
    let page = PrintPage {
        lang,
        state: StocktakeState::parse(&view.stocktake.state).map_or("?", |s| s.label(lang)),
        opened: local_time(&view.stocktake.opened_at, state.config.timezone),
        st: view.stocktake,
        warehouse,
        lines,
        part: [part.bin(), part.category()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · "),
    };
    render(&page, StatusCode::OK)
}

/// Runs a line or stocktake action and returns to the sheet with its outcome.
async fn act<F>(
    session: &Session,
    state: &AppState,
    lang: Lang,
    back: i64,
    done: Text,
    f: F,
) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut crate::db::DbConn) -> crate::error::ServiceResult<i64> + Send + 'static,
{
    let back = format!("/reserves/stocktakes/{back}");
    crate::org::pages::act(session, state, lang, back, done, f, |id: &i64| {
        format!("/reserves/stocktakes/{id}")
    })
    .await
}

fn stocktake_of_line(c: &mut crate::db::DbConn, line: i64) -> crate::error::ServiceResult<i64> {
    crate::inventory::store::stocktakes::find_line(c, line)?
        .map(|l| l.stocktake_id)
        .ok_or_else(|| crate::error::ServiceError::not_found("该盘点行", "Stocktake line"))
}

#[derive(Deserialize)]
struct CountForm {
    qty: String,
}

#[post("/reserves/stocktake-lines/{id}/counts")]
async fn count(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<CountForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, line, now) = (actor.lang, id.into_inner(), state.now());
    let back = state
        .db(move |c| stocktake_of_line(c, line))
        .await
        .page(lang)?;
    act(
        &session,
        &state,
        lang,
        back,
        Text::new("已记录盘点数", "Count recorded"),
        move |c| {
            let qty = Quantity::parse("qty", &form.qty)?;
            service::count(c, &actor, now, line, qty)?;
            Ok(back)
        },
    )
    .await
}

#[derive(Deserialize)]
struct Empty {}

#[post("/reserves/stocktake-lines/{id}/recount")]
async fn recount(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let (lang, line, now) = (actor.lang, id.into_inner(), state.now());
    let back = state
        .db(move |c| stocktake_of_line(c, line))
        .await
        .page(lang)?;
    act(
        &session,
        &state,
        lang,
        back,
        Text::new("已要求复盘", "Recount requested"),
        move |c| {
            service::request_recount(c, &actor, now, line)?;
            Ok(back)
        },
    )
    .await
}

#[derive(Deserialize)]
struct ReasonForm {
    reason: String,
    note: String,
}

#[post("/reserves/stocktake-lines/{id}/reason")]
async fn explain(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, line, now) = (actor.lang, id.into_inner(), state.now());
    let back = state
        .db(move |c| stocktake_of_line(c, line))
        .await
        .page(lang)?;
    act(
        &session,
        &state,
        lang,
        back,
        Text::new("已保存", "Saved"),
        move |c| {
            let reason = Some(form.reason.trim())
                .filter(|r| !r.is_empty())
                .map(VarianceReason::parse)
                .transpose()?;
            service::explain(c, &actor, now, line, reason, &form.note)?;
            Ok(back)
        },
    )
    .await
}

#[post("/reserves/stocktakes/{id}/approve")]
async fn approve(
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
        Text::new(
            "盘点已审批，差异已过账",
            "Stocktake approved; differences posted",
        ),
        move |c| Ok(service::approve(c, &actor, now, tz, id)?.stocktake.id),
    )
    .await
}

#[post("/reserves/stocktakes/{id}/cancel")]
async fn cancel(
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
        Text::new("盘点已取消", "Stocktake cancelled"),
        move |c| Ok(service::cancel(c, &actor, now, id)?.stocktake.id),
    )
    .await
}
