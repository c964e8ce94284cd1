//! Accounts, role grants, API tokens and sign-in failures.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::contains;
use crate::db::schema::{accounts, api_tokens, login_failures, people, role_grants};
use crate::db::{DbConn, MultiBackend};
use crate::i18n::Lang;
use crate::org::model::{Grant, Role};
use crate::pagination::{Page, PageRequest};

/// An account as stored. The password hash is skipped when serialised (audit rows never hold it).
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub username: String,
    #[serde(skip)]
    pub password_hash: String,
    pub person_id: Option<i64>,
    pub language: Lang,
    pub active: bool,
    pub session_version: i64,
    pub last_login_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Account {
    /// The account's language.
    pub fn lang(&self) -> Lang {
        self.language
    }
}

/// An API token as stored (only its hash).
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    #[serde(skip)]
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

// ---- accounts ----

/// Filters for the account list; `units` restricts to accounts whose person is in those units.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub q: Option<String>,
    pub active: Option<bool>,
    pub units: Option<Vec<i64>>,
}

fn accounts_filtered(f: &AccountFilter) -> accounts::BoxedQuery<'static, MultiBackend> {
    let mut q = accounts::table.into_boxed();
    if let Some(text) = &f.q {
        q = q.filter(
            accounts::username
                .like(contains(&text.to_ascii_lowercase()))
                .escape('\\'),
        );
    }
    if let Some(active) = f.active {
        q = q.filter(accounts::active.eq(active));
    }
    if let Some(units) = &f.units {
        let in_units = people::table
            .filter(people::unit_id.eq_any(units.clone()))
            .select(people::id.nullable());
        q = q.filter(accounts::person_id.eq_any(in_units));
    }
    q
}

/// One page of accounts by username.
pub fn list_accounts(
    conn: &mut DbConn,
    f: &AccountFilter,
    page: PageRequest,
) -> QueryResult<Page<Account>> {
    let total = accounts_filtered(f).count().get_result(conn)?;
    let rows = accounts_filtered(f)
        .order(accounts::username.asc())
        .offset(page.offset())
        .limit(page.per_page)
        .select(Account::as_select())
        .load(conn)?;
    Ok(Page::new(rows, total, page))
}

/// Someone email can reach through an active account: their person, address, language and roles.
#[derive(Debug, Clone)]
pub struct Reachable {
    pub account_id: i64,
    pub person_id: i64,
    pub unit_id: i64,
    pub name: String,
    pub email: String,
    pub lang: Lang,
    pub digest_opt_out: bool,
    pub grants: Vec<Grant>,
}

/// Every active account linked to an active person with an email address, with its roles.
pub fn reachable_people(conn: &mut DbConn) -> QueryResult<Vec<Reachable>> {
    type Row = (i64, i64, i64, String, String, Lang, bool);
    let rows: Vec<Row> = accounts::table
        .inner_join(people::table)
        .filter(accounts::active.eq(true))
        .filter(people::active.eq(true))
        .filter(people::email.ne(""))
        .select((
            accounts::id,
            people::id,
            people::unit_id,
            people::name,
            people::email,
            accounts::language,
            people::digest_opt_out,
        ))
        .order(accounts::id)
        .load(conn)?;
    // The grants of every active account, by a join rather than a list of ids: one statement that stays
    // prepared (an `IN` list of every account is parsed afresh on each call, and this runs on every
    // emergency issue).
    let grants: Vec<(i64, Role, Option<i64>)> = role_grants::table
        .inner_join(accounts::table)
        .filter(accounts::active.eq(true))
        .select((
            role_grants::account_id,
            role_grants::role,
            role_grants::unit_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(account_id, person_id, unit_id, name, email, language, digest_opt_out)| Reachable {
                account_id,
                person_id,
                unit_id,
                name,
                email,
                lang: language,
                digest_opt_out,
                grants: grants
                    .iter()
                    .filter(|g| g.0 == account_id)
                    .map(|g| Grant {
                        role: g.1,
                        unit_id: g.2,
                    })
                    .collect(),
            },
        )
        .collect())
}

