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

use crate::duty::service::now::ShiftNow;
use crate::duty::store::shifts::OnShift;
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
