//! `/api/v1/people/{id}/team-record`, `/api/v1/certificates`, `/api/v1/leaves`: a person's certificates
//! (with the scan), leave and training, for themselves and those who manage them.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::attachments::{AttachmentInfo, Upload, SCANS};
use crate::clock::today;
use crate::teams::model::{CertificateInput, LeaveInput, LeaveKind};
use crate::teams::service::certificates::{self, PersonRecord};
use crate::teams::service::leaves::{self, Decision};
use crate::teams::store::certificates::Certificate;
use crate::teams::store::leaves::Leave;
use crate::web::error::ApiError;
use crate::web::json::Json;
use crate::web::{Api, Reply};

/// A person's team record: memberships, certificates (valid today, days left), leave, training this year.
#[utoipa::path(tag = "team people", security(("bearer" = [])), responses((status = 200, body = PersonRecord)))]
#[get("/people/{id}/team-record")]
pub async fn record(api: Api, id: web::Path<i64>) -> Reply<PersonRecord> {
    let id = id.into_inner();
    api.json(move |c| certificates::record(c.conn, c.actor, id, c.now, c.tz))
        .await
}

/// A certificate.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateIn {
    pub person_id: i64,
    /// A certificate type code from `GET /team-lists`.
    pub certificate_type: String,
    pub number: String,
    #[serde(default)]
    pub issuer: String,
    pub issued_on: NaiveDate,
    /// The last day it is valid; none: it does not lapse.
    pub expires_on: Option<NaiveDate>,
}

impl CertificateIn {
    fn parse(self, today: NaiveDate) -> crate::error::ServiceResult<CertificateInput> {
        CertificateInput::parse(
            self.person_id,
            &self.certificate_type,
            &self.number,
            &self.issuer,
            (self.issued_on, self.expires_on),
            today,
        )
    }
}

/// Record a certificate (those who manage the person: their unit's head, the office, their team's
/// 队长/副队长). The scan is attached with `PUT /certificates/{id}/scan`.
#[utoipa::path(tag = "team people", request_body = CertificateIn, security(("bearer" = [])), responses((status = 201, body = Certificate)))]
#[post("/certificates")]
pub async fn add_certificate(api: Api, body: Json<CertificateIn>) -> Reply<Certificate> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        certificates::add(c.conn, c.actor, c.now, b.parse(today(c.now, c.tz))?, None)
    })
    .await
}

/// Change or renew a certificate.
#[utoipa::path(tag = "team people", request_body = CertificateIn, security(("bearer" = [])), responses((status = 200, body = Certificate)))]
#[put("/certificates/{id:\\d+}")]
pub async fn update_certificate(
    api: Api,
    id: web::Path<i64>,
    body: Json<CertificateIn>,
) -> Reply<Certificate> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        certificates::update(c.conn, c.actor, c.now, id, b.parse(today(c.now, c.tz))?)
    })
    .await
}

/// Attach the scanned copy: the body is the file itself, a PDF, PNG or JPEG of at most 5 MB (the type is
/// read from the bytes). Replaces an earlier scan.
#[utoipa::path(tag = "team people", request_body(content((String = "application/pdf"), (String = "image/png"), (String = "image/jpeg"))), security(("bearer" = [])),
    responses((status = 200, body = AttachmentInfo)))]
#[put("/certificates/{id}/scan")]
pub async fn put_scan(
    api: Api,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Reply<AttachmentInfo> {
    let id = id.into_inner();
    let name = req
        .headers()
        .get("X-File-Name")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("scan")
        .to_string();
    api.json(move |c| {
        let upload = Upload::check("scan", &name, body.to_vec(), SCANS)?;
        certificates::attach_scan(c.conn, c.actor, c.now, id, upload)
    })
    .await
}

/// The scanned copy (only for the holder and those who manage them).
#[utoipa::path(tag = "team people", security(("bearer" = [])),
    responses((status = 200, description = "The scan", content((String = "application/pdf"), (String = "image/png"), (String = "image/jpeg")))))]
