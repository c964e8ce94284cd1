//! A drill's pages: the scheme form, and the drill itself — approval, materials, attendance on a phone, the
//! timeline, the evaluation, corrective actions and the report to the supervising department.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use super::{all_of, choices, get, id_field, local_time};
use crate::clock::today;
use crate::drills::model::{
    ActionInput, DrillContent, DrillForm, DrillGrade, EvaluationInput, ObjectiveResult,
    SchemeInput, SchemeText,
};
use crate::drills::service::drills::{self as service, DrillMaterialView, DrillView};
use crate::drills::service::registry::{self, plans};
use crate::drills::service::{actions, materials, participants};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Text;
use crate::inventory::model::Quantity;
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{render, Page, Refusal};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(new_drill)
        .service(create_drill)
        .service(show)
        .service(step)
        .service(attendance)
        .service(log)
        .service(evaluation)
        .service(add_action)
        .service(reserve)
        .service(stock);
}

#[derive(Template)]
#[template(path = "drills/scheme_form.html")]
struct SchemeForm {
    ctx: Ctx,
    fields: Vec<(String, String)>,
    plans: Vec<(i64, String)>,
    people: Vec<(i64, String, bool)>,
    /// Rescue teams to choose: (id, name, chosen).
    teams: Vec<(i64, String, bool)>,
    contents: Vec<(&'static str, &'static str)>,
    forms: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

impl SchemeForm {
    fn field(&self, name: &str) -> &str {
        get(&self.fields, name)
    }
}

/// Query: the plan to drill.
#[derive(Debug, serde::Deserialize)]
struct PlanQuery {
    plan_id: Option<i64>,
}

async fn scheme_form(
    page: &Page,
    plan: Option<i64>,
    typed: Option<(Vec<(String, String)>, Refusal)>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (plans, people, teams, start)) = page
        .run(move |c| {
            let day = today(c.now, c.tz);
            let ps: Vec<_> = plans(c.conn, c.actor, None, false, day, c.tz)?
                .into_iter()
                .filter(|p| p.manageable)
                .collect();
            let unit = plan
                .and_then(|id| ps.iter().find(|p| p.plan.id == id))
                .or(ps.first())
                .map(|p| p.plan.unit_id);
            let people = match unit {
                Some(u) => registry::people(c.conn, Some(u))?,
                None => Vec::new(),
            };
            let start = (c.now + chrono::Duration::days(7))
                .with_timezone(&c.tz)
                .format("%Y-%m-%dT09:00")
                .to_string();
            Ok((
                ps.into_iter()
                    .map(|p| (p.plan.id, format!("{} · {}", p.unit_name, p.plan.title)))
                    .collect::<Vec<_>>(),
                people,
                participants::choices(c.conn)?,
                start,
            ))
        })
        .await?;
    let lang = ctx.lang;
    let status = typed.as_ref().map_or(StatusCode::OK, |(_, r)| r.status);
    let (fields, error) = match typed {
        Some((f, r)) => (f, Some(r.message)),
        None => (
            vec![
                (
                    "plan_id".into(),
                    plan.map(|p| p.to_string()).unwrap_or_default(),
                ),
                ("starts_at".into(), start.clone()),
                ("ends_at".into(), start.replace("T09:00", "T11:00")),
                ("content".into(), "comprehensive".into()),
                ("form".into(), "live".into()),
            ],
            None,
        ),
    };
    let chosen = all_of(&fields, "people");
    let chosen_teams = all_of(&fields, "team_ids");
    let view = SchemeForm {
        people: people
            .into_iter()
            .map(|(id, name)| (id, name, chosen.contains(&id.to_string())))
            .collect(),
        teams: teams
            .into_iter()
            .map(|(id, name)| (id, name, chosen_teams.contains(&id.to_string())))
            .collect(),
        fields,
        plans,
        contents: choices!(DrillContent, lang),
        forms: choices!(DrillForm, lang),
        error,
        ctx,
    };
    render(&view, status)
}

