//! The calendar's forms: set or clear a day, mark a year covered, import a file (CSV, XLSX or ICS) with every
//! refused row listed. A refused form comes back on the year's page with what was typed.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use askama::Template;
use chrono::Datelike;

use super::{show, Typed};
use crate::calendar::model::{parse_day, CalendarDay, DayKind, MAX_FILE};
use crate::calendar::service::{self, dated, CalendarImport, DayView, YearView};
use crate::error::ServiceError;
use crate::i18n::{Lang, Text};
use crate::web::auth::request_lang;
use crate::web::context::{flash, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::upload::read_form;
use crate::web::{render, see_other, InLang, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(set_day).service(mark_year).service(import);
}

/// The last value of form field `name` (empty when absent).
fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or_else(String::new, |(_, v)| v.trim().to_string())
}

/// Where a changed year is shown.
fn year_url(year: i32) -> String {
    format!("/calendar?year={year}")
}

/// Runs a form's use case; done, back to the year with a message; refused, the year's page again with what
/// was typed into `form`.
async fn submit<T, F, D>(
    page: Page,
    form: &'static str,
    fields: Vec<(String, String)>,
    f: F,
    done: D,
) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut crate::web::Call<'_>, &[(String, String)]) -> Result<T, ServiceError>
        + Send
        + 'static,
    T: Send + 'static,
    D: FnOnce(&T) -> (Text, String) + Send + 'static,
{
    let sent = fields.clone();
    match page.submit(move |c| f(c, &sent), done).await? {
        Ok(done) => Ok(done),
        Err(refusal) => {
            let year = Some(field(&fields, "year"));
            let typed = Typed {
                form,
                fields,
                error: refusal.message,
            };
            show(&page, year, typed, refusal.status).await
        }
    }
}

#[post("/calendar/days")]
async fn set_day(
    page: Page,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    submit(
        page,
        "day",
        fields,
        |c, f| {
            let date = parse_day("date", &field(f, "date"))?;
            if field(f, "action") == "clear" {
                return service::clear_day(c.conn, c.actor, c.now, date);
            }
            let kind = DayKind::parse(&field(f, "kind"))?;
            let day = CalendarDay::parse(date, kind, &field(f, "name"))?;
            service::set_day(c.conn, c.actor, c.now, day)
        },
        |v: &DayView| {
            let d = &v.day;
            let named = |lang| match d.name.as_str() {
                "" => d.kind.label(lang).to_string(),
                name => format!("{}（{name}）", d.kind.label(lang)),
            };
            let text = Text::new(
                format!("{} 现为{}", dated(d.date, Lang::Zh), named(Lang::Zh)),
                format!("{} is now: {}", dated(d.date, Lang::En), named(Lang::En)),
            );
            (text, year_url(d.date.year()))
        },
    )
    .await
}

#[post("/calendar/years")]
async fn mark_year(
    page: Page,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    submit(
        page,
        "year",
        fields,
        |c, f| {
            let year = field(f, "year").parse().map_err(|_| {
                ServiceError::invalid(
                    "year",
                    "年份应为数字，例如 2027",
                    "A year is a number, e.g. 2027",
                )
            })?;
            let covered = field(f, "covered") == "yes";
            service::mark_year(c.conn, c.actor, c.now, year, covered, &field(f, "note"))
        },
        |v: &YearView| {
            let (zh, en) = if v.covered {
                ("已录入", "has been entered")
            } else {
                ("尚未录入", "has not been entered")
            };
            let text = Text::new(
                format!("已标记：{} 年的放假安排{zh}", v.year),
                format!("Marked: the arrangement for {} {en}", v.year),
            );
            (text, year_url(v.year))
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "calendar/import_result.html")]
struct ResultPage {
    ctx: Ctx,
    back: String,
    message: String,
    errors: Vec<(usize, String, String)>,
}

fn imported(s: &CalendarImport) -> Text {
    let years: Vec<String> = s.years.iter().map(i32::to_string).collect();
    Text::new(
        format!(
            "已导入 {} 年的放假安排（{}）：法定节假日 {} 天，调休上班 {} 天，其他设置 {} 天；这些年份已标记为已录入",
            years.join("、"),
            s.format.label(Lang::Zh),
            s.holidays,
            s.adjusted_workdays,
            s.overrides
        ),
        format!(
            "Imported the arrangement for {} ({}): {} public holidays, {} adjusted workdays, {} other days; marked as entered",
            years.join(", "),
            s.format.label(Lang::En),
            s.holidays,
            s.adjusted_workdays,
            s.overrides
        ),
    )
}

/// Imports a file: done, to the (first) year imported; refused, the reason and every refused row.
#[post("/calendar/import")]
async fn import(page: Page, form: Multipart) -> Result<HttpResponse, PageError> {
    let lang = request_lang(page.request());
    let sent = read_form(form, page.request(), "file", MAX_FILE)
        .await
        .page(lang)?;
    let year_field = sent.field("year").trim().to_string();
    let back = match year_field.as_str() {
        "" => "/calendar".to_string(),
        y => format!("/calendar?year={}", crate::web::context::url_encode(y)),
    };
    let file = match (sent.too_large, sent.file) {
        (true, _) => Err(ServiceError::Invalid {
            field: "file",
            message: Text::new(
                format!("日历文件不能超过 {} KB", MAX_FILE >> 10),
                format!("A calendar file may be at most {} KB", MAX_FILE >> 10),
            ),
        }),
        (false, Some(file)) => Ok(file),
        (false, None) => Err(ServiceError::invalid(
            "file",
            "请选择要导入的文件",
            "Choose a file to import",
        )),
    };
    let (ctx, _, result) = page
        .attempt(move |c| {
            let (name, bytes) = file?;
            let only = match year_field.as_str() {
                "" => None,
                y => Some(y.parse().map_err(|_| {
                    ServiceError::invalid(
                        "year",
                        "年份应为数字，例如 2027",
                        "A year is a number, e.g. 2027",
                    )
                })?),
            };
            service::import(c.conn, c.actor, c.now, &bytes, &name, only)
        })
        .await?;
    let lang = ctx.lang;
    let (message, errors) = match result {
        Ok(summary) => {
            flash(page.session(), true, imported(&summary));
            let first = summary.years.first().copied().unwrap_or_default();
            return Ok(see_other(&year_url(first)));
        }
        Err(ServiceError::InvalidRows(rows)) => (
            ServiceError::InvalidRows(rows.clone()).message(lang),
            rows.into_iter()
                .map(|(r, c, m)| (r, c, m.get(lang).to_string()))
                .collect(),
        ),
        Err(e @ ServiceError::Invalid { .. }) => (e.message(lang), Vec::new()),
        Err(e) => return Err(e).page(lang),
    };
    let view = ResultPage {
        ctx,
        back,
        message,
        errors,
    };
    render(&view, StatusCode::UNPROCESSABLE_ENTITY)
}
