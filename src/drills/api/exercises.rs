//! Annual drill plans, drills, their materials, compliance and the calendar feed.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::clock::today;
use crate::drills::model::{
    AnnualItemInput, DrillContent, DrillForm, DrillGrade, EvaluationInput, ObjectiveResult,
    SchemeInput, SchemeText,
};
use crate::drills::service::annual::{self, DrillAnnualView};
use crate::drills::service::compliance::{self, DrillComplianceReport};
use crate::drills::service::drills::{self as service, DrillListRow, DrillView};
use crate::drills::service::{calendar, materials};
use crate::drills::store::drills::DrillLogEntry;
use crate::error::ServiceResult;
use crate::inventory::model::Quantity;
use crate::org::api::Reply;
use crate::web::error::ApiError;
use crate::web::json::{Json, OptionalJson};
use crate::web::Api;

/// Which annual plans.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DrillAnnualQuery {
    pub year: Option<i32>,
}

/// The annual drill plans the caller may see.
#[utoipa::path(tag = "drills", params(DrillAnnualQuery), security(("bearer" = [])), responses((status = 200, body = Vec<DrillAnnualView>)))]
#[get("/drills/annual")]
pub async fn annual_plans(
    api: Api,
    q: web::Query<DrillAnnualQuery>,
) -> Reply<Vec<DrillAnnualView>> {
    let year = q.into_inner().year;
    api.json(move |c| annual::list(c.conn, c.actor, year)).await
}

/// A drill intended in the year.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillAnnualItemIn {
    pub plan_id: i64,
    pub content: DrillContent,
    pub form: DrillForm,
    /// 1–12.
    pub month: i64,
    pub organiser: String,
    #[serde(default)]
    pub participants: String,
}

impl DrillAnnualItemIn {
    fn parse(&self) -> ServiceResult<AnnualItemInput> {
        AnnualItemInput::parse(
            self.plan_id,
            self.content,
            self.form,
            self.month,
            &self.organiser,
            &self.participants,
        )
    }
}

/// A unit's annual drill plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillAnnualIn {
    pub unit_id: i64,
    pub year: i32,
    #[schema(max_items = 100)]
    pub items: Vec<DrillAnnualItemIn>,
}

/// Start a unit's annual drill plan (a draft).
#[utoipa::path(tag = "drills", request_body = DrillAnnualIn, security(("bearer" = [])), responses((status = 201, body = DrillAnnualView)))]
#[post("/drills/annual")]
pub async fn create_annual(api: Api, body: Json<DrillAnnualIn>) -> Reply<DrillAnnualView> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        let items = b
            .items
            .iter()
            .map(DrillAnnualItemIn::parse)
            .collect::<ServiceResult<Vec<_>>>()?;
        annual::create(c.conn, c.actor, c.now, b.unit_id, b.year, items)
    })
    .await
}

/// One annual plan, with its changes after approval.
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 200, body = DrillAnnualView)))]
#[get("/drills/annual/{id}")]
pub async fn annual_plan(api: Api, id: web::Path<i64>) -> Reply<DrillAnnualView> {
    let id = id.into_inner();
    api.json(move |c| annual::get(c.conn, c.actor, id)).await
}

/// A drill added to a plan; after approval, with the reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillAnnualAddIn {
    #[serde(flatten)]
    pub item: DrillAnnualItemIn,
    #[serde(default)]
    pub reason: String,
}

/// Add a drill to the plan (recorded as a change once approved).
#[utoipa::path(tag = "drills", request_body = DrillAnnualItemIn, security(("bearer" = [])), responses((status = 200, body = DrillAnnualView)))]
#[post("/drills/annual/{id}/items")]
pub async fn add_annual_item(
    api: Api,
    id: web::Path<i64>,
    body: Json<DrillAnnualAddIn>,
) -> Reply<DrillAnnualView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| annual::add_item(c.conn, c.actor, c.now, id, b.item.parse()?, &b.reason))
        .await
}

/// A reason, or a decision's note.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillNoteIn {
    #[serde(default)]
    pub reason: String,
}

/// Take a drill out of the plan (recorded as a change once approved).
#[utoipa::path(tag = "drills", request_body = DrillNoteIn, security(("bearer" = [])), responses((status = 200, body = DrillAnnualView)))]
#[post("/drills/annual/{id}/items/{item}/withdraw")]
pub async fn withdraw_annual_item(
    api: Api,
    path: web::Path<(i64, i64)>,
    body: OptionalJson<DrillNoteIn>,
) -> Reply<DrillAnnualView> {
    let ((id, item), b) = (path.into_inner(), body.0.unwrap_or_default());
    api.json(move |c| annual::withdraw_item(c.conn, c.actor, c.now, id, item, &b.reason))
        .await
}