/// The form to write a drill's scheme.
#[get("/drills/new")]
async fn new_drill(page: Page, q: web::Query<PlanQuery>) -> Result<HttpResponse, PageError> {
    scheme_form(&page, q.into_inner().plan_id, None).await
}

/// Writes the scheme (a draft); refused, the form comes back with what was typed.
#[post("/drills/new")]
async fn create_drill(
    page: Page,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let typed = fields.clone();
    let plan = get(&fields, "plan_id").parse().ok();
    let saved = page
        .submit(
            move |c| {
                let people = all_of(&fields, "people")
                    .iter()
                    .map(|p| id_field("people", p))
                    .collect::<ServiceResult<Vec<_>>>()?;
                let teams = all_of(&fields, "team_ids")
                    .iter()
                    .map(|t| id_field("team_ids", t))
                    .collect::<ServiceResult<Vec<_>>>()?;
                let input = SchemeInput::parse(
                    id_field("plan_id", get(&fields, "plan_id"))?,
                    crate::web::forms::optional_id(
                        "annual_item_id",
                        get(&fields, "annual_item_id"),
                    )?,
                    DrillContent::parse(get(&fields, "content"))?,
                    DrillForm::parse(get(&fields, "form"))?,
                    local_time("starts_at", get(&fields, "starts_at"), c.tz)?,
                    local_time("ends_at", get(&fields, "ends_at"), c.tz)?,
                    SchemeText {
                        title: get(&fields, "title"),
                        place: get(&fields, "place"),
                        scenario: get(&fields, "scenario"),
                        timeline: get(&fields, "timeline"),
                        roles: get(&fields, "roles"),
                        participants: get(&fields, "participants"),
                        objectives: get(&fields, "objectives"),
                    },
                    (people, teams),
                )?;
                service::create(c.conn, c.actor, c.now, c.tz, input)
            },
            |v| {
                (
                    Text::new("已保存演练方案（草稿）", "Scheme saved (draft)"),
                    format!("/drills/{}", v.drill.id),
                )
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => scheme_form(&page, plan, Some((typed, refusal))).await,
    }
}

#[derive(Template)]
#[template(path = "drills/drill.html")]
struct DrillPage {
    ctx: Ctx,
    v: DrillView,
    starts: String,
    ends: String,
    log: Vec<(String, String)>,
    grades: Vec<(&'static str, &'static str)>,
    results: Vec<(&'static str, &'static str)>,
    people: Vec<(i64, String)>,
    /// Warehouses the viewer keeps: (id, name), and the items they hold.
    warehouses: Vec<(i64, String)>,
    items: Vec<(i64, String)>,
    due: String,
}

impl DrillPage {
    fn present(&self) -> usize {
        self.v
            .people
            .iter()
            .filter(|p| p.present == Some(true))
            .count()
    }

    fn uses(&self, warehouse: i64) -> bool {
        self.v
            .materials
            .iter()
            .any(|m| m.line.warehouse_id == warehouse)
    }

    /// Whether something held in `warehouse` waits to be issued.
    fn unissued(&self, warehouse: i64) -> bool {
        self.v
            .materials
            .iter()
            .any(|m| m.line.warehouse_id == warehouse && m.line.issued == 0)
    }

    /// The lines lent from `warehouse` that wait to come back.
    fn pending(&self, warehouse: i64) -> Vec<&DrillMaterialView> {
        self.v
            .materials
            .iter()
            .filter(|m| {
                m.line.warehouse_id == warehouse
                    && m.line.issued > 0
                    && m.line.returned == 0
                    && m.line.lost == 0
            })
            .collect()
    }
}

/// A drill, with the forms its viewer may use now.
#[get("/drills/{id:\\d+}")]
async fn show(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    page.show(
        move |c| {
            let v = service::get(c.conn, c.actor, id, c.now, c.tz)?;
            let people = registry::people(c.conn, None)?;
            let warehouses: Vec<(i64, String)> =
                crate::inventory::service::visible_warehouses(c.conn, c.actor)?
                    .into_iter()
                    .filter(|w| {
                        crate::inventory::service::warehouse_for(
                            c.conn,
                            c.actor,
                            w.id,
                            crate::inventory::model::StockAction::Move,
                        )
                        .is_ok()
                    })
                    .map(|w| (w.id, w.name))
                    .collect();
            let items = if warehouses.is_empty() {
                Vec::new()
            } else {
                registry::item_choices(c.conn)?
            };
            let entries: Vec<(String, String)> = v
                .log
                .iter()
                .map(|l| (super::shown(l.at, c.tz), l.text.clone()))
                .collect();
            let due = (today(c.now, c.tz) + chrono::Duration::days(30)).to_string();
            Ok((v, people, warehouses, items, entries, c.tz, due))
        },
        |ctx, (v, people, warehouses, items, entries, tz, due)| {
            let lang = ctx.lang;
            DrillPage {
                starts: super::shown(v.drill.starts_at, tz),
                ends: super::shown(v.drill.ends_at, tz),
                v,
                log: entries,
                grades: choices!(DrillGrade, lang),
                results: choices!(ObjectiveResult, lang),
                people,
                warehouses,
                items,
                due,
                ctx,
            }
        },
    )
    .await
}

fn back(id: i64) -> String {
    format!("/drills/{id}")
}

/// Submit, approve, return, cancel or report (the button's `step`).
#[post("/drills/{id:\\d+}/step")]
async fn step(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let to = back(id);
    page.act(
        &back(id),
        move |c| {
            let note = get(&fields, "note");
            match get(&fields, "step") {
                "submit" => service::submit(c.conn, c.actor, c.now, c.tz, id),
                "approve" => service::decide(c.conn, c.actor, c.now, c.tz, id, true, note),
                "return" => service::decide(c.conn, c.actor, c.now, c.tz, id, false, note),
                "cancel" => service::cancel(c.conn, c.actor, c.now, c.tz, id),
                "report" => service::report(c.conn, c.actor, c.now, c.tz, c.config, id),
                _ => Err(ServiceError::invalid("step", "未知的操作", "Unknown step")),
            }
        },
        move |v| {
            (
                Text::new(
                    format!("演练：{}", v.drill.state.label(crate::i18n::Lang::Zh)),
                    format!("Drill: {}", v.drill.state.label(crate::i18n::Lang::En)),
                ),
                to,
            )
        },
    )
    .await
}

/// Attendance taken on a phone: one checkbox per person (unticked: absent).
#[post("/drills/{id:\\d+}/attendance")]
async fn attendance(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let to = back(id);
    page.act(
        &back(id),
        move |c| {
            let listed = all_of(&fields, "listed");
            let present = all_of(&fields, "present");
            let marks = listed
                .iter()
                .map(|p| Ok((id_field("people", p)?, present.contains(p))))
                .collect::<ServiceResult<Vec<_>>>()?;
            service::attendance(c.conn, c.actor, c.now, c.tz, id, &marks)
        },
        move |v| {
            let came = v.people.iter().filter(|p| p.present == Some(true)).count();
            (
                Text::new(
                    format!("已点名：到 {came} 人，共 {} 人", v.people.len()),
                    format!("Attendance taken: {came} of {} present", v.people.len()),
                ),
                to,
            )
        },
    )
    .await
}

/// Adds to the timeline (now).
#[post("/drills/{id:\\d+}/log")]
async fn log(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let to = format!("/drills/{id}#log");
    page.act(
        &back(id),
        move |c| service::log(c.conn, c.actor, c.now, c.tz, id, None, get(&fields, "text")),
        move |_| (Text::new("已记录", "Logged"), to),
    )
    .await
}

/// The evaluation: a result per objective (`result_{id}`, `note_{id}`), a grade, went well, problems.
#[post("/drills/{id:\\d+}/evaluation")]
async fn evaluation(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let to = back(id);
    page.act(
        &back(id),
        move |c| {
            let judged = fields
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("result_")?.parse::<i64>().ok()?, v)))
                .filter(|(_, v)| !v.is_empty())
                .map(|(o, v)| {
                    Ok((
                        o,
                        ObjectiveResult::parse(v)?,
                        get(&fields, &format!("note_{o}")).to_string(),
                    ))
                })
                .collect::<ServiceResult<Vec<_>>>()?;
            let grade = match get(&fields, "grade") {
                "" => {
                    return Err(ServiceError::invalid(
                        "grade",
                        "请选择总体评价",
                        "Choose the overall grade",
                    ))
                }
                g => DrillGrade::parse(g)?,
            };
            let input = EvaluationInput::parse(
                grade,
                get(&fields, "went_well"),
                get(&fields, "problems"),
                judged,
            )?;
            service::evaluate_drill(c.conn, c.actor, c.now, c.tz, id, input)
        },
        move |_| (Text::new("已保存评估", "Evaluation saved"), to),
    )
    .await
}

