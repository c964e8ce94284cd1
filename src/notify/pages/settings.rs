//! A unit's notification settings (contact addresses, at once or in the digest) and its test email.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::i18n::Text;
use crate::notify::model::{EmailAddress, Kind, Mode};
use crate::notify::service::{self, KindMode, SettingsInput, UnitNoticeSettings};
use crate::org::pages::{act, form_error, render, see_other};
use crate::web::auth::PageActor;
use crate::web::context::{flash, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{AppState, InLang};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(unit_settings)
        .service(save_unit_settings)
        .service(test_email);
}

#[derive(Template)]
#[template(path = "notify/unit_settings.html")]
struct SettingsPage {
    ctx: Ctx,
    settings: UnitNoticeSettings,
    contacts: String,
    /// (kind, label, chosen mode)
    kinds: Vec<(String, String, String)>,
    modes: Vec<(String, String)>,
    error: Option<String>,
}

fn settings_page(
    req: &HttpRequest,
    session: &Session,
    actor: &crate::org::model::Actor,
    settings: UnitNoticeSettings,
    contacts: Option<String>,
    error: Option<String>,
) -> SettingsPage {
    let lang = actor.lang;
    SettingsPage {
        ctx: Ctx::new(req, session, Some(actor)),
        contacts: contacts.unwrap_or_else(|| settings.contact_emails.join("\n")),
        kinds: settings
            .modes
            .iter()
            .map(|m| {
                let label = Kind::parse(&m.kind).map(|k| k.label(lang)).unwrap_or("");
                (m.kind.clone(), label.to_string(), m.mode.clone())
            })
            .collect(),
        modes: Mode::ALL
            .iter()
            .map(|m| (m.code().to_string(), m.label(lang).to_string()))
            .collect(),
        settings,
        error,
    }
}

#[get("/units/{id}/notices")]
async fn unit_settings(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, a) = (actor.lang, id.into_inner(), actor.clone());
    let s = state
        .db(move |c| service::settings(c, &a, id))
        .await
        .page(lang)?;
    render(
        &settings_page(&req, &session, &actor, s, None, None),
        StatusCode::OK,
    )
}

#[post("/units/{id}/notices")]
async fn save_unit_settings(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, now, a) = (actor.lang, id.into_inner(), state.now(), actor.clone());
    let contacts = pairs
        .iter()
        .find(|(k, _)| k == "contact_emails")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let modes: Vec<KindMode> = pairs
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("mode.").map(|kind| KindMode {
                kind: kind.to_string(),
                mode: v.clone(),
            })
        })
        .collect();
    let text = contacts.clone();
    let result = match SettingsInput::parse(&contacts, &modes) {
        Ok(input) => {
            state
                .db(move |c| service::set_settings(c, &a, now, id, input))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            flash(
                &session,
                true,
                Text::new("通知设置已保存", "Notification settings saved"),
            );
            Ok(see_other(&format!("/units/{id}/notices")))
        }
        Err(e) => {
            let (status, message) = form_error(e, lang)?;
            let a = actor.clone();
            let s = state
                .db(move |c| service::settings(c, &a, id))
                .await
                .page(lang)?;
            render(
                &settings_page(&req, &session, &actor, s, Some(text), Some(message)),
                status,
            )
        }
    }
}

#[derive(Deserialize)]
struct TestForm {
    to: String,
}

#[post("/units/{id}/notices/test")]
async fn test_email(
    session: Session,
    state: web::Data<AppState>,
    PageActor(actor): PageActor,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<TestForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, id, now, cfg) = (
        actor.lang,
        id.into_inner(),
        state.now(),
        state.config.clone(),
    );
    let to = form.to.trim().to_string();
    act(
        &session,
        &state,
        lang,
        format!("/units/{id}/notices"),
        Text::new(
            "测试邮件已排队，几秒内发出；可在发件箱查看结果",
            "Test email queued; it goes out within seconds (see the outbox for the result)",
        ),
        move |c| {
            let to = (!to.is_empty())
                .then(|| EmailAddress::parse(&to))
                .transpose()?;
            service::send_test(c, &actor, &cfg, now, id, to)
        },
        |_| format!("/units/{id}/notices"),
    )
    .await
}
