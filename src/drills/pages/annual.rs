//! Annual drill plans: the list, a new plan, a plan with its drills, changes after approval, the office's
//! decision, publishing, and the plan as a spreadsheet or a printed page.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::Datelike;

use super::{choices, get, id_field};
use crate::clock::today;
use crate::drills::model::{AnnualItemInput, DrillContent, DrillForm};
use crate::drills::service::annual::{self as service, DrillAnnualView};
use crate::drills::service::export::annual_paper;
use crate::drills::service::registry::plans;
use crate::error::ServiceResult;
use crate::i18n::Text;
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{table_download, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(export)
        .service(show)
        .service(add_item)
        .service(withdraw_item)
        .service(step);
}

#[derive(Template)]
#[template(path = "drills/annual_list.html")]
struct ListPage {
    ctx: Ctx,
    year: i32,
    plans: Vec<DrillAnnualView>,
    units: Vec<(i64, String)>,
}

impl ListPage {
    fn live(&self, a: &DrillAnnualView) -> usize {
        a.items.iter().filter(|i| i.item.active).count()
    }
}

/// Query: which year.
#[derive(Debug, serde::Deserialize)]
struct YearQuery {
    year: Option<i32>,
}

/// 年度演练计划: a year's plans.
#[get("/drills/annual")]
async fn list(page: Page, q: web::Query<YearQuery>) -> Result<HttpResponse, PageError> {
    let year = q.into_inner().year;
    page.show(
        move |c| {
            let y = year.unwrap_or_else(|| today(c.now, c.tz).year() + 1);
            let mut units = Vec::new();
            for (id, name) in crate::org::service::units::names(c.conn, true)? {
                if crate::drills::service::rights(c.conn, c.actor, id)?.manage {
                    units.push((id, name));
                }
            }
            Ok((y, service::list(c.conn, c.actor, Some(y))?, units))
        },
        |ctx, (year, plans, units)| ListPage {
            ctx,
            year,
            plans,
            units,
        },
    )
    .await
}

/// Starts a unit's plan for a year (empty; drills are added on its page).
#[post("/drills/annual")]
async fn create(
    page: Page,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    page.act(
        "/drills/annual",
        move |c| {
            let unit = id_field("unit_id", get(&fields, "unit_id"))?;
            let year = get(&fields, "year").trim().parse::<i32>().map_err(|_| {
                crate::error::ServiceError::invalid("year", "请填写年份", "Enter the year")
            })?;
            service::create(c.conn, c.actor, c.now, unit, year, Vec::new())
        },
        |v| {
            (
                Text::new(
                    "已建立年度演练计划，请添加演练",
                    "Annual plan started: add its drills",
                ),
                format!("/drills/annual/{}", v.annual.id),
            )
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "drills/annual.html")]
struct AnnualPage {
    ctx: Ctx,
    v: DrillAnnualView,
    plans: Vec<(i64, String)>,
    contents: Vec<(&'static str, &'static str)>,
    forms: Vec<(&'static str, &'static str)>,
}

/// An annual plan with its drills, its changes and what the viewer may do.
#[get("/drills/annual/{id}")]
async fn show(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    page.show(
        move |c| {
            let v = service::get(c.conn, c.actor, id)?;
            let day = today(c.now, c.tz);
            let plans = plans(c.conn, c.actor, Some(v.annual.unit_id), false, day, c.tz)?
                .into_iter()
                .map(|p| (p.plan.id, p.plan.title))
                .collect();
            Ok((v, plans))
        },
        |ctx, (v, plans)| {
            let lang = ctx.lang;
            AnnualPage {
                ctx,
                v,
                plans,
                contents: choices!(DrillContent, lang),
                forms: choices!(DrillForm, lang),
            }
        },
    )
    .await
}

fn item(fields: &[(String, String)]) -> ServiceResult<AnnualItemInput> {
    AnnualItemInput::parse(
        id_field("plan_id", get(fields, "plan_id"))?,
        DrillContent::parse(get(fields, "content"))?,
        DrillForm::parse(get(fields, "form"))?,
        get(fields, "month").trim().parse().unwrap_or(0),
        get(fields, "organiser"),
        get(fields, "participants"),
    )
}

/// Adds a drill to the plan.
#[post("/drills/annual/{id}/items")]
async fn add_item(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/drills/annual/{id}");
    let to = back.clone();
    page.act(
        &back,
        move |c| {
            service::add_item(
                c.conn,
                c.actor,
                c.now,
                id,
                item(&fields)?,
                get(&fields, "reason"),
            )
        },
        move |_| (Text::new("已添加演练", "Drill added"), to),
    )
    .await
}

/// Takes a drill out of the plan.
#[post("/drills/annual/{id}/items/{item}/withdraw")]
async fn withdraw_item(
    page: Page,
    path: web::Path<(i64, i64)>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let (id, item) = path.into_inner();
    let back = format!("/drills/annual/{id}");
    let to = back.clone();
    page.act(
        &back,
        move |c| service::withdraw_item(c.conn, c.actor, c.now, id, item, get(&fields, "reason")),
        move |_| (Text::new("已取消该次演练", "Drill taken out"), to),
    )
    .await
}

/// Submit, approve, return or publish (the button's `step`).
#[post("/drills/annual/{id}/step")]
async fn step(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/drills/annual/{id}");
    let to = back.clone();
    page.act(
        &back,
        move |c| match get(&fields, "step") {
            "submit" => service::submit(c.conn, c.actor, c.now, id),
            "approve" => service::decide(c.conn, c.actor, c.now, id, true, get(&fields, "note")),
            "return" => service::decide(c.conn, c.actor, c.now, id, false, get(&fields, "note")),
            "publish" => service::publish(c.conn, c.actor, c.now, id),
            _ => Err(crate::error::ServiceError::invalid(
                "step",
                "未知的操作",
                "Unknown step",
            )),
        },
        move |v| {
            (
                Text::new(
                    format!("年度计划：{}", v.annual.state.label(crate::i18n::Lang::Zh)),
                    format!(
                        "Annual plan: {}",
                        v.annual.state.label(crate::i18n::Lang::En)
                    ),
                ),
                to,
            )
        },
    )
    .await
}

/// The plan as XLSX or CSV.
#[get("/drills/annual/{id}/export.{format}")]
async fn export(page: Page, path: web::Path<(i64, String)>) -> Result<HttpResponse, PageError> {
    let (id, format) = path.into_inner();
    table_download(&page, &format, move |c| {
        let v = service::get(c.conn, c.actor, id)?;
        Ok(annual_paper(&v, c.actor.lang))
    })
    .await
}
