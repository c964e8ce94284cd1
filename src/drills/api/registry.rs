//! The plan registry's API: frequency rules, units' profiles, plans and their files.

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::attachments::{AttachmentInfo, Upload, SCANS};
use crate::clock::today;
use crate::drills::model::{check_months, DrillSector, PlanInput, PlanLevel, PlanRaw};
use crate::drills::service::registry::{
    self as service, DrillPlanView, DrillRuleRow, DrillUnitProfile,
};
use crate::error::ServiceResult;
use crate::org::api::Reply;
use crate::web::error::ApiError;
use crate::web::json::Json;
use crate::web::Api;

/// The minimum drill frequency of every sector and plan level: the office's where set, else the default.
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 200, body = Vec<DrillRuleRow>)))]
#[get("/drills/rules")]
pub async fn rules(api: Api) -> Reply<Vec<DrillRuleRow>> {
    api.json(|c| service::rules(c.conn)).await
}

/// A change to the frequency table.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillRuleIn {
    pub sector: DrillSector,
    pub level: PlanLevel,
    /// 6, 12, 24 or 36; null goes back to the regulations' default.
    pub months: Option<i64>,
}

/// The office sets the frequency of a sector and level (office staff, administrators).
#[utoipa::path(tag = "drills", request_body = DrillRuleIn, security(("bearer" = [])), responses((status = 200, body = Vec<DrillRuleRow>)))]
#[put("/drills/rules")]
pub async fn set_rule(api: Api, body: Json<DrillRuleIn>) -> Reply<Vec<DrillRuleRow>> {
    let b = body.0;
    api.json(move |c| {
        let months = b.months.map(|m| check_months("months", m)).transpose()?;
        service::set_rule(c.conn, c.actor, c.now, b.sector, b.level, months)
    })
    .await
}

/// A unit's sector and supervising department.
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 200, body = DrillUnitProfile)))]
#[get("/drills/units/{id}/profile")]
pub async fn profile(api: Api, id: web::Path<i64>) -> Reply<DrillUnitProfile> {
    let id = id.into_inner();
    api.json(move |c| service::profile(c.conn, c.actor, id))
        .await
}

/// A unit's sector and supervising department as the office sets them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillProfileIn {
    pub sector: DrillSector,
    pub supervisor_unit_id: Option<i64>,
}

/// The office sets a unit's sector and supervising department.
#[utoipa::path(tag = "drills", request_body = DrillProfileIn, security(("bearer" = [])), responses((status = 200, body = DrillUnitProfile)))]
#[put("/drills/units/{id}/profile")]
pub async fn set_profile(
    api: Api,
    id: web::Path<i64>,
    body: Json<DrillProfileIn>,
) -> Reply<DrillUnitProfile> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        service::set_profile(c.conn, c.actor, c.now, id, b.sector, b.supervisor_unit_id)
    })
    .await
}

/// Which plans.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DrillPlanQuery {
    /// One unit's.
    pub unit_id: Option<i64>,
    /// Retired plans too.
    pub all: Option<bool>,
}

/// The plans the caller may see (an enterprise sees its own), each with where it stands today.
#[utoipa::path(tag = "drills", params(DrillPlanQuery), security(("bearer" = [])), responses((status = 200, body = Vec<DrillPlanView>)))]
#[get("/drills/plans")]
pub async fn plans(api: Api, q: web::Query<DrillPlanQuery>) -> Reply<Vec<DrillPlanView>> {
    let q = q.into_inner();
    api.json(move |c| {
        let day = today(c.now, c.tz);
        service::plans(
            c.conn,
            c.actor,
            q.unit_id,
            q.all.unwrap_or(false),
            day,
            c.tz,
        )
    })
    .await
}

/// An emergency plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillPlanIn {
    pub unit_id: i64,
    pub level: PlanLevel,
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
    #[serde(default)]
    pub version: String,
    pub approved_on: NaiveDate,
    #[serde(default)]
    pub filed: bool,
    #[serde(default)]
    pub filing_no: String,
    /// Months between revisions (default 36).
    pub revision_months: Option<i64>,
    /// 6, 12, 24 or 36; default from the frequency table.
    pub freq_months: Option<i64>,
    /// For a change: false retires the plan.
    pub active: Option<bool>,
}

impl DrillPlanIn {
    fn parse(&self, day: NaiveDate) -> ServiceResult<PlanInput> {
        PlanInput::parse(
            self.unit_id,
            self.level,
            self.approved_on,
            self.filed,
            PlanRaw {
                title: &self.title,
                version: &self.version,
                filing_no: &self.filing_no,
                revision_months: self.revision_months,
                freq_months: self.freq_months,
            },
            day,
        )
    }
}

/// Register a plan (the unit's head or drill coordinator, office staff).
#[utoipa::path(tag = "drills", request_body = DrillPlanIn, security(("bearer" = [])), responses((status = 201, body = DrillPlanView)))]
#[post("/drills/plans")]
pub async fn create_plan(api: Api, body: Json<DrillPlanIn>) -> Reply<DrillPlanView> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        let day = today(c.now, c.tz);
        service::create_plan(c.conn, c.actor, c.now, day, c.tz, b.parse(day)?)
    })
    .await
}

/// One plan.
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 200, body = DrillPlanView)))]
#[get("/drills/plans/{id}")]
pub async fn plan(api: Api, id: web::Path<i64>) -> Reply<DrillPlanView> {
    let id = id.into_inner();
    api.json(move |c| service::plan(c.conn, c.actor, id, today(c.now, c.tz), c.tz))
        .await
}

/// Revise a plan (a new version, approval day, filing) or retire it.
#[utoipa::path(tag = "drills", request_body = DrillPlanIn, security(("bearer" = [])), responses((status = 200, body = DrillPlanView)))]
#[put("/drills/plans/{id}")]
pub async fn update_plan(
    api: Api,
    id: web::Path<i64>,
    body: Json<DrillPlanIn>,
) -> Reply<DrillPlanView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let day = today(c.now, c.tz);
        service::update_plan(
            c.conn,
            c.actor,
            c.now,
            c.tz,
            id,
            b.parse(day)?,
            b.active.unwrap_or(true),
        )
    })
    .await
}

/// Attach the plan's file: the body is a PDF, PNG or JPEG of at most 5 MB (the type is read from the bytes).
#[utoipa::path(tag = "drills", request_body(content((String = "application/pdf"), (String = "image/png"), (String = "image/jpeg"))), security(("bearer" = [])),
    responses((status = 200, body = AttachmentInfo)))]
#[put("/drills/plans/{id}/file")]
pub async fn put_plan_file(
    api: Api,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Reply<AttachmentInfo> {
    let (id, name) = (id.into_inner(), super::sent_name(&req));
    api.json(move |c| {
        let upload = Upload::check("file", &name, body.to_vec(), SCANS)?;
        service::attach_file(c.conn, c.actor, c.now, id, upload)
    })
    .await
}

/// The plan's file.
#[utoipa::path(tag = "drills", security(("bearer" = [])),
    responses((status = 200, description = "The file", content((String = "application/pdf"), (String = "image/png"), (String = "image/jpeg")))))]
#[get("/drills/plans/{id}/file")]
pub async fn get_plan_file(api: Api, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (info, bytes) = api.run(move |c| service::file(c.conn, c.actor, id)).await?;
    Ok(super::file_response(&format!("plan-{id}"), &info, bytes))
}
