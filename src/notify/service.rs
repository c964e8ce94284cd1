//! Notice use cases: enqueue (inside the caller's transaction, or one short transaction each), browse the
//! outbox, retry and cancel, a unit's settings and test emails, a person's own notices and digest choice.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::model::{
    check_cancel, check_retry, group_by_language, message_id, parse_addresses, stored_addresses,
    EmailAddress, Kind, Mode, NoticeState, Reason, Recipient,
};
use super::render::{Content, Rendered, TestMail};
use super::store::{self, NewNotice, Notice, NoticeFilter, StoredRecipient};
use crate::audit::{model::Change, service as audit};
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Lang;
use crate::org::model::{authorize, Actor, OrgAction, Role};
use crate::org::store as org_store;
use crate::pagination::{Page, PageRequest};

/// Something to tell people: what, about which unit, to whom, and how it reads.
pub struct Outgoing {
    /// The kind.
    pub kind: Kind,
    /// Unique per occasion (e.g. `batch_expiry:{warehouse}:{batch}:{lead}`); the language is appended.
    pub key: String,
    /// The unit concerned, whose contacts hear it if they chose to hear this kind at once.
    pub unit_id: Option<i64>,
    /// The page to act on, as a path.
    pub path: String,
    /// People addressed by their role (custodian, countersigner, administrator): they always hear it.
    pub people: Vec<(i64, Reason)>,
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
    kind: Kind,
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
    people: &[(i64, Reason)],
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
                reason: *reason,
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
            reason: Reason::Contact,
            lang: Lang::Zh,
        })
        .collect())
}

/// How a unit hears a kind.
pub fn unit_mode(conn: &mut DbConn, unit_id: i64, kind: Kind) -> ServiceResult<Mode> {
    let chosen = store::unit_modes(conn, unit_id)?;
    Ok(chosen
        .iter()
        .find(|(k, _)| k == kind.code())
        .and_then(|(_, m)| Mode::parse(m).ok())
        .unwrap_or_else(|| kind.default_mode()))
}