/// Opens a corrective action.
#[post("/drills/{id:\\d+}/actions")]
async fn add_action(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let to = format!("/drills/{id}#actions");
    page.act(
        &back(id),
        move |c| {
            let day = today(c.now, c.tz);
            let input = ActionInput::parse(
                get(&fields, "problem"),
                id_field("owner_person_id", get(&fields, "owner_person_id"))?,
                super::date_field("due_on", get(&fields, "due_on"))?,
                get(&fields, "revise_plan") == "yes",
                day,
            )?;
            actions::add(c.conn, c.actor, c.now, day, id, input)
        },
        move |_| (Text::new("已提出整改事项", "Corrective action opened"), to),
    )
    .await
}

/// A keeper holds materials for the drill.
#[post("/drills/{id:\\d+}/materials")]
async fn reserve(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let to = format!("/drills/{id}#materials");
    page.act(
        &back(id),
        move |c| {
            materials::reserve(
                c.conn,
                c.actor,
                c.now,
                c.tz,
                id,
                id_field("warehouse_id", get(&fields, "warehouse_id"))?,
                id_field("item_id", get(&fields, "item_id"))?,
                Quantity::parse_positive("qty", get(&fields, "qty"))?,
            )
        },
        move |_| (Text::new("已预留演练物资", "Materials reserved"), to),
    )
    .await
}

