//! Acknowledging (signed in, or through the unit's signed 签收 link without signing in), answering, and
//! the files a viewer may download.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{get, not_found, standing_of, tree, CircularView};
use crate::attachments::{self, AttachmentInfo, Upload};
use crate::audit::{model::Change, service as audit};
use crate::circulars::model::{
    acts_for, check_open, check_reply, paragraphs, parse_signer, AckClaim, AckKey, CircularAckVia,
    CircularStanding, CircularState, LinkProblem, ReplyInput,
};
use crate::circulars::store::{self as store, Ack, Circular, Reply};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Text;
use crate::org::model::Actor;
use crate::org::store as org_store;

fn not_addressed() -> ServiceError {
    ServiceError::not_found("该单位的通知", "The unit's circular")
}

/// The actor's unit `unit` acknowledges circular `id` (someone who acts for it). Acknowledging again
/// changes nothing.
pub fn acknowledge(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    unit: i64,
    address: &str,
) -> ServiceResult<CircularView> {
    write_tx(conn, |c| {
        let before = get(c, actor, id, now)?;
        if !before.mine.contains(&unit) {
            return Err(not_addressed());
        }
        check_open(before.circular.state)?;
        let ack = Ack {
            at: db_time(now),
            by: Some(actor.account_id),
            name: &actor.name,
            via: CircularAckVia::SignedIn.code(),
            address,
        };
        if store::acknowledge(c, id, unit, &ack)? {
            let after = get(c, actor, id, now)?;
            let change = Change::of("circular", id, Some(unit), Some(&before), Some(&after))
                .action("acknowledge");
            audit::record(c, Some(actor), now, change)?;
            return Ok(after);
        }
        Ok(before)
    })
}

/// What the 签收 link's page shows: the circular (not its attachments, which need signing in), the unit
/// it acknowledges for, and whether and when it already did.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub circular_id: i64,
    pub title: String,
    pub from_unit: String,
    pub unit: String,
    pub urgency: crate::circulars::model::CircularUrgency,
    pub ack_due: chrono::NaiveDateTime,
    pub paragraphs: Vec<String>,
    pub files: Vec<String>,
    pub state: CircularState,
    pub standing: CircularStanding,
    pub acked_at: Option<chrono::NaiveDateTime>,
    pub acked_name: String,
    pub expires: DateTime<Utc>,
}

/// Why a 签收 link does not open: in the visitor's language, with the status to answer.
pub fn link_refusal(p: LinkProblem) -> ServiceError {
    match p {
        LinkProblem::Malformed | LinkProblem::Forged => {
            ServiceError::not_found("该签收链接", "Acknowledgement link")
        }
        LinkProblem::Expired(_) => ServiceError::Conflict(Text::new(
            "签收链接已过期。请登录系统签收，或联系发文单位",
            "This acknowledgement link has expired. Sign in to acknowledge, or contact the sending unit",
        )),
    }
}

fn claimed(
    conn: &mut DbConn,
    key: &AckKey,
    token: &str,
    now: DateTime<Utc>,
) -> ServiceResult<(AckClaim, Circular)> {
    let claim = key.verify(token, now).map_err(link_refusal)?;
    let c = store::find(conn, claim.circular_id)?.ok_or_else(not_found)?;
    Ok((claim, c))
}

