//! Enqueueing: address a notice (people by role, the unit's contacts by its choice), render it once per
//! language, and store it under its dedupe key, in the caller's transaction or one short one each.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Lang;
use crate::notify::model::{
    group_by_language, message_id, mode_of, stored_addresses, KindSpec, Mode, Reason, Recipient,
    CONTACT,
};
use crate::notify::render::{Content, Rendered};
use crate::notify::store::{self, NewNotice, NewRecipient};
use crate::org::store as org_store;

/// Something to tell people: what, about which unit, to whom, and how it reads.
pub struct Outgoing {
    /// The kind.
    pub kind: &'static KindSpec,
    /// Unique per occasion (e.g. `batch_expiry:{warehouse}:{batch}:{lead}`); the language is appended.
    pub key: String,
    /// The unit concerned, whose contacts hear it if they chose to hear this kind at once.
    pub unit_id: Option<i64>,
    /// The page to act on, as a path.
    pub path: String,
    /// People addressed by their role (custodian, countersigner, administrator): they always hear it.
    pub people: Vec<(i64, &'static Reason)>,
    /// Also the unit's contact addresses (when the unit takes this kind at once).
    pub to_unit: bool,
    /// Further addresses.
    pub addresses: Vec<Recipient>,
    /// The text.
    pub content: Box<dyn Content>,
}

/// A notice rendered and addressed, ready to store.
#[derive(Debug, Clone)]
pub struct Prepared {
    key: String,
    kind: &'static KindSpec,
    unit_id: Option<i64>,
    lang: Lang,
    link: String,
    message_id: String,
    rendered: Rendered,
    recipients: Vec<Recipient>,
}

fn internal(e: askama::Error) -> ServiceError {
    ServiceError::Internal(format!("email template: {e}"))
}

/// The people given, with an email address, in their account's language.
pub fn people_recipients(
    conn: &mut DbConn,
    people: &[(i64, &'static Reason)],
) -> ServiceResult<Vec<Recipient>> {
    let ids: Vec<i64> = people.iter().map(|p| p.0).collect();
    let found = store::reach_people(conn, &ids)?;
    Ok(people
        .iter()
        .filter_map(|(id, reason)| {
            found.iter().find(|p| p.0 == *id).map(|p| Recipient {
                address: p.2.clone(),
                name: p.1.clone(),
                person_id: Some(p.0),
                reason,
                lang: p.3,
            })
        })
        .collect())
}

/// The unit's contact addresses (Chinese), skipping any that cannot be used.
pub fn unit_contacts(conn: &mut DbConn, unit_id: i64) -> ServiceResult<Vec<Recipient>> {
    let Some(unit) = org_store::find_unit(conn, unit_id)?.filter(|u| u.active) else {
        return Ok(Vec::new());
    };
    Ok(stored_addresses(&unit.contact_emails)
        .into_iter()
        .map(|a| Recipient {
            address: a.as_str().to_string(),
            name: unit.name.clone(),
            person_id: None,
            reason: &CONTACT,
            lang: Lang::Zh,
        })
        .collect())
}

/// Addresses and renders a notice, one per language, leaving out languages already enqueued under its
/// key (so a scan that finds the same thing again renders nothing). Reads only.
pub fn prepare(conn: &mut DbConn, cfg: &Config, out: &Outgoing) -> ServiceResult<Vec<Prepared>> {
    let mut recipients = people_recipients(conn, &out.people)?;
    if let Some(unit) = out.unit_id.filter(|_| out.to_unit) {
        if mode_of(&store::unit_modes(conn, unit)?, out.kind) == Mode::Immediate {
            recipients.extend(unit_contacts(conn, unit)?);
        }
    }
    if let Some(unit) = out.unit_id {
        recipients.extend(super::chat_recipient(conn, unit, out.kind)?);
    }
    recipients.extend(out.addresses.iter().cloned());
    let link = format!("{}{}", cfg.base_url, out.path);
    let mut prepared = Vec::new();
    for (lang, group) in group_by_language(recipients) {
        let key = format!("{}:{}", out.key, lang.code());
        if store::key_taken(conn, &key)? {
            continue;
        }
        prepared.push(Prepared {
            message_id: message_id(&key, &cfg.mail.from),
            rendered: out.content.render(lang, &link).map_err(internal)?,
            key,
            kind: out.kind,
            unit_id: out.unit_id,
            lang,
            link: link.clone(),
            recipients: group,
        });
    }
    Ok(prepared)
}

/// Stores prepared notices, due at `now`; a key enqueued meanwhile is skipped. Returns how many were new.
/// Call inside a write transaction.
pub fn store_prepared(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    prepared: &[Prepared],
) -> ServiceResult<usize> {
    let mut created = 0;
    for p in prepared {
        let recipients: Vec<NewRecipient> = p
            .recipients
            .iter()
            .map(|r| NewRecipient {
                address: r.address.clone(),
                name: r.name.clone(),
                person_id: r.person_id,
                reason: r.reason.code.into(),
            })
            .collect();
        let new = NewNotice {
            kind: p.kind.code,
            dedupe_key: &p.key,
            unit_id: p.unit_id,
            language: p.lang.code(),
            subject: &p.rendered.subject,
            body_text: &p.rendered.text,
            body_html: &p.rendered.html,
            link: &p.link,
            message_id: &p.message_id,
            due_at: db_time(now),
            now: db_time(now),
        };
        if store::insert(conn, &new, &recipients)?.is_some() {
            created += 1;
        }
    }
    Ok(created)
}

/// Enqueues a notice inside the caller's transaction (a domain event: it commits or rolls back with the
/// change it tells of).
pub fn enqueue(
    conn: &mut DbConn,
    cfg: &Config,
    now: DateTime<Utc>,
    out: &Outgoing,
) -> ServiceResult<usize> {
    let prepared = prepare(conn, cfg, out)?;
    store_prepared(conn, now, &prepared)
}

/// Enqueues many notices, each in its own short write transaction after reading and rendering outside it.
pub fn enqueue_each(
    conn: &mut DbConn,
    cfg: &Config,
    now: DateTime<Utc>,
    outs: &[Outgoing],
) -> ServiceResult<usize> {
    let mut created = 0;
    for out in outs {
        let prepared = prepare(conn, cfg, out)?;
        if !prepared.is_empty() {
            created += write_tx(conn, |c| store_prepared(c, now, &prepared))?;
        }
    }
    Ok(created)
}

/// Cancels the notices of these occasions (every language) that have not been sent, because what they
/// ask for has been done. Call inside the transaction that does it.
pub fn withdraw(conn: &mut DbConn, now: DateTime<Utc>, keys: &[String]) -> ServiceResult<usize> {
    let full: Vec<String> = keys
        .iter()
        .flat_map(|k| Lang::ALL.iter().map(move |l| format!("{k}:{}", l.code())))
        .collect();
    Ok(store::withdraw(conn, &full, db_time(now))?)
}

/// Cancels the unsent notices whose key starts with `prefix` (keys stamped with the time they were made).
pub fn withdraw_starting(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    prefix: &str,
) -> ServiceResult<usize> {
    Ok(store::withdraw_starting(conn, prefix, db_time(now))?)
}
