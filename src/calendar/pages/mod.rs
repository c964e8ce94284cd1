//! The holiday calendar page: a year as twelve month grids (holidays marked 休, adjusted workdays 班, in colour
//! and in text), its named holidays, whether its arrangement has been entered, and for those who keep the
//! calendar the forms to set a day, mark the year and import a file.

mod forms;

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::calendar::model::{check_year, may_edit, weekday_name, DayKind};
use crate::calendar::service::{self, YearView};
use crate::clock::today;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Lang;
use crate::web::context::{local_time, Ctx};
use crate::web::error::PageError;
use crate::web::{render, Page};

/// Registers the pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(year_page);
    forms::routes(cfg);
}

/// A day in a month grid (`day` 0: a blank before the first or after the last).
struct Cell {
    day: u32,
    /// `work`, `weekend`, `holiday` or `adjusted`: how the day is coloured.
    class: &'static str,
    /// 休 or 班 (the text that says what the colour says), or nothing.
    mark: &'static str,
    /// The kind and the holiday's name, for the tooltip and screen readers.
    title: String,
    today: bool,
}

/// One month of the year.
struct Month {
    title: String,
    weeks: Vec<Vec<Cell>>,
}

/// A named holiday as listed.
struct FestivalRow {
    name: String,
    days_off: String,
    days_worked: String,
}

/// A refused form shown again: which form, what was typed, why.
#[derive(Debug, Default)]
struct Typed {
    form: &'static str,
    fields: Vec<(String, String)>,
    error: String,
}

impl Typed {
    /// What was typed into `name` of `form` (empty for another form).
    fn value(&self, form: &str, name: &str) -> &str {
        if self.form != form {
            return "";
        }
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The refusal of `form`, if it was the one refused.
    fn error(&self, form: &str) -> Option<&str> {
        (self.form == form).then_some(self.error.as_str())
    }
}

#[derive(Template)]
#[template(path = "calendar/year.html")]
struct YearPage {
    ctx: Ctx,
    year: i32,
    heading: String,
    /// Whether the arrangement is entered, and the warning when it is not.
    status: String,
    covered: bool,
    note: String,
    counts: String,
    months: Vec<Month>,
    festivals: Vec<FestivalRow>,
    weekdays: [&'static str; 7],
    kinds: Vec<(&'static str, &'static str)>,
    may_edit: bool,
    typed: Typed,
}

fn month_name(month: u32, lang: Lang) -> String {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match lang {
        Lang::Zh => format!("{month}月"),
        Lang::En => EN[(month as usize).saturating_sub(1) % 12].to_string(),
    }
}

fn months(view: &YearView, today: NaiveDate, lang: Lang) -> Vec<Month> {
    (1..=12)
        .filter_map(|m| NaiveDate::from_ymd_opt(view.year, m, 1))
        .map(|first| {
            let lead = first.weekday().num_days_from_monday() as usize;
            let mut cells: Vec<Cell> = (0..lead).map(|_| blank()).collect();
            for date in first.iter_days().take_while(|d| d.month() == first.month()) {
                let day = view.calendar.day(date);
                let (class, mark) = match day.kind {
                    DayKind::Holiday => ("holiday", lang.t("calendar.mark_holiday")),
                    DayKind::AdjustedWorkday => ("adjusted", lang.t("calendar.mark_worked")),
                    DayKind::Weekend => ("weekend", ""),
                    DayKind::Workday => ("work", ""),
                };
                let title = match day.name.as_str() {
                    "" => format!("{date} {}", day.kind.label(lang)),
                    name => format!("{date} {}{}{name}", day.kind.label(lang), lang.t("colon")),
                };
                cells.push(Cell {
                    day: date.day(),
                    class,
                    mark,
                    title,
                    today: date == today,
                });
            }
            while !cells.len().is_multiple_of(7) {
                cells.push(blank());
            }
            let mut weeks = Vec::new();
            while !cells.is_empty() {
                weeks.push(cells.drain(..7).collect());
            }
            Month {
                title: month_name(first.month(), lang),
                weeks,
            }
        })
        .collect()
}

fn blank() -> Cell {
    Cell {
        day: 0,
        class: "blank",
        mark: "",
        title: String::new(),
        today: false,
    }
}

/// Dates as a list a person reads: runs of consecutive days as ranges.
fn spans(dates: &[NaiveDate], lang: Lang) -> String {
    let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for d in dates {
        match runs.last_mut() {
            Some((_, end)) if end.succ_opt() == Some(*d) => *end = *d,
            _ => runs.push((*d, *d)),
        }
    }
    let show = |d: &NaiveDate| format!("{}（{}）", d.format("%m-%d"), weekday_name(*d).get(lang));
    let parts: Vec<String> = runs
        .iter()
        .map(|(a, b)| {
            if a == b {
                show(a)
            } else {
                format!("{} – {}", show(a), show(b))
            }
        })
        .collect();
    let joined = parts.join(match lang {
        Lang::Zh => "、",
        Lang::En => "; ",
    });
    match (lang, dates.len()) {
        (_, 0) => String::new(),
        (_, 1) => joined,
        (Lang::Zh, n) => format!("{joined}，共 {n} 天"),
        (Lang::En, n) => format!("{joined}, {n} days"),
    }
}

fn status(view: &YearView, lang: Lang) -> String {
    let y = view.year;
    match (view.covered_through, lang) {
        (Some(last), Lang::Zh) if last > y => {
            format!("{y} 年的放假安排已录入（已录入至 {last} 年）。")
        }
        (Some(_), Lang::Zh) => format!("{y} 年的放假安排已录入。"),
        (Some(last), Lang::En) if last > y => {
            format!("The arrangement for {y} has been entered (covered through {last}).")
        }
        (Some(_), Lang::En) => format!("The arrangement for {y} has been entered."),
        (None, Lang::Zh) => format!(
            "注意：{y} 年的放假安排尚未录入。本页只按周六、周日标出休息日；为该年排班时系统会提示，请在国务院公布安排后录入或导入。"
        ),
        (None, Lang::En) => format!(
            "Note: the arrangement for {y} has not been entered. Only Saturdays and Sundays are shown as days off; \
             rosters planned in {y} warn about it. Enter or import it once the State Council publishes it."
        ),
    }
}

impl YearPage {
    /// A kind's label in the page's language (for the legend).
    fn label(&self, code: &str) -> &'static str {
        DayKind::parse(code).map_or("", |k| k.label(self.ctx.lang))
    }

