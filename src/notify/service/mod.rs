//! Notice use cases: enqueue (inside the caller's transaction, or one short transaction each), browse the
//! outbox, retry and cancel, a unit's settings and test emails, a person's own notices and digest choice.

mod chat;
mod enqueue;
mod settings;

pub use chat::*;
pub use enqueue::*;
pub use settings::*;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::model::{check_cancel, check_retry, NoticeState, RecipientState, CONTACT};
use super::store::{self, NewRecipient, Notice, NoticeFilter, StoredRecipient};
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::org::store as org_store;
use crate::org::store::administered_units;
use crate::pagination::{Page, PageRequest};

/// A notice with its addressees.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NoticeView {
    #[serde(flatten)]
    pub notice: Notice,
    pub recipients: Vec<StoredRecipient>,
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
    filter.visible_units = administered_units(conn, actor)?;
    let page = store::list(conn, &filter, page)?;
    with_recipients(conn, page)
}

/// One notice an administrator may see.
pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<NoticeView> {
    let visible = administered_units(conn, actor)?;
    let notice = store::find(conn, id)?
        .filter(|n| match &visible {
            None => true,
            Some(units) => n.unit_id.is_some_and(|u| units.contains(&u)),
        })
        .ok_or_else(|| ServiceError::not_found("该通知", "Notice"))?;
    let recipients = store::recipients_of(conn, &[id])?;
    Ok(NoticeView { notice, recipients })
}

/// Sends a notice again to those who have not got it (due now, attempts counted afresh): after a failure, a
/// cancellation, or a refusal of some addresses. Addressees are looked up again, so an address put right
/// since (a person's, or the unit's contact list) is the one used.
pub fn retry(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> ServiceResult<NoticeView> {
    change_state(conn, actor, now, id, "retry", |c, v| {
        let undelivered = v.recipients.iter().any(|r| r.state != RecipientState::Sent);
        check_retry(v.notice.state, undelivered)?;
        let current = current_recipients(c, v)?;
        Ok(store::requeue(
            c,
            v.notice.id,
            v.notice.state,
            db_time(now),
            &current,
        )?)
    })
}

/// A notice's addressees as they stand now: people by their current address, the unit's current contact
/// addresses in place of the old ones, other addresses as they were.
fn current_recipients(conn: &mut DbConn, v: &NoticeView) -> ServiceResult<Vec<NewRecipient>> {
    let mut out = Vec::new();
    let people: Vec<i64> = v.recipients.iter().filter_map(|r| r.person_id).collect();
    let found = store::reach_people(conn, &people)?;
    for r in &v.recipients {
        match r.person_id {
            Some(p) => {
                if let Some((_, name, email, _)) = found.iter().find(|f| f.0 == p) {
                    out.push(NewRecipient {
                        address: email.clone(),
                        name: name.clone(),
                        person_id: Some(p),
                        reason: r.reason.clone(),
                    });
                }
            }
            None if r.reason == CONTACT.code => {}
            None => out.push(NewRecipient {
                address: r.address.clone(),
                name: r.name.clone(),
                person_id: None,
                reason: r.reason.clone(),
            }),
        }
    }
    if v.recipients.iter().any(|r| r.reason == CONTACT.code) {
        if let Some(unit) = v.notice.unit_id {
            out.extend(
                unit_contacts(conn, unit)?
                    .into_iter()
                    .map(|c| NewRecipient {
                        address: c.address,
                        name: c.name,
                        person_id: None,
                        reason: CONTACT.code.into(),
                    }),
            );
        }
    }
    Ok(out)
}

/// Cancels a notice that has not gone out.
pub fn cancel(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> ServiceResult<NoticeView> {
    change_state(conn, actor, now, id, "cancel", |c, v| {
        check_cancel(v.notice.state)?;
        Ok(store::cancel(c, v.notice.id, v.notice.state, db_time(now))?)
    })
}

fn change_state(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    action: &'static str,
    apply: impl FnOnce(&mut DbConn, &NoticeView) -> ServiceResult<bool>,
) -> ServiceResult<NoticeView> {
    write_tx(conn, |c| {
        let before = get(c, actor, id)?;
        if !apply(c, &before)? {
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

/// How many of the notices an administrator may see are in each state (the outbox page).
pub fn counts(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<(NoticeState, i64)>> {
    let visible = administered_units(conn, actor)?;
    Ok(store::count_by_state(conn, visible.as_deref())?)
}

/// The outbox's gauges for `/metrics`: notices in each state, and how late the oldest waiting one is.
pub fn gauges(conn: &mut DbConn, now: DateTime<Utc>) -> ServiceResult<String> {
    use std::fmt::Write;
    let (counts, oldest) = (
        store::count_by_state(conn, None)?,
        store::oldest_waiting(conn)?,
    );
    let mut out = String::from("# TYPE standby_notices gauge\n");
    for (state, n) in counts {
        let _ = writeln!(out, "standby_notices{{state=\"{}\"}} {n}", state.code());
    }
    let late = oldest.map_or(0.0, |t| {
        ((now.naive_utc() - t).num_milliseconds().max(0) as f64) / 1000.0
    });
    let _ = writeln!(
        out,
        "# TYPE standby_notice_oldest_due_seconds gauge\nstandby_notice_oldest_due_seconds {late}"
    );
    Ok(out)
}
