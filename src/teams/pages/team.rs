//! A team's page: readiness with the reasons, members, equipment with what the book holds, training this
//! year; adding a member, linking equipment.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::{Datelike, NaiveDate};

use super::{status_row, Names, StatusRow};
use crate::clock::today;
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::inventory::service::visible_warehouses;
use crate::teams::model::{hours_of, year_span, MemberInput, MemberRole, MemberStatus};
use crate::teams::service::teams::{self as service, TeamView};
use crate::teams::service::training::{self, TrainingSummary};
use crate::teams::service::{lists, members};
use crate::web::context::Ctx;
use crate::web::csrf::{CsrfForm, Empty};
use crate::web::error::PageError;
use crate::web::forms::{optional_date, optional_id};
use crate::web::typed::{field, Refused, Typed};
use crate::web::{render, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(team_page)
        .service(add_member)
        .service(add_equipment)
        .service(remove_equipment);
}

/// The entries of a select box: id and label.
type Choices = Vec<(i64, String)>;

struct MemberLine {
    id: i64,
    person_id: i64,
    name: String,
    role: &'static str,
    status: &'static str,
    away: bool,
    on_leave: bool,
    /// The required certificates the member lacks, by name (empty: none).
    lacking: String,
    /// The caller may open the person's record.
    linked: bool,
    since: String,
    phone: String,
    skills: String,
}

struct EquipmentLine {
    id: i64,
    warehouse_id: i64,
    warehouse: String,
    item: String,
    on_hand: String,
    note: String,
}

#[derive(Template)]
#[template(path = "teams/team.html")]
struct TeamPage {
    ctx: Ctx,
    row: StatusRow,
    address: String,
    position: String,
    manageable: bool,
    members: Vec<MemberLine>,
    equipment: Vec<EquipmentLine>,
    year: i32,
    /// This year (the training section links to the years before it).
    this_year: i32,
    sessions: Vec<(String, String, String, i64, i64)>,
    hours: Vec<(i64, String, String, i64, i64)>,
    total_hours: String,
    people: Vec<(i64, String)>,
    warehouses: Vec<(i64, String)>,
    roles: Vec<(&'static str, &'static str)>,
    day: String,
    typed: Typed,
}

/// Shows a team, with a refused form's typed values and refusal when there is one.
async fn team_page_view(
    page: &Page,
    id: i64,
    year: Option<i32>,
    typed: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (view, summary, lists, people, warehouses, day, me)) = page
        .run(move |c| {
            let view = service::get(c.conn, c.actor, id, c.now, c.tz)?;
            let day = today(c.now, c.tz);
            let (from, to) = year_span(year.unwrap_or(day.year()))?;
            let summary = training::summary(c.conn, id, from, to)?;
            let (people, warehouses) = if view.manageable {
                (
                    members::candidates(c.conn, c.actor, &view.status.team)?,
                    visible_warehouses(c.conn, c.actor)?
                        .into_iter()
                        .filter(|w| w.active)
                        .map(|w| (w.id, w.name))
                        .collect(),
                )
            } else {
                (Vec::new(), Vec::new())
            };
            let lists = lists::lists(c.conn)?;
            Ok((
                view,
                summary,
                lists,
                people,
                warehouses,
                day,
                c.actor.person_id,
            ))
        })
        .await?;
    let (typed, status) = Typed::of(typed, ctx.lang, super::LABELS);
    let mut view = team_view(ctx, view, summary, &lists, (people, warehouses), day, me);
    view.typed = typed;
    render(&view, status)
}

#[derive(serde::Deserialize)]
struct YearQuery {
    year: Option<i32>,
}

#[get("/teams/{id}")]
async fn team_page(
    page: Page,
    id: web::Path<i64>,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    team_page_view(&page, id.into_inner(), q.year, None).await
}

