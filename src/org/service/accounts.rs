//! Accounts and their roles, managed by administrators within their scope.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::forgetting_callers;
use super::found;
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::org::credentials::hash_password;
use crate::org::model::{
    authorize, authorize_grants, check_account_change, ends_tokens, AccountPatch, Actor, Grant,
    NewAccount, OrgAction, Password, Role, UnitTree,
};
use crate::org::store::{self, Account, AccountFilter, AccountRecord};
use crate::pagination::{Page, PageRequest};

/// An account with its roles.
#[derive(Debug, Clone, Serialize)]
pub struct AccountWithRoles {
    #[serde(flatten)]
    pub account: Account,
    pub roles: Vec<Grant>,
}

fn with_roles(account: Account, grants: &[Grant]) -> AccountWithRoles {
    AccountWithRoles {
        account,
        roles: grants.to_vec(),
    }
}

/// The unit an account belongs to: its person's unit, or none (district-wide) without a person.
fn unit_of_person(conn: &mut DbConn, person_id: Option<i64>) -> ServiceResult<Option<i64>> {
    match person_id {
        None => Ok(None),
        Some(p) => match store::find_person(conn, p)? {
            Some(person) => Ok(Some(person.unit_id)),
            None => Err(ServiceError::invalid(
                "person_id",
                "关联的人员不存在",
                "The person does not exist",
            )),
        },
    }
}

/// Accounts an administrator may see (those of units within their scope; all for a district administrator).
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    mut filter: AccountFilter,
    page: PageRequest,
) -> ServiceResult<Page<AccountWithRoles>> {
    filter.units = store::administered_units(conn, actor)?;
    let page = store::list_accounts(conn, &filter, page)?;
    let ids: Vec<i64> = page.items.iter().map(|a| a.id).collect();
    let grants = store::grants_of_many(conn, &ids)?;
    Ok(page.map(|a| {
        let mine: Vec<Grant> = grants
            .iter()
            .filter(|(id, _)| *id == a.id)
            .map(|(_, g)| *g)
            .collect();
        with_roles(a, &mine)
    }))
}

/// One account, for an administrator covering it or the account itself.
pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<AccountWithRoles> {
    let account = found(store::find_account(conn, id)?, "该账号", "Account")?;
    if actor.account_id != id {
        let unit = unit_of_person(conn, account.person_id)?;
        authorize(
            actor,
            OrgAction::ManageAccounts,
            unit,
            &store::unit_tree(conn)?,
        )?;
    }
    let grants = store::grants_of(conn, id)?;
    Ok(with_roles(account, &grants))
}

/// Creates an account; `actor = None` is the command line or first start (the system itself).
pub fn create(
    conn: &mut DbConn,
    actor: Option<&Actor>,
    now: DateTime<Utc>,
    new: NewAccount,
) -> ServiceResult<AccountWithRoles> {
    let hash = hash_password(&new.password)?;
    write_tx(conn, |c| {
        let unit = unit_of_person(c, new.person_id)?;
        if let Some(actor) = actor {
            let tree = store::unit_tree(c)?;
            authorize(actor, OrgAction::ManageAccounts, unit, &tree)?;
            authorize_grants(actor, &new.grants, &tree)?;
        }
        check_grant_units(c, &new.grants)?;
        if store::find_account_by_username(c, &new.username)?.is_some() {
            return Err(ServiceError::conflict(
                "该用户名已被使用",
                "This username is already taken",
            ));
        }
        let account = store::insert_account(
            c,
            &new.username,
            &hash,
            new.person_id,
            new.language,
            db_time(now),
        )?;
        store::replace_grants(c, account.id, &new.grants)?;
        let view = with_roles(account, &new.grants);
        audit::record(
            c,
            actor,
            now,
            Change::of("account", view.account.id, unit, None, Some(&view)),
        )?;
        Ok(view)
    })
}

fn check_grant_units(conn: &mut DbConn, grants: &[Grant]) -> ServiceResult<()> {
    for unit in grants.iter().filter_map(|g| g.unit_id) {
        if store::find_unit(conn, unit)?.is_none() {
            return Err(ServiceError::invalid(
                "unit_id",
                "角色所属单位不存在",
                "The role's unit does not exist",
            ));
        }
    }
    Ok(())
}

