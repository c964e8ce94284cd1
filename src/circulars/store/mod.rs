//! Queries of the circulars area. Never commits.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::attachments::AttachmentInfo;
use crate::circulars::model::{Candidate, CircularReplyMode, CircularState, CircularUrgency};
use crate::db::codes::text_columns;
use crate::db::schema::units;
use crate::db::schema_circulars::{circular_fields, circular_files, circular_units, circulars};
use crate::db::schema_teams::attachments;
use crate::db::DbConn;
use crate::org::model::UnitKind;

text_columns!(CircularState, CircularUrgency, CircularReplyMode);

/// A circular as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = circulars)]
pub struct Circular {
    pub id: i64,
    pub title: String,
    /// Plain text; each non-blank line is a paragraph.
    pub body: String,
    pub urgency: CircularUrgency,
    /// The sending unit.
    pub from_unit_id: i64,
    pub state: CircularState,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub ack_due: NaiveDateTime,
    /// A role code: those holding it in each addressed unit hear it.
    pub notify_role: String,
    pub reply_mode: CircularReplyMode,
    pub reply_file: bool,
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
    pub issued_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub issued_at: Option<NaiveDateTime>,
    pub withdrawn_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdraw_reason: String,
}

/// A draft about to be stored.
#[derive(Debug, Insertable)]
#[diesel(table_name = circulars)]
pub struct NewCircular {
    pub title: String,
    pub body: String,
    pub urgency: CircularUrgency,
    pub from_unit_id: i64,
    pub state: CircularState,
    pub ack_due: NaiveDateTime,
    pub notify_role: String,
    pub reply_mode: CircularReplyMode,
    pub reply_file: bool,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An addressed unit's row: acknowledgement, reply, reminders, escalation.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = circular_units)]
pub struct UnitRow {
    pub id: i64,
    pub circular_id: i64,
    pub unit_id: i64,
    pub acked_at: Option<NaiveDateTime>,
    pub acked_by: Option<i64>,
    pub acked_name: String,
    pub acked_via: String,
    pub acked_address: String,
    pub replied_at: Option<NaiveDateTime>,
    pub replied_by: Option<i64>,
    pub reply_text: String,
    pub reply_values: String,
    pub reply_attachment_id: Option<i64>,
    pub reminders: i32,
    pub reminded_at: Option<NaiveDateTime>,
    pub escalated_at: Option<NaiveDateTime>,
}

/// Stores a draft.
pub fn insert(conn: &mut DbConn, new: &NewCircular) -> QueryResult<Circular> {
    diesel::insert_into(circulars::table)
        .values(new)
        .returning(circulars::all_columns)
        .get_result(conn)
}

/// Stores the reply form's fields, in order.
pub fn insert_fields(conn: &mut DbConn, id: i64, labels: &[String]) -> QueryResult<()> {
    for (n, label) in labels.iter().enumerate() {
        diesel::insert_into(circular_fields::table)
            .values((
                circular_fields::circular_id.eq(id),
                circular_fields::position.eq(n as i32 + 1),
                circular_fields::label.eq(label),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Addresses the units.
pub fn insert_units(conn: &mut DbConn, id: i64, units: &[i64]) -> QueryResult<()> {
    for u in units {
        diesel::insert_into(circular_units::table)
            .values((
                circular_units::circular_id.eq(id),
                circular_units::unit_id.eq(u),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A circular.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Circular>> {
    circulars::table
        .find(id)
        .select(Circular::as_select())
        .first(conn)
        .optional()
}

/// The circulars with these ids, or sent from these units (every one when `from` is `None` and `ids` is
/// too), newest first.
pub fn list(
    conn: &mut DbConn,
    ids: Option<&[i64]>,
    from: Option<&[i64]>,
    limit: i64,
) -> QueryResult<Vec<Circular>> {
    let mut q = circulars::table.select(Circular::as_select()).into_boxed();
    match (ids, from) {
        (Some(ids), Some(from)) => {
            q = q.filter(
                circulars::id
                    .eq_any(ids.to_vec())
                    .or(circulars::from_unit_id.eq_any(from.to_vec())),
            )
        }
        (Some(ids), None) => q = q.filter(circulars::id.eq_any(ids.to_vec())),
        (None, Some(from)) => q = q.filter(circulars::from_unit_id.eq_any(from.to_vec())),
        (None, None) => {}
    }
    q.order(circulars::id.desc()).limit(limit).load(conn)
}

/// The ids of the issued or withdrawn circulars addressed to any of `units`.
pub fn addressed_to(conn: &mut DbConn, units: &[i64]) -> QueryResult<Vec<i64>> {
    circular_units::table
        .inner_join(circulars::table)
        .filter(circular_units::unit_id.eq_any(units.to_vec()))
        .filter(circulars::state.ne(CircularState::Draft))
        .select(circulars::id)
        .distinct()
        .load(conn)
}

/// The reply form's fields, in order.
pub fn fields_of(conn: &mut DbConn, id: i64) -> QueryResult<Vec<String>> {
    circular_fields::table
        .filter(circular_fields::circular_id.eq(id))
        .order(circular_fields::position.asc())
        .select(circular_fields::label)
        .load(conn)
}

/// The circular's attachments (without their bytes).
pub fn files_of(conn: &mut DbConn, id: i64) -> QueryResult<Vec<AttachmentInfo>> {
    let ids: Vec<i64> = circular_files::table
        .filter(circular_files::circular_id.eq(id))
        .order(circular_files::id.asc())
        .select(circular_files::attachment_id)
        .load(conn)?;
    attachments::table
        .filter(attachments::id.eq_any(ids))
        .order(attachments::id.asc())
        .select(AttachmentInfo::as_select())
        .load(conn)
}

/// Attaches a kept file to a circular.
pub fn insert_file(conn: &mut DbConn, id: i64, attachment: i64) -> QueryResult<usize> {
    diesel::insert_into(circular_files::table)
        .values((
            circular_files::circular_id.eq(id),
            circular_files::attachment_id.eq(attachment),
        ))
        .execute(conn)
}

/// Whether the attachment is one of the circular's own.
pub fn is_file_of(conn: &mut DbConn, id: i64, attachment: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        circular_files::table
            .filter(circular_files::circular_id.eq(id))
            .filter(circular_files::attachment_id.eq(attachment)),
    ))
    .get_result(conn)
}

/// The addressed units' rows, by unit id.
pub fn units_of(conn: &mut DbConn, id: i64) -> QueryResult<Vec<UnitRow>> {
    circular_units::table
        .filter(circular_units::circular_id.eq(id))
        .order(circular_units::unit_id.asc())
        .select(UnitRow::as_select())
        .load(conn)
}

/// Every active unit with its kind, for the picker.
pub fn active_units(conn: &mut DbConn) -> QueryResult<Vec<Candidate>> {
    let rows: Vec<(i64, UnitKind)> = units::table
        .filter(units::active.eq(true))
        .select((units::id, units::kind))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, kind)| Candidate { id, kind })
        .collect())
}

/// Marks a draft issued; false when it was not a draft any more.
pub fn set_issued(conn: &mut DbConn, id: i64, by: i64, at: NaiveDateTime) -> QueryResult<bool> {
    Ok(diesel::update(
        circulars::table
            .find(id)
            .filter(circulars::state.eq(CircularState::Draft)),
    )
    .set((
        circulars::state.eq(CircularState::Issued),
        circulars::issued_by.eq(by),
        circulars::issued_at.eq(at),
        circulars::updated_at.eq(at),
    ))
    .execute(conn)?
        == 1)
}

/// Marks an issued circular withdrawn; false when it was not issued any more.
pub fn set_withdrawn(
    conn: &mut DbConn,
    id: i64,
    by: i64,
    at: NaiveDateTime,
    reason: &str,
) -> QueryResult<bool> {
    Ok(diesel::update(
        circulars::table
            .find(id)
            .filter(circulars::state.eq(CircularState::Issued)),
    )
    .set((
        circulars::state.eq(CircularState::Withdrawn),
        circulars::withdrawn_by.eq(by),
        circulars::withdrawn_at.eq(at),
        circulars::withdraw_reason.eq(reason),
        circulars::updated_at.eq(at),
    ))
    .execute(conn)?
        == 1)
}

/// Who acknowledged, when, how and from where.
#[derive(Debug, Clone)]
pub struct Ack<'a> {
    pub at: NaiveDateTime,
    pub by: Option<i64>,
    pub name: &'a str,
    pub via: &'static str,
    pub address: &'a str,
}

/// Records a unit's acknowledgement; false when it had already acknowledged (the first one stands).
pub fn acknowledge(conn: &mut DbConn, id: i64, unit: i64, ack: &Ack<'_>) -> QueryResult<bool> {
    Ok(diesel::update(
        circular_units::table
            .filter(circular_units::circular_id.eq(id))
            .filter(circular_units::unit_id.eq(unit))
            .filter(circular_units::acked_at.is_null()),
    )
    .set((
        circular_units::acked_at.eq(ack.at),
        circular_units::acked_by.eq(ack.by),
        circular_units::acked_name.eq(ack.name),
        circular_units::acked_via.eq(ack.via),
        circular_units::acked_address.eq(ack.address),
    ))
    .execute(conn)?
        == 1)
}

/// A unit's reply as stored (a later reply replaces an earlier one).
#[derive(Debug, Clone)]
pub struct Reply {
    pub at: NaiveDateTime,
    /// The account that sent it (none: recorded for the unit, as the demo does).
    pub by: Option<i64>,
    pub text: String,
    /// The field values as a JSON array.
    pub values: String,
    /// A file sent with it; `None` keeps an earlier file.
    pub attachment: Option<i64>,
}

/// Records a unit's reply.
pub fn reply(conn: &mut DbConn, id: i64, unit: i64, r: &Reply) -> QueryResult<usize> {
    let target = circular_units::table
        .filter(circular_units::circular_id.eq(id))
        .filter(circular_units::unit_id.eq(unit));
    let n = diesel::update(target)
        .set((
            circular_units::replied_at.eq(r.at),
            circular_units::replied_by.eq(r.by),
            circular_units::reply_text.eq(&r.text),
            circular_units::reply_values.eq(&r.values),
        ))
        .execute(conn)?;
    if let Some(a) = r.attachment {
        diesel::update(target)
            .set(circular_units::reply_attachment_id.eq(a))
            .execute(conn)?;
    }
    Ok(n)
}

/// Counts a reminder sent to a unit that has not acknowledged.
pub fn reminded(conn: &mut DbConn, id: i64, unit: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        circular_units::table
            .filter(circular_units::circular_id.eq(id))
            .filter(circular_units::unit_id.eq(unit))
            .filter(circular_units::acked_at.is_null()),
    )
    .set((
        circular_units::reminders.eq(circular_units::reminders + 1),
        circular_units::reminded_at.eq(at),
    ))
    .execute(conn)
}

/// Records that a unit's head was told; false when it had been already, or the unit has acknowledged
/// meanwhile (so instances racing each other escalate once).
pub fn escalated(conn: &mut DbConn, id: i64, unit: i64, at: NaiveDateTime) -> QueryResult<bool> {
    Ok(diesel::update(
        circular_units::table
            .filter(circular_units::circular_id.eq(id))
            .filter(circular_units::unit_id.eq(unit))
            .filter(circular_units::acked_at.is_null())
            .filter(circular_units::escalated_at.is_null()),
    )
    .set(circular_units::escalated_at.eq(at))
    .execute(conn)?
        == 1)
}

/// Issued circulars whose deadline has passed, with their units that have not acknowledged.
pub fn overdue(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Vec<(Circular, UnitRow)>> {
    circulars::table
        .inner_join(circular_units::table)
        .filter(circulars::state.eq(CircularState::Issued))
        .filter(circulars::ack_due.le(now))
        .filter(circular_units::acked_at.is_null())
        .order((circulars::id.asc(), circular_units::unit_id.asc()))
        .select((Circular::as_select(), UnitRow::as_select()))
        .load(conn)
}

/// The units that have an active unit below them.
pub fn parent_ids(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    let ids: Vec<Option<i64>> = units::table
        .filter(units::active.eq(true))
        .select(units::parent_id)
        .distinct()
        .load(conn)?;
    Ok(ids.into_iter().flatten().collect())
}
