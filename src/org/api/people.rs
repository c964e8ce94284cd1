//! `/api/v1/people`.

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{active_filter, Activity, Reply};
use crate::org::model::PersonPatch;
use crate::org::service::people;
use crate::org::store::{Person, PersonFilter};
use crate::pagination::{Page, PageRequest};
use crate::web::json::Json;
use crate::web::{non_blank, utc, Api};

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
    #[param(inline)]
    pub active: Option<Activity>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// A new person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonIn {
    pub unit_id: i64,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub post: Option<String>,
    /// Digits with `+ - ( )`, spaces or 转 (extension), at least 3 digits; empty clears it.
    #[schema(pattern = r"^\s*([0-9+() 转-]{3,32})?\s*$")]
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: Option<bool>,
}

impl From<PersonIn> for PersonPatchIn {
    fn from(p: PersonIn) -> Self {
        PersonPatchIn {
            unit_id: Some(p.unit_id),
            name: Some(p.name),
            post: p.post,
            phone: p.phone,
            email: p.email,
            active: p.active,
        }
    }
}

/// Changes to a person (absent fields stay as they are).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonPatchIn {
    pub unit_id: Option<i64>,
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    pub post: Option<String>,
    /// Digits with `+ - ( )`, spaces or 转 (extension), at least 3 digits; empty clears it.
    #[schema(pattern = r"^\s*([0-9+() 转-]{3,32})?\s*$")]
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: Option<bool>,
}

impl PersonPatchIn {
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
#[utoipa::path(tag = "people", params(PersonQuery), security(("bearer" = [])), responses((status = 200, body = Page<PersonOut>)))]
#[get("/people")]
pub async fn list(api: Api, q: web::Query<PersonQuery>) -> Reply<Page<PersonOut>> {
    let filter = PersonFilter {
        q: non_blank(&q.q),
        unit_id: q.unit_id,
        active: active_filter(q.active),
    };
    let page = PageRequest::asked(q.page, q.per_page);
    api.json(move |c| Ok(people::list(c.conn, c.actor, &filter, page?)?.map(PersonOut::from)))
        .await
}

/// One person.
#[utoipa::path(tag = "people", security(("bearer" = [])), responses((status = 200, body = PersonOut)))]
#[get("/people/{id}")]
pub async fn get(api: Api, id: web::Path<i64>) -> Reply<PersonOut> {
    let id = id.into_inner();
    api.json(move |c| people::get(c.conn, c.actor, id).map(PersonOut::from))
        .await
}

/// Add a person to a unit (administrators, office staff and unit heads covering the unit).
#[utoipa::path(tag = "people", request_body = PersonIn, security(("bearer" = [])), responses((status = 201, body = PersonOut)))]
#[post("/people")]
pub async fn create(api: Api, body: Json<PersonIn>) -> Reply<PersonOut> {
    api.reply(StatusCode::CREATED, move |c| {
        people::create(c.conn, c.actor, c.now, PersonPatchIn::from(body.0).parse()?)
            .map(PersonOut::from)
    })
    .await
}

/// Edit, move, deactivate or reactivate a person.
#[utoipa::path(tag = "people", request_body = PersonPatchIn, security(("bearer" = [])), responses((status = 200, body = PersonOut)))]
#[patch("/people/{id}")]
pub async fn update(api: Api, id: web::Path<i64>, body: Json<PersonPatchIn>) -> Reply<PersonOut> {
    let id = id.into_inner();
    api.json(move |c| {
        people::update(c.conn, c.actor, c.now, id, body.0.parse()?).map(PersonOut::from)
    })
    .await
}
