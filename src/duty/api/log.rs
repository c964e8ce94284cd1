//! `/api/v1/duty/shifts/{id}/log`, `/api/v1/duty/shifts/{id}/handover`: the duty log of a shift and its
//! signed handover.

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::duty::service::log::{self, EntryInput, ShiftLog};
use crate::duty::service::presence;
use crate::duty::store::log::{Entry, Handover};
use crate::duty::store::presence::Check;
use crate::web::json::Json;
use crate::web::{Api, Reply};

/// A shift's log, the matters carried over from earlier shifts and its handover.
#[utoipa::path(tag = "duty", security(("bearer" = [])), responses((status = 200, body = ShiftLog)))]
#[get("/duty/shifts/{id}/log")]
pub async fn shift_log(api: Api, id: web::Path<i64>) -> Reply<ShiftLog> {
    let id = id.into_inner();
    api.json(move |c| log::shift_log(c.conn, c.actor, c.now, id))
        .await
}

/// A log entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryIn {
    /// When it happened (default: now).
    pub occurred_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub caller_unit: String,
    #[serde(default)]
    pub caller_name: String,
    #[serde(default)]
    pub caller_phone: String,
    /// What happened.
    pub summary: String,
    /// Who was notified.
    #[serde(default)]
    pub notified: String,
    /// How it was handled.
    #[serde(default)]
    pub handling: String,
    /// Still open: handed over to the next shift.
    #[serde(default)]
    pub open: bool,
}

/// Record what came in during a shift (its people or a manager; during the shift or up to 12 hours after).
#[utoipa::path(tag = "duty", request_body = EntryIn, security(("bearer" = [])), responses((status = 201, body = Entry)))]
#[post("/duty/shifts/{id}/log")]
pub async fn record(api: Api, id: web::Path<i64>, body: Json<EntryIn>) -> Reply<Entry> {
    let (id, b) = (id.into_inner(), body.0);
    api.reply(StatusCode::CREATED, move |c| {
        let e = EntryInput {
            occurred_at: b.occurred_at,
            caller_unit: b.caller_unit,
            caller_name: b.caller_name,
            caller_phone: b.caller_phone,
            summary: b.summary,
            notified: b.notified,
            handling: b.handling,
            open: b.open,
        };
        log::record(c.conn, c.actor, c.now, id, e)
    })
    .await
}

/// How an open matter ended.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseIn {
    pub handling: String,
}

/// Close an open matter.
#[utoipa::path(tag = "duty", request_body = CloseIn, security(("bearer" = [])), responses((status = 200, body = Entry)))]
#[post("/duty/log/{id}/close")]
pub async fn close(api: Api, id: web::Path<i64>, body: Json<CloseIn>) -> Reply<Entry> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| log::close(c.conn, c.actor, c.now, id, &b.handling))
        .await
}

/// The outgoing side's handover.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverIn {
    /// Matters handed over.
    #[serde(default)]
    pub open_matters: String,
    /// The roster's checklist items ticked.
    #[serde(default)]
    pub checked: Vec<String>,
    /// Required when an item is not ticked: why.
    #[serde(default)]
    pub note: String,
}

/// Sign the handover as the outgoing side (from 2 hours before the changeover to 12 after).
#[utoipa::path(tag = "duty", request_body = HandoverIn, security(("bearer" = [])), responses((status = 201, body = Handover)))]
#[post("/duty/shifts/{id}/handover")]
pub async fn sign_out(api: Api, id: web::Path<i64>, body: Json<HandoverIn>) -> Reply<Handover> {
    let (id, b) = (id.into_inner(), body.0);
    api.reply(StatusCode::CREATED, move |c| {
        log::sign_out(
            c.conn,
            c.actor,
            c.now,
            id,
            &b.open_matters,
            &b.checked,
            &b.note,
        )
    })
    .await
}

/// How long the people on a shift have to confirm.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresenceIn {
    /// 5–120 (default 15).
    pub minutes: Option<i64>,
}

/// Check the duty room (查岗): everyone on a shift under way gets an email with a link to confirm they are at
/// their post within the minutes given; a miss reaches the duty leaders. Office staff and the roster's
/// managers.
#[utoipa::path(tag = "duty", request_body = PresenceIn, security(("bearer" = [])), responses((status = 201, body = Vec<Check>)))]
#[post("/duty/shifts/{id}/presence")]
pub async fn ask_presence(
    api: Api,
    id: web::Path<i64>,
    body: Json<PresenceIn>,
) -> Reply<Vec<Check>> {
    let (id, minutes) = (id.into_inner(), body.0.minutes.unwrap_or(15));
    api.reply(StatusCode::CREATED, move |c| {
        presence::ask(c.conn, c.config, c.actor, c.now, c.tz, id, minutes)
    })
    .await
}

/// The presence checks of a shift and their answers.
#[utoipa::path(tag = "duty", security(("bearer" = [])), responses((status = 200, body = Vec<Check>)))]
#[get("/duty/shifts/{id}/presence")]
pub async fn presence_checks(api: Api, id: web::Path<i64>) -> Reply<Vec<Check>> {
    let id = id.into_inner();
    api.json(move |c| presence::of_shift(c.conn, id)).await
}

/// Confirm the handover as the incoming side (someone on the next shift, or a manager; not the one who
/// signed it out).
#[utoipa::path(tag = "duty", security(("bearer" = [])), responses((status = 200, body = Handover)))]
#[post("/duty/shifts/{id}/handover/confirm")]
pub async fn sign_in(api: Api, id: web::Path<i64>) -> Reply<Handover> {
    let id = id.into_inner();
    api.json(move |c| log::sign_in(c.conn, c.actor, c.now, id))
        .await
}
