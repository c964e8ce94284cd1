//! Drafting, attaching files, issuing (which tells every addressed unit in the same transaction) and
//! withdrawing.

use chrono::{DateTime, Utc};

use super::{get, not_found, tree, CircularView};
use crate::attachments::{self, AttachmentInfo, Upload};
use crate::audit::{model::Change, service as audit};
use crate::circulars::model::{
    check_draft, check_due, check_issue, check_withdraw, may_send_from, not_addressable,
    parse_body, parse_fields, parse_title, resolve, CircularInput, CircularState,
};
use crate::circulars::notices::{self, Occasion};
use crate::circulars::store::{self as store, NewCircular};
use crate::circulars::Area;
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// The most attachments a circular carries.
pub const MAX_FILES: usize = 10;

/// Drafts a circular from a unit the actor sends from, to units it may address.
pub fn draft(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    input: CircularInput,
) -> ServiceResult<CircularView> {
    let title = parse_title(&input.title)?;
    let body = parse_body(&input.body)?;
    let fields = parse_fields(input.reply_mode, &input.fields)?;
    check_due(input.ack_due, now)?;
    let tree = tree(conn, actor)?;
    let from = org_store::find_unit(conn, input.from_unit_id)?.filter(|u| u.active);
    if from.is_none() || !may_send_from(actor, input.from_unit_id, &tree) {
        return Err(ServiceError::invalid(
            "from_unit_id",
            "只能以您负责的单位（安委办工作人员：安委办）名义发通知",
            "You may send circulars only from a unit you head (office staff: the office)",
        ));
    }
    let active = store::active_units(conn)?;
    let units = resolve(&input.pick, &active, &tree, input.from_unit_id);
    if units.is_empty() {
        return Err(ServiceError::invalid(
            "units",
            "请至少选择一个接收单位（按类型、按下级或逐个选择）",
            "Address at least one unit (by kind, by subtree, or one by one)",
        ));
    }
    if !not_addressable(actor, input.from_unit_id, &units, &tree).is_empty() {
        return Err(ServiceError::invalid(
            "units",
            "单位只能向本单位的下级单位发通知；向全区发通知须由安委办工作人员办理",
            "A unit sends circulars only to the units below it; district-wide circulars are the office's",
        ));
    }
    let at = db_time(now);
    let id = write_tx(conn, |c| {
        let saved = store::insert(
            c,
            &NewCircular {
                title,
                body,
                urgency: input.urgency,
                from_unit_id: input.from_unit_id,
                state: CircularState::Draft,
                ack_due: db_time(input.ack_due),
                notify_role: input.notify_role.code().into(),
                reply_mode: input.reply_mode,
                reply_file: input.reply_file,
                created_by: actor.account_id,
                created_at: at,
                updated_at: at,
            },
        )?;
        store::insert_fields(c, saved.id, &fields)?;
        store::insert_units(c, saved.id, &units)?;
        let after = get(c, actor, saved.id, now)?;
        let change = Change::of(
            "circular",
            saved.id,
            Some(input.from_unit_id),
            None,
            Some(&after),
        );
        audit::record(c, Some(actor), now, change)?;
        Ok::<_, ServiceError>(saved.id)
    })?;
    get(conn, actor, id, now)
}

/// Attaches a checked file to a draft (its sender only; at most [`MAX_FILES`]).
pub fn add_file(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    upload: Upload,
) -> ServiceResult<AttachmentInfo> {
    write_tx(conn, |c| {
        let before = get(c, actor, id, now)?;
        if !before.as_sender {
            return Err(ServiceError::Forbidden);
        }
        check_draft(before.circular.state)?;
        if before.files.len() >= MAX_FILES {
            return Err(ServiceError::invalid(
                "file",
                "每份通知最多 10 个附件",
                "A circular carries at most 10 attachments",
            ));
        }
        let info = attachments::insert(c, &upload, actor.account_id, db_time(now))?;
        store::insert_file(c, id, info.id)?;
        let change = Change::of(
            "circular",
            id,
            Some(before.circular.from_unit_id),
            None,
            Some(&info),
        )
        .action("attach");
        audit::record(c, Some(actor), now, change)?;
        Ok(info)
    })
}

