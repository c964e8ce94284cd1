//! A unit's notification settings (contact addresses; at once or in the digest, per kind) and test emails.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{enqueue, unit_contacts, NoticeView, Outgoing};
use crate::audit::{model::Change, service as audit};
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::notify::model::{
    mode_of, parse_addresses, stored_addresses, EmailAddress, KindSpec, Mode, Recipient, REQUESTED,
    TEST,
};
use crate::notify::render::TestMail;
use crate::notify::source::Reminders;
use crate::notify::store;
use crate::org::model::{authorize, Actor, OrgAction};
use crate::org::store as org_store;

/// How one kind reaches a unit.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KindMode {
    /// A kind a unit chooses how to hear (`batch_expiry`, `below_norm`, …; see the settings).
    #[schema(min_length = 1)]
    pub kind: String,
    #[schema(value_type = Mode)]
    pub mode: String,
}

/// How a unit hears one kind now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KindModeOut {
    pub kind: String,
    pub mode: Mode,
}

/// A unit's notification settings.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitNoticeSettings {
    pub unit_id: i64,
    pub unit_name: String,
    pub contact_emails: Vec<String>,
    pub modes: Vec<KindModeOut>,
}

fn settings_of(
    conn: &mut DbConn,
    reminders: &Reminders,
    unit_id: i64,
) -> ServiceResult<UnitNoticeSettings> {
    let unit = org_store::find_unit(conn, unit_id)?
        .ok_or_else(|| ServiceError::not_found("该单位", "Unit"))?;
    let chosen = store::unit_modes(conn, unit_id)?;
    let modes = reminders
        .unit_choices()
        .into_iter()
        .map(|kind| KindModeOut {
            kind: kind.code.into(),
            mode: mode_of(&chosen, kind),
        })
        .collect();
    Ok(UnitNoticeSettings {
        unit_id,
        unit_name: unit.name,
        contact_emails: stored_addresses(&unit.contact_emails)
            .into_iter()
            .map(|a| a.as_str().to_string())
            .collect(),
        modes,
    })
}

pub(super) fn may_manage(conn: &mut DbConn, actor: &Actor, unit_id: i64) -> ServiceResult<()> {
    if org_store::find_unit(conn, unit_id)?.is_none() {
        return Err(ServiceError::not_found("该单位", "Unit"));
    }
    authorize(
        actor,
        OrgAction::ManageNotices,
        Some(unit_id),
        &org_store::unit_tree(conn)?,
    )
}

/// A unit's settings, for those who manage its notices.
pub fn settings(
    conn: &mut DbConn,
    actor: &Actor,
    reminders: &Reminders,
    unit_id: i64,
) -> ServiceResult<UnitNoticeSettings> {
    may_manage(conn, actor, unit_id)?;
    settings_of(conn, reminders, unit_id)
}

