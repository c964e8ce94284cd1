//! `/api/v1/notices`, `/api/v1/me/notices`, `/api/v1/units/{id}/notice-settings`, `/api/v1/units/{id}/chat`:
//! the outbox for administrators, each account's own notices, and each unit's choices and group chat.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{EmailAddress, NoticeState};
use super::service::{
    self, ChatInput, ChatSettings, ChatView, KindMode, NoticeView, SettingsInput,
    UnitNoticeSettings,
};
use super::source::Reminders;
use super::store::NoticeFilter;
use crate::pagination::{Page, PageRequest};
use crate::web::json::{Json, OptionalJson};
use crate::web::{non_blank, Api};

use crate::web::error::ApiError;
use crate::web::Reply;

/// Outbox filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct NoticeQuery {
    pub state: Option<NoticeState>,
    /// A kind's code: batch_expiry, below_norm, stocktake_due, stocktake_overdue, countersign_waiting,
    /// countersign_owed, ledger_mismatch, digest, test, or a kind a later area adds.
    pub kind: Option<String>,
    pub unit_id: Option<i64>,
    /// Text in the subject or an address.
    pub q: Option<String>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

impl NoticeQuery {
    /// The store filter (blank fields mean "any").
    pub fn filter(&self) -> NoticeFilter {
        NoticeFilter {
            state: self.state,
            kind: non_blank(&self.kind),
            unit_id: self.unit_id,
            q: non_blank(&self.q),
            ..Default::default()
        }
    }
}

/// The outbox: every notice an administrator may see, newest first.
#[utoipa::path(tag = "notices", params(NoticeQuery), security(("bearer" = [])), responses((status = 200, body = Page<NoticeView>)))]
#[get("/notices")]
pub async fn list(api: Api, q: web::Query<NoticeQuery>) -> Reply<Page<NoticeView>> {
    let (filter, page) = (q.filter(), PageRequest::asked(q.page, q.per_page));
    api.json(move |c| service::list(c.conn, c.actor, filter, page?))
        .await
}

/// One notice with its addressees (each with its own delivery state), attempts and last error.
#[utoipa::path(tag = "notices", security(("bearer" = [])), responses((status = 200, body = NoticeView)))]
#[get("/notices/{id}")]
pub async fn get(api: Api, id: web::Path<i64>) -> Reply<NoticeView> {
    let id = id.into_inner();
    api.json(move |c| service::get(c.conn, c.actor, id)).await
}

/// Send a notice again to those who have not got it: after a failure, a cancellation, or refused addresses
/// (addresses are looked up again, so one put right since is used).
#[utoipa::path(tag = "notices", security(("bearer" = [])), responses((status = 200, body = NoticeView)))]
#[post("/notices/{id}/retry")]
pub async fn retry(api: Api, id: web::Path<i64>) -> Reply<NoticeView> {
    let id = id.into_inner();
    api.json(move |c| service::retry(c.conn, c.actor, c.now, id))
        .await
}

/// Cancel a notice that has not gone out.
#[utoipa::path(tag = "notices", security(("bearer" = [])), responses((status = 200, body = NoticeView)))]
#[post("/notices/{id}/cancel")]
pub async fn cancel(api: Api, id: web::Path<i64>) -> Reply<NoticeView> {
    let id = id.into_inner();
    api.json(move |c| service::cancel(c.conn, c.actor, c.now, id))
        .await
}

/// Paging for one's own notices.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct MineQuery {
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// The notices addressed to the signed-in account's person.
#[utoipa::path(tag = "notices", params(MineQuery), security(("bearer" = [])), responses((status = 200, body = Page<NoticeView>)))]
#[get("/me/notices")]
pub async fn mine(api: Api, q: web::Query<MineQuery>) -> Reply<Page<NoticeView>> {
    let page = PageRequest::asked(q.page, q.per_page);
    api.json(move |c| service::mine(c.conn, c.actor, page?))
        .await
}

/// Whether one receives the daily digest.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DigestChoice {
    pub digest: bool,
}

/// Opt in or out of the daily digest (notices addressed by role, such as a custodian's, still come).
#[utoipa::path(tag = "notices", request_body = DigestChoice, security(("bearer" = [])), responses((status = 200, body = DigestChoice)))]
#[put("/me/notice-preferences")]
pub async fn set_preferences(api: Api, body: Json<DigestChoice>) -> Reply<DigestChoice> {
    let receive = body.0.digest;
    api.json(move |c| {
        service::set_digest(c.conn, c.actor, c.now, receive).map(|digest| DigestChoice { digest })
    })
    .await
}

/// A unit's contact addresses and, per kind, whether they hear it at once or in the daily digest.
#[utoipa::path(tag = "notices", security(("bearer" = [])), responses((status = 200, body = UnitNoticeSettings)))]
#[get("/units/{id}/notice-settings")]
pub async fn settings(
    api: Api,
    reminders: web::Data<Reminders>,
    id: web::Path<i64>,
) -> Reply<UnitNoticeSettings> {
    let id = id.into_inner();
    api.json(move |c| service::settings(c.conn, c.actor, &reminders, id))
        .await
}

