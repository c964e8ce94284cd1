//! Account pages (administrators) and each account's own API tokens.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{act, activation_text, active_param, form_error, optional_id, render, see_other};
use crate::error::ServiceError;
use crate::i18n::{Lang, Text};
use crate::org::api::active_filter;
use crate::org::model::{
    parse_grants, parse_lang, AccountPatch, Actor, Grant, GrantInput, NewAccount, Role,
};
use crate::org::service::accounts::{self, AccountWithRoles};
use crate::org::service::{people, units};
use crate::org::store::AccountFilter;
use crate::pagination::PageRequest;
use crate::web::auth::PageActor;
use crate::web::context::{flash, local_time, Ctx, Pager};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{AppState, InLang};

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

fn grants_of(a: &AccountWithRoles) -> Vec<Grant> {
    a.roles
        .iter()
        .filter_map(|r| {
            Role::parse(r.role).ok().map(|role| Grant {
                role,
                unit_id: r.unit_id,
            })
        })
        .collect()
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
async fn list(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = actor.lang;
    let (text, active) = (q.q.clone().unwrap_or_default(), active_param(&q.active));
    let filter = AccountFilter {
        q: Some(text.trim().to_string()).filter(|s| !s.is_empty()),
        active: active_filter(Some(&active)),
        units: None,
    };
    let page_req = PageRequest::new(q.page, Some(50));
    let a = actor.clone();
    let (page, names, persons) = state
        .db(move |c| {
            Ok((
                accounts::list(c, &a, filter, page_req)?,
                units::names(c, false)?,
                people::names(c)?,
            ))
        })
        .await
        .page(lang)?;
    let tz = state.config.timezone;
    let pager = Pager::new(&page, &[("q", text.clone()), ("active", active.clone())]);
    let rows = page
        .items
        .into_iter()
        .map(|a| AccountRow {
            roles: grants_of(&a)
                .iter()
                .map(|g| grant_label(g, &names, lang))
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
        .collect();
    let page = ListPage {
        ctx: Ctx::new(&req, &session, Some(&actor)),
        accounts: rows,
        q: text,
        active,
        pager,
    };
    render(&page, StatusCode::OK)
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

async fn form_page(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    actor: &Actor,
    id: Option<i64>,
    submitted: Option<&AccountForm>,
    error: Option<(StatusCode, String)>,
) -> Result<HttpResponse, PageError> {
    let lang = actor.lang;
    let a = actor.clone();
    let (account, names, persons) = state
        .db(move |c| {
            Ok((
                id.map(|id| accounts::get(c, &a, id)).transpose()?,
                units::names(c, false)?,
                people::names(c)?,
            ))
        })
        .await
        .page(lang)?;
    let current: Vec<Grant> = match (submitted, &account) {
        (Some(f), _) => parse_grants(&f.grant_inputs()).unwrap_or_default(),
        (None, Some(a)) => grants_of(a),
        (None, None) => Vec::new(),
    };
    let (status, error) = error.map_or((StatusCode::OK, None), |(s, e)| (s, Some(e)));
    let page = FormPage {
        ctx: Ctx::new(req, session, Some(actor)),
        username: submitted.map(|f| f.username.clone()).unwrap_or_default(),
        person_id: submitted
            .map(|f| f.person_id.clone())
            .or_else(|| {
                account
                    .as_ref()
                    .and_then(|a| a.account.person_id)
                    .map(|p| p.to_string())
            })
            .unwrap_or_default(),
        language: submitted
            .map(|f| f.language.clone())
            .or_else(|| account.as_ref().map(|a| a.account.language.clone()))
            .unwrap_or_else(|| "zh".into()),
        grants: current
            .iter()
            .map(|g| {
                (
                    format!(
                        "{}@{}",
                        g.role.code(),
                        g.unit_id.map(|u| u.to_string()).unwrap_or_default()
                    ),
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
        error,
    };
    render(&page, status)
}

#[get("/accounts/new")]
async fn new_form(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
) -> Result<HttpResponse, PageError> {
    form_page(&req, &session, &state, &actor, None, None, None).await
}

#[get("/accounts/{id}")]
async fn show(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    form_page(
        &req,
        &session,
        &state,
        &actor,
        Some(id.into_inner()),
        None,
        None,
    )
    .await
}

#[post("/accounts")]
async fn create(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, a) = (actor.lang, state.now(), actor.clone());
    let form = AccountForm::read(&pairs).page(lang)?;
    let parsed = optional_id("person_id", &form.person_id).and_then(|person| {
        NewAccount::parse(
            &form.username,
            &form.password,
            person,
            Some(&form.language),
            &form.grant_inputs(),
        )
    });
    let result = match parsed {
        Ok(new) => {
            state
                .db(move |c| accounts::create(c, Some(&a), now, new))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(created) => {
            let name = created.account.username;
            flash(
                &session,
                true,
                Text::new(
                    format!("已创建账号 {name}"),
                    format!("Account {name} created"),
                ),
            );
            Ok(see_other(&format!("/accounts/{}", created.account.id)))
        }
        Err(e) => {
            let shown = form_error(e, lang)?;
            form_page(
                &req,
                &session,
                &state,
                &actor,
                None,
                Some(&form),
                Some(shown),
            )
            .await
        }
    }
}

#[post("/accounts/{id}")]
async fn update(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, a, id) = (actor.lang, state.now(), actor.clone(), id.into_inner());
    let form = AccountForm::read(&pairs).page(lang)?;
    let parsed = (|| {
        Ok(AccountPatch {
            person_id: Some(optional_id("person_id", &form.person_id)?),
            language: Some(parse_lang(Some(&form.language))?),
            grants: Some(parse_grants(&form.grant_inputs())?),
            active: None,
            password: Some(form.password.clone()).filter(|p| !p.is_empty()),
        })
    })();
    let result = match parsed {
        Ok(patch) => {
            state
                .db(move |c| accounts::update(c, &a, now, id, patch))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            flash(&session, true, Text::new("已保存", "Saved"));
            Ok(see_other(&format!("/accounts/{id}")))
        }
        Err(e) => {
            let shown = form_error(e, lang)?;
            form_page(
                &req,
                &session,
                &state,
                &actor,
                Some(id),
                Some(&form),
                Some(shown),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct ActiveForm {
    active: bool,
}

#[post("/accounts/{id}/active")]
async fn set_active(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, id) = (actor.lang, state.now(), id.into_inner());
    let patch = AccountPatch {
        active: Some(form.active),
        ..Default::default()
    };
    let url = format!("/accounts/{id}");
    act(
        &session,
        &state,
        lang,
        url.clone(),
        if form.active {
            activation_text(true)
        } else {
            Text::new(
                "已停用，该账号的登录已失效",
                "Deactivated; its sessions have ended",
            )
        },
        move |c| accounts::update(c, &actor, now, id, patch),
        move |_| url,
    )
    .await
}
