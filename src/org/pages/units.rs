//! Unit pages: list, view, create, edit, (de)activate.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{act, activation_text, active_param, form_error, optional_id, render, see_other};
use crate::i18n::{Lang, Text};
use crate::org::api::active_filter;
use crate::org::model::{OrgAction, UnitKind, UnitPatch};
use crate::org::service::{may, people, units};
use crate::org::store::{PersonFilter, Unit, UnitFilter};
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

/// A unit as the pages show it.
struct UnitView {
    id: i64,
    name: String,
    kind: String,
    parent_name: String,
    contact_emails: String,
    phone: String,
    active: bool,
}

fn view(u: Unit, names: &[(i64, String)]) -> UnitView {
    let parent_name = u
        .parent_id
        .and_then(|p| names.iter().find(|(i, _)| *i == p))
        .map(|(_, n)| n.clone())
        .unwrap_or_default();
    UnitView {
        id: u.id,
        name: u.name,
        kind: u.kind,
        parent_name,
        contact_emails: u.contact_emails.replace(',', ", "),
        phone: u.phone,
        active: u.active,
    }
}

fn kinds(lang: Lang) -> Vec<(&'static str, &'static str)> {
    UnitKind::ALL
        .iter()
        .map(|k| (k.code(), k.label(lang)))
        .collect()
}

#[derive(Template)]
#[template(path = "org/units.html")]
struct ListPage {
    ctx: Ctx,
    units: Vec<UnitView>,
    kinds: Vec<(&'static str, &'static str)>,
    q: String,
    kind: String,
    active: String,
    can_manage: bool,
    pager: Pager,
}

#[derive(Deserialize)]
struct ListQuery {
    q: Option<String>,
    kind: Option<String>,
    active: Option<String>,
    page: Option<i64>,
}

#[get("/units")]
async fn list(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = actor.lang;
    let (text, kind, active) = (
        q.q.clone().unwrap_or_default(),
        q.kind.clone().unwrap_or_default(),
        active_param(&q.active),
    );
    let filter = UnitFilter {
        q: Some(text.trim().to_string()).filter(|s| !s.is_empty()),
        kind: Some(kind.clone()).filter(|s| !s.is_empty()),
        parent_id: None,
        active: active_filter(Some(&active)),
    };
    let page_req = PageRequest::new(q.page, Some(50));
    let a = actor.clone();
    let (page, names, can_manage) = state
        .db(move |c| {
            Ok((
                units::list(c, &filter, page_req)?,
                units::names(c, false)?,
                a.holds_any(OrgAction::ManageUnits.roles()),
            ))
        })
        .await
        .page(lang)?;
    let pager = Pager::new(
        &page,
        &[
            ("q", text.clone()),
            ("kind", kind.clone()),
            ("active", active.clone()),
        ],
    );
    let page = ListPage {
        ctx: Ctx::new(&req, &session, Some(&actor)),
        units: page.items.into_iter().map(|u| view(u, &names)).collect(),
        kinds: kinds(lang),
        q: text,
        kind,
        active,
        can_manage,
        pager,
    };
    render(&page, StatusCode::OK)
}

/// Submitted unit form (also what the form shows again after an error).
#[derive(Debug, Default, Deserialize)]
struct UnitForm {
    name: String,
    kind: String,
    parent_id: String,
    contact_emails: String,
    phone: String,
}

impl UnitForm {
    fn of(u: &Unit) -> Self {
        UnitForm {
            name: u.name.clone(),
            kind: u.kind.clone(),
            parent_id: u.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            contact_emails: u.contact_emails.replace(',', "\n"),
            phone: u.phone.clone(),
        }
    }

    fn parse(&self) -> Result<UnitPatch, crate::error::ServiceError> {
        let parent = optional_id("parent_id", &self.parent_id)?;
        UnitPatch::parse(
            Some(&self.name),
            Some(&self.kind),
            Some(parent),
            Some(&self.contact_emails),
            Some(&self.phone),
            None,
        )
    }
}