/// Edits an account: person, language, roles, active flag, password. Deactivation and a new password cut
/// the account's sessions at once.
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    patch: AccountPatch,
) -> ServiceResult<AccountWithRoles> {
    let existing = found(store::find_account(conn, id)?, "该账号", "Account")?;
    let new_hash = match &patch.password {
        Some(p) => Some(hash_password(&Password::parse(p, &existing.username)?)?),
        None => None,
    };
    forgetting_callers(write_tx(conn, |c| {
        let before = found(store::find_account(c, id)?, "该账号", "Account")?;
        let before_grants = store::grants_of(c, id)?;
        let tree: UnitTree = store::unit_tree(c)?;
        let unit = unit_of_person(c, before.person_id)?;
        authorize(actor, OrgAction::ManageAccounts, unit, &tree)?;
        let person_id = patch.person_id.unwrap_or(before.person_id);
        let new_unit = unit_of_person(c, person_id)?;
        if person_id != before.person_id {
            authorize(actor, OrgAction::ManageAccounts, new_unit, &tree)?;
        }
        let grants = patch
            .grants
            .clone()
            .unwrap_or_else(|| before_grants.clone());
        if grants != before_grants {
            // Both what is taken away and what is handed out must lie within the actor's scope.
            let removed: Vec<Grant> = before_grants
                .iter()
                .filter(|g| !grants.contains(g))
                .copied()
                .collect();
            let added: Vec<Grant> = grants
                .iter()
                .filter(|g| !before_grants.contains(g))
                .copied()
                .collect();
            authorize_grants(actor, &removed, &tree)?;
            authorize_grants(actor, &added, &tree)?;
            check_grant_units(c, &added)?;
        }
        let active = patch.active.unwrap_or(before.active);
        let is_admin = |gs: &[Grant]| {
            gs.iter()
                .any(|g| g.role == Role::Administrator && g.unit_id.is_none())
        };
        let was_admin = before.active && is_admin(&before_grants);
        let keeps_admin = active && is_admin(&grants);
        check_account_change(
            actor,
            id,
            keeps_admin,
            was_admin,
            store::count_other_district_admins(c, id)?,
        )?;

        let rec = AccountRecord {
            person_id,
            language: patch.language.unwrap_or(before.language),
            active,
            session_version: before.session_version + i64::from(before.active && !active),
            updated_at: db_time(now),
        };
        store::update_account(c, id, &rec)?;
        if grants != before_grants {
            store::replace_grants(c, id, &grants)?;
        }
        if let Some(hash) = &new_hash {
            store::set_password(c, id, hash, db_time(now))?;
        }
        if ends_tokens(before.active, active, new_hash.is_some()) {
            store::revoke_tokens_of(c, id, db_time(now))?;
        }
        let view = with_roles(
            found(store::find_account(c, id)?, "该账号", "Account")?,
            &grants,
        );
        let mut change = Change::of(
            "account",
            id,
            new_unit,
            Some(&with_roles(before, &before_grants)),
            Some(&view),
        );
        if new_hash.is_some() && change.action == "update" {
            change = change.action("password_reset");
        }
        audit::record(c, Some(actor), now, change)?;
        Ok(view)
    }))
}

/// Sets a new password for the account called `username` (the command line's reset, for a locked-out
/// administrator): like an administrator's reset, it ends the account's sessions and API tokens.
pub fn reset_password(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    username: &str,
    password: &str,
) -> ServiceResult<AccountWithRoles> {
    let account = found(
        store::find_account_by_username(conn, username.trim())?,
        "该账号",
        "Account",
    )?;
    let patch = AccountPatch {
        password: Some(password.to_string()),
        ..Default::default()
    };
    update(conn, actor, now, account.id, patch)
}

/// Lets an account change its own language.
pub fn set_own_language(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    lang: crate::i18n::Lang,
) -> ServiceResult<()> {
    forgetting_callers(write_tx(conn, |c| {
        let before = found(
            store::find_account(c, actor.account_id)?,
            "该账号",
            "Account",
        )?;
        let rec = AccountRecord {
            person_id: before.person_id,
            language: lang,
            active: before.active,
            session_version: before.session_version,
            updated_at: db_time(now),
        };
        let after = store::update_account(c, actor.account_id, &rec)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "account",
                after.id,
                actor.unit_id,
                Some(&before),
                Some(&after),
            ),
        )?;
        Ok(())
    }))
}

/// Lets an account change its own password after proving the current one. Every other session of the
/// account ends; returns the new session version for the caller's own session.
pub fn change_own_password(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    current: &str,
    new: &str,
) -> ServiceResult<i64> {
    let account = found(
        store::find_account(conn, actor.account_id)?,
        "该账号",
        "Account",
    )?;
    if !crate::org::credentials::verify_password(current, &account.password_hash) {
        return Err(ServiceError::invalid(
            "current_password",
            "当前密码不正确",
            "The current password is wrong",
        ));
    }
    let hash = hash_password(&Password::parse(new, &account.username)?)?;
    forgetting_callers(write_tx(conn, |c| {
        store::set_password(c, actor.account_id, &hash, db_time(now))?;
        let after = found(
            store::find_account(c, actor.account_id)?,
            "该账号",
            "Account",
        )?;
        let change = Change::of(
            "account",
            actor.account_id,
            actor.unit_id,
            Some(&account),
            Some(&after),
        )
        .action("password_change");
        audit::record(c, Some(actor), now, change)?;
        Ok(after.session_version)
    }))
}