/// How an account is shown to people: its person's name, else its username (`system` for the system).
pub fn display_name(conn: &mut DbConn, account_id: i64) -> QueryResult<String> {
    if account_id == 0 {
        return Ok("system".into());
    }
    let found: Option<(String, Option<String>)> = accounts::table
        .left_join(people::table)
        .filter(accounts::id.eq(account_id))
        .select((accounts::username, people::name.nullable()))
        .first(conn)
        .optional()?;
    Ok(found
        .map(|(username, name)| name.unwrap_or(username))
        .unwrap_or_default())
}

/// Every account's id with the name to show for it (its person's name, else its username).
pub fn account_names(conn: &mut DbConn) -> QueryResult<Vec<(i64, String)>> {
    let rows: Vec<(i64, String, Option<String>)> = accounts::table
        .left_join(people::table)
        .select((accounts::id, accounts::username, people::name.nullable()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, username, name)| (id, name.unwrap_or(username)))
        .collect())
}

/// One account by id.
pub fn find_account(conn: &mut DbConn, id: i64) -> QueryResult<Option<Account>> {
    accounts::table
        .find(id)
        .select(Account::as_select())
        .first(conn)
        .optional()
}

/// One account by username.
pub fn find_account_by_username(conn: &mut DbConn, username: &str) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::username.eq(username))
        .select(Account::as_select())
        .first(conn)
        .optional()
}

/// How many accounts exist at all.
pub fn count_accounts(conn: &mut DbConn) -> QueryResult<i64> {
    accounts::table.count().get_result(conn)
}

/// Inserts an account.
pub fn insert_account(
    conn: &mut DbConn,
    username: &str,
    password_hash: &str,
    person_id: Option<i64>,
    lang: Lang,
    now: NaiveDateTime,
) -> QueryResult<Account> {
    diesel::insert_into(accounts::table)
        .values((
            accounts::username.eq(username),
            accounts::password_hash.eq(password_hash),
            accounts::person_id.eq(person_id),
            accounts::language.eq(lang.code()),
            accounts::active.eq(true),
            accounts::session_version.eq(0),
            accounts::created_at.eq(now),
            accounts::updated_at.eq(now),
        ))
        .returning(accounts::all_columns)
        .get_result(conn)
}

/// Fields an edit may change on an account.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = accounts, treat_none_as_null = true)]
pub struct AccountRecord {
    pub person_id: Option<i64>,
    pub language: Lang,
    pub active: bool,
    pub session_version: i64,
    pub updated_at: NaiveDateTime,
}

/// Writes an account's editable fields.
pub fn update_account(conn: &mut DbConn, id: i64, rec: &AccountRecord) -> QueryResult<Account> {
    diesel::update(accounts::table.find(id))
        .set(rec)
        .returning(accounts::all_columns)
        .get_result(conn)
}

/// Replaces a password hash and cuts existing sessions.
pub fn set_password(
    conn: &mut DbConn,
    id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::password_hash.eq(hash),
            accounts::session_version.eq(accounts::session_version + 1),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Stamps a successful sign-in.
pub fn touch_login(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(accounts::table.find(id))
        .set(accounts::last_login_at.eq(now))
        .execute(conn)
}

/// The roles of one account.
pub fn grants_of(conn: &mut DbConn, account_id: i64) -> QueryResult<Vec<Grant>> {
    let rows: Vec<(Role, Option<i64>)> = role_grants::table
        .filter(role_grants::account_id.eq(account_id))
        .select((role_grants::role, role_grants::unit_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(role, unit_id)| Grant { role, unit_id })
        .collect())
}

/// The roles of several accounts at once (for lists).
pub fn grants_of_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, Grant)>> {
    let rows: Vec<(i64, Role, Option<i64>)> = role_grants::table
        .filter(role_grants::account_id.eq_any(ids))
        .select((
            role_grants::account_id,
            role_grants::role,
            role_grants::unit_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(a, role, unit_id)| (a, Grant { role, unit_id }))
        .collect())
}