/// Submit the plan to the office.
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 200, body = DrillAnnualView)))]
#[post("/drills/annual/{id}/submit")]
pub async fn submit_annual(api: Api, id: web::Path<i64>) -> Reply<DrillAnnualView> {
    let id = id.into_inner();
    api.json(move |c| annual::submit(c.conn, c.actor, c.now, id))
        .await
}

/// A decision: approve, or return with a note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillDecisionIn {
    pub approve: bool,
    #[serde(default)]
    pub note: String,
}

/// Office staff approve the plan or return it (only office staff).
#[utoipa::path(tag = "drills", request_body = DrillDecisionIn, security(("bearer" = [])), responses((status = 200, body = DrillAnnualView)))]
#[post("/drills/annual/{id}/decision")]
pub async fn decide_annual(
    api: Api,
    id: web::Path<i64>,
    body: Json<DrillDecisionIn>,
) -> Reply<DrillAnnualView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| annual::decide(c.conn, c.actor, c.now, id, b.approve, &b.note))
        .await
}

/// Publish the approved plan.
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 200, body = DrillAnnualView)))]
#[post("/drills/annual/{id}/publish")]
pub async fn publish_annual(api: Api, id: web::Path<i64>) -> Reply<DrillAnnualView> {
    let id = id.into_inner();
    api.json(move |c| annual::publish(c.conn, c.actor, c.now, id))
        .await
}

/// Which drills.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DrillQuery {
    /// First day (default: 1 January this year).
    pub from: Option<NaiveDate>,
    /// Day after the last (default: a year after `from`).
    pub to: Option<NaiveDate>,
}

/// The drills the caller may see, by start.
#[utoipa::path(tag = "drills", params(DrillQuery), security(("bearer" = [])), responses((status = 200, body = Vec<DrillListRow>)))]
#[get("/drills")]
pub async fn drills(api: Api, q: web::Query<DrillQuery>) -> Reply<Vec<DrillListRow>> {
    let q = q.into_inner();
    api.json(move |c| {
        let day = today(c.now, c.tz);
        let from = q
            .from
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day));
        let to =
            q.to.unwrap_or(from + Duration::days(366))
                .min(from + Duration::days(3660));
        service::list(c.conn, c.actor, from, to, c.tz)
    })
    .await
}

/// A drill's scheme.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillSchemeIn {
    pub plan_id: i64,
    /// The drill of the annual plan it carries out.
    pub annual_item_id: Option<i64>,
    pub title: String,
    pub content: DrillContent,
    pub form: DrillForm,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[serde(default)]
    pub place: String,
    pub scenario: String,
    #[serde(default)]
    pub timeline: String,
    #[serde(default)]
    pub roles: String,
    /// Participants from outside the register (other units, volunteers), in words.
    #[serde(default)]
    pub participants: String,
    #[schema(max_items = 30)]
    pub objectives: Vec<String>,
    /// People taking part.
    #[serde(default)]
    pub people: Vec<i64>,
    /// Rescue teams taking part, from the teams register (`/api/v1/teams`); an unknown or inactive one is
    /// refused naming `team_ids`.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub team_ids: Vec<i64>,
}

/// Write a drill's scheme (a draft).
#[utoipa::path(tag = "drills", request_body = DrillSchemeIn, security(("bearer" = [])), responses((status = 201, body = DrillView)))]
#[post("/drills")]
pub async fn create_drill(api: Api, body: Json<DrillSchemeIn>) -> Reply<DrillView> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        let objectives = b.objectives.join("\n");
        let input = SchemeInput::parse(
            b.plan_id,
            b.annual_item_id,
            b.content,
            b.form,
            b.starts_at,
            b.ends_at,
            SchemeText {
                title: &b.title,
                place: &b.place,
                scenario: &b.scenario,
                timeline: &b.timeline,
                roles: &b.roles,
                participants: &b.participants,
                objectives: &objectives,
            },
            (b.people.clone(), b.team_ids.clone()),
        )?;
        service::create(c.conn, c.actor, c.now, c.tz, input)
    })
    .await
}

/// One drill with its scheme, people, timeline, materials, evaluation and corrective actions.
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 200, body = DrillView)))]
#[get("/drills/{id:\\d+}")]
pub async fn drill(api: Api, id: web::Path<i64>) -> Reply<DrillView> {
    let id = id.into_inner();
    api.json(move |c| service::get(c.conn, c.actor, id, c.now, c.tz))
        .await
}

