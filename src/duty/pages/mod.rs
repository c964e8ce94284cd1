//! Duty pages: who is on duty now (for a phone and the duty room's wall), rosters and their plans, the
//! places on a shift, the duty log and handover of a shift, my duty with swaps and substitutions, calendar
//! feeds, presence checks; the 值班表 in and out as spreadsheets, the year's report and the contact directory.

mod board;
mod changes;
mod directory;
mod feeds;
mod mine;
mod paper;
mod plan;
mod presence;
mod reports;
mod roster;
mod shift;

use actix_web::web;
use chrono::NaiveDate;

use crate::duty::model::ChangeState;
use crate::duty::notices::span;
use crate::duty::service::change_list::ChangeSeen;
use crate::duty::service::now::ShiftNow;
use crate::duty::store::shifts::OnShift;
use crate::error::ServiceError;
use crate::i18n::Lang;

/// Registers the pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    board::routes(cfg);
    roster::routes(cfg);
    plan::routes(cfg);
    presence::routes(cfg);
    shift::routes(cfg);
    mine::routes(cfg);
    changes::routes(cfg);
    feeds::routes(cfg);
    paper::routes(cfg);
    reports::routes(cfg);
    directory::routes(cfg);
}

/// A person on a shift as pages show them: name, post, phone.
struct Who {
    name: String,
    post: String,
    phone: String,
}

/// A shift as pages show it.
struct ShiftLine {
    id: i64,
    name: String,
    /// Start and end in office time.
    when: String,
    leaders: Vec<Who>,
    officers: Vec<Who>,
}

fn who(h: &OnShift) -> Who {
    Who {
        name: h.name.clone(),
        post: h.post.clone(),
        phone: h.phone.clone(),
    }
}

fn shift_line(s: &ShiftNow, tz: chrono_tz::Tz) -> ShiftLine {
    ShiftLine {
        id: s.shift_id,
        name: s.name.clone(),
        when: crate::duty::notices::span(s.starts_at, s.ends_at, tz),
        leaders: s.leaders.iter().map(who).collect(),
        officers: s.officers.iter().map(who).collect(),
    }
}

/// The months from `from` to `to` as `2026-12`, for the 值班表 downloads of each.
fn months_between(from: chrono::NaiveDate, to: chrono::NaiveDate) -> Vec<String> {
    let mut out: Vec<String> = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|d| d.format("%Y-%m").to_string())
        .collect();
    out.dedup();
    out
}

/// The weekday of a date in `lang` (星期一 / Mon).
fn weekday(day: chrono::NaiveDate, lang: Lang) -> &'static str {
    use chrono::Datelike;
    let i = day.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Zh => [
            "星期一",
            "星期二",
            "星期三",
            "星期四",
            "星期五",
            "星期六",
            "星期日",
        ][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

/// Where a refused duty form finds its field's label: `df.{field}`, `duty.{field}`, `field.{field}`.
const LABELS: &[&str] = &["df", "duty", "field"];

/// The last value of form field `name` (empty when absent).
fn text<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// A whole number typed into form field `name`.
fn number(f: &[(String, String)], name: &'static str) -> Result<i64, ServiceError> {
    text(f, name)
        .trim()
        .parse()
        .map_err(|_| ServiceError::invalid(name, "请填写整数", "Enter a whole number"))
}

/// A date typed into form field `name` (year-month-day).
fn date(f: &[(String, String)], name: &'static str) -> Result<NaiveDate, ServiceError> {
    NaiveDate::parse_from_str(text(f, name).trim(), "%Y-%m-%d").map_err(|_| {
        ServiceError::invalid(
            name,
            "日期格式应为 2026-12-01",
            "Dates look like 2026-12-01",
        )
    })
}

/// A change as lists show it.
struct ChangeLine {
    id: i64,
    kind: &'static str,
    /// The shift given up (and for a swap, the one taken in return), in office time.
    when: String,
    state: &'static str,
    open: bool,
    giver: String,
    taker: String,
    reason: String,
    note: String,
    /// While it is open: what applying it would clash with.
    clashes: Vec<String>,
}

fn change_line(s: &ChangeSeen, lang: Lang, tz: chrono_tz::Tz) -> ChangeLine {
    let c = &s.change;
    let at = |t: Option<(_, _)>| t.map_or_else(String::new, |(a, b)| span(a, b, tz));
    ChangeLine {
        id: c.id,
        when: match c.taker_shift_id {
            Some(_) => format!("{} ⇄ {}", at(s.shift), at(s.other)),
            None => at(s.shift),
        },
        kind: c.kind.label(lang),
        state: c.state.label(lang),
        open: matches!(c.state, ChangeState::Asked | ChangeState::Agreed),
        giver: s.giver.clone(),
        taker: s.taker.clone(),
        reason: c.reason.clone(),
        note: c.decision_note.clone(),
        clashes: s.clashes.iter().map(|t| t.get(lang).to_string()).collect(),
    }
}
