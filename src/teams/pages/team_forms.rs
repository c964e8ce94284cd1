//! The forms of a team: create and edit it, change a member. A refused form is shown again with what was
//! typed and why.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::Names;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Text;
use crate::org::service::units;
use crate::teams::model::{MemberInput, MemberRole, MemberStatus, TeamInput, TeamKind, MANAGERS};
use crate::teams::service::teams::{self as service, TeamView};
use crate::teams::service::{lists, members};
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::forms::{optional_date, optional_id};
use crate::web::typed::labelled;
use crate::web::{render, Page, Refusal};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(new_team)
        .service(create)
        .service(edit_team)
        .service(update)
        .service(edit_member)
        .service(update_member);
}

/// The team form as typed (every field text, so a refused form comes back as it was).
#[derive(Debug, Clone, Default)]
struct TeamForm {
    unit_id: String,
    name: String,
    kind: String,
    address: String,
    latitude: String,
    longitude: String,
    duty_phone: String,
    min_ready: String,
    /// Ticked specialities.
    specialities: Vec<String>,
    active: Option<String>,
}

impl TeamForm {
    fn of(v: &TeamView) -> TeamForm {
        let t = &v.status.team;
        TeamForm {
            unit_id: t.unit_id.to_string(),
            name: t.name.clone(),
            kind: t.kind.code().into(),
            address: t.address.clone(),
            latitude: t.latitude.map(|l| l.to_string()).unwrap_or_default(),
            longitude: t.longitude.map(|l| l.to_string()).unwrap_or_default(),
            duty_phone: t.duty_phone.clone(),
            min_ready: t.min_ready.to_string(),
            specialities: v.status.specialities.clone(),
            active: t.active.then(|| "true".into()),
        }
    }

    fn parse(&self) -> ServiceResult<TeamInput> {
        let number = super::coordinate;
        let unit = optional_id("unit_id", &self.unit_id)?
            .ok_or_else(|| ServiceError::invalid("unit_id", "请选择所属单位", "Choose the unit"))?;
        let min_ready = self.min_ready.trim().parse::<i64>().map_err(|_| {
            ServiceError::invalid(
                "min_ready",
                "最低出动人数应为整数",
                "The minimum headcount is a whole number",
            )
        })?;
        TeamInput::parse(
            unit,
            &self.name,
            TeamKind::parse(&self.kind)?,
            &self.address,
            (
                number("latitude", &self.latitude)?,
                number("longitude", &self.longitude)?,
            ),
            &self.duty_phone,
            min_ready,
            self.specialities.clone(),
        )
    }
}

#[derive(Template)]
#[template(path = "teams/team_form.html")]
struct TeamFormPage {
    ctx: Ctx,
    id: Option<i64>,
    form: TeamForm,
    units: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    specialities: Vec<(String, String)>,
    error: Option<String>,
}

async fn team_form_page(
    page: &Page,
    id: Option<i64>,
    typed: Option<(TeamForm, Refusal)>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (view, units, lists)) = page
        .run(move |c| {
            let view = match id {
                Some(id) => {
                    let v = service::get(c.conn, c.actor, id, c.now, c.tz)?;
                    if !v.manageable {
                        return Err(ServiceError::Forbidden);
                    }
                    Some(v)
                }
                None if c.actor.holds_any(MANAGERS) => None,
                None => return Err(ServiceError::Forbidden),
            };
            Ok((view, units::names(c.conn, true)?, lists::lists(c.conn)?))
        })
        .await?;
    let (form, refusal) = match typed {
        Some((form, refusal)) => (form, Some(refusal)),
        None => (
            view.as_ref().map(TeamForm::of).unwrap_or_else(|| TeamForm {
                kind: TeamKind::Professional.code().into(),
                min_ready: "5".into(),
                active: Some("true".into()),
                ..Default::default()
            }),
            None,
        ),
    };
    let lang = ctx.lang;
    let status = refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    let view = TeamFormPage {
        id,
        form,
        units,
        kinds: TeamKind::ALL
            .iter()
            .map(|k| (k.code(), k.label(lang)))
            .collect(),
        specialities: Names::of(&lists, lang).specialities,
        error: refusal.map(|r| labelled(&r, lang, super::LABELS)),
        ctx,
    };
    render(&view, status)
}

#[get("/teams/new")]
async fn new_team(page: Page) -> Result<HttpResponse, PageError> {
    team_form_page(&page, None, None).await
}

#[get("/teams/{id}/edit")]
async fn edit_team(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    team_form_page(&page, Some(id.into_inner()), None).await
}

