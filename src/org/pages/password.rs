//! Changing one's own password.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::i18n::Text;
use crate::org::service::accounts;
use crate::web::auth::start_session;
use crate::web::context::{flash, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{render, see_other, InLang, Page, Refusal};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(form).service(change);
}

#[derive(Template)]
#[template(path = "org/password.html")]
struct PasswordPage {
    ctx: Ctx,
    error: Option<String>,
}

#[get("/password")]
async fn form(page: Page) -> Result<HttpResponse, PageError> {
    page.show(|_| Ok(()), |ctx, ()| PasswordPage { ctx, error: None })
        .await
}

#[derive(Deserialize)]
struct PasswordForm {
    current: String,
    new: String,
}

#[post("/password")]
async fn change(
    page: Page,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    let (ctx, actor, result) = page
        .attempt(move |c| accounts::change_own_password(c.conn, c.actor, c.now, &f.current, &f.new))
        .await?;
    match result {
        Ok(version) => {
            start_session(page.session(), actor.account_id, version).page(ctx.lang)?;
            let text = Text::new(
                "密码已修改，其他设备上的登录已失效",
                "Password changed; sessions on other devices have ended",
            );
            flash(page.session(), true, text);
            Ok(see_other("/"))
        }
        Err(e) => {
            let refusal = Refusal::of(e, ctx.lang)?;
            let view = PasswordPage {
                ctx,
                error: Some(refusal.message),
            };
            render(&view, refusal.status)
        }
    }
}
