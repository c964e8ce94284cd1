//! Circular use cases, one transaction each: drafting and issuing (`drafting`), acknowledging and
//! answering (`answering`), tracking, reminding, exporting and the overdue report (`tracking`); reads
//! authorize first.

pub mod answering;
pub mod drafting;
pub mod tracking;

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

use crate::attachments::{self, AttachmentInfo};
use crate::circulars::model::{
    acts_for, may_send_from, paragraphs, sends_district_wide, standing, CircularAckVia,
    CircularStanding, CircularState, CircularTally,
};
use crate::circulars::store::{self as store, Circular, UnitRow};
use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::{Actor, Role, UnitTree};
use crate::org::store as org_store;

/// An addressed unit as the tracking page shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CircularUnitView {
    pub unit_id: i64,
    pub unit: String,
    pub standing: CircularStanding,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub acked_at: Option<NaiveDateTime>,
    /// Who acknowledged: the account's name, or the name given on the 签收 link's page.
    pub acked_name: String,
    pub acked_via: Option<CircularAckVia>,
    /// The address the acknowledgement came from (the sender's view only).
    pub acked_address: String,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub replied_at: Option<NaiveDateTime>,
    pub replied_by: String,
    pub reply_text: String,
    /// One value per field of the reply form.
    pub reply_values: Vec<String>,
    pub reply_file: Option<AttachmentInfo>,
    /// Reminders sent (by the sender, or when the deadline passed).
    pub reminders: i32,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub escalated_at: Option<NaiveDateTime>,
}

/// A circular as its viewer may see it: the sender sees every addressed unit, an addressed unit only its
/// own row.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CircularView {
    #[serde(flatten)]
    pub circular: Circular,
    pub from_unit: String,
    /// The reply form's fields.
    pub fields: Vec<String>,
    pub files: Vec<AttachmentInfo>,
    pub units: Vec<CircularUnitView>,
    /// Counts over every addressed unit (the sender's view).
    pub tally: CircularTally,
    /// The viewer sends it (tracks, reminds, withdraws).
    pub as_sender: bool,
    /// The addressed units the viewer acts for (acknowledges, replies).
    pub mine: Vec<i64>,
}

impl CircularView {
    /// The body's paragraphs.
    pub fn paragraphs(&self) -> Vec<String> {
        paragraphs(&self.circular.body)
    }
}

pub(crate) fn not_found() -> ServiceError {
    ServiceError::not_found("该通知", "Circular")
}

