//! Calendar subscriptions of drills (日历订阅): a secret address a calendar program fetches without signing in.
//! Anyone who may sign in makes their own, at most 10 live at once; the secret is shown once and kept only as
//! its SHA-256; revoking one ends it at once. A feed shows what its maker's account may see at the time it is
//! fetched (the actor is rebuilt from the account then, so a role taken away is gone from the feed too), from
//! 60 days back to 365 ahead; a closed account's feeds answer 404.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::calendar::events;
use super::drills::list;
use crate::audit::{model::Change, service as audit};
use crate::clock::today;
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::drills::model::ics_calendar;
use crate::drills::store::feeds::{self as store, DrillFeed, Which};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Text;
use crate::org::credentials::{random_token, token_hash};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// Live feeds one account may have at once.
pub const MAX_LIVE: i64 = 10;
/// How far back and ahead a feed reaches, in days.
pub const DAYS_BACK: i64 = 60;
pub const DAYS_AHEAD: i64 = 365;

/// A new feed with its address, which holds the secret and is shown this once.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NewDrillFeed {
    #[serde(flatten)]
    pub feed: DrillFeed,
    /// The address to paste into a calendar program's "subscribe" box.
    pub url: String,
}

fn gone() -> ServiceError {
    ServiceError::not_found("该日历订阅", "Calendar feed")
}

/// Makes a feed of the drills the actor may see.
pub fn create(
    conn: &mut DbConn,
    cfg: &Config,
    actor: &Actor,
    now: DateTime<Utc>,
) -> ServiceResult<NewDrillFeed> {
    let secret = random_token(32)?;
    write_tx(conn, |c| {
        if store::count_live(c, actor.account_id)? >= MAX_LIVE {
            return Err(ServiceError::conflict(
                "有效的演练日历订阅已达 10 个，请先撤销不用的",
                "There are 10 live drill calendar links already; revoke one no longer used first",
            ));
        }
        let id = store::insert(c, &token_hash(&secret), actor.account_id, db_time(now))?;
        let feed = store::live(c, Which::Id(id))?.pop().ok_or_else(gone)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("drill_feed", id, actor.unit_id, None, Some(&feed)),
        )?;
        let url = format!(
            "{}/drills/feeds/{secret}.ics",
            cfg.base_url.trim_end_matches('/')
        );
        Ok(NewDrillFeed { feed, url })
    })
}

/// The actor's live feeds, newest first.
pub fn mine(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<DrillFeed>> {
    Ok(store::live(conn, Which::Maker(actor.account_id))?)
}

/// Revokes one of the actor's live feeds (404 for another's, or one revoked already).
pub fn revoke(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> ServiceResult<DrillFeed> {
    write_tx(conn, |c| {
        let before = store::live(c, Which::Id(id))?
            .pop()
            .filter(|f| f.created_by == actor.account_id)
            .ok_or_else(gone)?;
        if !store::revoke(c, id, db_time(now))? {
            return Err(gone());
        }
        let after = DrillFeed {
            revoked_at: Some(db_time(now)),
            ..before.clone()
        };
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("drill_feed", id, actor.unit_id, Some(&before), Some(&after)),
        )?;
        Ok(after)
    })
}

/// The iCalendar file of the feed whose secret this is, in its maker's language: 404 for an unknown or
/// revoked secret, or a maker whose account is closed.
pub fn calendar(
    conn: &mut DbConn,
    cfg: &Config,
    now: DateTime<Utc>,
    secret: &str,
) -> ServiceResult<String> {
    let feed = store::live(conn, Which::Hash(&token_hash(secret)))?
        .pop()
        .ok_or_else(gone)?;
    let maker = org_store::find_account(conn, feed.created_by)?
        .filter(|a| a.active)
        .ok_or_else(gone)?;
    let actor = org_store::actor_of(conn, &maker)?;
    let day = today(now, cfg.timezone);
    let rows = list(
        conn,
        &actor,
        day - Duration::days(DAYS_BACK),
        day + Duration::days(DAYS_AHEAD + 1),
        cfg.timezone,
    )?;
    let name = Text::new(
        format!("应急演练 · {}", actor.name),
        format!("Drills · {}", actor.name),
    );
    Ok(ics_calendar(
        name.get(actor.lang),
        cfg.timezone.name(),
        &events(&rows, &cfg.base_url, actor.lang),
    ))
}