/// Replaces all roles of an account.
pub fn replace_grants(conn: &mut DbConn, account_id: i64, grants: &[Grant]) -> QueryResult<()> {
    diesel::delete(role_grants::table.filter(role_grants::account_id.eq(account_id)))
        .execute(conn)?;
    for g in grants {
        diesel::insert_into(role_grants::table)
            .values((
                role_grants::account_id.eq(account_id),
                role_grants::role.eq(g.role),
                role_grants::unit_id.eq(g.unit_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Active accounts other than `except` holding the district-wide administrator role.
pub fn count_other_district_admins(conn: &mut DbConn, except: i64) -> QueryResult<i64> {
    role_grants::table
        .inner_join(accounts::table)
        .filter(role_grants::role.eq(Role::Administrator.code()))
        .filter(role_grants::unit_id.is_null())
        .filter(accounts::active.eq(true))
        .filter(accounts::id.ne(except))
        .count()
        .get_result(conn)
}

// ---- API tokens ----

/// Inserts a token (by hash).
pub fn insert_token(
    conn: &mut DbConn,
    account_id: i64,
    name: &str,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<ApiToken> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::account_id.eq(account_id),
            api_tokens::name.eq(name),
            api_tokens::token_hash.eq(hash),
            api_tokens::created_at.eq(now),
        ))
        .returning(api_tokens::all_columns)
        .get_result(conn)
}

/// A live (unrevoked) token and its account, by hash.
pub fn find_live_token(conn: &mut DbConn, hash: &str) -> QueryResult<Option<ApiToken>> {
    api_tokens::table
        .filter(api_tokens::token_hash.eq(hash))
        .filter(api_tokens::revoked_at.is_null())
        .select(ApiToken::as_select())
        .first(conn)
        .optional()
}

/// Records use of a token, at most once a minute per token to spare writes.
pub fn touch_token(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    let stale = now - chrono::Duration::minutes(1);
    diesel::update(
        api_tokens::table.find(id).filter(
            api_tokens::last_used_at
                .is_null()
                .or(api_tokens::last_used_at.lt(stale)),
        ),
    )
    .set(api_tokens::last_used_at.eq(now))
    .execute(conn)
}

/// One token by id.
pub fn find_token(conn: &mut DbConn, id: i64) -> QueryResult<Option<ApiToken>> {
    api_tokens::table
        .find(id)
        .select(ApiToken::as_select())
        .first(conn)
        .optional()
}

/// Tokens of an account, newest first.
pub fn tokens_of(conn: &mut DbConn, account_id: i64) -> QueryResult<Vec<ApiToken>> {
    api_tokens::table
        .filter(api_tokens::account_id.eq(account_id))
        .order(api_tokens::id.desc())
        .select(ApiToken::as_select())
        .load(conn)
}

/// Revokes a token if it is still live; returns whether it was.
pub fn revoke_token(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)
    .map(|n| n == 1)
}

/// Revokes every live token of an account; returns how many.
pub fn revoke_tokens_of(
    conn: &mut DbConn,
    account_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        api_tokens::table
            .filter(api_tokens::account_id.eq(account_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)
}

// ---- sign-in failures ----

/// Records a failed sign-in.
pub fn insert_failure(
    conn: &mut DbConn,
    username: &str,
    address: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::username.eq(username),
            login_failures::address.eq(address),
            login_failures::at.eq(at),
        ))
        .execute(conn)
}

/// Count and oldest time of failures for a username since `since`.
pub fn failures_for_username(
    conn: &mut DbConn,
    username: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    login_failures::table
        .filter(login_failures::username.eq(username))
        .filter(login_failures::at.ge(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(login_failures::at),
        ))
        .first(conn)
}

/// Count and oldest time of failures from an address since `since`.
pub fn failures_for_address(
    conn: &mut DbConn,
    address: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    login_failures::table
        .filter(login_failures::address.eq(address))
        .filter(login_failures::at.ge(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(login_failures::at),
        ))
        .first(conn)
}

/// Forgets a username's failures after a successful sign-in.
pub fn clear_failures(conn: &mut DbConn, username: &str) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::username.eq(username)))
        .execute(conn)
}

/// Deletes failures older than `before` (housekeeping job).
pub fn prune_failures(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::at.lt(before))).execute(conn)
}
