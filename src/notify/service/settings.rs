//! A unit's notification settings (contact addresses; at once or in the digest, per kind) and test emails.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{enqueue, unit_contacts, NoticeView, Outgoing};
use crate::audit::{model::Change, service as audit};
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::notify::model::{
    mode_of, parse_addresses, stored_addresses, EmailAddress, Kind, Mode, Reason, Recipient,
};
use crate::notify::render::TestMail;
use crate::notify::store;
use crate::org::model::{authorize, Actor, OrgAction};
use crate::org::store as org_store;

/// How one kind reaches a unit.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct KindMode {
    pub kind: String,
    pub mode: String,
}

/// A unit's notification settings.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitNoticeSettings {
    pub unit_id: i64,
    pub unit_name: String,
    pub contact_emails: Vec<String>,
    pub modes: Vec<KindMode>,
}

fn settings_of(conn: &mut DbConn, unit_id: i64) -> ServiceResult<UnitNoticeSettings> {
    let unit = org_store::find_unit(conn, unit_id)?
        .ok_or_else(|| ServiceError::not_found("该单位", "Unit"))?;
    let chosen = store::unit_modes(conn, unit_id)?;
    let modes = Kind::UNIT_CHOICES
        .iter()
        .map(|kind| KindMode {
            kind: kind.code().into(),
            mode: mode_of(&chosen, *kind).code().into(),
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

fn may_manage(conn: &mut DbConn, actor: &Actor, unit_id: i64) -> ServiceResult<()> {
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
    unit_id: i64,
) -> ServiceResult<UnitNoticeSettings> {
    may_manage(conn, actor, unit_id)?;
    settings_of(conn, unit_id)
}

/// New settings for a unit, parsed at the edge.
#[derive(Debug, Clone)]
pub struct SettingsInput {
    pub contacts: Vec<EmailAddress>,
    pub modes: Vec<(Kind, Mode)>,
}

impl SettingsInput {
    /// Reads the contact list and each kind's mode; kinds left out keep their default.
    pub fn parse(contacts: &str, modes: &[KindMode]) -> ServiceResult<SettingsInput> {
        let contacts = parse_addresses(contacts)?;
        let mut parsed: Vec<(Kind, Mode)> = Vec::new();
        for m in modes {
            let kind = Kind::parse(&m.kind)?;
            if !Kind::UNIT_CHOICES.contains(&kind) {
                return Err(ServiceError::invalid(
                    "kind",
                    "这类通知只发给指定的人，单位不能选择发送方式",
                    "This kind goes to named people only; units do not choose how they hear it",
                ));
            }
            let mode = Mode::parse(&m.mode)?;
            parsed.retain(|(k, _)| *k != kind);
            parsed.push((kind, mode));
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
    now: DateTime<Utc>,
    unit_id: i64,
    input: SettingsInput,
) -> ServiceResult<UnitNoticeSettings> {
    write_tx(conn, |c| {
        may_manage(c, actor, unit_id)?;
        let before = settings_of(c, unit_id)?;
        let contacts: Vec<&str> = input.contacts.iter().map(EmailAddress::as_str).collect();
        store::set_contacts(c, unit_id, &contacts.join(", "), db_time(now))?;
        let mut modes: Vec<(&str, &str)> = before
            .modes
            .iter()
            .map(|m| (m.kind.as_str(), m.mode.as_str()))
            .collect();
        for (kind, mode) in &input.modes {
            if let Some(m) = modes.iter_mut().find(|(k, _)| *k == kind.code()) {
                m.1 = mode.code();
            }
        }
        store::set_unit_modes(c, unit_id, &modes)?;
        let after = settings_of(c, unit_id)?;
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
    let unit = settings_of(conn, unit_id)?;
    let addresses = match to {
        Some(a) => vec![Recipient {
            address: a.as_str().to_string(),
            name: String::new(),
            person_id: None,
            reason: Reason::Requested,
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
    let at = now.with_timezone(&cfg.timezone);
    let lang = addresses[0].lang;
    let out = Outgoing {
        kind: Kind::Test,
        // Each request is its own test, however quickly they follow one another.
        key: format!(
            "test:{unit_id}:{}",
            crate::org::credentials::random_token(8)?
        ),
        unit_id: Some(unit_id),
        path: format!("/units/{unit_id}/notices"),
        people: Vec::new(),
        to_unit: false,
        addresses,
        content: Box::new(TestMail {
            unit: unit.unit_name,
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
            Change::of("notice", id, Some(unit_id), None, Some(&id)).action("test_email"),
        )?;
        Ok::<_, ServiceError>(id)
    })?;
    get_any(conn, id)
}

/// A notice with its addressees, without a visibility check (the caller has one).
fn get_any(conn: &mut DbConn, id: i64) -> ServiceResult<NoticeView> {
    let notice =
        store::find(conn, id)?.ok_or_else(|| ServiceError::not_found("该通知", "Notice"))?;
    let recipients = store::recipients_of(conn, &[id])?;
    Ok(NoticeView { notice, recipients })
}
