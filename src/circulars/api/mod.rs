//! `/api/v1/circulars…`: drafting and issuing circulars, their files, acknowledging and answering them,
//! reminding the laggards, withdrawing, the overdue report.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::attachments::{AttachmentInfo, Upload, SCANS};
use crate::circulars::model::{
    CircularInput, CircularReplyMode, CircularUrgency, Pick, ReplyInput,
};
use crate::circulars::service::tracking::{self, CircularOverdueRow};
use crate::circulars::service::{self, answering, drafting, CircularRow, CircularView, Folder};
use crate::circulars::Area;
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::{Role, UnitKind};
use crate::web::error::ApiError;
use crate::web::json::Json;
use crate::web::{client_address, Api, Reply};

/// Which circulars.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CircularQuery {
    /// `received` (addressed to my units, the default) or `sent`.
    pub folder: Option<String>,
}

/// A folder named in a query or form.
pub fn folder(raw: Option<&str>) -> ServiceResult<Folder> {
    match raw.map(str::trim) {
        None | Some("") | Some("received") => Ok(Folder::Received),
        Some("sent") => Ok(Folder::Sent),
        Some(_) => Err(ServiceError::invalid(
            "folder",
            "folder 只能是 received 或 sent",
            "folder is received or sent",
        )),
    }
}

/// The circulars addressed to my units, or those I send, newest first.
#[utoipa::path(tag = "circulars", params(CircularQuery), security(("bearer" = [])), responses((status = 200, body = Vec<CircularRow>)))]
#[get("/circulars")]
pub async fn list(api: Api, q: web::Query<CircularQuery>) -> Reply<Vec<CircularRow>> {
    let q = q.into_inner();
    api.json(move |c| service::list(c.conn, c.actor, folder(q.folder.as_deref())?, c.now))
        .await
}

/// The units a circular is addressed to: every active unit of these kinds, in these subtrees, or named.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CircularUnitsIn {
    /// Unit kinds (`department`, `street`, …).
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Units whose whole subtree is addressed (the unit included).
    #[serde(default)]
    pub subtrees: Vec<i64>,
    /// Units addressed one by one.
    #[serde(default)]
    pub units: Vec<i64>,
}

/// A circular to draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CircularIn {
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
    /// Plain text; each line is a paragraph.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// `routine` (平件), `urgent` (加急) or `immediate` (特急).
    pub urgency: String,
    /// The unit it is sent from (one the caller heads; office staff: the office).
    pub from_unit_id: i64,
    /// The acknowledgement deadline (RFC 3339).
    pub ack_due: DateTime<Utc>,
    /// Those with this role in each addressed unit hear it besides the unit's contacts (default `unit_head`).
    pub notify_role: Option<String>,
    /// `none`, `text` or `fields`.
    pub reply_mode: String,
    /// A reply may carry a file (PDF, PNG or JPEG).
    #[serde(default)]
    pub reply_file: bool,
    /// The reply form's fields (for `fields`), e.g. `["值班人员", "联系电话"]`.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub fields: Vec<String>,
    pub addressed: CircularUnitsIn,
}

impl CircularIn {
    fn input(self) -> ServiceResult<CircularInput> {
        Ok(CircularInput {
            title: self.title,
            body: self.body,
            urgency: CircularUrgency::parse(&self.urgency)?,
            from_unit_id: self.from_unit_id,
            ack_due: self.ack_due,
            notify_role: Role::parse(self.notify_role.as_deref().unwrap_or("unit_head"))?,
            reply_mode: CircularReplyMode::parse(&self.reply_mode)?,
            reply_file: self.reply_file,
            fields: self.fields,
            pick: Pick {
                kinds: self
                    .addressed
                    .kinds
                    .iter()
                    .map(|k| UnitKind::parse(k))
                    .collect::<ServiceResult<_>>()?,
                subtrees: self.addressed.subtrees,
                units: self.addressed.units,
            },
        })
    }
}

/// Draft a circular (a unit's head to the units below it; office staff to any unit). Attach files with
/// `POST /circulars/{id}/files`, then issue it.
#[utoipa::path(tag = "circulars", request_body = CircularIn, security(("bearer" = [])), responses((status = 201, body = CircularView)))]
#[post("/circulars")]
pub async fn create(api: Api, body: Json<CircularIn>) -> Reply<CircularView> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        drafting::draft(c.conn, c.actor, c.now, b.input()?)
    })
    .await
}

/// Units that have not acknowledged an issued circular by its deadline (of the circulars the caller sends;
/// office staff: all), with reminders and escalation.
#[utoipa::path(tag = "circulars", security(("bearer" = [])), responses((status = 200, body = Vec<CircularOverdueRow>)))]
#[get("/circulars/overdue")]
pub async fn overdue(api: Api) -> Reply<Vec<CircularOverdueRow>> {
    api.json(move |c| tracking::overdue_report(c.conn, c.actor, c.now))
        .await
}

/// A circular: the sender sees every addressed unit; an addressed unit its own row.
#[utoipa::path(tag = "circulars", security(("bearer" = [])), responses((status = 200, body = CircularView)))]
#[get("/circulars/{id:\\d+}")]
pub async fn get(api: Api, id: web::Path<i64>) -> Reply<CircularView> {
    let id = id.into_inner();
    api.json(move |c| service::get(c.conn, c.actor, id, c.now))
        .await
}