#[get("/certificates/{id}/scan")]
pub async fn get_scan(api: Api, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (info, bytes) = api
        .run(move |c| certificates::scan(c.conn, c.actor, id))
        .await?;
    Ok(scan_response(id, &info, bytes))
}

/// A kept scan as a download that a browser does not run: its sniffed type, `nosniff`, an attachment.
pub fn scan_response(certificate: i64, info: &AttachmentInfo, bytes: Vec<u8>) -> HttpResponse {
    let ext = match info.content_type.as_str() {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    };
    HttpResponse::Ok()
        .content_type(info.content_type.clone())
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"certificate-{certificate}.{ext}\""),
        ))
        .body(bytes)
}

/// A leave request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveIn {
    pub person_id: i64,
    pub kind: LeaveKind,
    pub starts_on: NaiveDate,
    /// The last day away.
    pub ends_on: NaiveDate,
    #[serde(default)]
    pub reason: String,
}

/// Ask for leave (the person themselves, or someone who manages them).
#[utoipa::path(tag = "team people", request_body = LeaveIn, security(("bearer" = [])), responses((status = 201, body = Leave)))]
#[post("/leaves")]
pub async fn request_leave(api: Api, body: Json<LeaveIn>) -> Reply<Leave> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        let day = today(c.now, c.tz);
        let input = LeaveInput::parse(b.person_id, b.kind, b.starts_on, b.ends_on, &b.reason, day)?;
        leaves::request(c.conn, c.actor, c.now, input)
    })
    .await
}

/// Which leaves.
#[derive(Debug, Deserialize, IntoParams)]
pub struct LeaveQuery {
    /// One person's leaves (ending within the last year or later); without it, those awaiting my decision.
    pub person_id: Option<i64>,
}

/// Leaves awaiting my decision, or one person's.
#[utoipa::path(tag = "team people", params(LeaveQuery), security(("bearer" = [])), responses((status = 200, body = Vec<Leave>)))]
#[get("/leaves")]
pub async fn list_leaves(api: Api, q: web::Query<LeaveQuery>) -> Reply<Vec<Leave>> {
    let person = q.person_id;
    api.json(move |c| match person {
        Some(p) => {
            let from = today(c.now, c.tz) - chrono::Duration::days(365);
            leaves::of_person(c.conn, c.actor, p, Some(from))
        }
        None => leaves::awaiting(c.conn, c.actor),
    })
    .await
}

/// A decision's note (required to refuse).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    #[serde(default)]
    pub note: String,
}

async fn decide(api: Api, id: i64, decision: Decision, note: String) -> Reply<Leave> {
    api.json(move |c| leaves::decide(c.conn, c.actor, c.now, id, decision, &note))
        .await
}

/// Approve a leave (someone who manages the person; never their own).
#[utoipa::path(tag = "team people", request_body = DecisionIn, security(("bearer" = [])), responses((status = 200, body = Leave)))]
#[post("/leaves/{id}/approve")]
pub async fn approve_leave(api: Api, id: web::Path<i64>, body: Json<DecisionIn>) -> Reply<Leave> {
    decide(api, id.into_inner(), Decision::Approve, body.0.note).await
}

/// Refuse a leave, saying why.
#[utoipa::path(tag = "team people", request_body = DecisionIn, security(("bearer" = [])), responses((status = 200, body = Leave)))]
#[post("/leaves/{id}/refuse")]
pub async fn refuse_leave(api: Api, id: web::Path<i64>, body: Json<DecisionIn>) -> Reply<Leave> {
    decide(api, id.into_inner(), Decision::Refuse, body.0.note).await
}

/// Withdraw a leave (pending or approved: someone called back).
#[utoipa::path(tag = "team people", request_body = DecisionIn, security(("bearer" = [])), responses((status = 200, body = Leave)))]
#[post("/leaves/{id}/cancel")]
pub async fn cancel_leave(api: Api, id: web::Path<i64>, body: Json<DecisionIn>) -> Reply<Leave> {
    decide(api, id.into_inner(), Decision::Cancel, body.0.note).await
}
