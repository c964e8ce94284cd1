//! Account pages (administrators) and each account's own API tokens.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::error::ServiceError;
use crate::i18n::{Lang, Text};
use crate::org::model::{
    parse_grants, parse_lang, AccountPatch, Grant, GrantInput, NewAccount, Role,
};
use crate::org::service::accounts;
use crate::org::service::{people, units};
use crate::org::store::AccountFilter;
use crate::pagination::PageRequest;
use crate::web::context::{local_time, Ctx, Pager};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::forms::{activation_text, active_filter, active_param, optional_id};
use crate::web::{render, Page, Refusal};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(new_form)
        .service(create)
        .service(show)
        .service(update)
        .service(set_active);
}

fn grant_label(g: &Grant, names: &[(i64, String)], lang: Lang) -> String {
    let scope = match g.unit_id {
        None => lang.t("scope.district").to_string(),
        Some(id) => names
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| format!("#{id}")),
    };
    format!("{} · {scope}", g.role.label(lang))
}

struct AccountRow {
    id: i64,
    username: String,
    person: String,
    roles: Vec<String>,
    last_login: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "org/accounts.html")]
struct ListPage {
    ctx: Ctx,
    accounts: Vec<AccountRow>,
    q: String,
    active: String,
    pager: Pager,
}

#[derive(Deserialize)]
struct ListQuery {
    q: Option<String>,
    active: Option<String>,
    page: Option<i64>,
}

#[get("/accounts")]
async fn list(page: Page, q: web::Query<ListQuery>) -> Result<HttpResponse, PageError> {
    let (text, active) = (q.q.clone().unwrap_or_default(), active_param(&q.active));
    let filter = AccountFilter {
        q: Some(text.trim().to_string()).filter(|s| !s.is_empty()),
        active: active_filter(Some(&active)),
        units: None,
    };
    let (page_req, tz) = (
        PageRequest::new(q.page, Some(50)),
        page.state().config.timezone,
    );
    page.show(
        move |c| {
            let list = accounts::list(c.conn, c.actor, filter, page_req)?;
            Ok((list, units::names(c.conn, false)?, people::names(c.conn)?))
        },
        |ctx, (list, names, persons)| ListPage {
            pager: Pager::new(&list, &[("q", text.clone()), ("active", active.clone())]),
            accounts: list
                .items
                .into_iter()
                .map(|a| AccountRow {
                    roles: a
                        .roles
                        .iter()
                        .map(|g| grant_label(g, &names, ctx.lang))
                        .collect(),
                    id: a.account.id,
                    person: a
                        .account
                        .person_id
                        .and_then(|p| persons.iter().find(|(i, _)| *i == p))
                        .map(|(_, n)| n.clone())
                        .unwrap_or_default(),
                    last_login: a
                        .account
                        .last_login_at
                        .map(|t| local_time(&t, tz))
                        .unwrap_or_default(),
                    username: a.account.username,
                    active: a.account.active,
                })
                .collect(),
            q: text,
            active,
            ctx,
        },
    )
    .await
}

struct AccountHead {
    id: i64,
    username: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "org/account_form.html")]
struct FormPage {
    ctx: Ctx,
    account: Option<AccountHead>,
    username: String,
    person_id: String,
    language: String,
    /// Current grants as (`role@unit`, label).
    grants: Vec<(String, String)>,
    roles: Vec<(&'static str, &'static str)>,
    units: Vec<(i64, String)>,
    people: Vec<(i64, String)>,
    error: Option<String>,
}

/// The submitted account form (checkbox lists repeat keys, so it is read as pairs).
struct AccountForm {
    username: String,
    password: String,
    person_id: String,
    language: String,
    grants: Vec<(String, Option<i64>)>,
}

impl AccountForm {
    fn read(pairs: &[(String, String)]) -> Result<Self, ServiceError> {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let mut grants = Vec::new();
        for (k, v) in pairs {
            if k == "grant" {
                let (role, unit) = v.split_once('@').unwrap_or((v.as_str(), ""));
                grants.push((role.to_string(), optional_id("unit_id", unit)?));
            }
        }
        let new_role = get("new_role");
        if !new_role.trim().is_empty() {
            grants.push((new_role, optional_id("unit_id", &get("new_unit"))?));
        }
        Ok(AccountForm {
            username: get("username"),
            password: get("password"),
            person_id: get("person_id"),
            language: get("language"),
            grants,
        })
    }

    fn grant_inputs(&self) -> Vec<GrantInput<'_>> {
        self.grants
            .iter()
            .map(|(role, unit_id)| GrantInput {
                role,
                unit_id: *unit_id,
            })
            .collect()
    }
}

