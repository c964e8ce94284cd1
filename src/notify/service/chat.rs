//! A unit's group chat (企业微信 or 钉钉 group robot): set it up, choose what it hears, remove it, send it a test
//! message, and add it as an addressee of the notices it hears.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::settings::{may_manage, queue_test};
use super::NoticeView;
use crate::audit::{model::Change, service as audit};
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Lang;
use crate::mail::webhook::{masked, Flavour};
use crate::notify::model::{
    chat_address, check_kinds, check_secret, check_url, hears, KindSpec, Recipient, CHAT,
};
use crate::notify::source::Reminders;
use crate::notify::store::{self, Chat};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// A unit's group chat as its managers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ChatView {
    pub flavour: Flavour,
    /// The webhook address (it carries the robot's key: only the unit's notice managers see it).
    pub url: String,
    /// Whether messages are signed (钉钉 加签); the secret itself is never shown.
    pub signed: bool,
    /// The kinds of notice it hears.
    pub kinds: Vec<String>,
}

impl From<Chat> for ChatView {
    fn from(c: Chat) -> ChatView {
        ChatView {
            flavour: c.flavour,
            url: c.url,
            signed: !c.secret.is_empty(),
            kinds: c
                .kinds
                .split(',')
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }
}

/// What the audit trail keeps of a chat: the host, not the key.
#[derive(Serialize)]
struct Audited {
    flavour: &'static str,
    url: String,
    signed: bool,
    kinds: String,
}

fn audited(c: &Chat) -> Audited {
    Audited {
        flavour: c.flavour.code(),
        url: masked(&c.url),
        signed: !c.secret.is_empty(),
        kinds: c.kinds.clone(),
    }
}

/// A kind of notice a group chat may hear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ChatKind {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// A unit's group chat, if it has one, and the kinds a chat may hear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ChatSettings {
    pub chat: Option<ChatView>,
    pub kinds: Vec<ChatKind>,
}

/// A unit's group chat (for those who manage its notices).
pub fn chat(
    conn: &mut DbConn,
    actor: &Actor,
    reminders: &Reminders,
    unit_id: i64,
) -> ServiceResult<ChatSettings> {
    may_manage(conn, actor, unit_id)?;
    Ok(ChatSettings {
        chat: store::chat_of(conn, unit_id)?.map(ChatView::from),
        kinds: chat_kinds(reminders)
            .into_iter()
            .map(|k| ChatKind {
                code: k.code,
                zh: k.zh,
                en: k.en,
            })
            .collect(),
    })
}

/// The kinds a group chat may hear, in the order areas declare them.
pub fn chat_kinds(reminders: &Reminders) -> Vec<&'static KindSpec> {
    reminders.kinds().filter(|k| k.chat).collect()
}

/// A group chat as typed: checked at the edge.
#[derive(Debug, Clone)]
pub struct ChatInput {
    pub flavour: Flavour,
    pub url: String,
    /// `None` keeps the secret the chat has.
    pub secret: Option<String>,
    pub kinds: Vec<&'static KindSpec>,
}

impl ChatInput {
    /// Reads a chat: the robot's kind, an address on an allowed host, the secret, the kinds it hears.
    pub fn parse(
        cfg: &Config,
        reminders: &Reminders,
        flavour: &str,
        url: &str,
        secret: Option<&str>,
        kinds: &[String],
    ) -> ServiceResult<ChatInput> {
        Ok(ChatInput {
            flavour: Flavour::parse(flavour)?,
            url: check_url(url, &cfg.mail.webhook_hosts)?,
            secret: secret.map(check_secret).transpose()?,
            kinds: check_kinds(kinds, &chat_kinds(reminders))?,
        })
    }
}

/// Sets up or changes a unit's group chat.
pub fn set_chat(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    unit_id: i64,
    input: ChatInput,
) -> ServiceResult<ChatView> {
    write_tx(conn, |c| {
        may_manage(c, actor, unit_id)?;
        let before = store::chat_of(c, unit_id)?;
        let secret = match (input.secret, &before) {
            (Some(s), _) => s,
            (None, Some(b)) if input.flavour == b.flavour => b.secret.clone(),
            (None, _) => String::new(),
        };
        let after = Chat {
            unit_id,
            flavour: input.flavour,
            url: input.url,
            secret,
            kinds: input
                .kinds
                .iter()
                .map(|k| k.code)
                .collect::<Vec<_>>()
                .join(","),
            updated_at: db_time(now),
        };
        store::set_chat(c, &after)?;
        let change = Change::of(
            "unit",
            unit_id,
            Some(unit_id),
            before.as_ref().map(audited).as_ref(),
            Some(&audited(&after)),
        )
        .action("chat_settings");
        audit::record(c, Some(actor), now, change)?;
        Ok(ChatView::from(after))
    })
}

/// Removes a unit's group chat; notices waiting for it are then refused for it (the others still go).
pub fn remove_chat(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    unit_id: i64,
) -> ServiceResult<()> {
    write_tx(conn, |c| {
        may_manage(c, actor, unit_id)?;
        let before = store::chat_of(c, unit_id)?
            .ok_or_else(|| ServiceError::not_found("该单位的工作群", "The unit's group chat"))?;
        store::remove_chat(c, unit_id)?;
        let change = Change::of(
            "unit",
            unit_id,
            Some(unit_id),
            Some(&audited(&before)),
            None::<&Audited>,
        )
        .action("chat_removed");
        audit::record(c, Some(actor), now, change)?;
        Ok(())
    })
}

/// The unit's group chat as an addressee of a notice of `kind`, when it has one that hears it.
pub fn chat_recipient(
    conn: &mut DbConn,
    unit_id: i64,
    kind: &KindSpec,
) -> ServiceResult<Option<Recipient>> {
    if !kind.chat {
        return Ok(None);
    }
    let Some(chat) = store::chat_of(conn, unit_id)?.filter(|c| hears(&c.kinds, kind)) else {
        return Ok(None);
    };
    let unit = org_store::find_unit(conn, unit_id)?.filter(|u| u.active);
    Ok(unit.map(|u| chat_of_unit(chat.unit_id, u.name)))
}

/// A unit's group chat as an addressee (it reads Chinese).
fn chat_of_unit(unit_id: i64, unit_name: String) -> Recipient {
    Recipient {
        address: chat_address(unit_id),
        name: unit_name,
        person_id: None,
        reason: &CHAT,
        lang: Lang::Zh,
    }
}

/// Queues a test message to the unit's group chat; returns the notice.
pub fn test_chat(
    conn: &mut DbConn,
    actor: &Actor,
    cfg: &Config,
    now: DateTime<Utc>,
    unit_id: i64,
) -> ServiceResult<NoticeView> {
    may_manage(conn, actor, unit_id)?;
    let unit = org_store::find_unit(conn, unit_id)?
        .ok_or_else(|| ServiceError::not_found("该单位", "Unit"))?;
    if store::chat_of(conn, unit_id)?.is_none() {
        return Err(ServiceError::conflict(
            "该单位还没有设置工作群机器人",
            "The unit has no group chat robot set up yet",
        ));
    }
    let chat = chat_of_unit(unit_id, unit.name.clone());
    queue_test(
        conn,
        actor,
        cfg,
        now,
        (unit_id, unit.name),
        ("chat_test", "test_chat"),
        vec![chat],
    )
}
