//! Allocation pages: a unit's requests in and out, the request form (and the office's emergency order), a
//! request with only the actions its viewer may take now, the sourcing view, loans and goods on the road,
//! the printable 调拨单 and the lines as a spreadsheet. Forms work without JavaScript; a refused one comes
//! back with what was typed.

mod acts;
mod ask;
mod lists;
mod request;
mod shown;
mod sources;

use actix_web::web;

use crate::allocation::service::RequestView;
use crate::error::ServiceError;
use crate::i18n::Lang;
use crate::inventory::model::{as_typed, Quantity};

/// Registers the pages (fixed paths before `/allocations/{id}`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    lists::routes(cfg);
    ask::routes(cfg);
    sources::routes(cfg);
    request::routes(cfg);
    acts::routes(cfg);
}

/// Where a refused allocation form finds its field's label: `al.{field}`, then `field.{field}`.
const LABELS: &[&str] = &["al", "field"];

/// The last value of form field `name` (empty when absent), trimmed.
fn text<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

/// Every value sent for `name` that is a number (the hidden `line`/`batch` fields naming a form's rows).
fn ids(f: &[(String, String)], name: &str) -> Vec<i64> {
    f.iter()
        .filter(|(k, _)| k == name)
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect()
}

/// A quantity typed into `name` (full-width digits accepted); blank is zero.
fn qty(f: &[(String, String)], name: &str, field: &'static str) -> Result<Quantity, ServiceError> {
    match text(f, name) {
        "" => Ok(Quantity::ZERO),
        raw => Quantity::parse(field, &as_typed(raw)),
    }
}

/// A request as the lists show it.
struct RequestRow {
    id: i64,
    no: String,
    kind: &'static str,
    emergency: bool,
    unit: String,
    /// "防汛沙袋 2000 条、抽水泵 2 台".
    items: String,
    urgent: bool,
    priority: &'static str,
    needed_by: String,
    return_due: String,
    /// Each line state with how many lines are in it.
    states: Vec<(&'static str, usize)>,
    state: &'static str,
    overdue: bool,
}

fn request_row(v: &RequestView, lang: Lang, tz: chrono_tz::Tz) -> RequestRow {
    let r = &v.request;
    let mut states: Vec<(&'static str, usize)> = Vec::new();
    for l in &v.lines {
        let label = l.state.label(lang);
        match states.iter_mut().find(|(s, _)| *s == label) {
            Some(s) => s.1 += 1,
            None => states.push((label, 1)),
        }
    }
    RequestRow {
        id: r.id,
        no: r.no.clone(),
        kind: r.kind.label(lang),
        emergency: r.emergency,
        unit: v.unit.clone(),
        items: v
            .lines
            .iter()
            .map(|l| format!("{} {} {}", l.item_name, l.requested, l.uom))
            .collect::<Vec<_>>()
            .join(lang.t("list.and")),
        urgent: r.priority == crate::allocation::model::Priority::Urgent,
        priority: r.priority.label(lang),
        needed_by: crate::web::context::local_time(&r.needed_by, tz),
        return_due: r.return_due.map(|d| d.to_string()).unwrap_or_default(),
        states,
        state: r.state.label(lang),
        overdue: v.overdue,
    }
}
