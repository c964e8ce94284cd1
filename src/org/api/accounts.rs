//! `/api/v1/accounts` and `/api/v1/me`.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{active_filter, non_empty};
use crate::org::model::{parse_grants, parse_lang, AccountPatch, GrantInput, NewAccount};
use crate::org::service::accounts::{self, AccountWithRoles, GrantView};
use crate::org::store::AccountFilter;
use crate::pagination::{Page, PageRequest};
use crate::web::auth::ApiActor;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{double_option, utc, AppState, InLang};

/// A role held within a unit (or the whole district when `unit_id` is null).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoleOut {
    /// administrator, office_staff, unit_head, warehouse_keeper, duty_leader, duty_officer, drill_coordinator or viewer.
    pub role: String,
    pub unit_id: Option<i64>,
}

/// An account (never its password).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountOut {
    pub id: i64,
    pub username: String,
    pub person_id: Option<i64>,
    /// zh or en.
    pub language: String,
    pub active: bool,
    pub roles: Vec<RoleOut>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<AccountWithRoles> for AccountOut {
    fn from(v: AccountWithRoles) -> Self {
        let a = v.account;
        AccountOut {
            id: a.id,
            username: a.username,
            person_id: a.person_id,
            language: a.language,
            active: a.active,
            roles: v
                .roles
                .into_iter()
                .map(|GrantView { role, unit_id }| RoleOut {
                    role: role.into(),
                    unit_id,
                })
                .collect(),
            last_login_at: a.last_login_at.map(utc),
            created_at: utc(a.created_at),
            updated_at: utc(a.updated_at),
        }
    }
}

/// Account list filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AccountQuery {
    /// Username contains.
    pub q: Option<String>,
    /// `true` (default), `false` or `all`.
    pub active: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountIn {
    pub username: String,
    pub password: String,
    pub person_id: Option<i64>,
    pub language: Option<String>,
    #[serde(default)]
    pub roles: Vec<RoleOut>,
}

/// Changes to an account (absent fields stay as they are; `roles` replaces all roles).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountPatchIn {
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub person_id: Option<Option<i64>>,
    pub language: Option<String>,
    pub roles: Option<Vec<RoleOut>>,
    pub active: Option<bool>,
    /// A new password; ends the account's sessions.
    pub password: Option<String>,
}

fn grant_inputs(roles: &[RoleOut]) -> Vec<GrantInput<'_>> {
    roles
        .iter()
        .map(|r| GrantInput {
            role: &r.role,
            unit_id: r.unit_id,
        })
        .collect()
}

/// List accounts (administrators; scoped administrators see their units' accounts).
#[utoipa::path(tag = "accounts", params(AccountQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<AccountOut>), (status = 403, body = ErrorBody)))]
#[get("/accounts")]
pub async fn list(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    q: web::Query<AccountQuery>,
) -> Result<web::Json<Page<AccountOut>>, ApiError> {
    let lang = actor.lang;
    let filter = AccountFilter {
        q: non_empty(&q.q),
        active: active_filter(q.active.as_deref()),
        units: None,
    };
    let page = PageRequest::new(q.page, q.per_page);
    let rows = state
        .db(move |c| accounts::list(c, &actor, filter, page))
        .await
        .api(lang)?;
    Ok(web::Json(rows.map(AccountOut::from)))
}

/// One account.
#[utoipa::path(tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = AccountOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/accounts/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
) -> Result<web::Json<AccountOut>, ApiError> {
    let (lang, id) = (actor.lang, id.into_inner());
    let account = state
        .db(move |c| accounts::get(c, &actor, id))
        .await
        .api(lang)?;
    Ok(web::Json(account.into()))
}

/// The calling account.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), responses((status = 200, body = AccountOut), (status = 401, body = ErrorBody)))]
#[get("/me")]
pub async fn me(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<web::Json<AccountOut>, ApiError> {
    let (lang, id) = (actor.lang, actor.account_id);
    let account = state
        .db(move |c| accounts::get(c, &actor, id))
        .await
        .api(lang)?;
    Ok(web::Json(account.into()))
}

/// Create an account with roles (administrators, within their scope).
#[utoipa::path(tag = "accounts", request_body = AccountIn, security(("bearer" = [])),
    responses((status = 201, body = AccountOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/accounts")]
pub async fn create(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    body: web::Json<AccountIn>,
) -> Result<HttpResponse, ApiError> {
    let lang = actor.lang;
    let new = NewAccount::parse(
        &body.username,
        &body.password,
        body.person_id,
        body.language.as_deref(),
        &grant_inputs(&body.roles),
    )
    .api(lang)?;
    let now = state.now();
    let account = state
        .db(move |c| accounts::create(c, Some(&actor), now, new))
        .await
        .api(lang)?;
    Ok(HttpResponse::Created().json(AccountOut::from(account)))
}

/// Edit roles, person, language or password; deactivate (`"active": false`) to cut its sessions and tokens.
#[utoipa::path(tag = "accounts", request_body = AccountPatchIn, security(("bearer" = [])),
    responses((status = 200, body = AccountOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/accounts/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    id: web::Path<i64>,
    body: web::Json<AccountPatchIn>,
) -> Result<web::Json<AccountOut>, ApiError> {
    let lang = actor.lang;
    let body = body.into_inner();
    let patch = AccountPatch {
        person_id: body.person_id,
        language: body
            .language
            .as_deref()
            .map(|l| parse_lang(Some(l)))
            .transpose()
            .api(lang)?,
        grants: body
            .roles
            .as_deref()
            .map(|r| parse_grants(&grant_inputs(r)))
            .transpose()
            .api(lang)?,
        active: body.active,
        password: body.password,
    };
    let (id, now) = (id.into_inner(), state.now());
    let account = state
        .db(move |c| accounts::update(c, &actor, now, id, patch))
        .await
        .api(lang)?;
    Ok(web::Json(account.into()))
}

/// A password change by the account itself.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordIn {
    pub current_password: String,
    pub new_password: String,
}

/// Change the calling account's own password (its other sessions end; bearer tokens stay valid).
#[utoipa::path(tag = "accounts", request_body = PasswordIn, security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    ApiActor(actor): ApiActor,
    body: web::Json<PasswordIn>,
) -> Result<HttpResponse, ApiError> {
    let (lang, now) = (actor.lang, state.now());
    let b = body.into_inner();
    state
        .db(move |c| {
            accounts::change_own_password(c, &actor, now, &b.current_password, &b.new_password)
        })
        .await
        .api(lang)?;
    Ok(HttpResponse::NoContent().finish())
}
