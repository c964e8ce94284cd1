//! `/api/v1/duty/feeds`: calendar feeds (日历订阅) of one's duty or a roster, for calendar programs to
//! subscribe to; the feed itself is served at `/duty/feeds/{secret}.ics`.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::duty::service::feeds::{self, NewFeed, Subject};
use crate::duty::store::feeds::Feed;
use crate::web::json::Json;
use crate::web::{Api, Reply};

/// What a feed shows: exactly one of a person's duty and a roster.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedIn {
    /// A person's duty: yourself, or someone whose duty you manage.
    pub person_id: Option<i64>,
    /// A roster you manage.
    pub roster_id: Option<i64>,
}

/// Make a calendar feed: its `url` holds the secret and is shown this once. At most 10 live feeds per
/// person and per roster.
#[utoipa::path(tag = "duty", request_body = FeedIn, security(("bearer" = [])), responses((status = 201, body = NewFeed)))]
#[post("/duty/feeds")]
pub async fn create_feed(api: Api, body: Json<FeedIn>) -> Reply<NewFeed> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        let subject = Subject::of(b.person_id, b.roster_id)?;
        feeds::create(c.conn, c.config, c.actor, c.now, subject)
    })
    .await
}

/// Which feeds.
#[derive(Debug, Deserialize, IntoParams)]
pub struct FeedsQuery {
    /// A roster's feeds (its managers); none: those you made or that show your duty.
    pub roster_id: Option<i64>,
}

/// Live calendar feeds (never their secrets), newest first.
#[utoipa::path(tag = "duty", params(FeedsQuery), security(("bearer" = [])), responses((status = 200, body = Vec<Feed>)))]
#[get("/duty/feeds")]
pub async fn list_feeds(api: Api, q: web::Query<FeedsQuery>) -> Reply<Vec<Feed>> {
    let roster = q.roster_id;
    api.json(move |c| match roster {
        Some(r) => feeds::of_roster(c.conn, c.actor, r),
        None => feeds::mine(c.conn, c.actor),
    })
    .await
}

/// Revoke a calendar feed: its address answers 404 from now on.
#[utoipa::path(tag = "duty", security(("bearer" = [])), responses((status = 200, body = Feed)))]
#[delete("/duty/feeds/{id}")]
pub async fn revoke_feed(api: Api, id: web::Path<i64>) -> Reply<Feed> {
    let id = id.into_inner();
    api.json(move |c| feeds::revoke(c.conn, c.actor, c.now, id))
        .await
}