#[post("/teams")]
async fn create(
    page: Page,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let form = form_of(&body);
    let input = form.parse();
    let saved = page
        .submit(
            move |c| service::create(c.conn, c.actor, c.now, input?),
            |t| {
                let text = Text::new(
                    format!("已创建救援队伍“{}”", t.name),
                    format!("Team “{}” created", t.name),
                );
                (text, format!("/teams/{}", t.id))
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => team_form_page(&page, None, Some((form, refusal))).await,
    }
}

/// Reads the team form's fields, the repeated `speciality` boxes included.
fn form_of(pairs: &[(String, String)]) -> TeamForm {
    let get = |k: &str| {
        pairs
            .iter()
            .rev()
            .find(|(f, _)| f == k)
            .map_or_else(String::new, |(_, v)| v.clone())
    };
    TeamForm {
        unit_id: get("unit_id"),
        name: get("name"),
        kind: get("kind"),
        address: get("address"),
        latitude: get("latitude"),
        longitude: get("longitude"),
        duty_phone: get("duty_phone"),
        min_ready: get("min_ready"),
        specialities: pairs
            .iter()
            .filter(|(k, _)| k == "speciality")
            .map(|(_, v)| v.clone())
            .collect(),
        active: Some(get("active")).filter(|v| !v.is_empty()),
    }
}

#[post("/teams/{id}")]
async fn update(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let (id, form) = (id.into_inner(), form_of(&body));
    let (input, active) = (form.parse(), form.active.is_some());
    let saved = page
        .submit(
            move |c| service::update(c.conn, c.actor, c.now, id, input?, active),
            move |_| (Text::new("已保存", "Saved"), format!("/teams/{id}")),
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => team_form_page(&page, Some(id), Some((form, refusal))).await,
    }
}

/// A member's form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
struct MemberForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    joined_on: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    status_since: String,
    #[serde(default)]
    status_until: String,
    #[serde(default)]
    skills: String,
}

#[derive(Template)]
#[template(path = "teams/member_form.html")]
struct MemberPage {
    ctx: Ctx,
    team: i64,
    team_name: String,
    id: i64,
    name: String,
    form: MemberForm,
    roles: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

async fn member_page(
    page: &Page,
    team: i64,
    id: i64,
    typed: Option<(MemberForm, Refusal)>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (found, member)) = page
        .run(move |c| members::managed(c.conn, c.actor, team, id))
        .await?;
    let lang = ctx.lang;
    let (form, refusal) = match typed {
        Some((f, r)) => (f, Some(r)),
        None => (
            MemberForm {
                role: member.role.code().into(),
                joined_on: member.joined_on.to_string(),
                status: member.status.code().into(),
                status_since: member.status_since.to_string(),
                status_until: member
                    .status_until
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                skills: member.skills.clone(),
            },
            None,
        ),
    };
    let status = refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    let view = MemberPage {
        team,
        team_name: found.name.clone(),
        id,
        name: member.name.clone(),
        form,
        roles: MemberRole::ALL
            .iter()
            .map(|r| (r.code(), r.label(lang)))
            .collect(),
        statuses: MemberStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label(lang)))
            .collect(),
        error: refusal.map(|r| labelled(&r, lang, super::LABELS)),
        ctx,
    };
    render(&view, status)
}

#[get("/teams/{team}/members/{id}/edit")]
async fn edit_member(page: Page, path: web::Path<(i64, i64)>) -> Result<HttpResponse, PageError> {
    let (team, id) = path.into_inner();
    member_page(&page, team, id, None).await
}

#[post("/teams/{team}/members/{id}")]
async fn update_member(
    page: Page,
    path: web::Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> Result<HttpResponse, PageError> {
    let (team, id) = path.into_inner();
    let typed = form.clone();
    let saved = page
        .submit(
            move |c| {
                let joined = optional_date("joined_on", &form.joined_on)?.ok_or_else(|| {
                    ServiceError::invalid(
                        "joined_on",
                        "请填写入队日期",
                        "The joining date is required",
                    )
                })?;
                let (_, current) = members::managed(c.conn, c.actor, team, id)?;
                let input = MemberInput::parse(
                    current.person_id,
                    MemberRole::parse(&form.role)?,
                    joined,
                    MemberStatus::parse(&form.status)?,
                    optional_date("status_since", &form.status_since)?,
                    optional_date("status_until", &form.status_until)?,
                    &form.skills,
                )?;
                members::update(c.conn, c.actor, c.now, team, id, input)
            },
            move |_| (Text::new("已保存", "Saved"), format!("/teams/{team}")),
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => member_page(&page, team, id, Some((typed, refusal))).await,
    }
}
