//! A request's page (with only the forms its viewer may use now) and its printable 调拨单.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use askama::Template;

use super::shown::{shown, Extra, Shown};
use super::LABELS;
use crate::allocation::service::may::{self, Mays};
use crate::allocation::service::{self as service, sourcing, RequestView};
use crate::clock::today;
use crate::i18n::Lang;
use crate::inventory::service::catalogue;
use crate::web::context::Ctx;
use crate::web::error::PageError;
use crate::web::typed::{Refused, Typed};
use crate::web::{render, Call, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show).service(print);
}

/// Reads a request as the actor sees it, what they may do with it, and what its page shows besides.
fn load(
    c: &mut Call<'_>,
    id: i64,
    forms: bool,
) -> crate::error::ServiceResult<(RequestView, Mays, Extra)> {
    let day = today(c.now, c.tz);
    let v = service::get(c.conn, c.actor, id, day)?;
    let m = may::mays(c.conn, c.actor, &v)?;
    let batches: Vec<i64> = v
        .consignments
        .iter()
        .flat_map(|x| x.lines.iter().map(|l| l.batch_id))
        .collect();
    let labels = catalogue::batch_labels(c.conn, Some(&batches))?;
    let names = crate::org::service::account_names(c.conn)?;
    let lang = c.actor.lang;
    let mut sources = HashMap::new();
    for l in v
        .lines
        .iter()
        .filter(|l| forms && m.propose.contains(&l.id))
    {
        if sources.contains_key(&l.item_id) {
            continue;
        }
        let found = sourcing::sourcing(
            c.conn,
            c.actor,
            l.item_id,
            Some(v.request.to_warehouse_id),
            day,
        )?;
        let options = found
            .sources
            .iter()
            .map(|s| {
                let h = &s.holder;
                let mut label = format!(
                    "{} · {} {} {}",
                    h.warehouse,
                    lang.t("al.usable"),
                    h.usable,
                    found.uom
                );
                if let Some(km) = s.distance_km {
                    label.push_str(&format!(" · {km} km"));
                }
                if h.counting {
                    label.push_str(&format!(" · {}", lang.t("al.counting")));
                }
                if h.needs_repair > crate::inventory::model::Quantity::ZERO {
                    let repair = lang.t("insp.needs_repair");
                    label.push_str(&format!(" · {repair} {}", h.needs_repair));
                }
                (h.warehouse_id, label)
            })
            .collect();
        sources.insert(l.item_id, options);
    }
    Ok((
        v,
        m,
        Extra {
            labels,
            names,
            sources,
        },
    ))
}

#[derive(Template)]
#[template(path = "allocation/request.html")]
struct RequestPage {
    ctx: Ctx,
    v: RequestView,
    m: Mays,
    s: Shown,
    typed: Typed,
}

impl RequestPage {
    /// Whether the viewer may do anything with the request now.
    fn acts(&self) -> bool {
        let m = &self.m;
        !m.decide.is_empty()
            || m.reserve
            || !m.dispatch.is_empty()
            || !m.give_back.is_empty()
            || m.extend
            || m.cancel
            || m.close
    }

    /// The refusal of the form `{form}{id}` (one per line, warehouse or consignment), if it was refused.
    fn err(&self, form: &str, id: &i64) -> Option<&str> {
        self.typed.error(&format!("{form}{id}"))
    }
}

/// The request's page, with the form that was refused (what was typed, and why) when one was.
pub(super) async fn request_view(
    page: &Page,
    id: i64,
    refused: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (v, m, x)) = page.run(move |c| load(c, id, true)).await?;
    let tz = page.state().config.timezone;
    let (typed, status) = Typed::of(refused, ctx.lang, LABELS);
    let view = RequestPage {
        s: shown(&v, &m, &x, &typed, ctx.lang, tz),
        ctx,
        v,
        m,
        typed,
    };
    render(&view, status)
}

#[get("/allocations/{id:\\d+}")]
async fn show(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    request_view(&page, id.into_inner(), None).await
}

#[derive(Template)]
#[template(path = "allocation/print.html")]
struct PrintPage {
    lang: Lang,
    v: RequestView,
    s: Shown,
    /// The paper's title: 物资调拨单, 物资借用单 or 物资调令.
    title: &'static str,
}

/// The 调拨单 on A4, with the signature lines of the sender, the carrier and the receiver.
#[get("/allocations/{id:\\d+}/print")]
async fn print(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let (ctx, (v, m, x)) = page.run(move |c| load(c, id, false)).await?;
    let tz = page.state().config.timezone;
    let lang = ctx.lang;
    let title = match (v.request.emergency, v.request.kind) {
        (true, _) => lang.t("al.paper_order"),
        (false, crate::allocation::model::RequestKind::Loan) => lang.t("al.paper_loan"),
        (false, _) => lang.t("al.paper_transfer"),
    };
    let view = PrintPage {
        s: shown(
            &v,
            &Mays {
                sees: m.sees,
                ..Mays::default()
            },
            &x,
            &Typed::default(),
            lang,
            tz,
        ),
        lang,
        v,
        title,
    };
    render(&view, StatusCode::OK)
}
