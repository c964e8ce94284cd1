//! A voucher: its page (printable) and the second signature, rejection and reversal.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::labels;
use crate::error::ServiceResult;
use crate::i18n::Text;
use crate::inventory::service::catalogue;
use crate::inventory::service::corrections;
use crate::inventory::service::ledger::{self, Voucher};
use crate::web::context::{local_time, Ctx};
use crate::web::csrf::{CsrfForm, Empty};
use crate::web::error::PageError;
use crate::web::{Call, Page};

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
    can_reject: bool,
    can_reverse: bool,
}

#[get("/reserves/movements/{id}")]
async fn voucher(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let (id, tz) = (id.into_inner(), page.state().config.timezone);
    page.show(
        move |c| {
            let v = ledger::voucher_page(c.conn, c.actor, id)?;
            let ids: Vec<i64> = v.voucher.lines.iter().map(|l| l.batch_id).collect();
            Ok((v, labels(catalogue::batch_labels(c.conn, Some(&ids))?)))
        },
        |ctx, (v, names)| {
            let lang = ctx.lang;
            let m = v.voucher.movement;
            VoucherPage {
                ctx,
                kind: m.kind.label(lang),
                state: m.state.label(lang),
                owed: m.emergency && m.countersigned_by.is_none(),
                warehouse: v.warehouse,
                created_by: v.created_by,
                created: local_time(&m.created_at, tz),
                countersigned_by: v.countersigned_by,
                countersigned: m
                    .countersigned_at
                    .map(|t| local_time(&t, tz))
                    .unwrap_or_default(),
                lines: v
                    .voucher
                    .lines
                    .iter()
                    .map(|l| {
                        let (item, batch, b) = names.get(&l.batch_id).cloned().unwrap_or_default();
                        (item, batch, format!("{} {}", l.qty, b.uom))
                    })
                    .collect(),
                can_sign: v.may_sign,
                can_reject: v.may_reject,
                can_reverse: v.may_reverse,
                m,
            }
        },
    )
    .await
}

/// Runs a voucher action and returns to the voucher with its outcome as a flash message.
async fn act<F>(page: &Page, id: i64, done: Text, f: F) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut Call<'_>) -> ServiceResult<Voucher> + Send + 'static,
{
    let back = format!("/reserves/movements/{id}");
    page.act(&back, f, |v| {
        (done, format!("/reserves/movements/{}", v.movement.id))
    })
    .await
}

#[post("/reserves/movements/{id}/countersign")]
async fn countersign(
    page: Page,
    id: web::Path<i64>,
    _: CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let done = Text::new("已复核签字", "Countersigned");
    act(&page, id, done, move |c| {
        ledger::countersign(c.conn, c.actor, c.now, c.tz, id)
    })
    .await
}

/// Why a voucher is sent back or reversed.
#[derive(Deserialize)]
struct ReasonForm {
    reason: String,
}

#[post("/reserves/movements/{id}/reject")]
async fn reject(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let done = Text::new("已退回", "Rejected");
    act(&page, id, done, move |c| {
        corrections::reject(c.conn, c.actor, c.now, id, &form.reason)
    })
    .await
}

#[post("/reserves/movements/{id}/reverse")]
async fn reverse(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let done = Text::new(
        "已登记冲销凭证，待复核",
        "Reversal recorded; awaiting countersignature",
    );
    act(&page, id, done, move |c| {
        corrections::reverse(c.conn, c.actor, c.now, c.tz, id, &form.reason)
    })
    .await
}
