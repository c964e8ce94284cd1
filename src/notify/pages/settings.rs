//! A unit's notification settings (contact addresses, at once or in the digest), its group chat robot and
//! their tests.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::i18n::Text;
use crate::mail::webhook::Flavour;
use crate::notify::model::{EmailAddress, Mode};
use crate::notify::service::{
    self, ChatInput, ChatKind, ChatSettings, KindMode, SettingsInput, UnitNoticeSettings,
};
use crate::notify::source::Reminders;
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::{render, Page, Refusal};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(unit_settings)
        .service(save_unit_settings)
        .service(test_email)
        .service(save_chat)
        .service(remove_chat)
        .service(test_chat);
}

/// A submitted field's value (empty when absent).
fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The group chat form as shown: stored, or as typed when a save was refused.
struct ChatForm {
    flavour: String,
    url: String,
    kinds: Vec<String>,
    signed: bool,
}

impl ChatForm {
    fn of(settings: &ChatSettings) -> ChatForm {
        match &settings.chat {
            Some(c) => ChatForm {
                flavour: c.flavour.code().into(),
                url: c.url.clone(),
                kinds: c.kinds.clone(),
                signed: c.signed,
            },
            None => ChatForm {
                flavour: Flavour::Wecom.code().into(),
                url: String::new(),
                kinds: settings.kinds.iter().map(|k| k.code.to_string()).collect(),
                signed: false,
            },
        }
    }
}

/// What was typed into a form that was refused, and why.
enum Typed {
    Contacts(String, Refusal),
    Chat(ChatForm, Refusal),
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
    chat: ChatSettings,
    chat_form: ChatForm,
    chat_error: Option<String>,
    /// (code, label)
    flavours: Vec<(&'static str, &'static str)>,
}

impl SettingsPage {
    fn ticked(&self, code: &str) -> bool {
        self.chat_form.kinds.iter().any(|k| k == code)
    }

    fn kind_label(&self, k: &ChatKind) -> &'static str {
        match self.ctx.lang {
            crate::i18n::Lang::Zh => k.zh,
            crate::i18n::Lang::En => k.en,
        }
    }
}

/// Shows the settings, with what was typed and the refusal after a failed save.
async fn settings_page(
    page: &Page,
    reminders: web::Data<Reminders>,
    id: i64,
    typed: Option<Typed>,
) -> Result<HttpResponse, PageError> {
    let r = reminders.clone();
    let (ctx, (settings, chat)) = page
        .run(move |c| {
            let settings = service::settings(c.conn, c.actor, &r, id)?;
            Ok((settings, service::chat(c.conn, c.actor, &r, id)?))
        })
        .await?;
    let lang = ctx.lang;
    let (mut contacts, mut chat_form) = (settings.contact_emails.join("\n"), ChatForm::of(&chat));
    let (mut refusal, mut chat_refusal) = (None, None);
    match typed {
        Some(Typed::Contacts(text, r)) => (contacts, refusal) = (text, Some(r)),
        Some(Typed::Chat(form, r)) => (chat_form, chat_refusal) = (form, Some(r)),
        None => {}
    }
    let status = refusal
        .as_ref()
        .or(chat_refusal.as_ref())
        .map_or(actix_web::http::StatusCode::OK, |r| r.status);
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
        error: refusal.map(|r| r.message),
        chat_error: chat_refusal.map(|r| r.message),
        flavours: Flavour::ALL
            .iter()
            .map(|f| (f.code(), f.label(lang)))
            .collect(),
        chat,
        chat_form,
        settings,
        ctx,
    };
    render(&view, status)
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
    let contacts = field(&pairs, "contact_emails");
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
        Err(refusal) => {
            settings_page(
                &page,
                reminders,
                id,
                Some(Typed::Contacts(contacts, refusal)),
            )
            .await
        }
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

#[post("/units/{id}/notices/chat")]
async fn save_chat(
    page: Page,
    reminders: web::Data<Reminders>,
    id: web::Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let (flavour, url, secret) = (
        field(&pairs, "flavour"),
        field(&pairs, "url"),
        field(&pairs, "secret"),
    );
    let clear = field(&pairs, "clear_secret") == "1";
    let kinds: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "kind")
        .map(|(_, v)| v.clone())
        .collect();
    let typed = ChatForm {
        flavour: flavour.clone(),
        url: url.clone(),
        kinds: kinds.clone(),
        signed: false,
    };
    let r = reminders.clone();
    let saved = page
        .submit(
            move |c| {
                // A blank secret keeps the one set, unless signing is turned off.
                let secret = match (clear, secret.trim().is_empty()) {
                    (true, _) => Some(""),
                    (false, true) => None,
                    (false, false) => Some(secret.as_str()),
                };
                let input = ChatInput::parse(c.config, &r, &flavour, &url, secret, &kinds)?;
                service::set_chat(c.conn, c.actor, c.now, id, input)
            },
            move |_| {
                let text = Text::new("工作群设置已保存", "Group chat saved");
                (text, format!("/units/{id}/notices"))
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => {
            settings_page(&page, reminders, id, Some(Typed::Chat(typed, refusal))).await
        }
    }
}

#[post("/units/{id}/notices/chat/remove")]
async fn remove_chat(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let here = format!("/units/{id}/notices");
    page.act(
        &here,
        move |c| service::remove_chat(c.conn, c.actor, c.now, id),
        move |_| {
            let text = Text::new("工作群机器人已删除", "Group chat robot removed");
            (text, format!("/units/{id}/notices"))
        },
    )
    .await
}

#[post("/units/{id}/notices/chat/test")]
async fn test_chat(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let here = format!("/units/{id}/notices");
    page.act(
        &here,
        move |c| service::test_chat(c.conn, c.actor, c.config, c.now, id),
        move |_| {
            let text = Text::new(
                "测试消息已排队，几秒内发到群里；可在发件箱查看结果",
                "Test message queued; it reaches the group within seconds (see the outbox for the result)",
            );
            (text, format!("/units/{id}/notices"))
        },
    )
    .await
}
