//! `/api/v1/drills…`: the plan registry (rules, units' profiles, plans and their files), annual drill plans,
//! drills (scheme, approval, materials, the day, evaluation, report), corrective actions, compliance and the
//! iCalendar feed and its secret subscriptions.

mod corrective;
mod exercises;
mod feeds;
mod registry;

pub use corrective::*;
pub use exercises::*;
pub use feeds::*;
pub use registry::*;

use actix_web::http::header;
use actix_web::HttpResponse;

use crate::attachments::AttachmentInfo;

/// A kept file as a download a browser does not run: its sniffed type, `nosniff`, an attachment.
pub fn file_response(name: &str, info: &AttachmentInfo, bytes: Vec<u8>) -> HttpResponse {
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
            format!("attachment; filename=\"{name}.{ext}\""),
        ))
        .body(bytes)
}

/// The file name a client sent in `X-File-Name` (shown only).
pub fn sent_name(req: &actix_web::HttpRequest) -> String {
    req.headers()
        .get("X-File-Name")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("file")
        .to_string()
}
