//! Signing in, API tokens, and turning a session or token into the acting account.

use chrono::{DateTime, Utc};

use super::forgetting_callers;
use super::found;
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::org::credentials::{
    burn_time, new_api_token, random_token, token_hash, verify_password,
};
use crate::org::model::{
    optional_text, username as parse_username, Actor, Failures, Grant, NewAccount, Password, Role,
    Throttle,
};
use crate::org::service::accounts;
use crate::org::store::{self, actor_of, ApiToken};

/// Checks a username and password from `address`, with throttling; returns the account and its session
/// version (for a new session cookie) on success.
/// Failures are recorded (in their own transaction) so that the throttle sees them.
pub fn sign_in(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    username: &str,
    password: &str,
    address: &str,
    throttle: &Throttle,
) -> ServiceResult<(Actor, i64)> {
    let name = username.trim().to_ascii_lowercase();
    let since = db_time(throttle.since(now));
    let (account_n, account_oldest) = store::failures_for_username(conn, &name, since)?;
    let (address_n, address_oldest) = store::failures_for_address(conn, address, since)?;
    let failures = Failures {
        account: account_n,
        account_oldest: account_oldest.map(|t| t.and_utc()),
        address: address_n,
        address_oldest: address_oldest.map(|t| t.and_utc()),
    };
    throttle.check(&failures, now)?;

    let account = store::find_account_by_username(conn, &name)?;
    let ok = match &account {
        Some(a) => verify_password(password, &a.password_hash) && a.active,
        None => {
            burn_time(password);
            false
        }
    };
    let Some(account) = account.filter(|_| ok) else {
        write_tx(conn, |c| {
            store::insert_failure(c, &name, address, db_time(now))
        })?;
        return Err(ServiceError::BadCredentials);
    };
    write_tx(conn, |c| {
        store::clear_failures(c, &name)?;
        store::touch_login(c, account.id, db_time(now))?;
        let actor = actor_of(c, &account)?;
        let change = Change {
            entity: "account",
            entity_id: Some(account.id),
            unit_id: actor.unit_id,
            action: "sign_in",
            before: None,
            after: None,
        };
        audit::record(c, Some(&actor), now, change)?;
        Ok((actor, account.session_version))
    })
}

/// Signs in and issues a named API token; the plain token is returned once and only its hash is kept.
pub fn issue_token(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    username: &str,
    password: &str,
    name: Option<&str>,
    address: &str,
    throttle: &Throttle,
) -> ServiceResult<(ApiToken, String)> {
    let name = optional_text("name", name.unwrap_or(""), 100)?;
    let (actor, _) = sign_in(conn, now, username, password, address, throttle)?;
    create_token(conn, &actor, now, &name)
}

/// Issues another token for an already signed-in account (the token page).
pub fn create_token(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    name: &str,
) -> ServiceResult<(ApiToken, String)> {
    let name = optional_text("name", name, 100)?;
    let name = if name.is_empty() {
        format!("token {}", now.format("%Y-%m-%d %H:%M"))
    } else {
        name
    };
    let plain = new_api_token()?;
    write_tx(conn, |c| {
        let token = store::insert_token(
            c,
            actor.account_id,
            &name,
            &token_hash(&plain),
            db_time(now),
        )?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("api_token", token.id, actor.unit_id, None, Some(&token)),
        )?;
        Ok((token, plain.clone()))
    })
}

/// The actor's own tokens.
pub fn list_tokens(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<ApiToken>> {
    Ok(store::tokens_of(conn, actor.account_id)?)
}

/// Revokes a token of the actor's own, or one an administrator covering its account may manage.
pub fn revoke_token(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> ServiceResult<ApiToken> {
    forgetting_callers(write_tx(conn, |c| {
        let before = found(store::find_token(c, id)?, "该令牌", "Token")?;
        if before.account_id != actor.account_id {
            // Through `accounts::get` so that the same scope rule applies as for the account itself.
            accounts::get(c, actor, before.account_id).map_err(|e| match e {
                ServiceError::Forbidden => ServiceError::not_found("该令牌", "Token"),
                other => other,
            })?;
        }
        if !store::revoke_token(c, id, db_time(now))? {
            return Err(ServiceError::conflict(
                "该令牌已被撤销",
                "This token is already revoked",
            ));
        }
        let after = found(store::find_token(c, id)?, "该令牌", "Token")?;
        let change = Change::of("api_token", id, actor.unit_id, Some(&before), Some(&after))
            .action("revoke");
        audit::record(c, Some(actor), now, change)?;
        Ok(after)
    }))
}

/// On first start with no account at all, creates `admin` as district administrator. Returns the password
/// when one was generated (it is shown once and never stored in plain text).
pub fn ensure_first_admin(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    password: Option<&str>,
) -> ServiceResult<Option<String>> {
    if store::count_accounts(conn)? > 0 {
        return Ok(None);
    }
    let (plain, generated) = match password {
        Some(p) => (p.to_string(), false),
        None => (random_token(12)?, true),
    };
    let new = NewAccount {
        username: parse_username("admin")?,
        password: Password::parse(&plain, "admin")?,
        person_id: None,
        language: crate::i18n::Lang::Zh,
        grants: vec![Grant {
            role: Role::Administrator,
            unit_id: None,
        }],
    };
    match accounts::create(conn, None, now, new) {
        Ok(_) => Ok(generated.then_some(plain)),
        // Another instance created it first: fine.
        Err(ServiceError::Conflict(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Deletes sign-in failures that no longer count (housekeeping job).
pub fn prune_failures(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    throttle: &Throttle,
) -> ServiceResult<usize> {
    let before = db_time(throttle.since(now));
    Ok(write_tx(conn, |c| store::prune_failures(c, before))?)
}

/// The acting account for a username (command line and demo loader acting as a named person).
pub fn actor_by_username(conn: &mut DbConn, username: &str) -> ServiceResult<Actor> {
    let account = store::find_account_by_username(conn, username)?
        .ok_or_else(|| ServiceError::not_found("该账号", "Account"))?;
    actor_of(conn, &account)
}