/// What a 签收 link opens (reads only: opening the link acknowledges nothing).
pub fn link_view(
    conn: &mut DbConn,
    key: &AckKey,
    token: &str,
    now: DateTime<Utc>,
) -> ServiceResult<LinkView> {
    let (claim, c) = claimed(conn, key, token, now)?;
    let row = store::units_of(conn, c.id)?
        .into_iter()
        .find(|r| r.unit_id == claim.unit_id)
        .ok_or_else(not_addressed)?;
    let names = org_store::unit_names(conn, false)?;
    let name = |id: i64| {
        names
            .iter()
            .find(|(u, _)| *u == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    Ok(LinkView {
        circular_id: c.id,
        title: c.title.clone(),
        from_unit: name(c.from_unit_id),
        unit: name(claim.unit_id),
        urgency: c.urgency,
        ack_due: c.ack_due,
        paragraphs: paragraphs(&c.body),
        files: store::files_of(conn, c.id)?
            .into_iter()
            .map(|f| f.file_name)
            .collect(),
        state: c.state,
        standing: standing_of(&c, &row, now),
        acked_at: row.acked_at,
        acked_name: row.acked_name,
        expires: claim.expires,
    })
}

/// Acknowledges through a 签收 link for its unit: the name given, the time and the address it came from
/// are recorded; a second press changes nothing. Refused when the circular is withdrawn.
pub fn acknowledge_by_link(
    conn: &mut DbConn,
    key: &AckKey,
    now: DateTime<Utc>,
    token: &str,
    name: &str,
    address: &str,
) -> ServiceResult<LinkView> {
    let name = parse_signer(name)?;
    write_tx(conn, |c| {
        let (claim, circular) = claimed(c, key, token, now)?;
        check_open(circular.state)?;
        let ack = Ack {
            at: db_time(now),
            by: None,
            name: &name,
            via: CircularAckVia::Link.code(),
            address,
        };
        if store::acknowledge(c, claim.circular_id, claim.unit_id, &ack)? {
            let change = Change::of(
                "circular",
                claim.circular_id,
                Some(claim.unit_id),
                None::<&serde_json::Value>,
                Some(&serde_json::json!({
                    "unit_id": claim.unit_id, "acked_name": name, "acked_via": "link", "acked_address": address,
                })),
            )
            .action("acknowledge");
            audit::record(c, None, now, change)?;
        }
        link_view(c, key, token, now)
    })
}

/// The actor's unit `unit` answers circular `id` (acknowledging it too, if it had not): free text or the
/// form's fields, and a file where the circular takes one. A later reply replaces the earlier one.
#[allow(clippy::too_many_arguments)]
pub fn reply(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    unit: i64,
    input: ReplyInput,
    file: Option<Upload>,
    address: &str,
) -> ServiceResult<CircularView> {
    write_tx(conn, |c| {
        let before = get(c, actor, id, now)?;
        if !before.mine.contains(&unit) {
            return Err(not_addressed());
        }
        check_open(before.circular.state)?;
        let checked = check_reply(
            before.circular.reply_mode,
            before.circular.reply_file,
            &before.fields,
            &input,
            file.is_some(),
        )?;
        let attachment = match &file {
            Some(u) => Some(attachments::insert(c, u, actor.account_id, db_time(now))?.id),
            None => None,
        };
        let ack = Ack {
            at: db_time(now),
            by: Some(actor.account_id),
            name: &actor.name,
            via: CircularAckVia::Reply.code(),
            address,
        };
        store::acknowledge(c, id, unit, &ack)?;
        store::reply(
            c,
            id,
            unit,
            &Reply {
                at: db_time(now),
                by: Some(actor.account_id),
                text: checked.text,
                values: serde_json::to_string(&checked.values)
                    .map_err(|e| ServiceError::Internal(e.to_string()))?,
                attachment,
            },
        )?;
        let after = get(c, actor, id, now)?;
        let change =
            Change::of("circular", id, Some(unit), Some(&before), Some(&after)).action("reply");
        audit::record(c, Some(actor), now, change)?;
        Ok(after)
    })
}

/// One of the circular's attachments, for those who may see the circular.
pub fn file(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    attachment: i64,
) -> ServiceResult<(AttachmentInfo, Vec<u8>)> {
    let v = get(conn, actor, id, now)?;
    let missing = || ServiceError::not_found("该附件", "Attachment");
    let own = store::is_file_of(conn, id, attachment)?;
    // A reply's file: the sender, or the unit that sent it.
    let replied = v
        .units
        .iter()
        .any(|u| u.reply_file.as_ref().is_some_and(|f| f.id == attachment));
    if !own && !replied {
        return Err(missing());
    }
    attachments::load(conn, attachment)?.ok_or_else(missing)
}

/// Whether the actor acts for `unit` (for pages deciding what to offer).
pub fn may_answer(conn: &mut DbConn, actor: &Actor, unit: i64) -> ServiceResult<bool> {
    Ok(acts_for(actor, unit, &*tree(conn, actor)?))
}
