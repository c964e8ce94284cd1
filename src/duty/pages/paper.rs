//! A roster's 值班表 in and out: a month of published shifts as XLSX or CSV in the office's layout, and an
//! existing 值班表 uploaded into a draft (refused, every error by row and column, or the refusal on the
//! roster's page).

use actix_multipart::Multipart;
use actix_web::{get, post, web, HttpResponse};

use crate::clock::today;
use crate::duty::model::month_span;
use crate::duty::service::{import, month};
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::sheets::MAX_UPLOAD;
use crate::web::auth::request_lang;
use crate::web::context::flash;
use crate::web::error::PageError;
use crate::web::typed::Refused;
use crate::web::upload::read_form;
use crate::web::{refused_rows, see_other, table_download, Page, Refusal};

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

/// Imports a 值班表 file into a draft: done, on to the draft; refused, every error by row and column.
#[post("/duty/rosters/{id}/import")]
async fn import_file(
    page: Page,
    id: web::Path<i64>,
    form: Multipart,
) -> Result<HttpResponse, PageError> {
    let roster = id.into_inner();
    let lang = request_lang(page.request());
    let sent = read_form(form, page.request(), "file", MAX_UPLOAD)
        .await
        .and_then(|sent| sent.into_file(MAX_UPLOAD));
    let bytes = match sent {
        Ok(bytes) => bytes,
        Err(e) => {
            let refused = Refused::new("import", Vec::new(), Refusal::of(e, lang)?);
            return super::roster::roster_view(&page, roster, Some(refused)).await;
        }
    };
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
            refused_rows(ctx, "duty.import", format!("/duty/rosters/{roster}"), rows)
        }
        Err(e) => {
            // Any other refusal (a day/night roster, an overlapping plan) shows on the roster's page.
            let refused = Refused::new("import", Vec::new(), Refusal::of(e, ctx.lang)?);
            super::roster::roster_view(&page, roster, Some(refused)).await
        }
    }
}
