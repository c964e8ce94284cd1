//! `/api/v1/notices`, `/api/v1/me/notices`, `/api/v1/units/{id}/notice-settings`: the outbox for
//! administrators, each account's own notices, and each unit's choices.

use actix_web::{get, post, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::EmailAddress;
use super::service::{self, KindMode, NoticeView, SettingsInput, UnitNoticeSettings};
use super::store::NoticeFilter;
use crate::pagination::{Page, PageRequest};
use crate::web::auth::ApiActor;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{non_blank, AppState, InLang};

/// Outbox filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct NoticeQuery {
    /// pending, sending, sent, failed, cancelled
    pub state: Option<String>,
    /// batch_expiry, below_norm, stocktake_due, stocktake_overdue, countersign_waiting, countersign_owed,
    /// ledger_mismatch, digest, test
    pub kind: Option<String>,
    pub unit_id: Option<i64>,
    /// Text in the subject or an address.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl NoticeQuery {
    /// The store filter (blank fields mean "any").
    pub fn filter(&self) -> NoticeFilter {
        NoticeFilter {
            state: non_blank(&self.state),
            kind: non_blank(&self.kind),
            unit_id: self.unit_id,
            q: non_blank(&self.q),
            ..Default::default()
        }
    }
}

/// The outbox: every notice an administrator may see, newest first.
#[utoipa::path(tag = "notices", params(NoticeQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<NoticeView>), (status = 403, body = ErrorBody)))]
#[get("/notices")]
pub async fn list(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    q: web::Query<NoticeQuery>,
) -> Result<web::Json<Page<NoticeView>>, ApiError> {
    let (lang, filter, page) = (actor.lang, q.filter(), PageRequest::new(q.page, q.per_page));
    let rows = state
        .db(move |c| service::list(c, &actor, filter, page))
        .await
        .api(lang)?;
    Ok(web::Json(rows))
}

/// One notice with its addressees, attempts and last error.
#[utoipa::path(tag = "notices", security(("bearer" = [])),
    responses((status = 200, body = NoticeView), (status = 404, body = ErrorBody)))]
#[get("/notices/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<NoticeView>, ApiError> {
    let (lang, id) = (actor.lang, id.into_inner());
    let n = state
        .db(move |c| service::get(c, &actor, id))
        .await
        .api(lang)?;
    Ok(web::Json(n))
}

/// Send a failed or cancelled notice again.
#[utoipa::path(tag = "notices", security(("bearer" = [])),
    responses((status = 200, body = NoticeView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/notices/{id}/retry")]
pub async fn retry(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<NoticeView>, ApiError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    let n = state
        .db(move |c| service::retry(c, &actor, now, id))
        .await
        .api(lang)?;
    Ok(web::Json(n))
}

/// Cancel a notice that has not gone out.
#[utoipa::path(tag = "notices", security(("bearer" = [])),
    responses((status = 200, body = NoticeView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/notices/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<NoticeView>, ApiError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    let n = state
        .db(move |c| service::cancel(c, &actor, now, id))
        .await
        .api(lang)?;
    Ok(web::Json(n))
}

/// Paging for one's own notices.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct MineQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The notices addressed to the signed-in account's person.
#[utoipa::path(tag = "notices", params(MineQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<NoticeView>), (status = 409, body = ErrorBody)))]
#[get("/me/notices")]
pub async fn mine(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    q: web::Query<MineQuery>,
) -> Result<web::Json<Page<NoticeView>>, ApiError> {
    let (lang, page) = (actor.lang, PageRequest::new(q.page, q.per_page));
    let rows = state
        .db(move |c| service::mine(c, &actor, page))
        .await
        .api(lang)?;
    Ok(web::Json(rows))
}

/// Whether one receives the daily digest.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DigestChoice {
    pub digest: bool,
}

/// Opt in or out of the daily digest (notices addressed by role, such as a custodian's, still come).
#[utoipa::path(tag = "notices", request_body = DigestChoice, security(("bearer" = [])),
    responses((status = 200, body = DigestChoice), (status = 409, body = ErrorBody)))]
#[put("/me/notice-preferences")]
pub async fn set_preferences(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    body: web::Json<DigestChoice>,
) -> Result<web::Json<DigestChoice>, ApiError> {
    let (lang, now, receive) = (actor.lang, state.now(), body.digest);
    let digest = state
        .db(move |c| service::set_digest(c, &actor, now, receive))
        .await
        .api(lang)?;
    Ok(web::Json(DigestChoice { digest }))
}

/// A unit's contact addresses and, per kind, whether they hear it at once or in the daily digest.
#[utoipa::path(tag = "notices", security(("bearer" = [])),
    responses((status = 200, body = UnitNoticeSettings), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/units/{id}/notice-settings")]
pub async fn settings(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<UnitNoticeSettings>, ApiError> {
    let (lang, id) = (actor.lang, id.into_inner());
    let s = state
        .db(move |c| service::settings(c, &actor, id))
        .await
        .api(lang)?;
    Ok(web::Json(s))
}

/// New settings for a unit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SettingsIn {
    /// The unit's contact addresses.
    pub contact_emails: Vec<String>,
    /// Kinds to change (others stay as they are).
    #[serde(default)]
    pub modes: Vec<KindMode>,
}

/// Replace a unit's contact addresses and change how it hears kinds of notice.
#[utoipa::path(tag = "notices", request_body = SettingsIn, security(("bearer" = [])),
    responses((status = 200, body = UnitNoticeSettings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/units/{id}/notice-settings")]
pub async fn set_settings(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    body: web::Json<SettingsIn>,
) -> Result<web::Json<UnitNoticeSettings>, ApiError> {
    let (lang, id, now) = (actor.lang, id.into_inner(), state.now());
    let input = SettingsInput::parse(&body.contact_emails.join(","), &body.modes).api(lang)?;
    let s = state
        .db(move |c| service::set_settings(c, &actor, now, id, input))
        .await
        .api(lang)?;
    Ok(web::Json(s))
}

/// Where to send a test email.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TestIn {
    /// An address; the unit's contact addresses when absent.
    pub to: Option<String>,
}

/// Queue a test email for the unit (it goes out with the next delivery, within seconds).
#[utoipa::path(tag = "notices", request_body = TestIn, security(("bearer" = [])),
    responses((status = 202, body = NoticeView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/units/{id}/test-email")]
pub async fn test_email(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    body: Option<web::Json<TestIn>>,
) -> Result<HttpResponse, ApiError> {
    let (lang, id, now, cfg) = (
        actor.lang,
        id.into_inner(),
        state.now(),
        state.config.clone(),
    );
    let to = body
        .and_then(|b| b.into_inner().to)
        .filter(|t| !t.trim().is_empty())
        .map(|t| EmailAddress::parse(&t))
        .transpose()
        .api(lang)?;
    let n = state
        .db(move |c| service::send_test(c, &actor, &cfg, now, id, to))
        .await
        .api(lang)?;
    Ok(HttpResponse::Accepted().json(n))
}
