//! The lists: my requests in and out, outstanding loans (overdue first), goods on the road, and the listed
//! requests' lines as a spreadsheet.

use actix_web::{get, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{request_row, RequestRow};
use crate::allocation::model::{RequestKind, RequestState};
use crate::allocation::service::lists::{self, Direction};
use crate::allocation::service::{export, options};
use crate::clock::today;
use crate::error::ServiceResult;
use crate::inventory::model::Quantity;
use crate::inventory::pages::consignments::{consignment_rows, ConsignmentRow};
use crate::inventory::service::transit;
use crate::web::context::{url_encode, Ctx};
use crate::web::error::PageError;
use crate::web::{table_download, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(loans)
        .service(on_the_road)
        .service(download);
}

/// Which requests: `direction` (`in`, `out`, both when empty), `state`, `kind` (all when empty).
#[derive(Debug, Clone, Default, Deserialize)]
struct Filter {
    direction: Option<String>,
    state: Option<String>,
    kind: Option<String>,
}

impl Filter {
    fn direction(&self) -> Direction {
        match self.direction.as_deref() {
            Some("in") => Direction::In,
            Some("out") => Direction::Out,
            _ => Direction::Both,
        }
    }

    fn code(&self) -> &'static str {
        match self.direction() {
            Direction::In => "in",
            Direction::Out => "out",
            Direction::Both => "",
        }
    }

    fn state(&self) -> ServiceResult<Option<RequestState>> {
        match self.state.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => RequestState::parse(s).map(Some),
        }
    }

    fn kind(&self) -> ServiceResult<Option<RequestKind>> {
        match self.kind.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(k) => RequestKind::parse(k).map(Some),
        }
    }

    /// The filter as a query string (for the exports and the tabs).
    fn query(&self, direction: &str) -> String {
        let v = |o: &Option<String>| url_encode(o.as_deref().unwrap_or("").trim());
        format!(
            "direction={direction}&state={}&kind={}",
            v(&self.state),
            v(&self.kind)
        )
    }
}

#[derive(Template)]
#[template(path = "allocation/list.html")]
struct ListPage {
    ctx: Ctx,
    direction: &'static str,
    state: String,
    kind: String,
    states: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    /// The filters without the direction, for the tabs: `state=…&kind=…`.
    tabs: [(&'static str, String); 3],
    query: String,
    rows: Vec<RequestRow>,
    may_ask: bool,
    may_order: bool,
}

#[get("/allocations")]
async fn list(page: Page, q: web::Query<Filter>) -> Result<HttpResponse, PageError> {
    let f = q.into_inner();
    let tz = page.state().config.timezone;
    let g = f.clone();
    page.show(
        move |c| {
            let day = today(c.now, c.tz);
            let all = lists::requests(c.conn, c.actor, g.direction(), g.state()?, g.kind()?, day)?;
            Ok((all, options::may_ask(c.conn, c.actor)?))
        },
        move |ctx, (all, (may_ask, may_order))| {
            let lang = ctx.lang;
            ListPage {
                direction: f.code(),
                state: f.state.clone().unwrap_or_default(),
                kind: f.kind.clone().unwrap_or_default(),
                states: RequestState::ALL
                    .iter()
                    .map(|s| (s.code(), s.label(lang)))
                    .collect(),
                kinds: RequestKind::ALL
                    .iter()
                    .map(|k| (k.code(), k.label(lang)))
                    .collect(),
                tabs: [
                    ("", f.query("")),
                    ("out", f.query("out")),
                    ("in", f.query("in")),
                ],
                query: f.query(f.code()),
                rows: all.iter().map(|v| request_row(v, lang, tz)).collect(),
                may_ask,
                may_order,
                ctx,
            }
        },
    )
    .await
}

/// The listed requests' lines as XLSX or CSV.
#[get("/allocations/export.{format}")]
async fn download(
    page: Page,
    format: web::Path<String>,
    q: web::Query<Filter>,
) -> Result<HttpResponse, PageError> {
    let f = q.into_inner();
    table_download(&page, &format.into_inner(), move |c| {
        let day = today(c.now, c.tz);
        let all = lists::requests(c.conn, c.actor, f.direction(), f.state()?, f.kind()?, day)?;
        Ok(export::lines_table(&all, c.actor.lang, c.tz, day))
    })
    .await
}

/// An outstanding loan as the list shows it.
struct LoanRow {
    id: i64,
    no: String,
    unit: String,
    to_warehouse: String,
    /// What is still out: "发电机 1 台".
    out: String,
    lenders: String,
    due: String,
    /// Days past the return date (0: not overdue).
    days_overdue: i64,
}

#[derive(Template)]
#[template(path = "allocation/loans.html")]
struct LoansPage {
    ctx: Ctx,
    rows: Vec<LoanRow>,
}

#[get("/allocations/loans")]
async fn loans(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| {
            let day = today(c.now, c.tz);
            Ok((lists::loans(c.conn, c.actor, day)?, day))
        },
        |ctx, (all, day)| {
            let and = ctx.t("list.and");
            let rows = all
                .into_iter()
                .map(|v| {
                    let out = v
                        .lines
                        .iter()
                        .filter_map(|l| {
                            let q = l
                                .received
                                .checked_sub(l.returned)?
                                .checked_add(l.on_the_road)?;
                            (q > Quantity::ZERO).then(|| format!("{} {q} {}", l.item_name, l.uom))
                        })
                        .collect::<Vec<_>>()
                        .join(and);
                    let mut lenders: Vec<&str> =
                        v.lines.iter().map(|l| l.from_warehouse.as_str()).collect();
                    lenders.sort_unstable();
                    lenders.dedup();
                    LoanRow {
                        id: v.request.id,
                        no: v.request.no.clone(),
                        unit: v.unit.clone(),
                        to_warehouse: v.to_warehouse.clone(),
                        out,
                        lenders: lenders.join(and),
                        due: v
                            .request
                            .return_due
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        days_overdue: match (v.overdue, v.request.return_due) {
                            (true, Some(d)) => (day - d).num_days(),
                            _ => 0,
                        },
                    }
                })
                .collect();
            LoansPage { ctx, rows }
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "allocation/transit.html")]
struct TransitPage {
    ctx: Ctx,
    rows: Vec<ConsignmentRow>,
}

/// Goods on the road to and from my warehouses: an allocation's and a plain transfer's alike.
#[get("/allocations/transit")]
async fn on_the_road(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| {
            let views = transit::list(c.conn, c.actor, true)?;
            consignment_rows(c.conn, c.actor, &views, c.actor.lang, c.tz)
        },
        |ctx, rows| TransitPage { ctx, rows },
    )
    .await
}