/// Submit the scheme for approval.
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 200, body = DrillView)))]
#[post("/drills/{id:\\d+}/submit")]
pub async fn submit_drill(api: Api, id: web::Path<i64>) -> Reply<DrillView> {
    let id = id.into_inner();
    api.json(move |c| service::submit(c.conn, c.actor, c.now, c.tz, id))
        .await
}

/// The unit's head (or office staff) approves the scheme or returns it; never its author.
#[utoipa::path(tag = "drills", request_body = DrillDecisionIn, security(("bearer" = [])), responses((status = 200, body = DrillView)))]
#[post("/drills/{id:\\d+}/decision")]
pub async fn decide_drill(
    api: Api,
    id: web::Path<i64>,
    body: Json<DrillDecisionIn>,
) -> Reply<DrillView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| service::decide(c.conn, c.actor, c.now, c.tz, id, b.approve, &b.note))
        .await
}

/// Cancel a drill not yet held; its reservations are let go.
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 200, body = DrillView)))]
#[post("/drills/{id:\\d+}/cancel")]
pub async fn cancel_drill(api: Api, id: web::Path<i64>) -> Reply<DrillView> {
    let id = id.into_inner();
    api.json(move |c| service::cancel(c.conn, c.actor, c.now, c.tz, id))
        .await
}

/// Whether someone came.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillMarkIn {
    pub person_id: i64,
    pub present: bool,
}

/// Attendance taken on the day.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillAttendanceIn {
    #[schema(min_items = 1, max_items = 500)]
    pub marks: Vec<DrillMarkIn>,
}

/// Take attendance (from an hour before the start).
#[utoipa::path(tag = "drills", request_body = DrillAttendanceIn, security(("bearer" = [])), responses((status = 200, body = DrillView)))]
#[post("/drills/{id:\\d+}/attendance")]
pub async fn attendance(
    api: Api,
    id: web::Path<i64>,
    body: Json<DrillAttendanceIn>,
) -> Reply<DrillView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let marks: Vec<(i64, bool)> = b.marks.iter().map(|m| (m.person_id, m.present)).collect();
        service::attendance(c.conn, c.actor, c.now, c.tz, id, &marks)
    })
    .await
}

/// An entry of the day's timeline.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillLogIn {
    pub text: String,
    /// When (default: now).
    pub at: Option<DateTime<Utc>>,
}

/// Add to the day's timeline.
#[utoipa::path(tag = "drills", request_body = DrillLogIn, security(("bearer" = [])), responses((status = 201, body = DrillLogEntry)))]
#[post("/drills/{id:\\d+}/log")]
pub async fn add_log(api: Api, id: web::Path<i64>, body: Json<DrillLogIn>) -> Reply<DrillLogEntry> {
    let (id, b) = (id.into_inner(), body.0);
    api.reply(StatusCode::CREATED, move |c| {
        service::log(c.conn, c.actor, c.now, c.tz, id, b.at, &b.text)
    })
    .await
}

/// An objective judged.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillJudgedIn {
    pub objective_id: i64,
    pub result: ObjectiveResult,
    #[serde(default)]
    pub note: String,
}

/// The evaluation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillEvaluationIn {
    pub grade: DrillGrade,
    #[serde(default)]
    pub went_well: String,
    #[serde(default)]
    pub problems: String,
    pub objectives: Vec<DrillJudgedIn>,
}

/// Evaluate a held drill: every objective judged, a grade, what went well, the problems.
#[utoipa::path(tag = "drills", request_body = DrillEvaluationIn, security(("bearer" = [])), responses((status = 200, body = DrillView)))]
#[post("/drills/{id:\\d+}/evaluation")]
pub async fn evaluate(
    api: Api,
    id: web::Path<i64>,
    body: Json<DrillEvaluationIn>,
) -> Reply<DrillView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let judged = b
            .objectives
            .into_iter()
            .map(|j| (j.objective_id, j.result, j.note))
            .collect();
        let input = EvaluationInput::parse(b.grade, &b.went_well, &b.problems, judged)?;
        service::evaluate_drill(c.conn, c.actor, c.now, c.tz, id, input)
    })
    .await
}

/// Email the drill's report to the unit's supervising department.
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 200, body = DrillView)))]
#[post("/drills/{id:\\d+}/report")]
pub async fn report(api: Api, id: web::Path<i64>) -> Reply<DrillView> {
    let id = id.into_inner();
    api.json(move |c| service::report(c.conn, c.actor, c.now, c.tz, c.config, id))
        .await
}

