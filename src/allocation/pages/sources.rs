//! The sourcing view (货源): where an item can come from, nearest first, what may be drawn, who keeps it
//! and their phone. Opened from a request's line it offers to propose the source; otherwise to ask from
//! there.

use actix_web::{get, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::allocation::service::may;
use crate::allocation::service::options::{self, AskOptions};
use crate::allocation::service::sourcing::{self, Sourcing};
use crate::allocation::service::{self as service};
use crate::clock::today;
use crate::error::ServiceResult;
use crate::web::context::Ctx;
use crate::web::error::PageError;
use crate::web::forms::optional_id;
use crate::web::Page;

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(sources);
}

/// The sourcing form's choices (a select left at "—" sends an empty value).
#[derive(Debug, Deserialize)]
struct SourceQuery {
    item_id: Option<String>,
    to_warehouse_id: Option<String>,
    /// Opened from a request's line: the request and the line.
    request: Option<i64>,
    line: Option<i64>,
}

/// An id chosen in the form, if any.
fn chosen(field: &'static str, v: &Option<String>) -> ServiceResult<Option<i64>> {
    optional_id(field, v.as_deref().unwrap_or(""))
}

#[derive(Template)]
#[template(path = "allocation/sources.html")]
struct SourcesPage {
    ctx: Ctx,
    o: AskOptions,
    item_id: i64,
    to_warehouse_id: i64,
    found: Option<Sourcing>,
    /// The request and line whose source the viewer may propose from here.
    propose: Option<(i64, i64)>,
}

#[get("/allocations/sources")]
async fn sources(page: Page, q: web::Query<SourceQuery>) -> Result<HttpResponse, PageError> {
    let q = q.into_inner();
    let (item, to) = (
        chosen("item_id", &q.item_id),
        chosen("to_warehouse_id", &q.to_warehouse_id),
    );
    let shown = (
        item.as_ref().ok().copied().flatten().unwrap_or_default(),
        to.as_ref().ok().copied().flatten().unwrap_or_default(),
    );
    let (ctx, (o, found, propose)) = page
        .run(move |c| {
            let (item, to) = (item?, to?);
            let day = today(c.now, c.tz);
            let o = options::ask_options(c.conn, c.actor)?;
            let found = match item {
                Some(i) => Some(sourcing::sourcing(c.conn, c.actor, i, to, day)?),
                None => None,
            };
            let propose = match (q.request, q.line) {
                (Some(r), Some(l)) => {
                    let v = service::get(c.conn, c.actor, r, day)?;
                    may::mays(c.conn, c.actor, &v)?
                        .propose
                        .contains(&l)
                        .then_some((r, l))
                }
                _ => None,
            };
            Ok((o, found, propose))
        })
        .await?;
    let view = SourcesPage {
        ctx,
        o,
        item_id: shown.0,
        to_warehouse_id: shown.1,
        found,
        propose,
    };
    crate::web::render(&view, actix_web::http::StatusCode::OK)
}
