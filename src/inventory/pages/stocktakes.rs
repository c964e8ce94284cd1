//! Stocktake entry (one card per line, made for a phone), the printable count sheet, and its actions.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::labels;
use crate::error::ServiceResult;
use crate::i18n::{Lang, Text};
use crate::inventory::model::{as_typed, money, Quantity, StocktakeState, VarianceReason};
use crate::inventory::service::catalogue;
use crate::inventory::service::stocktakes as service;
use crate::inventory::store::stocktakes::Stocktake;
use crate::web::context::{local_time, Ctx};
use crate::web::csrf::{CsrfForm, Empty};
use crate::web::error::PageError;
use crate::web::forms::confirmed;
use crate::web::{render, Call, Page};

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
struct SheetLine {
    pub id: i64,
    pub bin: String,
    pub item: String,
    pub batch: String,
    pub book: String,
    pub counted: String,
    pub variance: String,
    pub value: String,
    /// Who counted how much (`蒋国平 58 · 马春梅 12`).
    pub counters: String,
    /// Vouchers that moved the batch since the count opened: (movement id, voucher no, signed quantity).
    pub moved: Vec<(i64, String, String)>,
    pub recount: bool,
    pub reason: String,
    pub reason_code: String,
    pub note: String,
}

/// Which part of a count sheet to show: one bin, one item group (category prefix), or all.
#[derive(Debug, Default, Deserialize)]
struct SheetQuery {
    bin: Option<String>,
    category: Option<String>,
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

/// A stocktake's sheet with its lines labelled and filtered to the part asked for.
struct Loaded {
    sheet: service::Sheet,
    lines: Vec<SheetLine>,
}

async fn load_sheet(page: &Page, id: i64, part: &SheetQuery) -> Result<(Ctx, Loaded), PageError> {
    let (ctx, (sheet, names)) = page
        .run(move |c| {
            let sheet = service::sheet(c.conn, c.actor, id)?;
            let ids: Vec<i64> = sheet.view.lines.iter().map(|l| l.batch_id).collect();
            Ok((sheet, labels(catalogue::batch_labels(c.conn, Some(&ids))?)))
        })
        .await?;
    let lang = ctx.lang;
    let shown = |q: Option<Quantity>| q.map(|q| q.to_string()).unwrap_or_else(|| "—".into());
    let lines = sheet
        .view
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
                .map(|v| money(v.value_fen(label.unit_price_fen.unwrap_or(0))))
                .unwrap_or_default();
            SheetLine {
                id: l.id,
                bin: l.bin.clone(),
                item,
                batch,
                book: shown(l.book),
                counted: shown(l.counted),
                variance: shown(l.variance),
                value,
                counters: l
                    .counts
                    .iter()
                    .map(|c| format!("{} {}", c.name, c.qty))
                    .collect::<Vec<_>>()
                    .join(" · "),
                moved: l
                    .moved
                    .iter()
                    .map(|m| (m.movement_id, m.voucher_no.clone(), m.qty.to_string()))
                    .collect(),
                recount: l.recount_requested,
                reason: l
                    .reason
                    .map(|r| r.label(lang).to_string())
                    .unwrap_or_default(),
                reason_code: l.reason.map(|r| r.code().to_string()).unwrap_or_default(),
                note: l.note.clone(),
            }
        })
        .collect();
    Ok((ctx, Loaded { sheet, lines }))
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
    can_cancel: bool,
    bins: Vec<String>,
    bin: String,
    category: String,
    query: String,
}

