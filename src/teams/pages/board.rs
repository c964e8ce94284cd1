//! The district's readiness board and the search by capability.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{coordinate, status_row, Names, StatusRow};
use crate::clock::today;
use crate::teams::model::{point, MANAGERS};
use crate::teams::service::{lists, readiness};
use crate::web::context::Ctx;
use crate::web::error::PageError;
use crate::web::{render, Page, Refusal};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(board).service(search);
}

#[derive(Template)]
#[template(path = "teams/board.html")]
struct BoardPage {
    ctx: Ctx,
    day: String,
    summary: readiness::Summary,
    teams: Vec<StatusRow>,
    specialities: Vec<(String, String)>,
    can_create: bool,
    /// Oversees people's records (a role over units, or leads a team): the certificate register is theirs.
    oversees: bool,
}

#[get("/teams")]
async fn board(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| {
            let day = today(c.now, c.tz);
            let teams = readiness::statuses(c.conn, c.actor, day)?;
            let can_create = c.actor.holds_any(MANAGERS);
            let oversees = can_create || crate::teams::service::leads_any(c.conn, c.actor)?;
            Ok((day, teams, lists::lists(c.conn)?, can_create, oversees))
        },
        |ctx, (day, teams, lists, can_create, oversees)| {
            let names = Names::of(&lists, ctx.lang);
            BoardPage {
                day: day.to_string(),
                summary: readiness::summary(&teams),
                teams: teams
                    .iter()
                    .map(|t| status_row(t, &names, ctx.lang))
                    .collect(),
                specialities: names.specialities,
                can_create,
                oversees,
                ctx,
            }
        },
    )
    .await
}

#[derive(Deserialize)]
struct SearchQuery {
    speciality: Option<String>,
    lat: Option<String>,
    lon: Option<String>,
    ready_only: Option<String>,
}

/// A search result as shown.
struct Found {
    row: StatusRow,
    capable: i64,
    distance: Option<String>,
    holders: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "teams/search.html")]
struct SearchPage {
    ctx: Ctx,
    specialities: Vec<(String, String)>,
    speciality: String,
    lat: String,
    lon: String,
    ready_only: bool,
    searched: bool,
    found: Vec<Found>,
    error: Option<String>,
}

#[get("/teams/search")]
async fn search(page: Page, q: web::Query<SearchQuery>) -> Result<HttpResponse, PageError> {
    let q = q.into_inner();
    let speciality = q.speciality.unwrap_or_default().trim().to_string();
    let (lat, lon) = (q.lat.unwrap_or_default(), q.lon.unwrap_or_default());
    let ready_only = q
        .ready_only
        .is_some_and(|v| matches!(v.as_str(), "true" | "1" | "on"));
    let searched = !speciality.is_empty();
    let (code, typed) = (speciality.clone(), (lat.clone(), lon.clone()));
    let (ctx, _, result) = page
        .attempt(move |c| {
            let lists = lists::lists(c.conn)?;
            if code.is_empty() {
                return Ok((lists, Ok(Vec::new())));
            }
            let near = coordinate("lat", &typed.0)
                .and_then(|lat| Ok((lat, coordinate("lon", &typed.1)?)))
                .and_then(|(lat, lon)| point(lat, lon));
            let found = near.and_then(|near| {
                readiness::search(c.conn, c.actor, today(c.now, c.tz), &code, near, ready_only)
            });
            Ok((lists, found))
        })
        .await?;
    let lang = ctx.lang;
    let (lists, found) = result.map_err(|error| PageError {
        error,
        lang,
        next: None,
    })?;
    let (found, error) = match found {
        Ok(f) => (f, None),
        Err(e) => (Vec::new(), Some(Refusal::of(e, lang)?)),
    };
    let names = Names::of(&lists, lang);
    let status = error.as_ref().map_or(StatusCode::OK, |r| r.status);
    let view = SearchPage {
        found: found
            .iter()
            .map(|f| Found {
                row: status_row(&f.status, &names, lang),
                capable: f.capable,
                distance: f.distance_km.map(|d| format!("{d:.1} km")),
                holders: f
                    .holders
                    .iter()
                    .map(|h| (h.name.clone(), h.phone.clone(), h.available))
                    .collect(),
            })
            .collect(),
        specialities: names.specialities,
        speciality,
        lat,
        lon,
        ready_only,
        searched,
        error: error.map(|r| r.message),
        ctx,
    };
    render(&view, status)
}
