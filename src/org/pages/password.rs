//! Changing one's own password.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{form_error, render, see_other};
use crate::i18n::Text;
use crate::org::service::accounts;
use crate::web::auth::{start_session, PageActor};
use crate::web::context::{flash, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{AppState, InLang};

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
async fn form(
    req: HttpRequest,
    session: Session,
    PageActor(actor): PageActor,
) -> Result<HttpResponse, PageError> {
    render(
        &PasswordPage {
            ctx: Ctx::new(&req, &session, Some(&actor)),
            error: None,
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct PasswordForm {
    current: String,
    new: String,
}

#[post("/password")]
async fn change(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, now, a) = (actor.lang, state.now(), actor.clone());
    match state
        .db(move |c| accounts::change_own_password(c, &a, now, &f.current, &f.new))
        .await
    {
        Ok(version) => {
            start_session(&session, actor.account_id, version).page(lang)?;
            flash(
                &session,
                true,
                Text::new(
                    "密码已修改，其他设备上的登录已失效",
                    "Password changed; sessions on other devices have ended",
                ),
            );
            Ok(see_other("/"))
        }
        Err(e) => {
            let (status, message) = form_error(e, lang)?;
            render(
                &PasswordPage {
                    ctx: Ctx::new(&req, &session, Some(&actor)),
                    error: Some(message),
                },
                status,
            )
        }
    }
}
