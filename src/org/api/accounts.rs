//! `/api/v1/accounts` and `/api/v1/me`.

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{active_filter, Activity, Reply};
use crate::i18n::Lang;
use crate::org::model::{parse_grants, parse_lang, AccountPatch, GrantInput, NewAccount, Role};
use crate::org::service::accounts::{self, AccountWithRoles};
use crate::org::store::AccountFilter;
use crate::pagination::{Page, PageRequest};
use crate::web::error::ApiError;
use crate::web::json::Json;
use crate::web::{double_option, non_blank, utc, Api};

/// A role held within a unit (or the whole district when `unit_id` is null).
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleOut {
    pub role: Role,
    pub unit_id: Option<i64>,
}

/// A role to hold within a unit (or the whole district when `unit_id` is null).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleIn {
    #[schema(value_type = Role)]
    pub role: String,
    pub unit_id: Option<i64>,
}

/// An account (never its password).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountOut {
    pub id: i64,
    pub username: String,
    pub person_id: Option<i64>,
    pub language: Lang,
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
                .map(|g| RoleOut {
                    role: g.role,
                    unit_id: g.unit_id,
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
    #[param(inline)]
    pub active: Option<Activity>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountIn {
    /// 3–32 letters, digits, `.`, `_` or `-`, starting with a letter or digit (stored in lower case).
    #[schema(pattern = r"^\s*[A-Za-z0-9][A-Za-z0-9._-]{2,31}\s*$")]
    pub username: String,
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    pub person_id: Option<i64>,
    #[schema(value_type = Option<Lang>)]
    pub language: Option<String>,
    #[serde(default)]
    pub roles: Vec<RoleIn>,
}

/// Changes to an account (absent fields stay as they are; `roles` replaces all roles).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountPatchIn {
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub person_id: Option<Option<i64>>,
    #[schema(value_type = Option<Lang>)]
    pub language: Option<String>,
    pub roles: Option<Vec<RoleIn>>,
    pub active: Option<bool>,
    /// A new password; ends the account's sessions and API tokens.
    #[schema(min_length = 8, max_length = 128)]
    pub password: Option<String>,
}

fn grant_inputs(roles: &[RoleIn]) -> Vec<GrantInput<'_>> {
    roles
        .iter()
        .map(|r| GrantInput {
            role: &r.role,
            unit_id: r.unit_id,
        })
        .collect()
}

/// List accounts (administrators; scoped administrators see their units' accounts).
#[utoipa::path(tag = "accounts", params(AccountQuery), security(("bearer" = [])), responses((status = 200, body = Page<AccountOut>)))]
#[get("/accounts")]
pub async fn list(api: Api, q: web::Query<AccountQuery>) -> Reply<Page<AccountOut>> {
    let filter = AccountFilter {
        q: non_blank(&q.q),
        active: active_filter(q.active),
        units: None,
    };
    let page = PageRequest::asked(q.page, q.per_page);
    api.json(move |c| Ok(accounts::list(c.conn, c.actor, filter, page?)?.map(AccountOut::from)))
        .await
}

/// One account.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), responses((status = 200, body = AccountOut)))]
#[get("/accounts/{id}")]
pub async fn get(api: Api, id: web::Path<i64>) -> Reply<AccountOut> {
    let id = id.into_inner();
    api.json(move |c| accounts::get(c.conn, c.actor, id).map(AccountOut::from))
        .await
}

/// The calling account.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), responses((status = 200, body = AccountOut)))]
#[get("/me")]
pub async fn me(api: Api) -> Reply<AccountOut> {
    api.json(|c| accounts::get(c.conn, c.actor, c.actor.account_id).map(AccountOut::from))
        .await
}

/// Create an account with roles (administrators, within their scope).
#[utoipa::path(tag = "accounts", request_body = AccountIn, security(("bearer" = [])), responses((status = 201, body = AccountOut)))]
#[post("/accounts")]
pub async fn create(api: Api, body: Json<AccountIn>) -> Reply<AccountOut> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        let language = b.language.as_deref();
        let new = NewAccount::parse(
            &b.username,
            &b.password,
            b.person_id,
            language,
            &grant_inputs(&b.roles),
        )?;
        accounts::create(c.conn, Some(c.actor), c.now, new).map(AccountOut::from)
    })
    .await
}

/// Edit roles, person, language or password; deactivate (`"active": false`) to cut its sessions and tokens.
/// A new password set by an administrator also ends the account's API tokens (a reset is what is done to a
/// compromised account).
#[utoipa::path(tag = "accounts", request_body = AccountPatchIn, security(("bearer" = [])), responses((status = 200, body = AccountOut)))]
#[patch("/accounts/{id}")]
pub async fn update(api: Api, id: web::Path<i64>, body: Json<AccountPatchIn>) -> Reply<AccountOut> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let patch = AccountPatch {
            person_id: b.person_id,
            language: b
                .language
                .as_deref()
                .map(|l| parse_lang(Some(l)))
                .transpose()?,
            grants: b
                .roles
                .as_deref()
                .map(|r| parse_grants(&grant_inputs(r)))
                .transpose()?,
            active: b.active,
            password: b.password,
        };
        accounts::update(c.conn, c.actor, c.now, id, patch).map(AccountOut::from)
    })
    .await
}

/// A password change by the account itself.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordIn {
    pub current_password: String,
    #[schema(min_length = 8, max_length = 128)]
    pub new_password: String,
}

/// Change the calling account's own password (its other sessions end; bearer tokens stay valid).
#[utoipa::path(tag = "accounts", request_body = PasswordIn, security(("bearer" = [])), responses((status = 204)))]
#[post("/me/password")]
pub async fn change_password(api: Api, body: Json<PasswordIn>) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    api.run(move |c| {
        accounts::change_own_password(c.conn, c.actor, c.now, &b.current_password, &b.new_password)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
