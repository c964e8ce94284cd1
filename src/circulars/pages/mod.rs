//! Circular pages: the circulars my units received and those I send, the drafting form, a circular with
//! only the forms its viewer may use now (issue, withdraw, remind; acknowledge, reply) and its printable
//! tracking sheet, the replies as a spreadsheet, the overdue report, and the 签收 link's page that works
//! without signing in (opening it acknowledges nothing; its button does). Forms work without JavaScript.

mod form;
mod link;
mod lists;
mod show;

use actix_web::web;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use crate::error::ServiceError;

/// Registers the pages (fixed paths before `/circulars/{id}`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    lists::routes(cfg);
    form::routes(cfg);
    link::routes(cfg);
    show::routes(cfg);
}

/// Where a refused circular form finds its field's label: `ci.{field}`, then `field.{field}`.
const LABELS: &[&str] = &["ci", "field"];

/// The last value of form field `name` (empty when absent), trimmed.
fn text<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

/// A time typed into a `datetime-local` field (`2026-11-29T18:00`), in the office's zone.
fn local_instant(
    field: &'static str,
    raw: &str,
    tz: chrono_tz::Tz,
) -> Result<DateTime<Utc>, ServiceError> {
    let bad = || {
        ServiceError::invalid(
            field,
            "时间格式应为 年-月-日 时:分，例如 2026-11-29 18:00",
            "A time is year-month-day hour:minute, e.g. 2026-11-29 18:00",
        )
    };
    let raw = raw.trim();
    let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .ok_or_else(bad)?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(bad)
}
