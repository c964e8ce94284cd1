//! The contact directory (通讯录) of emergency duty: units, their duty phones and who leads their duty, on a
//! page that prints and as a download.

use actix_web::{get, web, HttpResponse};
use askama::Template;

use crate::clock::today;
use crate::duty::service::directory::{self, DirectoryUnit};
use crate::web::context::Ctx;
use crate::web::error::PageError;
use crate::web::{table_download, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(directory_page).service(directory_download);
}

#[derive(Template)]
#[template(path = "duty/directory.html")]
struct DirectoryPage {
    ctx: Ctx,
    units: Vec<DirectoryUnit>,
    issued: String,
}

#[get("/duty/directory")]
async fn directory_page(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| Ok((directory::directory(c.conn, c.actor)?, today(c.now, c.tz))),
        |ctx, (units, issued)| DirectoryPage {
            ctx,
            units,
            issued: issued.to_string(),
        },
    )
    .await
}

#[get("/duty/directory.{format}")]
async fn directory_download(
    page: Page,
    format: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    table_download(&page, &format.into_inner(), |c| {
        let units = directory::directory(c.conn, c.actor)?;
        Ok(directory::directory_paper(
            &units,
            c.actor.lang,
            today(c.now, c.tz),
        ))
    })
    .await
}
