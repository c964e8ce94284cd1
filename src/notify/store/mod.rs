//! Outbox queries: enqueue once per dedupe key, claim with a lease, record outcomes, list and count.
//! Never commits on its own.

mod audience;
mod chat;

pub use audience::*;
pub use chat::*;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};
use serde::Serialize;

use crate::db::codes::text_columns;
use crate::db::schema::{notice_recipients, notices};
use crate::db::{DbConn, MultiBackend};
use crate::i18n::Lang;
use crate::notify::model::{Mode, NoticeState, RecipientState};
use crate::pagination::{Page, PageRequest};

text_columns!(Mode, NoticeState, RecipientState);

/// A notice as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = notices)]
pub struct Notice {
    pub id: i64,
    pub kind: String,
    pub dedupe_key: String,
    pub unit_id: Option<i64>,
    pub language: Lang,
    pub subject: String,
    pub body_text: String,
    #[serde(skip)]
    pub body_html: String,
    pub link: String,
    pub message_id: String,
    pub state: NoticeState,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub due_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub next_attempt_at: NaiveDateTime,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub claimed_by: Option<String>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub lease_until: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub sent_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// One addressee of a stored notice.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = notice_recipients)]
pub struct StoredRecipient {
    #[serde(skip)]
    pub notice_id: i64,
    pub address: String,
    pub name: String,
    pub person_id: Option<i64>,
    /// Why they hear it (a code an area declares).
    pub reason: String,
    /// Whether the server has taken it for them.
    pub state: RecipientState,
    /// The server's last answer about this address.
    pub error: Option<String>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub sent_at: Option<NaiveDateTime>,
}

/// An addressee to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecipient {
    pub address: String,
    pub name: String,
    pub person_id: Option<i64>,
    /// Why they hear it (a reason's code).
    pub reason: String,
}

/// What a new notice holds.
#[derive(Debug, Clone)]
pub struct NewNotice<'a> {
    pub kind: &'a str,
    pub dedupe_key: &'a str,
    pub unit_id: Option<i64>,
    pub language: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    pub link: &'a str,
    pub message_id: &'a str,
    pub due_at: NaiveDateTime,
    pub now: NaiveDateTime,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Inserts a pending notice unless its dedupe key is already taken; returns the new id, or `None`.
