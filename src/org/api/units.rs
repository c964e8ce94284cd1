//! `/api/v1/units`.

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{active_filter, Activity, Reply};
use crate::org::model::{UnitKind, UnitPatch};
use crate::org::service::units;
use crate::org::store::{Unit, UnitFilter};
use crate::pagination::{Page, PageRequest};
use crate::web::json::Json;
use crate::web::{double_option, non_blank, utc, Api};

/// A unit of the district.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitOut {
    pub id: i64,
    pub name: String,
    pub kind: UnitKind,
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
    pub kind: Option<UnitKind>,
    /// Direct children of this unit.
    pub parent_id: Option<i64>,
    /// `true` (default), `false` or `all`.
    #[param(inline)]
    pub active: Option<Activity>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// A new unit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitIn {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[schema(value_type = UnitKind)]
    pub kind: String,
    /// The parent unit; absent or `null` for a top-level unit.
    pub parent_id: Option<i64>,
    /// The unit's contact addresses.
    pub contact_emails: Option<Vec<String>>,
    /// Digits with `+ - ( )`, spaces or 转 (extension), at least 3 digits; empty clears it.
    #[schema(pattern = r"^\s*([0-9+() 转-]{3,32})?\s*$")]
    pub phone: Option<String>,
    pub active: Option<bool>,
}

impl From<UnitIn> for UnitPatchIn {
    fn from(u: UnitIn) -> Self {
        UnitPatchIn {
            name: Some(u.name),
            kind: Some(u.kind),
            parent_id: Some(u.parent_id),
            contact_emails: u.contact_emails,
            phone: u.phone,
            active: u.active,
        }
    }
}

/// Changes to a unit (absent fields stay as they are).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitPatchIn {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[schema(value_type = Option<UnitKind>)]
    pub kind: Option<String>,
    /// The parent unit; `null` makes it a top-level unit.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    /// The unit's contact addresses (replacing the ones it has).
    pub contact_emails: Option<Vec<String>>,
    /// Digits with `+ - ( )`, spaces or 转 (extension), at least 3 digits; empty clears it.
    #[schema(pattern = r"^\s*([0-9+() 转-]{3,32})?\s*$")]
    pub phone: Option<String>,
    pub active: Option<bool>,
}

impl UnitPatchIn {
    fn parse(&self) -> Result<UnitPatch, crate::error::ServiceError> {
        let emails = self.contact_emails.as_ref().map(|v| v.join(","));
        UnitPatch::parse(
            self.name.as_deref(),
            self.kind.as_deref().map(UnitKind::parse).transpose()?,
            self.parent_id,
            emails.as_deref(),
            self.phone.as_deref(),
            self.active,
        )
    }
}

/// List units.
#[utoipa::path(tag = "units", params(UnitQuery), security(("bearer" = [])), responses((status = 200, body = Page<UnitOut>)))]
#[get("/units")]
pub async fn list(api: Api, q: web::Query<UnitQuery>) -> Reply<Page<UnitOut>> {
    let filter = UnitFilter {
        q: non_blank(&q.q),
        kind: q.kind,
        parent_id: q.parent_id,
        active: active_filter(q.active),
    };
    let page = PageRequest::asked(q.page, q.per_page);
    api.json(move |c| Ok(units::list(c.conn, &filter, page?)?.map(UnitOut::from)))
        .await
}

/// One unit.
#[utoipa::path(tag = "units", security(("bearer" = [])), responses((status = 200, body = UnitOut)))]
#[get("/units/{id}")]
pub async fn get(api: Api, id: web::Path<i64>) -> Reply<UnitOut> {
    let id = id.into_inner();
    api.json(move |c| units::get(c.conn, id).map(UnitOut::from))
        .await
}

/// Create a unit (administrators and office staff covering the parent; a top-level unit needs a district-wide role).
#[utoipa::path(tag = "units", request_body = UnitIn, security(("bearer" = [])), responses((status = 201, body = UnitOut)))]
#[post("/units")]
pub async fn create(api: Api, body: Json<UnitIn>) -> Reply<UnitOut> {
    api.reply(StatusCode::CREATED, move |c| {
        units::create(c.conn, c.actor, c.now, UnitPatchIn::from(body.0).parse()?).map(UnitOut::from)
    })
    .await
}

/// Edit, move, deactivate (`"active": false`) or reactivate a unit.
#[utoipa::path(tag = "units", request_body = UnitPatchIn, security(("bearer" = [])), responses((status = 200, body = UnitOut)))]
#[patch("/units/{id}")]
pub async fn update(api: Api, id: web::Path<i64>, body: Json<UnitPatchIn>) -> Reply<UnitOut> {
    let id = id.into_inner();
    api.json(move |c| units::update(c.conn, c.actor, c.now, id, body.0.parse()?).map(UnitOut::from))
        .await
}
