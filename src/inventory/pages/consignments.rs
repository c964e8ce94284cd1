//! Goods on the road (在途) to and from my warehouses, and counting a plain transfer in: per batch, prefilled
//! with what was sent, a reason when less arrived. An allocation's consignment is counted in on its request.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::{Lang, Text};
use crate::inventory::model::{as_typed, ConsignmentState, Quantity, StockAction};
use crate::inventory::service::transit::{self, ConsignmentView};
use crate::inventory::service::{catalogue, open_count, warehouse_for};
use crate::org::model::Actor;
use crate::web::context::{local_time, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::typed::{submit_or_again, Refused, Typed};
use crate::web::{render, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(show).service(receive);
}

/// A consignment as the lists show it (here and in the allocation area's "on the road").
pub struct ConsignmentRow {
    pub id: i64,
    pub out_voucher_no: String,
    pub out_movement_id: i64,
    /// The viewer may open the voucher that sent it.
    pub sees_out: bool,
    pub from: String,
    pub to: String,
    pub sent_at: String,
    pub carrier: String,
    /// "防汛沙袋 SB2026-01 500 条、…".
    pub goods: String,
    pub state: &'static str,
    pub in_transit: bool,
    /// The viewer keeps the receiving warehouse.
    pub receivable: bool,
    /// Where it is counted in: its allocation's page, or its own.
    pub link: String,
}

/// A batch sent: `(batch id, "item batch", qty, uom)`.
type Sent = (i64, String, Quantity, String);

fn sent(conn: &mut DbConn, v: &ConsignmentView) -> ServiceResult<Vec<Sent>> {
    let ids: Vec<i64> = v.lines.iter().map(|l| l.batch_id).collect();
    let labels = catalogue::batch_labels(conn, Some(&ids))?;
    Ok(v.lines
        .iter()
        .map(|l| {
            let b = labels.iter().find(|b| b.batch_id == l.batch_id);
            let label = b.map_or_else(String::new, |b| format!("{} {}", b.item_name, b.batch_no));
            (
                l.batch_id,
                label,
                l.qty,
                b.map(|b| b.uom.clone()).unwrap_or_default(),
            )
        })
        .collect())
}

/// The rows for consignments the actor sees (reads the batch labels and what the actor keeps).
pub fn consignment_rows(
    conn: &mut DbConn,
    actor: &Actor,
    views: &[ConsignmentView],
    lang: Lang,
    tz: chrono_tz::Tz,
) -> ServiceResult<Vec<ConsignmentRow>> {
    let mut rows = Vec::with_capacity(views.len());
    for v in views {
        let c = &v.consignment;
        let goods = sent(conn, v)?
            .into_iter()
            .map(|(_, label, q, uom)| format!("{label} {q} {uom}"))
            .collect::<Vec<_>>()
            .join(lang.t("list.and"));
        let link = match c.sent_for.strip_prefix("allocation:") {
            Some(id) => format!("/allocations/{id}"),
            None => format!("/reserves/consignments/{}", c.id),
        };
        rows.push(ConsignmentRow {
            id: c.id,
            out_voucher_no: v.out_voucher_no.clone(),
            out_movement_id: c.out_movement_id,
            sees_out: warehouse_for(conn, actor, c.from_warehouse_id, StockAction::View).is_ok(),
            from: v.from_warehouse.clone(),
            to: v.to_warehouse.clone(),
            sent_at: local_time(&c.sent_at, tz),
            carrier: c.carrier.clone(),
            goods,
            state: c.state.label(lang),
            in_transit: c.state == ConsignmentState::InTransit,
            receivable: c.state == ConsignmentState::InTransit
                && warehouse_for(conn, actor, c.to_warehouse_id, StockAction::Move).is_ok(),
            link,
        });
    }
    Ok(rows)
}

#[derive(Template)]
#[template(path = "inventory/consignments.html")]
struct ListPage {
    ctx: Ctx,
    all: bool,
    rows: Vec<ConsignmentRow>,
}

#[derive(Deserialize)]
struct ListQuery {
    all: Option<String>,
}

#[get("/reserves/consignments")]
async fn list(page: Page, q: web::Query<ListQuery>) -> Result<HttpResponse, PageError> {
    let all = q.all.as_deref() == Some("1");
    page.show(
        move |c| {
            let views = transit::list(c.conn, c.actor, !all)?;
            consignment_rows(c.conn, c.actor, &views, c.actor.lang, c.tz)
        },
        move |ctx, rows| ListPage { ctx, all, rows },
    )
    .await
}

#[derive(Template)]
#[template(path = "inventory/consignment.html")]
struct ConsignmentPage {
    ctx: Ctx,
    row: ConsignmentRow,
    v: ConsignmentView,
    /// What was sent, with the count typed or prefilled: `(batch, label, sent, uom, count)`.
    lines: Vec<(i64, String, Quantity, String, String)>,
    /// The viewer may open the receipt and loss vouchers (the receiving side, the sending side).
    sees_to: bool,
    sees_from: bool,
    received_at: String,
    /// The count under way in the receiving warehouse, which must end before the goods are counted in.
    counting: Option<i64>,
    typed: Typed,
}

async fn consignment_view(
    page: &Page,
    id: i64,
    refused: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (v, row, lines, sees, counting)) = page
        .run(move |c| {
            let v = transit::get(c.conn, c.actor, id)?;
            let row = consignment_rows(
                c.conn,
                c.actor,
                std::slice::from_ref(&v),
                c.actor.lang,
                c.tz,
            )?
            .pop()
            .ok_or_else(|| ServiceError::not_found("该在途单", "Consignment"))?;
            let lines = sent(c.conn, &v)?;
            let to = v.consignment.to_warehouse_id;
            let sees = warehouse_for(c.conn, c.actor, to, StockAction::View).is_ok();
            let sees = (sees, row.sees_out);
            let counting = match row.receivable {
                true => open_count(c.conn, to)?,
                false => None,
            };
            Ok((v, row, lines, sees, counting))
        })
        .await?;
    let tz = page.state().config.timezone;
    let (typed, status) = Typed::of(refused, ctx.lang, &["al", "inv", "field"]);
    let lines = lines
        .into_iter()
        .map(|(b, label, q, uom)| {
            let count = typed.or("receive", &format!("count_{b}"), q);
            (b, label, q, uom, count)
        })
        .collect();
    let view = ConsignmentPage {
        received_at: v
            .consignment
            .received_at
            .map(|t| local_time(&t, tz))
            .unwrap_or_default(),
        counting,
        sees_to: sees.0,
        sees_from: sees.1,
        ctx,
        row,
        v,
        lines,
        typed,
    };
    render(&view, status)
}

