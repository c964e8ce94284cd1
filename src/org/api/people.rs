//! `/api/v1/people`.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{active_filter, non_empty};
use crate::org::model::PersonPatch;
use crate::org::service::people;
use crate::org::store::{Person, PersonFilter};
use crate::pagination::{Page, PageRequest};
use crate::web::auth::ApiActor;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{utc, AppState, InLang};

/// A person of a unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    pub id: i64,
    pub unit_id: i64,
    pub name: String,
    pub post: String,
    pub phone: String,
    pub email: String,
    pub active: bool,
    /// The person does not want the daily digest.
    pub digest_opt_out: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Person> for PersonOut {
    fn from(p: Person) -> Self {
        PersonOut {
            id: p.id,
            unit_id: p.unit_id,
            name: p.name,
            post: p.post,
            phone: p.phone,
            email: p.email,
            active: p.active,
            digest_opt_out: p.digest_opt_out,
            created_at: utc(p.created_at),
            updated_at: utc(p.updated_at),
        }
    }
}

/// People list filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PersonQuery {
    /// Name, post or phone contains.
    pub q: Option<String>,
    pub unit_id: Option<i64>,
    /// `true` (default), `false` or `all`.
    pub active: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A new person, or changes to one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonIn {
    pub unit_id: Option<i64>,
    pub name: Option<String>,
    pub post: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: Option<bool>,
}

impl PersonIn {
    fn parse(&self) -> Result<PersonPatch, crate::error::ServiceError> {
        PersonPatch::parse(
            self.unit_id,
            self.name.as_deref(),
            self.post.as_deref(),
            self.phone.as_deref(),
            self.email.as_deref(),
            self.active,
        )
    }
}

/// List people.
#[utoipa::path(tag = "people", params(PersonQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<PersonOut>), (status = 401, body = ErrorBody)))]
#[get("/people")]
pub async fn list(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    q: web::Query<PersonQuery>,
) -> Result<web::Json<Page<PersonOut>>, ApiError> {
    let filter = PersonFilter {
        q: non_empty(&q.q),
        unit_id: q.unit_id,
        active: active_filter(q.active.as_deref()),
    };
    let page = PageRequest::new(q.page, q.per_page);
    let rows = state
        .db(move |c| people::list(c, &filter, page))
        .await
        .api(actor.lang)?;
    Ok(web::Json(rows.map(PersonOut::from)))
}

/// One person.
#[utoipa::path(tag = "people", security(("bearer" = [])),
    responses((status = 200, body = PersonOut), (status = 404, body = ErrorBody)))]
#[get("/people/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<PersonOut>, ApiError> {
    let id = id.into_inner();
    let person = state
        .db(move |c| people::get(c, id))
        .await
        .api(actor.lang)?;
    Ok(web::Json(person.into()))
}

/// Add a person to a unit (administrators, office staff and unit heads covering the unit).
#[utoipa::path(tag = "people", request_body = PersonIn, security(("bearer" = [])),
    responses((status = 201, body = PersonOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/people")]
pub async fn create(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    body: web::Json<PersonIn>,
) -> Result<HttpResponse, ApiError> {
    let lang = actor.lang;
    let patch = body.parse().api(lang)?;
    let now = state.now();
    let person = state
        .db(move |c| people::create(c, &actor, now, patch))
        .await
        .api(lang)?;
    Ok(HttpResponse::Created().json(PersonOut::from(person)))
}

/// Edit, move, deactivate or reactivate a person.
#[utoipa::path(tag = "people", request_body = PersonIn, security(("bearer" = [])),
    responses((status = 200, body = PersonOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/people/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    body: web::Json<PersonIn>,
) -> Result<web::Json<PersonOut>, ApiError> {
    let lang = actor.lang;
    let patch = body.parse().api(lang)?;
    let (id, now) = (id.into_inner(), state.now());
    let person = state
        .db(move |c| people::update(c, &actor, now, id, patch))
        .await
        .api(lang)?;
    Ok(web::Json(person.into()))
}