/// Shows an account (or the empty form), with what was submitted and the refusal after a failed save.
async fn form_page(
    page: &Page,
    id: Option<i64>,
    submitted: Option<(&AccountForm, Refusal)>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (account, names, persons)) = page
        .run(move |c| {
            Ok((
                id.map(|id| accounts::get(c.conn, c.actor, id))
                    .transpose()?,
                units::names(c.conn, false)?,
                people::names(c.conn)?,
            ))
        })
        .await?;
    let lang = ctx.lang;
    let (form, refusal) = match submitted {
        Some((f, r)) => (Some(f), Some(r)),
        None => (None, None),
    };
    let current: Vec<Grant> = match (form, &account) {
        (Some(f), _) => parse_grants(&f.grant_inputs()).unwrap_or_default(),
        (None, Some(a)) => a.roles.clone(),
        (None, None) => Vec::new(),
    };
    let status = refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    let view = FormPage {
        ctx,
        username: form.map(|f| f.username.clone()).unwrap_or_default(),
        person_id: form
            .map(|f| f.person_id.clone())
            .or_else(|| {
                account
                    .as_ref()
                    .and_then(|a| a.account.person_id)
                    .map(|p| p.to_string())
            })
            .unwrap_or_default(),
        language: form
            .map(|f| f.language.clone())
            .or_else(|| {
                account
                    .as_ref()
                    .map(|a| a.account.language.code().to_string())
            })
            .unwrap_or_else(|| "zh".into()),
        grants: current
            .iter()
            .map(|g| {
                let unit = g.unit_id.map(|u| u.to_string()).unwrap_or_default();
                (
                    format!("{}@{unit}", g.role.code()),
                    grant_label(g, &names, lang),
                )
            })
            .collect(),
        account: account.map(|a| AccountHead {
            id: a.account.id,
            username: a.account.username,
            active: a.account.active,
        }),
        roles: Role::ALL
            .iter()
            .map(|r| (r.code(), r.label(lang)))
            .collect(),
        units: names,
        people: persons,
        error: refusal.map(|r| r.message),
    };
    render(&view, status)
}

#[get("/accounts/new")]
async fn new_form(page: Page) -> Result<HttpResponse, PageError> {
    form_page(&page, None, None).await
}

#[get("/accounts/{id}")]
async fn show(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    form_page(&page, Some(id.into_inner()), None).await
}

#[post("/accounts")]
async fn create(
    page: Page,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let form = AccountForm::read(&pairs).map_err(|e| page_error(&page, e))?;
    let parsed = optional_id("person_id", &form.person_id).and_then(|person| {
        NewAccount::parse(
            &form.username,
            &form.password,
            person,
            Some(&form.language),
            &form.grant_inputs(),
        )
    });
    let saved = page
        .submit(
            move |c| accounts::create(c.conn, Some(c.actor), c.now, parsed?),
            |created| {
                let name = &created.account.username;
                let text = Text::new(
                    format!("已创建账号 {name}"),
                    format!("Account {name} created"),
                );
                (text, format!("/accounts/{}", created.account.id))
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => form_page(&page, None, Some((&form, refusal))).await,
    }
}

#[post("/accounts/{id}")]
async fn update(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let form = AccountForm::read(&pairs).map_err(|e| page_error(&page, e))?;
    let parsed = (|| -> Result<AccountPatch, ServiceError> {
        Ok(AccountPatch {
            person_id: Some(optional_id("person_id", &form.person_id)?),
            language: Some(parse_lang(Some(&form.language))?),
            grants: Some(parse_grants(&form.grant_inputs())?),
            active: None,
            password: Some(form.password.clone()).filter(|p| !p.is_empty()),
        })
    })();
    let saved = page
        .submit(
            move |c| accounts::update(c.conn, c.actor, c.now, id, parsed?),
            move |_| (Text::new("已保存", "Saved"), format!("/accounts/{id}")),
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => form_page(&page, Some(id), Some((&form, refusal))).await,
    }
}

/// A form that cannot be read at all (a tampered select box) is refused as a page.
fn page_error(page: &Page, error: ServiceError) -> PageError {
    PageError {
        error,
        lang: crate::web::auth::request_lang(page.request()),
        next: None,
    }
}

#[derive(Deserialize)]
struct ActiveForm {
    active: bool,
}

#[post("/accounts/{id}/active")]
async fn set_active(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> Result<HttpResponse, PageError> {
    let (id, active) = (id.into_inner(), form.active);
    let patch = AccountPatch {
        active: Some(active),
        ..Default::default()
    };
    let here = format!("/accounts/{id}");
    page.act(
        &here,
        move |c| accounts::update(c.conn, c.actor, c.now, id, patch),
        move |_| {
            let text = if active {
                activation_text(true)
            } else {
                Text::new(
                    "已停用，该账号的登录和 API 令牌已失效",
                    "Deactivated; its sessions and API tokens have ended",
                )
            };
            (text, format!("/accounts/{id}"))
        },
    )
    .await
}
