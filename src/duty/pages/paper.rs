//! A roster's 值班表 in and out: a month of published shifts as XLSX or CSV in the office's layout, and an
//! existing 值班表 uploaded into a draft (refused, every error by row and column).

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use crate::clock::today;
use crate::duty::model::month_span;
use crate::duty::service::{import, month};
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::sheets::MAX_UPLOAD;
use crate::web::auth::request_lang;
use crate::web::context::{flash, Ctx};
use crate::web::error::PageError;
use crate::web::upload::read_form;
use crate::web::{render, see_other, table_download, InLang, Page, Refusal};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(month_download).service(import_file);
}

#[get("/duty/rosters/{id}/month/{month}.{format}")]
async fn month_download(
    page: Page,
    path: web::Path<(i64, String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, month, format) = path.into_inner();
    table_download(&page, &format, move |c| {
        month::month_paper(c.conn, c.actor, id, month_span(&month)?, today(c.now, c.tz))
    })
    .await
}

#[derive(Template)]
#[template(path = "duty/import_result.html")]
struct ResultPage {
    ctx: Ctx,
    roster: i64,
    message: String,
    errors: Vec<(usize, String, String)>,
}

/// Imports a 值班表 file into a draft: done, on to the draft; refused, every error by row and column.
#[post("/duty/rosters/{id}/import")]
async fn import_file(
    page: Page,
    id: web::Path<i64>,
    form: Multipart,
) -> Result<HttpResponse, PageError> {
    let roster = id.into_inner();
    let lang = request_lang(page.request());
    let bytes = read_form(form, page.request(), "file", MAX_UPLOAD)
        .await
        .and_then(|sent| sent.into_file(MAX_UPLOAD))
        .page(lang)?;
    let (ctx, _, result) = page
        .attempt(move |c| import::import(c.conn, c.actor, c.now, c.tz, roster, &bytes))
        .await?;
    match result {
        Ok(v) => {
            let text = Text::new(
                format!(
                    "已导入 {} 至 {} 的值班表，生成排班草稿，请检查后发布",
                    v.plan.starts_on, v.plan.ends_on
                ),
                format!(
                    "Roster for {} to {} imported as a draft: check it, then publish",
                    v.plan.starts_on, v.plan.ends_on
                ),
            );
            flash(page.session(), true, text);
            Ok(see_other(&format!("/duty/plans/{}", v.plan.id)))
        }
        Err(ServiceError::InvalidRows(rows)) => {
            let lang = ctx.lang;
            let message = ServiceError::InvalidRows(rows.clone()).message(lang);
            let errors = rows
                .into_iter()
                .map(|(r, c, m)| (r, c, m.get(lang).to_string()))
                .collect();
            render(
                &ResultPage {
                    ctx,
                    roster,
                    message,
                    errors,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => {
            // Any other refusal (a day/night roster, an overlapping plan) goes back to the roster's page.
            let refusal = Refusal::of(e, ctx.lang)?;
            flash(
                page.session(),
                false,
                Text::new(refusal.message.clone(), refusal.message),
            );
            Ok(see_other(&format!("/duty/rosters/{roster}")))
        }
    }
}