/// Attach a file to a draft: the body is the file, a PDF, PNG or JPEG of at most 5 MB (the type is read
/// from the bytes); its name in `X-File-Name` (percent-encoded UTF-8).
#[utoipa::path(tag = "circulars", request_body(content((String = "application/pdf"), (String = "image/png"), (String = "image/jpeg"))), security(("bearer" = [])),
    responses((status = 201, body = AttachmentInfo)))]
#[post("/circulars/{id:\\d+}/files")]
pub async fn add_file(
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
        .map(|v| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_else(|| "attachment".into());
    api.reply(StatusCode::CREATED, move |c| {
        let upload = Upload::check("file", &name, body.to_vec(), SCANS)?;
        drafting::add_file(c.conn, c.actor, c.now, id, upload)
    })
    .await
}

/// A file as a download a browser does not run: its sniffed type, `nosniff`, an attachment.
pub fn file_response(info: &AttachmentInfo, bytes: Vec<u8>) -> HttpResponse {
    let encoded: String = info
        .file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HttpResponse::Ok()
        .content_type(info.content_type.clone())
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"attachment-{}\"; filename*=UTF-8''{encoded}",
                info.id
            ),
        ))
        .body(bytes)
}

/// One of the circular's attachments, or a unit's reply file (those who may see it).
#[utoipa::path(tag = "circulars", security(("bearer" = [])),
    responses((status = 200, description = "The file", content((String = "application/pdf"), (String = "image/png"), (String = "image/jpeg")))))]
#[get("/circulars/{id:\\d+}/files/{file:\\d+}")]
pub async fn file(api: Api, path: web::Path<(i64, i64)>) -> Result<HttpResponse, ApiError> {
    let (id, file) = path.into_inner();
    let (info, bytes) = api
        .run(move |c| answering::file(c.conn, c.actor, c.now, id, file))
        .await?;
    Ok(file_response(&info, bytes))
}

/// Issue a draft: every addressed unit is told by email (with its own 签收 link) and its group chat.
#[utoipa::path(tag = "circulars", security(("bearer" = [])), responses((status = 200, body = CircularView)))]
#[post("/circulars/{id:\\d+}/issue")]
pub async fn issue(api: Api, area: web::Data<Area>, id: web::Path<i64>) -> Reply<CircularView> {
    let (id, area) = (id.into_inner(), area.into_inner());
    api.json(move |c| drafting::issue(c.conn, c.actor, c.now, c.config, &area, id))
        .await
}

/// Why a circular is withdrawn.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CircularWithdrawIn {
    #[schema(min_length = 1, max_length = 200)]
    pub reason: String,
}

/// Withdraw an issued circular: unsent notices are cancelled; its 签收 links and replies stop working.
#[utoipa::path(tag = "circulars", request_body = CircularWithdrawIn, security(("bearer" = [])), responses((status = 200, body = CircularView)))]
#[post("/circulars/{id:\\d+}/withdraw")]
pub async fn withdraw(
    api: Api,
    id: web::Path<i64>,
    body: Json<CircularWithdrawIn>,
) -> Reply<CircularView> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| drafting::withdraw(c.conn, c.actor, c.now, id, &b.reason))
        .await
}

/// A reminder sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct CircularReminded {
    /// How many units were reminded.
    pub reminded: usize,
    pub circular: CircularView,
}

/// Remind every unit that has not acknowledged or still owes a reply, in one action.
#[utoipa::path(tag = "circulars", security(("bearer" = [])), responses((status = 200, body = CircularReminded)))]
#[post("/circulars/{id:\\d+}/remind")]
pub async fn remind(
    api: Api,
    area: web::Data<Area>,
    id: web::Path<i64>,
) -> Reply<CircularReminded> {
    let (id, area) = (id.into_inner(), area.into_inner());
    api.json(move |c| {
        let (circular, reminded) = tracking::remind(c.conn, c.actor, c.now, c.config, &area, id)?;
        Ok(CircularReminded { reminded, circular })
    })
    .await
}

/// Acknowledge (签收) a circular for one of my units.
#[utoipa::path(tag = "circulars", security(("bearer" = [])), responses((status = 200, body = CircularView)))]
#[post("/circulars/{id:\\d+}/units/{unit:\\d+}/acknowledge")]
pub async fn acknowledge(
    api: Api,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
) -> Reply<CircularView> {
    let ((id, unit), address) = (path.into_inner(), client_address(&req));
    api.json(move |c| answering::acknowledge(c.conn, c.actor, c.now, id, unit, &address))
        .await
}

/// A reply (回执): free text, or one value per field of the circular's form. A file goes with a reply
/// through the circular's page.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CircularReplyIn {
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub text: String,
    #[serde(default)]
    #[schema(max_items = 10)]
    pub values: Vec<String>,
}

/// Reply to a circular for one of my units (acknowledging it too); a later reply replaces the earlier.
#[utoipa::path(tag = "circulars", request_body = CircularReplyIn, security(("bearer" = [])), responses((status = 200, body = CircularView)))]
#[post("/circulars/{id:\\d+}/units/{unit:\\d+}/reply")]
pub async fn reply(
    api: Api,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    body: Json<CircularReplyIn>,
) -> Reply<CircularView> {
    let ((id, unit), address, b) = (path.into_inner(), client_address(&req), body.0);
    api.json(move |c| {
        let input = ReplyInput {
            text: b.text,
            values: b.values,
        };
        answering::reply(c.conn, c.actor, c.now, id, unit, input, None, &address)
    })
    .await
}
