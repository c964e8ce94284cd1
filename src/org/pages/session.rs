//! Sign-in, sign-out, language switch and the home page.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{render, see_other};
use crate::i18n::Lang;
use crate::org::service::{auth, people, units};
use crate::org::store::{PersonFilter, UnitFilter};
use crate::pagination::PageRequest;
use crate::web::auth::{start_session, MaybeActor, PageActor};
use crate::web::context::{page_lang, safe_next, set_session_lang, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{client_address, AppState, InLang};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(home)
        .service(login_page)
        .service(login)
        .service(logout)
        .service(language);
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: Ctx,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

#[get("/login")]
async fn login_page(
    req: HttpRequest,
    session: Session,
    MaybeActor(actor): MaybeActor,
    q: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let next = safe_next(q.next.as_deref());
    if actor.is_some() {
        return Ok(see_other(&next));
    }
    let page = LoginPage {
        ctx: Ctx::new(&req, &session, None),
        next,
        username: String::new(),
        error: None,
    };
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

#[post("/login")]
async fn login(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, PageError> {
    let lang = page_lang(&req, &session, None);
    let address = client_address(&req);
    let (now, throttle) = (state.now(), state.throttle);
    let (username, password) = (form.username.clone(), form.password);
    let result =
        state.db(move |c| auth::sign_in(c, now, &username, &password, &address, &throttle));
    match result.await {
        Ok((actor, version)) => {
            start_session(&session, actor.account_id, version).page(lang)?;
            Ok(see_other(&safe_next(form.next.as_deref())))
        }
        Err(e) => {
            let status = crate::web::error::status_of(&e);
            let page = LoginPage {
                ctx: Ctx::new(&req, &session, None),
                next: safe_next(form.next.as_deref()),
                username: form.username,
                error: Some(e.message(lang)),
            };
            render(&page, status)
        }
    }
}

#[derive(Deserialize)]
struct Empty {}

#[post("/logout")]
async fn logout(session: Session, CsrfForm(_): CsrfForm<Empty>) -> HttpResponse {
    session.purge();
    see_other("/login")
}

#[derive(Deserialize)]
struct LanguageForm {
    lang: String,
    next: Option<String>,
}

/// Switches the language: stored on the account when signed in, in the session otherwise.
#[post("/language")]
async fn language(
    session: Session,
    state: web::Data<AppState>,
    MaybeActor(actor): MaybeActor,
    CsrfForm(form): CsrfForm<LanguageForm>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::parse(&form.lang).unwrap_or_default();
    set_session_lang(&session, lang);
    if let Some(actor) = actor {
        let now = state.now();
        state
            .db(move |c| crate::org::service::accounts::set_own_language(c, &actor, now, lang))
            .await
            .page(lang)?;
    }
    Ok(see_other(&safe_next(form.next.as_deref())))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    units: i64,
    people: i64,
    roles: Vec<(&'static str, String)>,
}

#[get("/")]
async fn home(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
) -> Result<HttpResponse, PageError> {
    let lang = actor.lang;
    let grants = actor.grants.clone();
    let (unit_count, people_count, names) = state
        .db(move |c| {
            let one = PageRequest::new(Some(1), Some(1));
            let u = units::list(
                c,
                &UnitFilter {
                    active: Some(true),
                    ..Default::default()
                },
                one,
            )?
            .total;
            let p = people::list(
                c,
                &PersonFilter {
                    active: Some(true),
                    ..Default::default()
                },
                one,
            )?
            .total;
            Ok((u, p, units::names(c, false)?))
        })
        .await
        .page(lang)?;
    let roles = grants
        .iter()
        .map(|g| {
            let scope = match g.unit_id {
                None => lang.t("scope.district").to_string(),
                Some(id) => names
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
            };
            (g.role.label(lang), scope)
        })
        .collect();
    let page = HomePage {
        ctx: Ctx::new(&req, &session, Some(&actor)),
        units: unit_count,
        people: people_count,
        roles,
    };
    render(&page, StatusCode::OK)
}