pub fn insert(
    conn: &mut DbConn,
    n: &NewNotice,
    recipients: &[NewRecipient],
) -> QueryResult<Option<i64>> {
    let id = diesel::sql_query(
        "INSERT INTO notices (kind, dedupe_key, unit_id, language, subject, body_text, body_html, link, \
         message_id, state, due_at, next_attempt_at, attempts, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $10, 0, $11, $11) \
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )
    .bind::<Text, _>(n.kind)
    .bind::<Text, _>(n.dedupe_key)
    .bind::<Nullable<BigInt>, _>(n.unit_id)
    .bind::<Text, _>(n.language)
    .bind::<Text, _>(n.subject)
    .bind::<Text, _>(n.body_text)
    .bind::<Text, _>(n.body_html)
    .bind::<Text, _>(n.link)
    .bind::<Text, _>(n.message_id)
    .bind::<Timestamp, _>(n.due_at)
    .bind::<Timestamp, _>(n.now)
    .get_result::<Id>(conn)
    .optional()?
    .map(|r| r.id);
    if let Some(id) = id {
        for r in recipients {
            insert_recipient(conn, id, r)?;
        }
    }
    Ok(id)
}

/// What is claimable: pending and due, or sending with an expired lease (its sender died).
const CLAIMABLE: &str = "((state = 'pending' AND next_attempt_at <= $3) \
                         OR (state = 'sending' AND lease_until < $3))";

/// Claims up to `limit` due notices for `owner` until `lease_until`, counting the attempt. The outer
/// condition repeats the inner one, so two claimers never take the same row; on PostgreSQL `SKIP LOCKED`
/// lets them take different rows at once instead of waiting for each other.
pub fn claim(
    conn: &mut DbConn,
    owner: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Notice>> {
    let lock = match conn {
        #[cfg(feature = "postgres")]
        DbConn::Pg(_) => " FOR UPDATE SKIP LOCKED",
        DbConn::Sqlite(_) => "",
    };
    let sql = format!(
        "UPDATE notices SET state = 'sending', claimed_by = $1, lease_until = $2, attempts = attempts + 1, \
         updated_at = $3 WHERE id IN (SELECT id FROM notices WHERE {CLAIMABLE} \
         ORDER BY next_attempt_at, id LIMIT $4{lock}) AND {CLAIMABLE} RETURNING id"
    );
    let ids: Vec<i64> = diesel::sql_query(sql)
        .bind::<Text, _>(owner)
        .bind::<Timestamp, _>(lease_until)
        .bind::<Timestamp, _>(now)
        .bind::<BigInt, _>(limit)
        .load::<Id>(conn)?
        .into_iter()
        .map(|r| r.id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    notices::table
        .filter(notices::id.eq_any(&ids))
        .order((notices::next_attempt_at, notices::id))
        .select(Notice::as_select())
        .load(conn)
}

/// Records what became of some addressees as soon as the server answered, only while `owner` still holds
/// the notice's claim (a sender whose lease ran out and was taken over must not overwrite the newer attempt).
/// Returns whether the claim was still held.
pub fn record_recipients(
    conn: &mut DbConn,
    id: i64,
    owner: &str,
    now: NaiveDateTime,
    answers: &[(String, RecipientState, Option<String>)],
) -> QueryResult<bool> {
    let held = notices::table
        .filter(notices::id.eq(id))
        .filter(notices::state.eq(NoticeState::Sending))
        .filter(notices::claimed_by.eq(owner))
        .count()
        .get_result::<i64>(conn)?
        == 1;
    if !held {
        return Ok(false);
    }
    for (address, state, error) in answers {
        let sent_at = (*state == RecipientState::Sent).then_some(now);
        diesel::update(
            notice_recipients::table
                .filter(notice_recipients::notice_id.eq(id))
                .filter(notice_recipients::address.eq(address))
                .filter(notice_recipients::state.eq(RecipientState::Pending)),
        )
        .set((
            notice_recipients::state.eq(*state),
            notice_recipients::error.eq(error),
            notice_recipients::sent_at.eq(sent_at),
        ))
        .execute(conn)?;
    }
    Ok(true)
}

/// Where a notice goes after an attempt.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Every addressee has an answer and someone got it.
    Sent,
    /// Try those still waiting at this time.
    Retry(NaiveDateTime, String),
    /// Give up; addressees still waiting are marked failed.
    Failed(String),
}

/// Records where a notice goes after an attempt, only while `owner` still holds the claim. Returns whether
/// the row was updated.
pub fn finish(
    conn: &mut DbConn,
    id: i64,
    owner: &str,
    now: NaiveDateTime,
    outcome: &Outcome,
) -> QueryResult<bool> {
    let mine = notices::table
        .filter(notices::id.eq(id))
        .filter(notices::state.eq(NoticeState::Sending))
        .filter(notices::claimed_by.eq(owner));
    let n = match outcome {
        Outcome::Sent => diesel::update(mine)
            .set((
                notices::state.eq(NoticeState::Sent),
                notices::sent_at.eq(Some(now)),
                notices::lease_until.eq(None::<NaiveDateTime>),
                notices::updated_at.eq(now),
            ))
            .execute(conn)?,
        Outcome::Retry(at, error) => diesel::update(mine)
            .set((
                notices::state.eq(NoticeState::Pending),
                notices::next_attempt_at.eq(at),
                notices::last_error.eq(Some(error)),
                notices::lease_until.eq(None::<NaiveDateTime>),
                notices::updated_at.eq(now),
            ))
            .execute(conn)?,
        Outcome::Failed(error) => {
            let n = diesel::update(mine)
                .set((
                    notices::state.eq(NoticeState::Failed),
                    notices::last_error.eq(Some(error)),
                    notices::lease_until.eq(None::<NaiveDateTime>),
                    notices::updated_at.eq(now),
                ))
                .execute(conn)?;
            if n == 1 {
                diesel::update(
                    notice_recipients::table
                        .filter(notice_recipients::notice_id.eq(id))
                        .filter(notice_recipients::state.eq(RecipientState::Pending)),
                )
                .set((
                    notice_recipients::state.eq(RecipientState::Failed),
                    notice_recipients::error.eq(Some(error)),
                ))
                .execute(conn)?;
            }
            n
        }
    };
    Ok(n == 1)
}

/// Whether a dedupe key is already in the outbox.
pub fn key_taken(conn: &mut DbConn, key: &str) -> QueryResult<bool> {
    Ok(id_by_key(conn, key)?.is_some())
}

/// The notice holding a dedupe key.
pub fn id_by_key(conn: &mut DbConn, key: &str) -> QueryResult<Option<i64>> {
    notices::table
        .filter(notices::dedupe_key.eq(key))
        .select(notices::id)
        .first(conn)
        .optional()
}

/// One notice.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Notice>> {
    notices::table
        .find(id)
        .select(Notice::as_select())
        .first(conn)
        .optional()
}

/// The addressees of some notices.
pub fn recipients_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<StoredRecipient>> {
    notice_recipients::table
        .filter(notice_recipients::notice_id.eq_any(ids))
        .order((notice_recipients::notice_id, notice_recipients::address))
        .select(StoredRecipient::as_select())
        .load(conn)
}

/// Puts a notice back in the queue, due now, with a fresh count of attempts, addressed to `recipients`
/// besides those who already got it (their addresses as they stand now).
pub fn requeue(
    conn: &mut DbConn,
    id: i64,
    from: NoticeState,
    now: NaiveDateTime,
    recipients: &[NewRecipient],
) -> QueryResult<bool> {
    let n = diesel::update(
        notices::table
            .filter(notices::id.eq(id))
            .filter(notices::state.eq(from)),
    )
    .set((
        notices::state.eq(NoticeState::Pending),
        notices::attempts.eq(0),
        notices::next_attempt_at.eq(now),
        notices::claimed_by.eq(None::<String>),
        notices::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n != 1 {
        return Ok(false);
    }
    diesel::delete(
        notice_recipients::table
            .filter(notice_recipients::notice_id.eq(id))
            .filter(notice_recipients::state.ne(RecipientState::Sent)),
    )
    .execute(conn)?;
    let delivered: Vec<String> = notice_recipients::table
        .filter(notice_recipients::notice_id.eq(id))
        .select(notice_recipients::address)
        .load(conn)?;
    for r in recipients {
        if delivered.iter().any(|d| d.eq_ignore_ascii_case(&r.address)) {
            continue;
        }
        insert_recipient(conn, id, r)?;
    }
    Ok(true)
}

fn insert_recipient(conn: &mut DbConn, id: i64, r: &NewRecipient) -> QueryResult<usize> {
    diesel::insert_into(notice_recipients::table)
        .values((
            notice_recipients::notice_id.eq(id),
            notice_recipients::address.eq(&r.address),
            notice_recipients::name.eq(&r.name),
            notice_recipients::person_id.eq(r.person_id),
            notice_recipients::reason.eq(&r.reason),
            notice_recipients::state.eq(RecipientState::Pending),
        ))
        .execute(conn)
}

/// Cancels a notice still in state `from`.
pub fn cancel(
    conn: &mut DbConn,
    id: i64,
    from: NoticeState,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        notices::table
            .filter(notices::id.eq(id))
            .filter(notices::state.eq(from)),
    )
    .set((
        notices::state.eq(NoticeState::Cancelled),
        notices::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Cancels the pending notices holding these dedupe keys, noting why.
pub fn withdraw(conn: &mut DbConn, keys: &[String], now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        notices::table
            .filter(notices::dedupe_key.eq_any(keys))
            .filter(notices::state.eq(NoticeState::Pending)),
    )
    .set((
        notices::state.eq(NoticeState::Cancelled),
        notices::last_error.eq(Some("withdrawn: done before it was sent")),
        notices::updated_at.eq(now),
    ))
    .execute(conn)
}

/// Cancels the pending notices whose key starts with `prefix` (a family of keys stamped with their time).
pub fn withdraw_starting(
    conn: &mut DbConn,
    prefix: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let pattern = format!(
        "{}%",
        prefix
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    diesel::update(
        notices::table
            .filter(notices::dedupe_key.like(pattern).escape('\\'))
            .filter(notices::state.eq(NoticeState::Pending)),
    )
    .set((
        notices::state.eq(NoticeState::Cancelled),
        notices::last_error.eq(Some("withdrawn: done before it was sent")),
        notices::updated_at.eq(now),
    ))
    .execute(conn)
}

/// Which notices to list.
#[derive(Debug, Clone, Default)]
pub struct NoticeFilter {
    pub state: Option<NoticeState>,
    pub kind: Option<String>,
    pub unit_id: Option<i64>,
    /// Only these units' notices (`None`: all, including those of no unit).
    pub visible_units: Option<Vec<i64>>,
    /// Only notices addressed to this person or address.
    pub recipient: Option<(Option<i64>, String)>,
    /// Text in the subject or an address.
    pub q: Option<String>,
}

fn filtered(f: &NoticeFilter) -> notices::BoxedQuery<'static, MultiBackend> {
    let mut q = notices::table.into_boxed();
    if let Some(s) = f.state {
        q = q.filter(notices::state.eq(s));
    }
    if let Some(k) = &f.kind {
        q = q.filter(notices::kind.eq(k.clone()));
    }
    if let Some(u) = f.unit_id {
        q = q.filter(notices::unit_id.eq(u));
    }
    if let Some(units) = &f.visible_units {
        q = q.filter(notices::unit_id.eq_any(units.clone()));
    }
    if let Some((person, address)) = &f.recipient {
        let mine = notice_recipients::table
            .filter(
                notice_recipients::person_id
                    .eq(*person)
                    .or(notice_recipients::address.eq(address.clone())),
            )
            .select(notice_recipients::notice_id);
        q = q.filter(notices::id.eq_any(mine));
    }
    if let Some(text) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
        let pattern = crate::org::store::contains(text.trim());
        let by_address = notice_recipients::table
            .filter(
                notice_recipients::address
                    .like(pattern.clone())
                    .escape('\\'),
            )
            .select(notice_recipients::notice_id);
        q = q.filter(
            notices::subject
                .like(pattern)
                .escape('\\')
                .or(notices::id.eq_any(by_address)),
        );
    }
    q
}

/// A page of notices, newest first.
pub fn list(conn: &mut DbConn, f: &NoticeFilter, page: PageRequest) -> QueryResult<Page<Notice>> {
    let total = filtered(f).count().get_result(conn)?;
    let items = filtered(f)
        .order(notices::id.desc())
        .limit(page.per_page)
        .offset(page.offset())
        .select(Notice::as_select())
        .load(conn)?;
    Ok(Page::new(items, total, page))
}

/// How many notices are in each state (of these units' notices, or all).
pub fn count_by_state(
    conn: &mut DbConn,
    units: Option<&[i64]>,
) -> QueryResult<Vec<(NoticeState, i64)>> {
    let count = (notices::state, diesel::dsl::count_star());
    match units {
        Some(units) => notices::table
            .filter(notices::unit_id.eq_any(units))
            .group_by(notices::state)
            .select(count)
            .load(conn),
        None => notices::table
            .group_by(notices::state)
            .select(count)
            .load(conn),
    }
}

/// When the longest-waiting unsent notice fell due (for the metrics: how far delivery is behind).
pub fn oldest_waiting(conn: &mut DbConn) -> QueryResult<Option<NaiveDateTime>> {
    notices::table
        .filter(notices::state.eq_any([NoticeState::Pending, NoticeState::Sending]))
        .select(diesel::dsl::min(notices::next_attempt_at))
        .first(conn)
}