fn team_view(
    ctx: Ctx,
    view: TeamView,
    summary: TrainingSummary,
    lists: &lists::Lists,
    (people, warehouses): (Choices, Choices),
    day: NaiveDate,
    me: Option<i64>,
) -> TeamPage {
    let lang = ctx.lang;
    let names = Names::of(lists, lang);
    let team = &view.status.team;
    TeamPage {
        row: status_row(&view.status, &names, lang),
        address: team.address.clone(),
        position: team
            .position()
            .map(|(lat, lon)| format!("{lat:.5}, {lon:.5}"))
            .unwrap_or_default(),
        manageable: view.manageable,
        members: view
            .members
            .iter()
            .map(|m| MemberLine {
                id: m.id,
                person_id: m.person_id,
                name: m.name.clone(),
                role: m.role.label(lang),
                status: m.status.label(lang),
                away: m.status != MemberStatus::InPost,
                on_leave: view.on_leave.contains(&m.person_id),
                lacking: view
                    .lacking
                    .iter()
                    .find(|(p, _)| *p == m.person_id)
                    .map(|(_, names)| names.join("、"))
                    .unwrap_or_default(),
                linked: view.manageable || me == Some(m.person_id),
                since: match m.status_until {
                    Some(u) => format!("{} → {u}", m.status_since),
                    None => m.status_since.to_string(),
                },
                phone: m.phone.clone(),
                skills: m.skills.clone(),
            })
            .collect(),
        equipment: view
            .equipment
            .into_iter()
            .map(|e| EquipmentLine {
                id: e.link.id,
                warehouse_id: e.link.warehouse_id,
                warehouse: e.warehouse,
                item: e.item.unwrap_or_default(),
                on_hand: e.on_hand.unwrap_or_else(|| "—".into()),
                note: e.link.note,
            })
            .collect(),
        year: summary.from.year(),
        this_year: day.year(),
        total_hours: hours_of(summary.minutes),
        sessions: summary
            .sessions
            .iter()
            .map(|s| {
                (
                    s.session.held_on.to_string(),
                    s.session.subject.clone(),
                    hours_of(i64::from(s.session.minutes)),
                    s.present,
                    s.absent + s.leave,
                )
            })
            .collect(),
        hours: summary
            .members
            .iter()
            .map(|m| {
                (
                    m.person_id,
                    m.name.clone(),
                    hours_of(m.minutes),
                    m.present,
                    m.absent,
                )
            })
            .collect(),
        people,
        warehouses,
        roles: MemberRole::ALL
            .iter()
            .map(|r| (r.code(), r.label(lang)))
            .collect(),
        day: day.to_string(),
        typed: Typed::default(),
        ctx,
    }
}

#[post("/teams/{id}/members")]
async fn add_member(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let typed = fields.clone();
    let saved = page
        .submit(
            move |c| {
                let f = |k| field(&fields, k);
                let person = optional_id("person_id", &f("person_id"))?.ok_or_else(|| {
                    ServiceError::invalid("person_id", "请选择人员", "Choose a person")
                })?;
                let joined = optional_date("joined_on", &f("joined_on"))?
                    .unwrap_or_else(|| today(c.now, c.tz));
                let input = MemberInput::parse(
                    person,
                    MemberRole::parse(&f("role"))?,
                    joined,
                    MemberStatus::InPost,
                    None,
                    None,
                    "",
                )?;
                members::add(c.conn, c.actor, c.now, id, input)
            },
            move |m| {
                let text = Text::new(
                    format!("已添加队员{}", m.name),
                    format!("{} joined the team", m.name),
                );
                (text, format!("/teams/{id}"))
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => {
            team_page_view(
                &page,
                id,
                None,
                Some(Refused::new("member", typed, refusal)),
            )
            .await
        }
    }
}

#[post("/teams/{id}/equipment")]
async fn add_equipment(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let typed = fields.clone();
    let saved = page
        .submit(
            move |c| {
                let f = |k| field(&fields, k);
                let warehouse =
                    optional_id("warehouse_id", &f("warehouse_id"))?.ok_or_else(|| {
                        ServiceError::invalid("warehouse_id", "请选择储备库", "Choose a warehouse")
                    })?;
                let item = service::item_of_code(c.conn, &f("item_code"))?;
                service::add_equipment(c.conn, c.actor, c.now, id, warehouse, item, &f("note"))
            },
            move |_| {
                (
                    Text::new("已关联装备", "Equipment linked"),
                    format!("/teams/{id}"),
                )
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => {
            team_page_view(
                &page,
                id,
                None,
                Some(Refused::new("equipment", typed, refusal)),
            )
            .await
        }
    }
}

#[post("/teams/{id}/equipment/{equipment_id}/remove")]
async fn remove_equipment(
    page: Page,
    path: web::Path<(i64, i64)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let (id, equipment) = path.into_inner();
    let here = format!("/teams/{id}");
    page.act(
        &here,
        move |c| service::remove_equipment(c.conn, c.actor, c.now, id, equipment),
        move |_| {
            (
                Text::new("已取消关联", "Equipment unlinked"),
                format!("/teams/{id}"),
            )
        },
    )
    .await
}
