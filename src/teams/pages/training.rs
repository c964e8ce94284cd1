//! Recording a training session with its attendance; a refused session comes back with what was typed.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use crate::clock::today;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Text;
use crate::teams::model::{Attendance, MemberStatus, TrainingInput};
use crate::teams::service::teams as service;
use crate::teams::service::training;
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::forms::optional_date;
use crate::web::typed::labelled;
use crate::web::{render, Page, Refusal};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(new_training).service(record_training);
}

#[derive(Template)]
#[template(path = "teams/training_form.html")]
struct TrainingPage {
    ctx: Ctx,
    team: i64,
    team_name: String,
    fields: Vec<(String, String)>,
    members: Vec<(i64, String, String)>,
    choices: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

impl TrainingPage {
    fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

async fn training_page(
    page: &Page,
    team: i64,
    typed: Option<(Vec<(String, String)>, Refusal)>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (view, day)) = page
        .run(move |c| {
            let v = service::get(c.conn, c.actor, team, c.now, c.tz)?;
            if !v.manageable {
                return Err(ServiceError::Forbidden);
            }
            Ok((v, today(c.now, c.tz)))
        })
        .await?;
    let lang = ctx.lang;
    let (fields, refusal) = match typed {
        Some((f, r)) => (f, Some(r)),
        None => (
            vec![
                ("held_on".into(), day.to_string()),
                ("hours".into(), "2".into()),
            ],
            None,
        ),
    };
    // Members on leave today are marked on leave; the others present until ticked otherwise.
    let chosen = |p: i64| {
        let default = if view.on_leave.contains(&p) {
            Attendance::Leave
        } else {
            Attendance::Present
        };
        fields
            .iter()
            .find(|(k, _)| *k == format!("attendance_{p}"))
            .map_or_else(|| default.code().to_string(), |(_, v)| v.clone())
    };
    let members = view
        .members
        .iter()
        .filter(|m| m.status != MemberStatus::Left)
        .map(|m| (m.person_id, m.name.clone(), chosen(m.person_id)))
        .collect();
    let status = refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    let view = TrainingPage {
        team,
        team_name: view.status.team.name.clone(),
        fields,
        members,
        choices: Attendance::ALL
            .iter()
            .map(|a| (a.code(), a.label(lang)))
            .collect(),
        error: refusal.map(|r| labelled(&r, lang, super::LABELS)),
        ctx,
    };
    render(&view, status)
}

#[get("/teams/{id}/trainings/new")]
async fn new_training(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    training_page(&page, id.into_inner(), None).await
}

#[post("/teams/{id}/trainings")]
async fn record_training(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let team = id.into_inner();
    let typed = fields.clone();
    let saved = page
        .submit(
            move |c| {
                let get = |k: &str| {
                    fields
                        .iter()
                        .find(|(f, _)| f == k)
                        .map_or("", |(_, v)| v.as_str())
                };
                let held = optional_date("held_on", get("held_on"))?.ok_or_else(|| {
                    ServiceError::invalid("held_on", "请填写训练日期", "The date is required")
                })?;
                let attendance = fields
                    .iter()
                    .filter_map(|(k, v)| {
                        Some((k.strip_prefix("attendance_")?.parse::<i64>().ok()?, v))
                    })
                    .map(|(p, v)| Ok((p, Attendance::parse(v)?)))
                    .collect::<ServiceResult<Vec<_>>>()?;
                let input = TrainingInput::parse(
                    held,
                    (get("hours"), get("subject"), get("trainer"), get("place")),
                    attendance,
                    today(c.now, c.tz),
                )?;
                training::record(c.conn, c.actor, c.now, team, input)
            },
            move |_| {
                (
                    Text::new("已登记训练", "Training recorded"),
                    format!("/teams/{team}"),
                )
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => training_page(&page, team, Some((typed, refusal))).await,
    }
}