/// New settings for a unit, parsed at the edge.
#[derive(Debug, Clone)]
pub struct SettingsInput {
    pub contacts: Vec<EmailAddress>,
    pub modes: Vec<(&'static KindSpec, Mode)>,
}

impl SettingsInput {
    /// Reads the contact list and each kind's mode; kinds left out keep their default.
    pub fn parse(
        reminders: &Reminders,
        contacts: &str,
        modes: &[KindMode],
    ) -> ServiceResult<SettingsInput> {
        let contacts = parse_addresses(contacts)?;
        let mut parsed: Vec<(&'static KindSpec, Mode)> = Vec::new();
        for m in modes {
            let kind = reminders
                .kind(&m.kind)
                .ok_or_else(|| ServiceError::Invalid {
                    field: "kind",
                    message: crate::i18n::Text::new(
                        format!("没有这类通知：{}", m.kind),
                        format!("No such kind of notice: {}", m.kind),
                    ),
                })?;
            if !kind.unit_choice {
                return Err(ServiceError::invalid(
                    "kind",
                    "这类通知只发给指定的人，单位不能选择发送方式",
                    "This kind goes to named people only; units do not choose how they hear it",
                ));
            }
            parsed.retain(|(k, _)| k.code != kind.code);
            parsed.push((kind, Mode::parse(&m.mode)?));
        }
        Ok(SettingsInput {
            contacts,
            modes: parsed,
        })
    }
}

/// Replaces a unit's contact addresses and its choices of mode.
pub fn set_settings(
    conn: &mut DbConn,
    actor: &Actor,
    reminders: &Reminders,
    now: DateTime<Utc>,
    unit_id: i64,
    input: SettingsInput,
) -> ServiceResult<UnitNoticeSettings> {
    write_tx(conn, |c| {
        may_manage(c, actor, unit_id)?;
        let before = settings_of(c, reminders, unit_id)?;
        let contacts: Vec<&str> = input.contacts.iter().map(EmailAddress::as_str).collect();
        store::set_contacts(c, unit_id, &contacts.join(", "), db_time(now))?;
        let mut modes: Vec<(&str, Mode)> = before
            .modes
            .iter()
            .map(|m| (m.kind.as_str(), m.mode))
            .collect();
        for (kind, mode) in &input.modes {
            if let Some(m) = modes.iter_mut().find(|(k, _)| *k == kind.code) {
                m.1 = *mode;
            }
        }
        store::set_unit_modes(c, unit_id, &modes)?;
        let after = settings_of(c, reminders, unit_id)?;
        let change = Change::of("unit", unit_id, Some(unit_id), Some(&before), Some(&after))
            .action("notice_settings");
        audit::record(c, Some(actor), now, change)?;
        Ok(after)
    })
}

/// Queues a test email to `to`, or else to the unit's contact addresses; returns the notice.
pub fn send_test(
    conn: &mut DbConn,
    actor: &Actor,
    cfg: &Config,
    now: DateTime<Utc>,
    unit_id: i64,
    to: Option<EmailAddress>,
) -> ServiceResult<NoticeView> {
    may_manage(conn, actor, unit_id)?;
    let unit = org_store::find_unit(conn, unit_id)?
        .ok_or_else(|| ServiceError::not_found("该单位", "Unit"))?;
    let addresses = match to {
        Some(a) => vec![Recipient {
            address: a.as_str().to_string(),
            name: String::new(),
            person_id: None,
            reason: &REQUESTED,
            lang: actor.lang,
        }],
        None => unit_contacts(conn, unit_id)?,
    };
    if addresses.is_empty() {
        return Err(ServiceError::invalid(
            "to",
            "该单位没有联系邮箱，请填写收件地址",
            "The unit has no contact address; give an address to send to",
        ));
    }
    queue_test(
        conn,
        actor,
        cfg,
        now,
        (unit_id, unit.name),
        ("test", "test_email"),
        addresses,
    )
}

/// Queues a test notice for a unit to `addresses` (each request its own test, however quickly they follow
/// one another; its key starts with `prefix`), audited as `action` on the notice; returns it.
pub(super) fn queue_test(
    conn: &mut DbConn,
    actor: &Actor,
    cfg: &Config,
    now: DateTime<Utc>,
    (unit_id, unit_name): (i64, String),
    (prefix, action): (&str, &'static str),
    addresses: Vec<Recipient>,
) -> ServiceResult<NoticeView> {
    let at = now.with_timezone(&cfg.timezone);
    let lang = addresses.first().map(|a| a.lang).unwrap_or_default();
    let out = Outgoing {
        kind: &TEST,
        key: format!(
            "{prefix}:{unit_id}:{}",
            crate::org::credentials::random_token(8)?
        ),
        unit_id: Some(unit_id),
        path: format!("/units/{unit_id}/notices"),
        people: Vec::new(),
        to_unit: false,
        addresses,
        content: Box::new(TestMail {
            unit: unit_name,
            by: actor.username.clone(),
            at: at.format("%Y-%m-%d %H:%M").to_string(),
        }),
    };
    let id = write_tx(conn, |c| {
        enqueue(c, cfg, now, &out)?;
        let id = store::id_by_key(c, &format!("{}:{}", out.key, lang.code()))?
            .ok_or_else(|| ServiceError::Internal("the test notice was not stored".into()))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("notice", id, Some(unit_id), None, Some(&id)).action(action),
        )?;
        Ok::<_, ServiceError>(id)
    })?;
    get_any(conn, id)
}

/// A notice with its addressees, without a visibility check (the caller has one).
pub(super) fn get_any(conn: &mut DbConn, id: i64) -> ServiceResult<NoticeView> {
    let notice =
        store::find(conn, id)?.ok_or_else(|| ServiceError::not_found("该通知", "Notice"))?;
    let recipients = store::recipients_of(conn, &[id])?;
    Ok(NoticeView { notice, recipients })
}
