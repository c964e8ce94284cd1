//! A unit's notification settings (contact addresses, at once or in the digest) and its test email.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::i18n::Text;
use crate::notify::model::{EmailAddress, Mode};
use crate::notify::service::{self, KindMode, SettingsInput, UnitNoticeSettings};
use crate::notify::source::Reminders;
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{render, Page, Refusal};

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
    kinds: Vec<(String, &'static str, Mode)>,
    modes: Vec<(Mode, &'static str)>,
    error: Option<String>,
}

/// Shows the settings, with what was typed and the refusal after a failed save.
async fn settings_page(
    page: &Page,
    reminders: web::Data<Reminders>,
    id: i64,
    typed: Option<(String, Refusal)>,
) -> Result<HttpResponse, PageError> {
    let r = reminders.clone();
    let (ctx, settings) = page
        .run(move |c| service::settings(c.conn, c.actor, &r, id))
        .await?;
    let lang = ctx.lang;
    let (contacts, refusal) = match typed {
        Some((text, refusal)) => (text, Some(refusal)),
        None => (settings.contact_emails.join("\n"), None),
    };
    let view = SettingsPage {
        kinds: settings
            .modes
            .iter()
            .map(|m| {
                let label = reminders.kind(&m.kind).map_or("", |k| k.label(lang));
                (m.kind.clone(), label, m.mode)
            })
            .collect(),
        modes: Mode::ALL.iter().map(|m| (*m, m.label(lang))).collect(),
        contacts,
        error: refusal.as_ref().map(|r| r.message.clone()),
        settings,
        ctx,
    };
    render(
        &view,
        refusal.map_or(actix_web::http::StatusCode::OK, |r| r.status),
    )
}

#[get("/units/{id}/notices")]
async fn unit_settings(
    page: Page,
    reminders: web::Data<Reminders>,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    settings_page(&page, reminders, id.into_inner(), None).await
}

#[post("/units/{id}/notices")]
async fn save_unit_settings(
    page: Page,
    reminders: web::Data<Reminders>,
    id: web::Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let contacts = field("contact_emails").unwrap_or_default();
    let modes: Vec<KindMode> = pairs
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("mode.").map(|kind| KindMode {
                kind: kind.to_string(),
                mode: v.clone(),
            })
        })
        .collect();
    let (r, text) = (reminders.clone(), contacts.clone());
    let saved = page
        .submit(
            move |c| {
                let input = SettingsInput::parse(&r, &text, &modes)?;
                service::set_settings(c.conn, c.actor, &r, c.now, id, input)
            },
            move |_| {
                let text = Text::new("通知设置已保存", "Notification settings saved");
                (text, format!("/units/{id}/notices"))
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => settings_page(&page, reminders, id, Some((contacts, refusal))).await,
    }
}

#[derive(Deserialize)]
struct TestForm {
    to: String,
}

#[post("/units/{id}/notices/test")]
async fn test_email(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<TestForm>,
) -> Result<HttpResponse, PageError> {
    let (id, to) = (id.into_inner(), form.to.trim().to_string());
    let here = format!("/units/{id}/notices");
    page.act(
        &here,
        move |c| {
            let to = (!to.is_empty())
                .then(|| EmailAddress::parse(&to))
                .transpose()?;
            service::send_test(c.conn, c.actor, c.config, c.now, id, to)
        },
        move |_| {
            let text = Text::new(
                "测试邮件已排队，几秒内发出；可在发件箱查看结果",
                "Test email queued; it goes out within seconds (see the outbox for the result)",
            );
            (text, format!("/units/{id}/notices"))
        },
    )
    .await
}
