//! The page a refused file import answers with: every bad cell by row and column (nothing was written),
//! and the way back to the page that took the file. One page for every area that imports a sheet.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

use super::context::Ctx;
use super::error::PageError;
use super::render;
use crate::error::ServiceError;
use crate::i18n::Text;

#[derive(Template)]
#[template(path = "import_result.html")]
struct RowsPage {
    ctx: Ctx,
    /// The interface string naming the import (`duty.import`, `teams.import_roster`).
    title: &'static str,
    back: String,
    message: String,
    errors: Vec<(usize, String, String)>,
}

/// The refused import's page (422): `title` is the interface string naming the import, `back` where the
/// file was chosen.
pub fn refused_rows(
    ctx: Ctx,
    title: &'static str,
    back: String,
    rows: Vec<(usize, String, Text)>,
) -> Result<HttpResponse, PageError> {
    let lang = ctx.lang;
    let message = ServiceError::InvalidRows(rows.clone()).message(lang);
    let errors = rows
        .into_iter()
        .map(|(r, c, m)| (r, c, m.get(lang).to_string()))
        .collect();
    let page = RowsPage {
        title: ctx.t(title),
        ctx,
        back,
        message,
        errors,
    };
    render(&page, StatusCode::UNPROCESSABLE_ENTITY)
}