/// Materials to hold for a drill.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillMaterialIn {
    pub warehouse_id: i64,
    pub item_id: i64,
    /// An exact decimal greater than zero.
    pub qty: String,
}

/// The warehouse's keeper holds materials for the drill.
#[utoipa::path(tag = "drills", request_body = DrillMaterialIn, security(("bearer" = [])), responses((status = 200, body = DrillView)))]
#[post("/drills/{id:\\d+}/materials")]
pub async fn reserve(
    api: Api,
    id: web::Path<i64>,
    body: Json<DrillMaterialIn>,
) -> Reply<DrillView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let qty = Quantity::parse_positive("qty", &b.qty)?;
        materials::reserve(
            c.conn,
            c.actor,
            c.now,
            c.tz,
            id,
            b.warehouse_id,
            b.item_id,
            qty,
        )
    })
    .await
}

/// A warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillWarehouseIn {
    pub warehouse_id: i64,
}

/// The keeper issues what is held in their warehouse on a loan voucher (countersigned like any voucher).
#[utoipa::path(tag = "drills", request_body = DrillWarehouseIn, security(("bearer" = [])), responses((status = 200, body = DrillView)))]
#[post("/drills/{id:\\d+}/issue")]
pub async fn issue(api: Api, id: web::Path<i64>, body: Json<DrillWarehouseIn>) -> Reply<DrillView> {
    let (id, w) = (id.into_inner(), body.0.warehouse_id);
    api.json(move |c| materials::issue(c.conn, c.actor, c.now, c.config, id, w))
        .await
}

/// One line of materials coming back.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillReturnLineIn {
    /// The drill's material line (`materials[].id`).
    pub material_id: i64,
    /// How much comes back, e.g. "37" (0 up to what was lent).
    pub returned: String,
}

/// What comes back to a warehouse: lines not named come back whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillReturnIn {
    pub warehouse_id: i64,
    #[serde(default)]
    pub lines: Vec<DrillReturnLineIn>,
    /// How what does not come back went (used up, broken, lost); required when anything is short.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub loss_note: String,
}

/// The keeper takes back what the drill borrowed, all or part, on a return voucher; what does not come back
/// is recorded on the drill with how it went.
#[utoipa::path(tag = "drills", request_body = DrillReturnIn, security(("bearer" = [])), responses((status = 200, body = DrillView)))]
#[post("/drills/{id:\\d+}/return")]
pub async fn give_back(
    api: Api,
    id: web::Path<i64>,
    body: Json<DrillReturnIn>,
) -> Reply<DrillView> {
    let (id, body) = (id.into_inner(), body.0);
    api.json(move |c| {
        let returned = materials::Returned {
            lines: body
                .lines
                .iter()
                .map(|l| Ok((l.material_id, Quantity::parse("returned", &l.returned)?)))
                .collect::<ServiceResult<_>>()?,
            loss_note: body.loss_note,
        };
        materials::give_back(
            c.conn,
            c.actor,
            c.now,
            c.config,
            id,
            body.warehouse_id,
            &returned,
        )
    })
    .await
}

/// Which day and unit.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DrillComplianceQuery {
    /// The day (default today).
    pub on: Option<NaiveDate>,
    pub unit_id: Option<i64>,
}

/// Compliance per unit and plan on a day, overdue units first, and the district's rate.
#[utoipa::path(tag = "drills", params(DrillComplianceQuery), security(("bearer" = [])), responses((status = 200, body = DrillComplianceReport)))]
#[get("/drills/compliance")]
pub async fn compliance_report(
    api: Api,
    q: web::Query<DrillComplianceQuery>,
) -> Reply<DrillComplianceReport> {
    let q = q.into_inner();
    api.json(move |c| {
        let day = q.on.unwrap_or_else(|| today(c.now, c.tz));
        compliance::report(c.conn, c.actor, day, c.tz, q.unit_id)
    })
    .await
}

/// Which year.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DrillFeedQuery {
    pub year: Option<i32>,
}

/// The drills of a year the caller may see, as an iCalendar feed.
#[utoipa::path(tag = "drills", params(DrillFeedQuery), security(("bearer" = [])),
    responses((status = 200, description = "iCalendar", content_type = "text/calendar")))]
#[get("/drills/calendar.ics")]
pub async fn feed(api: Api, q: web::Query<DrillFeedQuery>) -> Result<HttpResponse, ApiError> {
    let year = q.into_inner().year;
    let body = api
        .run(move |c| {
            let y = year.unwrap_or_else(|| today(c.now, c.tz).year());
            calendar::feed(c.conn, c.actor, y, c.tz, &c.config.base_url)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .body(body))
}
