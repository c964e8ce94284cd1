//! Corrective actions (整改): opened from a drill, evidence from the owner, verification by someone else.

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::attachments::{AttachmentInfo, Upload, SCANS};
use crate::clock::today;
use crate::drills::model::ActionInput;
use crate::drills::service::actions::{self as service, DrillActionView};
use crate::org::api::Reply;
use crate::web::error::ApiError;
use crate::web::json::Json;
use crate::web::Api;

/// A corrective action to open.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillActionIn {
    pub problem: String,
    pub owner_person_id: i64,
    pub due_on: NaiveDate,
    /// The plan must be revised before the action closes.
    #[serde(default)]
    pub revise_plan: bool,
}

/// Open a corrective action from a held or evaluated drill.
#[utoipa::path(tag = "drills", request_body = DrillActionIn, security(("bearer" = [])), responses((status = 201, body = DrillActionView)))]
#[post("/drills/{id:\\d+}/actions")]
pub async fn add_action(
    api: Api,
    id: web::Path<i64>,
    body: Json<DrillActionIn>,
) -> Reply<DrillActionView> {
    let (id, b) = (id.into_inner(), body.0);
    api.reply(StatusCode::CREATED, move |c| {
        let day = today(c.now, c.tz);
        let input =
            ActionInput::parse(&b.problem, b.owner_person_id, b.due_on, b.revise_plan, day)?;
        service::add(c.conn, c.actor, c.now, day, id, input)
    })
    .await
}

/// Which actions.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DrillActionQuery {
    /// Unclosed ones only.
    pub open: Option<bool>,
}

/// The corrective actions the caller may see (their own among them), by deadline.
#[utoipa::path(tag = "drills", params(DrillActionQuery), security(("bearer" = [])), responses((status = 200, body = Vec<DrillActionView>)))]
#[get("/drills/actions")]
pub async fn actions(api: Api, q: web::Query<DrillActionQuery>) -> Reply<Vec<DrillActionView>> {
    let open = q.into_inner().open.unwrap_or(false);
    api.json(move |c| service::list(c.conn, c.actor, open, today(c.now, c.tz)))
        .await
}

/// One corrective action.
#[utoipa::path(tag = "drills", security(("bearer" = [])), responses((status = 200, body = DrillActionView)))]
#[get("/drills/actions/{id}")]
pub async fn action(api: Api, id: web::Path<i64>) -> Reply<DrillActionView> {
    let id = id.into_inner();
    api.json(move |c| service::get(c.conn, c.actor, id, today(c.now, c.tz)))
        .await
}

/// Evidence of completion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillEvidenceIn {
    pub evidence: String,
}

/// The owner submits evidence of completion (attach a file first with `PUT …/file`).
#[utoipa::path(tag = "drills", request_body = DrillEvidenceIn, security(("bearer" = [])), responses((status = 200, body = DrillActionView)))]
#[post("/drills/actions/{id}/evidence")]
pub async fn submit_evidence(
    api: Api,
    id: web::Path<i64>,
    body: Json<DrillEvidenceIn>,
) -> Reply<DrillActionView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let day = today(c.now, c.tz);
        service::submit(c.conn, c.actor, c.now, day, id, &b.evidence, None)
    })
    .await
}

/// Attach the evidence file to an open action: a PDF, PNG or JPEG of at most 5 MB.
#[utoipa::path(tag = "drills", request_body(content((String = "application/pdf"), (String = "image/png"), (String = "image/jpeg"))), security(("bearer" = [])),
    responses((status = 200, body = AttachmentInfo)))]
#[put("/drills/actions/{id}/file")]
pub async fn put_action_file(
    api: Api,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Reply<AttachmentInfo> {
    let (id, name) = (id.into_inner(), super::sent_name(&req));
    api.json(move |c| {
        let upload = Upload::check("file", &name, body.to_vec(), SCANS)?;
        service::attach(c.conn, c.actor, c.now, today(c.now, c.tz), id, upload)
    })
    .await
}

/// The evidence file.
#[utoipa::path(tag = "drills", security(("bearer" = [])),
    responses((status = 200, description = "The file", content((String = "application/pdf"), (String = "image/png"), (String = "image/jpeg")))))]
#[get("/drills/actions/{id}/file")]
pub async fn get_action_file(api: Api, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (info, bytes) = api
        .run(move |c| service::file(c.conn, c.actor, id, today(c.now, c.tz)))
        .await?;
    Ok(super::file_response(
        &format!("evidence-{id}"),
        &info,
        bytes,
    ))
}

/// A verification: close, or reject the evidence with a note (the action reopens).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillVerifyIn {
    pub accept: bool,
    #[serde(default)]
    pub note: String,
}

/// The drill's coordinator (not the owner) closes the action or reopens it.
#[utoipa::path(tag = "drills", request_body = DrillVerifyIn, security(("bearer" = [])), responses((status = 200, body = DrillActionView)))]
#[post("/drills/actions/{id}/verification")]
pub async fn verify(
    api: Api,
    id: web::Path<i64>,
    body: Json<DrillVerifyIn>,
) -> Reply<DrillActionView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let day = today(c.now, c.tz);
        service::verify(c.conn, c.actor, c.now, day, id, b.accept, &b.note)
    })
    .await
}