/// A keeper issues or takes back the drill's materials (`step`: issue or return).
#[post("/drills/{id:\\d+}/stock")]
async fn stock(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let to = format!("/drills/{id}#materials");
    page.act(
        &back(id),
        move |c| {
            let w = id_field("warehouse_id", get(&fields, "warehouse_id"))?;
            match get(&fields, "step") {
                "issue" => materials::issue(c.conn, c.actor, c.now, c.config, id, w),
                _ => {
                    // `back_{line}`: how much of each line comes back (left as lent: all of it).
                    let mut returned = materials::Returned {
                        loss_note: get(&fields, "loss_note").to_string(),
                        ..Default::default()
                    };
                    for (name, value) in &fields {
                        if let Some(line) = name.strip_prefix("back_") {
                            let line = line.parse().map_err(|_| {
                                ServiceError::invalid("lines", "归还栏目不正确", "Unknown line")
                            })?;
                            returned
                                .lines
                                .push((line, Quantity::parse("returned", value.trim())?));
                        }
                    }
                    materials::give_back(c.conn, c.actor, c.now, c.config, id, w, &returned)
                }
            }
        },
        move |_| {
            (
                Text::new(
                    "已开具凭证，请另一位保管员复核签字",
                    "Voucher recorded: a second keeper countersigns it",
                ),
                to,
            )
        },
    )
    .await
}
