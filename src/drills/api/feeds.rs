//! `/api/v1/drills/feeds`: secret calendar subscriptions of the drills the caller may see, for calendar
//! programs; the feed itself is served without sign-in at `/drills/feeds/{secret}.ics`.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web};

use crate::drills::service::feeds::{self, NewDrillFeed};
use crate::drills::store::feeds::DrillFeed;
use crate::web::{Api, Reply};

/// Make a calendar subscription of the drills you may see: its `url` holds the secret and is shown this
/// once (kept only as a hash). At most 10 live per account (409 beyond).
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 201, body = NewDrillFeed)))]
#[post("/drills/feeds")]
pub async fn create_drill_feed(api: Api) -> Reply<NewDrillFeed> {
    api.reply(StatusCode::CREATED, move |c| {
        feeds::create(c.conn, c.config, c.actor, c.now)
    })
    .await
}

/// Your live drill calendar subscriptions (never their secrets), newest first.
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 200, body = Vec<DrillFeed>)))]
#[get("/drills/feeds")]
pub async fn drill_feeds(api: Api) -> Reply<Vec<DrillFeed>> {
    api.json(move |c| feeds::mine(c.conn, c.actor)).await
}

/// Revoke one of your drill calendar subscriptions: its address answers 404 from now on.
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 200, body = DrillFeed)))]
#[delete("/drills/feeds/{id}")]
pub async fn revoke_drill_feed(api: Api, id: web::Path<i64>) -> Reply<DrillFeed> {
    let id = id.into_inner();
    api.json(move |c| feeds::revoke(c.conn, c.actor, c.now, id))
        .await
}