    fn new(
        ctx: Ctx,
        view: YearView,
        may_edit: bool,
        today: NaiveDate,
        tz: chrono_tz::Tz,
        typed: Typed,
    ) -> YearPage {
        let lang = ctx.lang;
        let c = view.counts;
        YearPage {
            year: view.year,
            heading: match lang {
                Lang::Zh => format!("{} 年节假日安排", view.year),
                Lang::En => format!("Holiday calendar {}", view.year),
            },
            status: status(&view, lang),
            covered: view.covered,
            note: view
                .mark
                .as_ref()
                .map(|m| format!("{} · {}", m.note, local_time(&m.marked_at, tz)))
                .unwrap_or_default(),
            counts: match lang {
                Lang::Zh => format!(
                    "全年工作日 {} 天、休息日 {} 天（其中法定节假日 {} 天），调休上班 {} 天。",
                    c.workdays, c.rest_days, c.holidays, c.adjusted_workdays
                ),
                Lang::En => format!(
                    "{} working days and {} days off ({} public holidays); {} adjusted workdays.",
                    c.workdays, c.rest_days, c.holidays, c.adjusted_workdays
                ),
            },
            months: months(&view, today, lang),
            festivals: view
                .festivals
                .iter()
                .map(|f| FestivalRow {
                    name: f.name.clone(),
                    days_off: spans(&f.holidays, lang),
                    days_worked: spans(&f.workdays, lang),
                })
                .collect(),
            weekdays: match lang {
                Lang::Zh => ["一", "二", "三", "四", "五", "六", "日"],
                Lang::En => ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
            },
            kinds: DayKind::ALL
                .iter()
                .map(|k| (k.code(), k.label(lang)))
                .collect(),
            may_edit,
            typed,
            ctx,
        }
    }
}

/// The year a page asks for (this year when none is given).
fn year_of(raw: Option<&str>, today: NaiveDate) -> ServiceResult<i32> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today.year()),
        Some(v) => check_year(
            "year",
            v.parse().map_err(|_| {
                ServiceError::invalid(
                    "year",
                    "年份应为数字，例如 2026",
                    "A year is a number, e.g. 2026",
                )
            })?,
        ),
    }
}

/// Shows year `year` (the year of the page's query, this year when none), with a refused form when there is one.
async fn show(
    page: &Page,
    year: Option<String>,
    typed: Typed,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let (ctx, (view, editor, today, tz)) = page
        .run(move |c| {
            let today = today(c.now, c.tz);
            let view = service::year(c.conn, year_of(year.as_deref(), today)?)?;
            Ok((view, may_edit(c.actor), today, c.tz))
        })
        .await?;
    render(&YearPage::new(ctx, view, editor, today, tz, typed), status)
}

#[derive(Deserialize)]
struct YearQuery {
    year: Option<String>,
}

#[get("/calendar")]
async fn year_page(page: Page, q: web::Query<YearQuery>) -> Result<HttpResponse, PageError> {
    show(&page, q.into_inner().year, Typed::default(), StatusCode::OK).await
}