/// New settings for a unit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsIn {
    /// The unit's contact addresses (at most 20).
    #[schema(max_items = 20)]
    pub contact_emails: Vec<String>,
    /// Kinds to change (others stay as they are).
    #[serde(default)]
    pub modes: Vec<KindMode>,
}

/// Replace a unit's contact addresses and change how it hears kinds of notice.
#[utoipa::path(tag = "notices", request_body = SettingsIn, security(("bearer" = [])), responses((status = 200, body = UnitNoticeSettings)))]
#[put("/units/{id}/notice-settings")]
pub async fn set_settings(
    api: Api,
    reminders: web::Data<Reminders>,
    id: web::Path<i64>,
    body: Json<SettingsIn>,
) -> Reply<UnitNoticeSettings> {
    let (id, body) = (id.into_inner(), body.0);
    api.json(move |c| {
        let input = SettingsInput::parse(&reminders, &body.contact_emails.join(","), &body.modes)?;
        service::set_settings(c.conn, c.actor, &reminders, c.now, id, input)
    })
    .await
}

/// Where to send a test email.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestIn {
    /// An address; the unit's contact addresses when absent.
    pub to: Option<String>,
}

/// Queue a test email for the unit (it goes out with the next delivery, within seconds). The body may be
/// left out; when present it must be valid.
#[utoipa::path(tag = "notices", request_body(content = Option<TestIn>), security(("bearer" = [])), responses((status = 202, body = NoticeView)))]
#[post("/units/{id}/test-email")]
pub async fn test_email(
    api: Api,
    id: web::Path<i64>,
    body: OptionalJson<TestIn>,
) -> Reply<NoticeView> {
    let (id, to) = (id.into_inner(), body.0.and_then(|b| b.to));
    api.reply(StatusCode::ACCEPTED, move |c| {
        let to = to
            .filter(|t| !t.trim().is_empty())
            .map(|t| EmailAddress::parse(&t))
            .transpose()?;
        service::send_test(c.conn, c.actor, c.config, c.now, id, to)
    })
    .await
}

/// A unit's group chat robot (`chat` is null while it has none) and the kinds of notice a chat may hear.
#[utoipa::path(tag = "notices", security(("bearer" = [])), responses((status = 200, body = ChatSettings)))]
#[get("/units/{id}/chat")]
pub async fn chat(
    api: Api,
    reminders: web::Data<Reminders>,
    id: web::Path<i64>,
) -> Reply<ChatSettings> {
    let id = id.into_inner();
    api.json(move |c| service::chat(c.conn, c.actor, &reminders, id))
        .await
}

/// A unit's group chat robot, as set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChatIn {
    /// `wecom` (企业微信) or `dingtalk` (钉钉).
    pub flavour: String,
    /// The robot's webhook address, on a host the service allows (`STANDBY_WEBHOOK_HOSTS`).
    #[schema(max_length = 500)]
    pub url: String,
    /// DingTalk's signing secret (加签); absent keeps the one set, empty turns signing off.
    pub secret: Option<String>,
    /// The kinds of notice the chat hears (`GET /units/{id}/chat` lists those a chat may hear).
    #[serde(default)]
    pub kinds: Vec<String>,
}

/// Set up or change a unit's group chat robot: the notices of the chosen kinds about the unit are then also
/// posted there, through the outbox, with the same retries as email.
#[utoipa::path(tag = "notices", request_body = ChatIn, security(("bearer" = [])), responses((status = 200, body = ChatView)))]
#[put("/units/{id}/chat")]
pub async fn set_chat(
    api: Api,
    reminders: web::Data<Reminders>,
    id: web::Path<i64>,
    body: Json<ChatIn>,
) -> Reply<ChatView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let input = ChatInput::parse(
            c.config,
            &reminders,
            &b.flavour,
            &b.url,
            b.secret.as_deref(),
            &b.kinds,
        )?;
        service::set_chat(c.conn, c.actor, c.now, id, input)
    })
    .await
}

/// Remove a unit's group chat robot.
#[utoipa::path(tag = "notices", security(("bearer" = [])), responses((status = 204), (status = 404)))]
#[delete("/units/{id}/chat")]
pub async fn remove_chat(api: Api, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    api.run(move |c| service::remove_chat(c.conn, c.actor, c.now, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Queue a test message to the unit's group chat (it goes out with the next delivery, within seconds).
#[utoipa::path(tag = "notices", security(("bearer" = [])), responses((status = 202, body = NoticeView)))]
#[post("/units/{id}/chat/test")]
pub async fn test_chat(api: Api, id: web::Path<i64>) -> Reply<NoticeView> {
    let id = id.into_inner();
    api.reply(StatusCode::ACCEPTED, move |c| {
        service::test_chat(c.conn, c.actor, c.config, c.now, id)
    })
    .await
}
