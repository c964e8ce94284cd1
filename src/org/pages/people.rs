//! People pages: the staff directory with create, edit and (de)activate.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{act, activation_text, active_param, form_error, optional_id, render, see_other};
use crate::i18n::Text;
use crate::org::api::active_filter;
use crate::org::model::{Actor, OrgAction, PersonPatch};
use crate::org::service::{may, people, units};
use crate::org::store::{Person, PersonFilter};
use crate::pagination::PageRequest;
use crate::web::auth::PageActor;
use crate::web::context::{flash, Ctx, Pager};
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

/// A person as the pages show them.
struct PersonView {
    id: i64,
    name: String,
    unit_name: String,
    post: String,
    phone: String,
    email: String,
    active: bool,
}

fn view(p: Person, names: &[(i64, String)]) -> PersonView {
    let unit_name = names
        .iter()
        .find(|(i, _)| *i == p.unit_id)
        .map(|(_, n)| n.clone())
        .unwrap_or_default();
    PersonView {
        id: p.id,
        name: p.name,
        unit_name,
        post: p.post,
        phone: p.phone,
        email: p.email,
        active: p.active,
    }
}

#[derive(Template)]
#[template(path = "org/people.html")]
struct ListPage {
    ctx: Ctx,
    people: Vec<PersonView>,
    units: Vec<(i64, String)>,
    q: String,
    unit_id: String,
    active: String,
    can_manage: bool,
    pager: Pager,
}

#[derive(Deserialize)]
struct ListQuery {
    q: Option<String>,
    unit_id: Option<String>,
    active: Option<String>,
    page: Option<i64>,
}

#[get("/people")]
async fn list(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = actor.lang;
    let (text, unit_id, active) = (
        q.q.clone().unwrap_or_default(),
        q.unit_id.clone().unwrap_or_default(),
        active_param(&q.active),
    );
    let filter = PersonFilter {
        q: Some(text.trim().to_string()).filter(|s| !s.is_empty()),
        unit_id: optional_id("unit_id", &unit_id).page(lang)?,
        active: active_filter(Some(&active)),
    };
    let page_req = PageRequest::new(q.page, Some(50));
    let (page, names) = state
        .db(move |c| Ok((people::list(c, &filter, page_req)?, units::names(c, false)?)))
        .await
        .page(lang)?;
    let pager = Pager::new(
        &page,
        &[
            ("q", text.clone()),
            ("unit_id", unit_id.clone()),
            ("active", active.clone()),
        ],
    );
    let page = ListPage {
        ctx: Ctx::new(&req, &session, Some(&actor)),
        people: page.items.into_iter().map(|p| view(p, &names)).collect(),
        units: names,
        q: text,
        unit_id,
        active,
        can_manage: actor.holds_any(OrgAction::ManagePeople.roles()),
        pager,
    };
    render(&page, StatusCode::OK)
}

/// Submitted person form.
#[derive(Debug, Default, Deserialize)]
struct PersonForm {
    name: String,
    unit_id: String,
    post: String,
    phone: String,
    email: String,
}

impl PersonForm {
    fn of(p: &Person) -> Self {
        PersonForm {
            name: p.name.clone(),
            unit_id: p.unit_id.to_string(),
            post: p.post.clone(),
            phone: p.phone.clone(),
            email: p.email.clone(),
        }
    }

    fn parse(&self) -> Result<PersonPatch, crate::error::ServiceError> {
        let unit = optional_id("unit_id", &self.unit_id)?.ok_or_else(|| {
            crate::error::ServiceError::invalid(
                "unit_id",
                "请选择所属单位",
                "Choose the person's unit",
            )
        })?;
        PersonPatch::parse(
            Some(unit),
            Some(&self.name),
            Some(&self.post),
            Some(&self.phone),
            Some(&self.email),
            None,
        )
    }
}

#[derive(Template)]
#[template(path = "org/person_form.html")]
struct FormPage {
    ctx: Ctx,
    person: Option<PersonView>,
    form: PersonForm,
    units: Vec<(i64, String)>,
    can_manage: bool,
    error: Option<String>,
}

async fn form_page(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    actor: &Actor,
    id: Option<i64>,
    form: Option<PersonForm>,
    error: Option<(StatusCode, String)>,
) -> Result<HttpResponse, PageError> {
    let lang = actor.lang;
    let a = actor.clone();
    let (person, names, active_units, can_manage) = state
        .db(move |c| {
            let person = id.map(|id| people::get(c, id)).transpose()?;
            let can = match &person {
                Some(p) => may(c, &a, OrgAction::ManagePeople, Some(p.unit_id))?,
                None => a.holds_any(OrgAction::ManagePeople.roles()),
            };
            Ok((person, units::names(c, false)?, units::names(c, true)?, can))
        })
        .await
        .page(lang)?;
    let form = form.unwrap_or_else(|| {
        person
            .as_ref()
            .map(PersonForm::of)
            .unwrap_or_else(|| PersonForm {
                unit_id: req
                    .query_string()
                    .strip_prefix("unit_id=")
                    .unwrap_or_default()
                    .to_string(),
                ..Default::default()
            })
    });
    let (status, error) = error.map_or((StatusCode::OK, None), |(s, e)| (s, Some(e)));
    let page = FormPage {
        ctx: Ctx::new(req, session, Some(actor)),
        person: person.map(|p| view(p, &names)),
        form,
        units: active_units,
        can_manage,
        error,
    };
    render(&page, status)
}

#[get("/people/new")]
async fn new_form(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
) -> Result<HttpResponse, PageError> {
    form_page(&req, &session, &state, &actor, None, None, None).await
}

#[get("/people/{id}")]
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

#[post("/people")]
async fn create(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    CsrfForm(form): CsrfForm<PersonForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, a) = (actor.lang, state.now(), actor.clone());
    let result = match form.parse() {
        Ok(patch) => state.db(move |c| people::create(c, &a, now, patch)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => {
            flash(
                &session,
                true,
                Text::new(
                    format!("已添加人员“{}”", p.name),
                    format!("{} added", p.name),
                ),
            );
            Ok(see_other(&format!("/people/{}", p.id)))
        }
        Err(e) => {
            let shown = form_error(e, lang)?;
            form_page(
                &req,
                &session,
                &state,
                &actor,
                None,
                Some(form),
                Some(shown),
            )
            .await
        }
    }
}

#[post("/people/{id}")]
async fn update(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<PersonForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, a, id) = (actor.lang, state.now(), actor.clone(), id.into_inner());
    let result = match form.parse() {
        Ok(patch) => {
            state
                .db(move |c| people::update(c, &a, now, id, patch))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            flash(&session, true, Text::new("已保存", "Saved"));
            Ok(see_other(&format!("/people/{id}")))
        }
        Err(e) => {
            let shown = form_error(e, lang)?;
            form_page(
                &req,
                &session,
                &state,
                &actor,
                Some(id),
                Some(form),
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

#[post("/people/{id}/active")]
async fn set_active(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, id) = (actor.lang, state.now(), id.into_inner());
    let patch = PersonPatch {
        active: Some(form.active),
        ..Default::default()
    };
    let url = format!("/people/{id}");
    act(
        &session,
        &state,
        lang,
        url.clone(),
        activation_text(form.active),
        move |c| people::update(c, &actor, now, id, patch),
        move |_| url,
    )
    .await
}
