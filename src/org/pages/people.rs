//! People pages: the staff directory with create, edit and (de)activate.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::i18n::Text;
use crate::org::model::{OrgAction, PersonPatch};
use crate::org::service::{may, people, units};
use crate::org::store::{Person, PersonFilter};
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
async fn list(page: Page, q: web::Query<ListQuery>) -> Result<HttpResponse, PageError> {
    let (text, unit_id, active) = (
        q.q.clone().unwrap_or_default(),
        q.unit_id.clone().unwrap_or_default(),
        active_param(&q.active),
    );
    let filter_unit = unit_id.clone();
    let filter_active = active.clone();
    let filter_text = text.clone();
    let page_req = PageRequest::new(q.page, Some(50));
    page.show(
        move |c| {
            let filter = PersonFilter {
                q: Some(filter_text.trim().to_string()).filter(|s| !s.is_empty()),
                unit_id: optional_id("unit_id", &filter_unit)?,
                active: active_filter(Some(&filter_active)),
            };
            let list = people::list(c.conn, c.actor, &filter, page_req)?;
            let can_manage = c.actor.holds_any(OrgAction::ManagePeople.roles());
            Ok((list, units::names(c.conn, false)?, can_manage))
        },
        |ctx, (list, names, can_manage)| ListPage {
            ctx,
            pager: Pager::new(
                &list,
                &[
                    ("q", text.clone()),
                    ("unit_id", unit_id.clone()),
                    ("active", active.clone()),
                ],
            ),
            people: list.items.into_iter().map(|p| view(p, &names)).collect(),
            units: names,
            q: text,
            unit_id,
            active,
            can_manage,
        },
    )
    .await
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

/// Shows a person (or the empty form), with what was typed and the refusal after a failed save.
async fn form_page(
    page: &Page,
    id: Option<i64>,
    typed: Option<(PersonForm, Refusal)>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (person, names, active_units, can_manage)) = page
        .run(move |c| {
            let person = id.map(|id| people::get(c.conn, c.actor, id)).transpose()?;
            let can = match &person {
                Some(p) => may(c.conn, c.actor, OrgAction::ManagePeople, Some(p.unit_id))?,
                None => c.actor.holds_any(OrgAction::ManagePeople.roles()),
            };
            Ok((
                person,
                units::names(c.conn, false)?,
                units::names(c.conn, true)?,
                can,
            ))
        })
        .await?;
    let (form, refusal) = match typed {
        Some((form, refusal)) => (form, Some(refusal)),
        None => {
            let form = person
                .as_ref()
                .map(PersonForm::of)
                .unwrap_or_else(|| PersonForm {
                    unit_id: page
                        .request()
                        .query_string()
                        .strip_prefix("unit_id=")
                        .unwrap_or_default()
                        .to_string(),
                    ..Default::default()
                });
            (form, None)
        }
    };
    let status = refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    let view = FormPage {
        ctx,
        person: person.map(|p| view(p, &names)),
        form,
        units: active_units,
        can_manage,
        error: refusal.map(|r| r.message),
    };
    render(&view, status)
}

#[get("/people/new")]
async fn new_form(page: Page) -> Result<HttpResponse, PageError> {
    form_page(&page, None, None).await
}

#[get("/people/{id}")]
async fn show(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    form_page(&page, Some(id.into_inner()), None).await
}

#[post("/people")]
async fn create(
    page: Page,
    CsrfForm(form): CsrfForm<PersonForm>,
) -> Result<HttpResponse, PageError> {
    let patch = form.parse();
    let saved = page
        .submit(
            move |c| people::create(c.conn, c.actor, c.now, patch?),
            |p| {
                let text = Text::new(
                    format!("已添加人员“{}”", p.name),
                    format!("{} added", p.name),
                );
                (text, format!("/people/{}", p.id))
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => form_page(&page, None, Some((form, refusal))).await,
    }
}

#[post("/people/{id}")]
async fn update(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<PersonForm>,
) -> Result<HttpResponse, PageError> {
    let (id, patch) = (id.into_inner(), form.parse());
    let saved = page
        .submit(
            move |c| people::update(c.conn, c.actor, c.now, id, patch?),
            move |_| (Text::new("已保存", "Saved"), format!("/people/{id}")),
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

#[post("/people/{id}/active")]
async fn set_active(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> Result<HttpResponse, PageError> {
    let (id, active) = (id.into_inner(), form.active);
    let patch = PersonPatch {
        active: Some(active),
        ..Default::default()
    };
    let here = format!("/people/{id}");
    page.act(
        &here,
        move |c| people::update(c.conn, c.actor, c.now, id, patch),
        move |_| (activation_text(active), format!("/people/{id}")),
    )
    .await
}
