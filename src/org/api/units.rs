//! `/api/v1/units`.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{active_filter, non_empty};
use crate::org::model::UnitPatch;
use crate::org::service::units;
use crate::org::store::{Unit, UnitFilter};
use crate::pagination::{Page, PageRequest};
use crate::web::auth::ApiActor;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{double_option, utc, AppState, InLang};

/// A unit of the district.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitOut {
    pub id: i64,
    pub name: String,
    /// office, department, street, enterprise, rescue_team or other.
    pub kind: String,
    pub parent_id: Option<i64>,
    pub contact_emails: Vec<String>,
    pub phone: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Unit> for UnitOut {
    fn from(u: Unit) -> Self {
        UnitOut {
            id: u.id,
            name: u.name,
            kind: u.kind,
            parent_id: u.parent_id,
            contact_emails: u
                .contact_emails
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            phone: u.phone,
            active: u.active,
            created_at: utc(u.created_at),
            updated_at: utc(u.updated_at),
        }
    }
}

/// Unit list filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UnitQuery {
    /// Name contains.
    pub q: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    /// Direct children of this unit.
    pub parent_id: Option<i64>,
    /// `true` (default), `false` or `all`.
    pub active: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A new unit, or changes to one (absent fields stay as they are).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitIn {
    pub name: Option<String>,
    pub kind: Option<String>,
    /// The parent unit; `null` makes it a top-level unit.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    /// Addresses as a list (or one string separated by commas).
    pub contact_emails: Option<Vec<String>>,
    pub phone: Option<String>,
    pub active: Option<bool>,
}

impl UnitIn {
    fn parse(&self) -> Result<UnitPatch, crate::error::ServiceError> {
        let emails = self.contact_emails.as_ref().map(|v| v.join(","));
        UnitPatch::parse(
            self.name.as_deref(),
            self.kind.as_deref(),
            self.parent_id,
            emails.as_deref(),
            self.phone.as_deref(),
            self.active,
        )
    }
}

/// List units.
#[utoipa::path(tag = "units", params(UnitQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<UnitOut>), (status = 401, body = ErrorBody)))]
#[get("/units")]
pub async fn list(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    q: web::Query<UnitQuery>,
) -> Result<web::Json<Page<UnitOut>>, ApiError> {
    let filter = UnitFilter {
        q: non_empty(&q.q),
        kind: non_empty(&q.kind),
        parent_id: q.parent_id,
        active: active_filter(q.active.as_deref()),
    };
    let page = PageRequest::new(q.page, q.per_page);
    let units = state
        .db(move |c| units::list(c, &filter, page))
        .await
        .api(actor.lang)?;
    Ok(web::Json(units.map(UnitOut::from)))
}

/// One unit.
#[utoipa::path(tag = "units", security(("bearer" = [])),
    responses((status = 200, body = UnitOut), (status = 404, body = ErrorBody)))]
#[get("/units/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<UnitOut>, ApiError> {
    let id = id.into_inner();
    let unit = state.db(move |c| units::get(c, id)).await.api(actor.lang)?;
    Ok(web::Json(unit.into()))
}

/// Create a unit (administrators and office staff covering the parent; a top-level unit needs a district-wide role).
#[utoipa::path(tag = "units", request_body = UnitIn, security(("bearer" = [])),
    responses((status = 201, body = UnitOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/units")]
pub async fn create(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    body: web::Json<UnitIn>,
) -> Result<HttpResponse, ApiError> {
    let lang = actor.lang;
    let patch = body.parse().api(lang)?;
    let now = state.now();
    let unit = state
        .db(move |c| units::create(c, &actor, now, patch))
        .await
        .api(lang)?;
    Ok(HttpResponse::Created().json(UnitOut::from(unit)))
}

/// Edit, move, deactivate (`"active": false`) or reactivate a unit.
#[utoipa::path(tag = "units", request_body = UnitIn, security(("bearer" = [])),
    responses((status = 200, body = UnitOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/units/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    body: web::Json<UnitIn>,
) -> Result<web::Json<UnitOut>, ApiError> {
    let lang = actor.lang;
    let patch = body.parse().api(lang)?;
    let (id, now) = (id.into_inner(), state.now());
    let unit = state
        .db(move |c| units::update(c, &actor, now, id, patch))
        .await
        .api(lang)?;
    Ok(web::Json(unit.into()))
}
