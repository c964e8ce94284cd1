//! The drills area's pages: an overview with the district's compliance, the plan registry, annual plans,
//! drills (scheme, the day on a phone, evaluation, corrective actions), the actions, the compliance report
//! (printable, downloadable), the month calendar and the frequency table. Forms work without JavaScript; a
//! form's one-time token keeps a double submit from doing anything twice.

mod actions;
mod annual;
mod drill;
mod feeds;
mod registry;
mod reports;

use actix_web::web;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use crate::error::ServiceError;

/// Registers the area's pages (fixed paths before `{id}`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    reports::routes(cfg);
    feeds::routes(cfg);
    registry::routes(cfg);
    annual::routes(cfg);
    actions::routes(cfg);
    drill::routes(cfg);
}

/// A typed form field, or empty.
pub(crate) fn get<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Every value of a repeated field (checkboxes).
pub(crate) fn all_of(fields: &[(String, String)], name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// An id from a select box.
pub(crate) fn id_field(field: &'static str, v: &str) -> Result<i64, ServiceError> {
    crate::web::forms::optional_id(field, v)?.ok_or_else(|| {
        ServiceError::invalid(field, "请选择列表中的一项", "Choose an entry from the list")
    })
}

/// A date from a form field, required.
pub(crate) fn date_field(field: &'static str, v: &str) -> Result<chrono::NaiveDate, ServiceError> {
    crate::web::forms::optional_date(field, v)?
        .ok_or_else(|| ServiceError::invalid(field, "请填写日期", "The date is required"))
}

/// A time from a `datetime-local` field, in the office's zone.
pub(crate) fn local_time(
    field: &'static str,
    v: &str,
    tz: chrono_tz::Tz,
) -> Result<DateTime<Utc>, ServiceError> {
    let bad = || {
        ServiceError::invalid(
            field,
            "时间格式应为 年-月-日 时:分，例如 2026-12-10 09:30",
            "A time is year-month-day hour:minute, e.g. 2026-12-10 09:30",
        )
    };
    let v = v.trim().replace(' ', "T");
    let naive = NaiveDateTime::parse_from_str(&v, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(&v, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| bad())?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(bad)
}

/// A stored instant as the office reads it.
pub(crate) fn shown(t: NaiveDateTime, tz: chrono_tz::Tz) -> String {
    t.and_utc()
        .with_timezone(&tz)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The (code, label) choices of a text enum.
macro_rules! choices {
    ($ty:ty, $lang:expr) => {
        <$ty>::ALL
            .iter()
            .map(|v| (v.code(), v.label($lang)))
            .collect::<Vec<(&'static str, &'static str)>>()
    };
}
pub(crate) use choices;
