//! Unit pages: list, view, create, edit, (de)activate.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::i18n::{Lang, Text};
use crate::org::model::{OrgAction, UnitKind, UnitPatch};
use crate::org::service::{may, people, units};
use crate::org::store::{PersonFilter, Unit, UnitFilter};
use crate::pagination::PageRequest;
use crate::web::context::{Ctx, Pager};
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

/// A unit as the pages show it.
struct UnitView {
    id: i64,
    name: String,
    kind: &'static str,
    parent_name: String,
    contact_emails: String,
    phone: String,
    active: bool,
}

fn view(u: Unit, names: &[(i64, String)], lang: Lang) -> UnitView {
    let parent_name = u
        .parent_id
        .and_then(|p| names.iter().find(|(i, _)| *i == p))
        .map(|(_, n)| n.clone())
        .unwrap_or_default();
    UnitView {
        id: u.id,
        name: u.name,
        kind: u.kind.label(lang),
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
async fn list(page: Page, q: web::Query<ListQuery>) -> Result<HttpResponse, PageError> {
    let (text, kind, active) = (
        q.q.clone().unwrap_or_default(),
        q.kind.clone().unwrap_or_default(),
        active_param(&q.active),
    );
    let filter = UnitFilter {
        q: Some(text.trim().to_string()).filter(|s| !s.is_empty()),
        kind: UnitKind::parse(&kind).ok(),
        parent_id: None,
        active: active_filter(Some(&active)),
    };
    let page_req = PageRequest::new(q.page, Some(50));
    page.show(
        move |c| {
            let can_manage = c.actor.holds_any(OrgAction::ManageUnits.roles());
            Ok((
                units::list(c.conn, &filter, page_req)?,
                units::names(c.conn, false)?,
                can_manage,
            ))
        },
        |ctx, (list, names, can_manage)| ListPage {
            pager: Pager::new(
                &list,
                &[
                    ("q", text.clone()),
                    ("kind", kind.clone()),
                    ("active", active.clone()),
                ],
            ),
            units: list
                .items
                .into_iter()
                .map(|u| view(u, &names, ctx.lang))
                .collect(),
            kinds: kinds(ctx.lang),
            q: text,
            kind,
            active,
            can_manage,
            ctx,
        },
    )
    .await
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
            kind: u.kind.code().into(),
            parent_id: u.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            contact_emails: u.contact_emails.replace(',', "\n"),
            phone: u.phone.clone(),
        }
    }

    fn parse(&self) -> Result<UnitPatch, crate::error::ServiceError> {
        let parent = optional_id("parent_id", &self.parent_id)?;
        UnitPatch::parse(
            Some(&self.name),
            Some(UnitKind::parse(&self.kind)?),
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
    /// The viewer may choose how the unit hears notices.
    can_notices: bool,
    /// The viewer may read the unit's change history.
    can_audit: bool,
    error: Option<String>,
}

/// Shows a unit (or the empty form) with its sub-units and people, with what was typed and the refusal
/// after a failed save.
async fn form_page(
    page: &Page,
    id: Option<i64>,
    typed: Option<(UnitForm, Refusal)>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (unit, names, children, members, (can_manage, can_notices, can_audit))) = page
        .run(move |c| {
            let unit = id.map(|id| units::get(c.conn, id)).transpose()?;
            let names = units::names(c.conn, false)?;
            let all = PageRequest::new(Some(1), Some(PageRequest::MAX_PER_PAGE));
            let (children, members) = match id {
                Some(id) => {
                    let subunits = UnitFilter {
                        parent_id: Some(id),
                        active: Some(true),
                        ..Default::default()
                    };
                    let staff = PersonFilter {
                        unit_id: Some(id),
                        active: Some(true),
                        ..Default::default()
                    };
                    (
                        units::list(c.conn, &subunits, all)?.items,
                        people::list(c.conn, c.actor, &staff, all)?.items,
                    )
                }
                None => (Vec::new(), Vec::new()),
            };
            let can = match id {
                Some(id) => (
                    may(c.conn, c.actor, OrgAction::ManageUnits, Some(id))?,
                    may(c.conn, c.actor, OrgAction::ManageNotices, Some(id))?,
                    may(c.conn, c.actor, OrgAction::ViewAudit, Some(id))?,
                ),
                None => (
                    c.actor.holds_any(OrgAction::ManageUnits.roles()),
                    false,
                    false,
                ),
            };
            Ok((unit, names, children, members, can))
        })
        .await?;
    let (form, refusal) = match typed {
        Some((form, refusal)) => (form, Some(refusal)),
        None => {
            let form = unit.as_ref().map(UnitForm::of).unwrap_or_else(|| UnitForm {
                kind: UnitKind::Department.code().into(),
                ..Default::default()
            });
            (form, None)
        }
    };
    let status = refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    let lang = ctx.lang;
    let view = FormPage {
        ctx,
        parents: names
            .iter()
            .filter(|(i, _)| Some(*i) != id)
            .cloned()
            .collect(),
        unit: unit.map(|u| view(u, &names, lang)),
        form,
        kinds: kinds(lang),
        children: children.into_iter().map(|u| (u.id, u.name)).collect(),
        people: members
            .into_iter()
            .map(|p| (p.id, p.name, p.post))
            .collect(),
        can_manage,
        can_notices,
        can_audit,
        error: refusal.map(|r| r.message),
    };
    render(&view, status)
}

#[get("/units/new")]
async fn new_form(page: Page) -> Result<HttpResponse, PageError> {
    form_page(&page, None, None).await
}

#[get("/units/{id}")]
async fn show(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    form_page(&page, Some(id.into_inner()), None).await
}

#[post("/units")]
async fn create(page: Page, CsrfForm(form): CsrfForm<UnitForm>) -> Result<HttpResponse, PageError> {
    let patch = form.parse();
    let saved = page
        .submit(
            move |c| units::create(c.conn, c.actor, c.now, patch?),
            |u| {
                let text = Text::new(
                    format!("已创建单位“{}”", u.name),
                    format!("Unit “{}” created", u.name),
                );
                (text, format!("/units/{}", u.id))
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => form_page(&page, None, Some((form, refusal))).await,
    }
}

#[post("/units/{id}")]
async fn update(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<UnitForm>,
) -> Result<HttpResponse, PageError> {
    let (id, patch) = (id.into_inner(), form.parse());
    let saved = page
        .submit(
            move |c| units::update(c.conn, c.actor, c.now, id, patch?),
            move |_| (Text::new("已保存", "Saved"), format!("/units/{id}")),
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => form_page(&page, Some(id), Some((form, refusal))).await,
    }
}

#[derive(Deserialize)]
struct ActiveForm {
    active: bool,
}

#[post("/units/{id}/active")]
async fn set_active(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> Result<HttpResponse, PageError> {
    let (id, active) = (id.into_inner(), form.active);
    let patch = UnitPatch {
        active: Some(active),
        ..Default::default()
    };
    let here = format!("/units/{id}");
    page.act(
        &here,
        move |c| units::update(c.conn, c.actor, c.now, id, patch),
        move |_| (activation_text(active), format!("/units/{id}")),
    )
    .await
}