/// Addresses and renders a notice, one per language, leaving out languages already enqueued under its
/// key (so a scan that finds the same thing again renders nothing). Reads only.
pub fn prepare(conn: &mut DbConn, cfg: &Config, out: &Outgoing) -> ServiceResult<Vec<Prepared>> {
    let mut recipients = people_recipients(conn, &out.people)?;
    if let Some(unit) = out.unit_id.filter(|_| out.to_unit) {
        if unit_mode(conn, unit, out.kind)? == Mode::Immediate {
            recipients.extend(unit_contacts(conn, unit)?);
        }
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
        let recipients: Vec<_> = p
            .recipients
            .iter()
            .map(|r| {
                (
                    r.address.clone(),
                    r.name.clone(),
                    r.person_id,
                    r.reason.code(),
                )
            })
            .collect();
        let new = NewNotice {
            kind: p.kind.code(),
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

/// A notice with its addressees.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NoticeView {
    #[serde(flatten)]
    pub notice: Notice,
    pub recipients: Vec<StoredRecipient>,
}

/// The units whose notices an administrator sees (`None`: all, including district-wide notices).
fn visible_units(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Option<Vec<i64>>> {
    match actor.scopes(&[Role::Administrator]) {
        None => Ok(None),
        Some(scopes) if scopes.is_empty() => Err(ServiceError::Forbidden),
        Some(scopes) => Ok(Some(org_store::unit_tree(conn)?.units_within(&scopes))),
    }
}

fn with_recipients(conn: &mut DbConn, page: Page<Notice>) -> ServiceResult<Page<NoticeView>> {
    let ids: Vec<i64> = page.items.iter().map(|n| n.id).collect();
    let mut all = store::recipients_of(conn, &ids)?;
    Ok(page.map(|notice| {
        let (mine, rest) = std::mem::take(&mut all)
            .into_iter()
            .partition(|r| r.notice_id == notice.id);
        all = rest;
        NoticeView {
            notice,
            recipients: mine,
        }
    }))
}

/// The outbox as an administrator may see it (their units' notices; everything for the district's).
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    mut filter: NoticeFilter,
    page: PageRequest,
) -> ServiceResult<Page<NoticeView>> {
    filter.visible_units = visible_units(conn, actor)?;
    let page = store::list(conn, &filter, page)?;
    with_recipients(conn, page)
}

/// One notice an administrator may see.
pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<NoticeView> {
    let visible = visible_units(conn, actor)?;
    let notice = store::find(conn, id)?
        .filter(|n| match &visible {
            None => true,
            Some(units) => n.unit_id.is_some_and(|u| units.contains(&u)),
        })
        .ok_or_else(|| ServiceError::not_found("该通知", "Notice"))?;
    let recipients = store::recipients_of(conn, &[id])?;
    Ok(NoticeView { notice, recipients })
}

/// Sends a failed or cancelled notice again (due now, attempts counted afresh).
pub fn retry(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> ServiceResult<NoticeView> {
    change_state(conn, actor, now, id, "retry", |c, n, state| {
        check_retry(state)?;
        Ok(store::requeue(c, n.id, state.code(), db_time(now))?)
    })
}

/// Cancels a notice that has not gone out.
pub fn cancel(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> ServiceResult<NoticeView> {
    change_state(conn, actor, now, id, "cancel", |c, n, state| {
        check_cancel(state)?;
        Ok(store::cancel(c, n.id, state.code(), db_time(now))?)
    })
}

fn change_state(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    action: &'static str,
    apply: impl FnOnce(&mut DbConn, &Notice, NoticeState) -> ServiceResult<bool>,
) -> ServiceResult<NoticeView> {
    write_tx(conn, |c| {
        let before = get(c, actor, id)?;
        let state = NoticeState::parse(&before.notice.state)?;
        if !apply(c, &before.notice, state)? {
            return Err(ServiceError::conflict(
                "通知状态刚刚改变，请刷新后再试",
                "The notice changed meanwhile; reload and try again",
            ));
        }
        let after = get(c, actor, id)?;
        let change = Change::of(
            "notice",
            id,
            before.notice.unit_id,
            Some(&before.notice),
            Some(&after.notice),
        )
        .action(action);
        audit::record(c, Some(actor), now, change)?;
        Ok(after)
    })
}

/// The notices addressed to the actor's person (by person or by their address), newest first.
pub fn mine(
    conn: &mut DbConn,
    actor: &Actor,
    page: PageRequest,
) -> ServiceResult<Page<NoticeView>> {
    let person = own_person(conn, actor)?;
    let filter = NoticeFilter {
        recipient: Some((Some(person.id), person.email.clone())),
        ..Default::default()
    };
    let page = store::list(conn, &filter, page)?;
    with_recipients(conn, page)
}

fn own_person(conn: &mut DbConn, actor: &Actor) -> ServiceResult<org_store::Person> {
    let account = org_store::find_account(conn, actor.account_id)?;
    match account.and_then(|a| a.person_id) {
        Some(p) => org_store::find_person(conn, p)?
            .ok_or_else(|| ServiceError::not_found("该人员", "Person")),
        None => Err(ServiceError::conflict(
            "此账号未关联人员，没有个人通知",
            "This account is not linked to a person, so it has no notices of its own",
        )),
    }
}

/// The actor's digest choice: whether their person receives the daily digest.
pub fn digest_choice(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Option<bool>> {
    match own_person(conn, actor) {
        Ok(p) => Ok(Some(!p.digest_opt_out)),
        Err(ServiceError::Conflict(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Opts the actor's person in or out of the daily digest (notices addressed to them by role still come).
pub fn set_digest(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    receive: bool,
) -> ServiceResult<bool> {
    write_tx(conn, |c| {
        let p = own_person(c, actor)?;
        store::set_digest_opt_out(c, p.id, !receive, db_time(now))?;
        let change = Change::of(
            "person",
            p.id,
            Some(p.unit_id),
            Some(&serde_json::json!({ "digest": !p.digest_opt_out })),
            Some(&serde_json::json!({ "digest": receive })),
        )
        .action("update");
        audit::record(c, Some(actor), now, change)?;
        Ok(receive)
    })
}

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
    let mut modes = Vec::new();
    for kind in Kind::UNIT_CHOICES {
        modes.push(KindMode {
            kind: kind.code().into(),
            mode: unit_mode(conn, unit_id, *kind)?.code().into(),
        });
    }
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

/// How many of the notices an administrator may see are in each state (the outbox page).
pub fn counts(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<(String, i64)>> {
    let visible = visible_units(conn, actor)?;
    Ok(store::count_by_state(conn, visible.as_deref())?)
}