#[get("/reserves/consignments/{id:\\d+}")]
async fn show(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    consignment_view(&page, id.into_inner(), None).await
}

#[post("/reserves/consignments/{id:\\d+}/receipt")]
async fn receive(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/reserves/consignments/{id}");
    let typed = f.clone();
    submit_or_again(
        &page,
        "receive",
        typed,
        move |c| {
            let mut counted = Vec::new();
            for (k, v) in &f {
                if let Some(batch) = k.strip_prefix("count_").and_then(|b| b.parse().ok()) {
                    counted.push((batch, Quantity::parse("qty", &as_typed(v))?));
                }
            }
            let loss = f
                .iter()
                .rev()
                .find(|(k, _)| k == "loss_reason")
                .map_or("", |(_, v)| v.as_str());
            transit::receive(c.conn, c.actor, c.now, c.tz, id, "", &counted, loss)
        },
        move |out| {
            let text = match out.loss {
                Some(_) => Text::new(
                    "已清点接收：入库凭证待本单位第二人复核签字，短少部分已登记报损待审批",
                    "Counted in: the receipt waits for a second signature of your unit; the shortfall is recorded for approval",
                ),
                None => Text::new(
                    "已清点接收：入库凭证待本单位第二人复核签字",
                    "Counted in: the receipt waits for a second signature of your unit",
                ),
            };
            (text, back)
        },
        |refused| consignment_view(&page, id, Some(refused)),
    )
    .await
}