#[get("/reserves/stocktakes/{id}")]
async fn show(
    page: Page,
    id: web::Path<i64>,
    part: web::Query<SheetQuery>,
) -> Result<HttpResponse, PageError> {
    let (ctx, Loaded { sheet, lines }) = load_sheet(&page, id.into_inner(), &part).await?;
    let mut bins: Vec<String> = sheet
        .view
        .lines
        .iter()
        .map(|l| l.bin.clone())
        .filter(|b| !b.is_empty())
        .collect();
    bins.sort();
    bins.dedup();
    let lang = ctx.lang;
    let st = sheet.view.stocktake;
    let view = SheetPage {
        ctx,
        state: st.state.label(lang),
        counting: st.state == StocktakeState::Counting,
        st,
        warehouse: sheet.warehouse,
        lines,
        reasons: VarianceReason::ALL
            .iter()
            .map(|r| (r.code(), r.label(lang)))
            .collect(),
        can_count: sheet.may_count,
        can_approve: sheet.may_approve,
        can_cancel: sheet.may_cancel,
        bins,
        bin: part.bin().to_string(),
        category: part.category().to_string(),
        query: part.query(),
    };
    render(&view, StatusCode::OK)
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
    page: Page,
    id: web::Path<i64>,
    part: web::Query<SheetQuery>,
) -> Result<HttpResponse, PageError> {
    let (ctx, Loaded { sheet, lines }) = load_sheet(&page, id.into_inner(), &part).await?;
    let st = sheet.view.stocktake;
    let view = PrintPage {
        lang: ctx.lang,
        state: st.state.label(ctx.lang),
        opened: local_time(&st.opened_at, page.state().config.timezone),
        st,
        warehouse: sheet.warehouse,
        lines,
        part: [part.bin(), part.category()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · "),
    };
    render(&view, StatusCode::OK)
}

/// Runs a line or stocktake action and returns to the sheet (at the line acted on, when there is one) with
/// its outcome; `f` returns the stocktake's id.
async fn act<F>(
    page: &Page,
    back: String,
    done: Text,
    anchor: &str,
    f: F,
) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut Call<'_>) -> ServiceResult<i64> + Send + 'static,
{
    let anchor = anchor.to_string();
    page.act(&back, f, move |id| {
        (done, format!("/reserves/stocktakes/{id}{anchor}"))
    })
    .await
}

#[derive(Deserialize)]
struct CountForm {
    qty: String,
}

#[post("/reserves/stocktake-lines/{id}/counts")]
async fn count(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<CountForm>,
) -> Result<HttpResponse, PageError> {
    let line = id.into_inner();
    let anchor = format!("#line-{line}");
    act(
        &page,
        back(&page),
        Text::new("已记录盘点数", "Count recorded"),
        &anchor,
        move |c| {
            service::count(
                c.conn,
                c.actor,
                c.now,
                line,
                Quantity::parse("qty", &as_typed(&form.qty))?,
            )
        },
    )
    .await
}

#[post("/reserves/stocktake-lines/{id}/recount")]
async fn recount(
    page: Page,
    id: web::Path<i64>,
    _: CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let line = id.into_inner();
    let anchor = format!("#line-{line}");
    act(
        &page,
        back(&page),
        Text::new("已要求复盘", "Recount requested"),
        &anchor,
        move |c| service::request_recount(c.conn, c.actor, c.now, line),
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
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<HttpResponse, PageError> {
    let line = id.into_inner();
    let anchor = format!("#line-{line}");
    act(
        &page,
        back(&page),
        Text::new("已保存", "Saved"),
        &anchor,
        move |c| {
            let reason = Some(form.reason.trim())
                .filter(|r| !r.is_empty())
                .map(VarianceReason::parse)
                .transpose()?;
            service::explain(c.conn, c.actor, c.now, line, reason, &form.note)
        },
    )
    .await
}

/// Where a refused line action returns: the page the form was on.
fn back(page: &Page) -> String {
    page.request()
        .headers()
        .get(actix_web::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("/reserves/stocktakes/").map(|i| r[i..].to_string()))
        .unwrap_or_else(|| "/reserves".into())
}

#[post("/reserves/stocktakes/{id}/approve")]
async fn approve(
    page: Page,
    id: web::Path<i64>,
    _: CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let done = Text::new(
        "盘点已审批，差异已过账",
        "Stocktake approved; differences posted",
    );
    act(
        &page,
        format!("/reserves/stocktakes/{id}"),
        done,
        "",
        move |c| {
            Ok(service::approve(c.conn, c.actor, c.now, c.tz, id)?
                .stocktake
                .id)
        },
    )
    .await
}

#[derive(Deserialize)]
struct CancelForm {
    confirm: Option<String>,
}

#[post("/reserves/stocktakes/{id}/cancel")]
async fn cancel(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<CancelForm>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let done = Text::new("盘点已取消", "Stocktake cancelled");
    act(
        &page,
        format!("/reserves/stocktakes/{id}"),
        done,
        "",
        move |c| {
            confirmed(
                form.confirm.as_deref(),
                Text::new(
                    "请勾选确认后再取消盘点（已录入的盘点数将作废）",
                    "Tick the confirmation to cancel the count (the counts entered are discarded)",
                ),
            )?;
            Ok(service::cancel(c.conn, c.actor, c.now, id)?.stocktake.id)
        },
    )
    .await
}