/// Issues a draft: every addressed unit is told (its contact addresses, the people with the chosen role,
/// its group chat), each with its own 签收 link, in the same transaction.
pub fn issue(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    cfg: &Config,
    area: &Area,
    id: i64,
) -> ServiceResult<CircularView> {
    write_tx(conn, |c| {
        let before = get(c, actor, id, now)?;
        if !before.as_sender {
            return Err(ServiceError::Forbidden);
        }
        let circular = &before.circular;
        check_issue(
            circular.state,
            before.units.len(),
            circular.ack_due.and_utc(),
            now,
        )?;
        if !store::set_issued(c, id, actor.account_id, db_time(now))? {
            return Err(ServiceError::conflict(
                "通知刚刚已下发",
                "The circular was issued meanwhile",
            ));
        }
        let issued = store::find(c, id)?.ok_or_else(not_found)?;
        let people = org_store::reachable_people(c)?;
        let files: Vec<String> = before.files.iter().map(|f| f.file_name.clone()).collect();
        for u in &before.units {
            let text = notices::mail(
                area,
                &issued,
                &before.from_unit,
                (u.unit_id, &u.unit),
                &before.fields,
                &files,
                Occasion::Issued,
                cfg.timezone,
            );
            let out = notices::outgoing(
                c,
                &people,
                text,
                &issued,
                u.unit_id,
                format!("circular:{id}:{}", u.unit_id),
            )?;
            crate::notify::service::enqueue(c, cfg, now, &out)?;
        }
        let after = get(c, actor, id, now)?;
        let change = Change::of(
            "circular",
            id,
            Some(circular.from_unit_id),
            Some(&before),
            Some(&after),
        )
        .action("issue");
        audit::record(c, Some(actor), now, change)?;
        Ok(after)
    })
}

/// Withdraws an issued circular (its sender): notices not yet sent are cancelled; 签收 links and replies
/// no longer work.
pub fn withdraw(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    reason: &str,
) -> ServiceResult<CircularView> {
    let reason = crate::org::model::required_text("reason", reason, 200)?;
    write_tx(conn, |c| {
        let before = get(c, actor, id, now)?;
        if !before.as_sender {
            return Err(ServiceError::Forbidden);
        }
        check_withdraw(before.circular.state)?;
        if !store::set_withdrawn(c, id, actor.account_id, db_time(now), &reason)? {
            return Err(ServiceError::conflict(
                "通知状态刚刚改变，请刷新后再试",
                "The circular changed meanwhile; reload and try again",
            ));
        }
        let keys: Vec<String> = before
            .units
            .iter()
            .flat_map(|u| {
                [
                    format!("circular:{id}:{}", u.unit_id),
                    format!("circular_overdue:{id}:{}", u.unit_id),
                    format!("circular_escalated:{id}:{}", u.unit_id),
                ]
            })
            .collect();
        crate::notify::service::withdraw(c, now, &keys)?;
        crate::notify::service::withdraw_starting(c, now, &format!("circular_remind:{id}:"))?;
        let after = get(c, actor, id, now)?;
        let change = Change::of(
            "circular",
            id,
            Some(before.circular.from_unit_id),
            Some(&before),
            Some(&after),
        )
        .action("withdraw");
        audit::record(c, Some(actor), now, change)?;
        Ok(after)
    })
}

/// What the drafting form offers its viewer.
#[derive(Debug, Clone, Default)]
pub struct DraftOptions {
    /// Units the viewer sends from.
    pub from_units: Vec<(i64, String)>,
    /// Units the viewer may address: id, name, kind label, has units below it.
    pub units: Vec<(i64, String, crate::org::model::UnitKind, bool)>,
    /// Sends to any unit (office staff).
    pub district_wide: bool,
}

/// The drafting form's choices for the actor; refused when the actor sends from no unit.
pub fn options(conn: &mut DbConn, actor: &Actor) -> ServiceResult<DraftOptions> {
    use crate::circulars::model::{sends_district_wide, SENDERS};
    let tree = tree(conn, actor)?;
    let district_wide = sends_district_wide(actor);
    let all = org_store::unit_names(conn, true)?;
    let from_units: Vec<(i64, String)> = all
        .iter()
        .filter(|(id, _)| may_send_from(actor, *id, &tree))
        .filter(|(id, _)| district_wide || actor.scopes(SENDERS).is_some_and(|s| s.contains(id)))
        .cloned()
        .collect();
    if from_units.is_empty() {
        return Err(ServiceError::Forbidden);
    }
    let active = store::active_units(conn)?;
    let parents = store::parent_ids(conn)?;
    let scopes = actor.scopes(SENDERS).unwrap_or_default();
    let units = all
        .into_iter()
        .filter(|(id, _)| {
            district_wide || scopes.iter().any(|s| *s != *id && tree.is_within(*id, *s))
        })
        .filter_map(|(id, name)| {
            active
                .iter()
                .find(|c| c.id == id)
                .map(|c| (id, name, c.kind, parents.contains(&id)))
        })
        .collect();
    // The office sends from the office first.
    let mut from_units = from_units;
    if district_wide {
        from_units.sort_by_key(|(id, _)| {
            !active
                .iter()
                .any(|c| c.id == *id && c.kind == crate::org::model::UnitKind::Office)
        });
    }
    Ok(DraftOptions {
        from_units,
        units,
        district_wide,
    })
}