/// The unit tree as the caller saw it.
pub(crate) fn tree(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Arc<UnitTree>> {
    Ok(org_store::tree_of(conn, actor)?)
}

/// Where a unit stands at `now`.
pub(crate) fn standing_of(c: &Circular, r: &UnitRow, now: DateTime<Utc>) -> CircularStanding {
    if c.state == CircularState::Draft {
        return CircularStanding::Waiting;
    }
    standing(
        c.ack_due.and_utc(),
        r.acked_at.map(|t| t.and_utc()),
        r.escalated_at.map(|t| t.and_utc()),
        now,
    )
}

/// Whether the actor sends `c` (may see every unit's row, remind, withdraw).
pub(crate) fn sends(actor: &Actor, c: &Circular, tree: &UnitTree) -> bool {
    c.created_by == actor.account_id || may_send_from(actor, c.from_unit_id, tree)
}

/// The units the actor acts for: its own, and those within its (non-viewer) unit scopes.
pub(crate) fn my_units(actor: &Actor, tree: &UnitTree) -> Vec<i64> {
    let scopes: Vec<i64> = actor
        .grants
        .iter()
        .filter(|g| g.role != Role::Viewer)
        .filter_map(|g| g.unit_id)
        .collect();
    let mut units = tree.units_within(&scopes);
    units.extend(actor.unit_id);
    units.sort_unstable();
    units.dedup();
    units
}

fn parse_values(raw: &str) -> Vec<String> {
    serde_json::from_str(raw).unwrap_or_default()
}

/// The circular as `actor` may see it, at `now`.
pub fn get(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<CircularView> {
    let c = store::find(conn, id)?.ok_or_else(not_found)?;
    let tree = tree(conn, actor)?;
    let rows = store::units_of(conn, id)?;
    let as_sender = sends(actor, &c, &tree);
    let mine: Vec<i64> = if c.state == CircularState::Draft {
        Vec::new()
    } else {
        rows.iter()
            .map(|r| r.unit_id)
            .filter(|u| acts_for(actor, *u, &tree))
            .collect()
    };
    if !as_sender && mine.is_empty() {
        return Err(not_found());
    }
    view(conn, c, rows, as_sender, mine, now)
}

/// Builds the view of `c` with the rows its viewer may see.
pub(crate) fn view(
    conn: &mut DbConn,
    c: Circular,
    rows: Vec<UnitRow>,
    as_sender: bool,
    mine: Vec<i64>,
    now: DateTime<Utc>,
) -> ServiceResult<CircularView> {
    let names = org_store::unit_names(conn, false)?;
    let accounts = crate::org::service::account_names(conn)?;
    let name_of = |id: i64| {
        names
            .iter()
            .find(|(u, _)| *u == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let account = |id: Option<i64>| {
        id.and_then(|a| accounts.get(&a).cloned())
            .unwrap_or_default()
    };
    let tally = CircularTally::of(
        rows.iter()
            .map(|r| (standing_of(&c, r, now), r.replied_at.is_some())),
    );
    let mut units = Vec::new();
    for r in rows
        .into_iter()
        .filter(|r| as_sender || mine.contains(&r.unit_id))
    {
        let reply_file = match r.reply_attachment_id {
            Some(a) => attachments::info(conn, a)?,
            None => None,
        };
        units.push(CircularUnitView {
            unit_id: r.unit_id,
            unit: name_of(r.unit_id),
            standing: standing_of(&c, &r, now),
            acked_at: r.acked_at,
            acked_name: r.acked_name.clone(),
            acked_via: CircularAckVia::parse(&r.acked_via).ok(),
            acked_address: if as_sender {
                r.acked_address.clone()
            } else {
                String::new()
            },
            replied_at: r.replied_at,
            replied_by: match r.replied_by {
                Some(_) => account(r.replied_by),
                None if r.replied_at.is_some() => r.acked_name.clone(),
                None => String::new(),
            },
            reply_text: r.reply_text.clone(),
            reply_values: parse_values(&r.reply_values),
            reply_file,
            reminders: r.reminders,
            escalated_at: r.escalated_at,
        });
    }
    Ok(CircularView {
        from_unit: name_of(c.from_unit_id),
        fields: store::fields_of(conn, c.id)?,
        files: store::files_of(conn, c.id)?,
        tally,
        circular: c,
        units,
        as_sender,
        mine,
    })
}

/// A circular as the lists show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CircularRow {
    #[serde(flatten)]
    pub circular: Circular,
    pub from_unit: String,
    pub tally: CircularTally,
    pub as_sender: bool,
    /// Of the viewer's own units addressed: how many have not acknowledged.
    pub mine_waiting: usize,
    /// Of the viewer's own units addressed: how many still owe a reply.
    pub mine_to_reply: usize,
}

/// Which circulars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// Addressed to the viewer's units.
    Received,
    /// Sent (drafted) from units the viewer sends from.
    Sent,
}

/// The circulars the actor receives or sends, newest first (at most 200).
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    which: Folder,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<CircularRow>> {
    let tree = tree(conn, actor)?;
    let mine = my_units(actor, &tree);
    let found = match which {
        Folder::Received => {
            let ids = store::addressed_to(conn, &mine)?;
            store::list(conn, Some(&ids), None, 200)?
        }
        Folder::Sent if sends_district_wide(actor) => store::list(conn, None, None, 200)?,
        Folder::Sent => {
            let scopes = actor
                .scopes(crate::circulars::model::SENDERS)
                .unwrap_or_default();
            let from = tree.units_within(&scopes);
            store::list(conn, Some(&[]), Some(&from), 200)?
        }
    };
    let names = org_store::unit_names(conn, false)?;
    let mut out = Vec::new();
    for c in found {
        let as_sender = sends(actor, &c, &tree);
        if which == Folder::Sent && !as_sender {
            continue;
        }
        let rows = store::units_of(conn, c.id)?;
        let tally = CircularTally::of(
            rows.iter()
                .map(|r| (standing_of(&c, r, now), r.replied_at.is_some())),
        );
        let own: Vec<&UnitRow> = rows
            .iter()
            .filter(|r| c.state == CircularState::Issued && acts_for(actor, r.unit_id, &tree))
            .collect();
        let wants_reply = c.reply_mode != crate::circulars::model::CircularReplyMode::None;
        out.push(CircularRow {
            from_unit: names
                .iter()
                .find(|(u, _)| *u == c.from_unit_id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            mine_waiting: own.iter().filter(|r| r.acked_at.is_none()).count(),
            mine_to_reply: own
                .iter()
                .filter(|r| wants_reply && r.replied_at.is_none())
                .count(),
            tally,
            as_sender,
            circular: c,
        });
    }
    Ok(out)
}
