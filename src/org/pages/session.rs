//! Sign-in, sign-out, language switch and the home page.

use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::error::ServiceError;
use crate::i18n::Lang;
use crate::org::service::{accounts, auth, people, units};
use crate::org::store::{PersonFilter, UnitFilter};
use crate::pagination::PageRequest;
use crate::web::auth::start_session;
use crate::web::context::{page_lang, safe_next, set_session_lang, Ctx};
use crate::web::csrf::{CsrfForm, Empty};
use crate::web::error::PageError;
use crate::web::tasks::{Task, Tasks};
use crate::web::{client_address, render, see_other, InLang, Page};

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
async fn login_page(page: Page, q: web::Query<NextQuery>) -> Result<HttpResponse, PageError> {
    let next = safe_next(q.next.as_deref());
    if page.signed_in().await?.is_some() {
        return Ok(see_other(&next));
    }
    let view = LoginPage {
        ctx: page.ctx(None),
        next,
        username: String::new(),
        error: None,
    };
    render(&view, StatusCode::OK)
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

#[post("/login")]
async fn login(page: Page, CsrfForm(form): CsrfForm<LoginForm>) -> Result<HttpResponse, PageError> {
    let (req, session, state) = (page.request(), page.session(), page.state());
    let lang = page_lang(req, session, None);
    let (address, now, throttle) = (client_address(req), state.now(), state.throttle);
    let (username, password) = (form.username.clone(), form.password);
    let result = state
        .db(move |c| auth::sign_in(c, now, &username, &password, &address, &throttle))
        .await;
    match result {
        Ok((actor, version)) => {
            start_session(session, actor.account_id, version).page(lang)?;
            Ok(see_other(&safe_next(form.next.as_deref())))
        }
        Err(e) => {
            let view = LoginPage {
                ctx: page.ctx(None),
                next: safe_next(form.next.as_deref()),
                username: form.username,
                error: Some(e.message(lang)),
            };
            let mut resp = render(&view, crate::web::error::status_of(&e))?;
            if let ServiceError::TooManyAttempts { retry_after_secs } = e {
                if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    resp.headers_mut().insert(RETRY_AFTER, v);
                }
            }
            Ok(resp)
        }
    }
}

#[post("/logout")]
async fn logout(page: Page, _: CsrfForm<Empty>) -> HttpResponse {
    page.session().purge();
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
    page: Page,
    CsrfForm(form): CsrfForm<LanguageForm>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::parse(&form.lang).unwrap_or_default();
    set_session_lang(page.session(), lang);
    if page.signed_in().await?.is_some() {
        page.run(move |c| accounts::set_own_language(c.conn, c.actor, c.now, lang))
            .await?;
    }
    Ok(see_other(&safe_next(form.next.as_deref())))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    tasks: Vec<Task>,
    units: i64,
    people: i64,
    roles: Vec<(&'static str, String)>,
}

/// The home page: what this person should do now, from every area, then the district at a glance.
#[get("/")]
async fn home(page: Page, tasks: web::Data<Tasks>) -> Result<HttpResponse, PageError> {
    page.show(
        move |c| {
            let one = PageRequest::new(Some(1), Some(1));
            let active_units = UnitFilter {
                active: Some(true),
                ..Default::default()
            };
            let active_people = PersonFilter {
                active: Some(true),
                ..Default::default()
            };
            let counts = (
                units::list(c.conn, &active_units, one)?.total,
                people::list(c.conn, c.actor, &active_people, one)?.total,
            );
            let names = units::names(c.conn, false)?;
            let roles: Vec<(&'static str, String)> = c
                .actor
                .grants
                .iter()
                .map(|g| {
                    let scope = match g.unit_id {
                        None => c.actor.lang.t("scope.district").to_string(),
                        Some(id) => names
                            .iter()
                            .find(|(i, _)| *i == id)
                            .map(|(_, n)| n.clone())
                            .unwrap_or_default(),
                    };
                    (g.role.label(c.actor.lang), scope)
                })
                .collect();
            Ok((tasks.collect(c), counts, roles))
        },
        |ctx, (tasks, (units, people), roles)| HomePage {
            ctx,
            tasks,
            units,
            people,
            roles,
        },
    )
    .await
}