#[derive(Template)]
#[template(path = "org/unit_form.html")]
struct FormPage {
    ctx: Ctx,
    unit: Option<UnitView>,
    form: UnitForm,
    kinds: Vec<(&'static str, &'static str)>,
    parents: Vec<(i64, String)>,
    children: Vec<(i64, String)>,
    people: Vec<(i64, String, String)>,
    can_manage: bool,
    error: Option<String>,
}

/// Loads everything the unit page shows and renders it.
async fn form_page(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    actor: &crate::org::model::Actor,
    id: Option<i64>,
    form: Option<UnitForm>,
    error: Option<(StatusCode, String)>,
) -> Result<HttpResponse, PageError> {
    let lang = actor.lang;
    let a = actor.clone();
    let (unit, names, children, members, can_manage) = state
        .db(move |c| {
            let unit = id.map(|id| units::get(c, id)).transpose()?;
            let names = units::names(c, false)?;
            let all = PageRequest::new(Some(1), Some(PageRequest::MAX_PER_PAGE));
            let (children, members) = match id {
                Some(id) => (
                    units::list(
                        c,
                        &UnitFilter {
                            parent_id: Some(id),
                            active: Some(true),
                            ..Default::default()
                        },
                        all,
                    )?
                    .items,
                    people::list(
                        c,
                        &PersonFilter {
                            unit_id: Some(id),
                            active: Some(true),
                            ..Default::default()
                        },
                        all,
                    )?
                    .items,
                ),
                None => (Vec::new(), Vec::new()),
            };
            let can = match id {
                Some(id) => may(c, &a, OrgAction::ManageUnits, Some(id))?,
                None => a.holds_any(OrgAction::ManageUnits.roles()),
            };
            Ok((unit, names, children, members, can))
        })
        .await
        .page(lang)?;
    let form = form.unwrap_or_else(|| {
        unit.as_ref().map(UnitForm::of).unwrap_or_else(|| UnitForm {
            kind: "department".into(),
            ..Default::default()
        })
    });
    let (status, error) = match error {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = FormPage {
        ctx: Ctx::new(req, session, Some(actor)),
        parents: names
            .iter()
            .filter(|(i, _)| Some(*i) != id)
            .cloned()
            .collect(),
        unit: unit.map(|u| view(u, &names)),
        form,
        kinds: kinds(lang),
        children: children.into_iter().map(|u| (u.id, u.name)).collect(),
        people: members
            .into_iter()
            .map(|p| (p.id, p.name, p.post))
            .collect(),
        can_manage,
        error,
    };
    render(&page, status)
}

#[get("/units/new")]
async fn new_form(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
) -> Result<HttpResponse, PageError> {
    form_page(&req, &session, &state, &actor, None, None, None).await
}

#[get("/units/{id}")]
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

#[post("/units")]
async fn create(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    CsrfForm(form): CsrfForm<UnitForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, a) = (actor.lang, state.now(), actor.clone());
    let result = match form.parse() {
        Ok(patch) => state.db(move |c| units::create(c, &a, now, patch)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(unit) => {
            flash(
                &session,
                true,
                Text::new(
                    format!("已创建单位“{}”", unit.name),
                    format!("Unit “{}” created", unit.name),
                ),
            );
            Ok(see_other(&format!("/units/{}", unit.id)))
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

#[post("/units/{id}")]
async fn update(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<UnitForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, a, id) = (actor.lang, state.now(), actor.clone(), id.into_inner());
    let result = match form.parse() {
        Ok(patch) => {
            state
                .db(move |c| units::update(c, &a, now, id, patch))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            flash(&session, true, Text::new("已保存", "Saved"));
            Ok(see_other(&format!("/units/{id}")))
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

#[post("/units/{id}/active")]
async fn set_active(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, id) = (actor.lang, state.now(), id.into_inner());
    let patch = UnitPatch {
        active: Some(form.active),
        ..Default::default()
    };
    let url = format!("/units/{id}");
    act(
        &session,
        &state,
        lang,
        url.clone(),
        activation_text(form.active),
        move |c| units::update(c, &actor, now, id, patch),
        move |_| url,
    )
    .await
}
