//! What a create or edit request carries once parsed: every value already checked against its rule.

use super::access::{normalize_grants, Grant, Role};
use super::values::{
    email, email_list, optional_text, phone, required_text, username, Password, UnitKind,
};
use crate::error::ServiceError;
use crate::i18n::Lang;

/// Longest name of a unit or person.
pub const NAME_MAX: usize = 100;

/// Changes to a unit; `None` keeps the current value. A new unit needs name and kind.
#[derive(Debug, Clone, Default)]
pub struct UnitPatch {
    pub name: Option<String>,
    pub kind: Option<UnitKind>,
    pub parent_id: Option<Option<i64>>,
    pub contact_emails: Option<String>,
    pub phone: Option<String>,
    pub active: Option<bool>,
}

impl UnitPatch {
    /// Parses submitted values; absent ones stay `None`.
    pub fn parse(
        name: Option<&str>,
        kind: Option<UnitKind>,
        parent_id: Option<Option<i64>>,
        contact_emails: Option<&str>,
        phone_no: Option<&str>,
        active: Option<bool>,
    ) -> Result<Self, ServiceError> {
        Ok(UnitPatch {
            name: name
                .map(|v| required_text("name", v, NAME_MAX))
                .transpose()?,
            kind,
            parent_id,
            contact_emails: contact_emails
                .map(|v| email_list("contact_emails", v))
                .transpose()?,
            phone: phone_no.map(|v| phone("phone", v)).transpose()?,
            active,
        })
    }
}

/// Changes to a person; `None` keeps the current value. A new person needs unit and name.
#[derive(Debug, Clone, Default)]
pub struct PersonPatch {
    pub unit_id: Option<i64>,
    pub name: Option<String>,
    pub post: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: Option<bool>,
}

impl PersonPatch {
    /// Parses submitted values; absent ones stay `None`.
    pub fn parse(
        unit_id: Option<i64>,
        name: Option<&str>,
        post: Option<&str>,
        phone_no: Option<&str>,
        email_addr: Option<&str>,
        active: Option<bool>,
    ) -> Result<Self, ServiceError> {
        Ok(PersonPatch {
            unit_id,
            name: name
                .map(|v| required_text("name", v, NAME_MAX))
                .transpose()?,
            post: post
                .map(|v| optional_text("post", v, NAME_MAX))
                .transpose()?,
            phone: phone_no.map(|v| phone("phone", v)).transpose()?,
            email: email_addr.map(|v| email("email", v)).transpose()?,
            active,
        })
    }
}

/// A role grant as submitted: role code and optional unit.
#[derive(Debug, Clone)]
pub struct GrantInput<'a> {
    pub role: &'a str,
    pub unit_id: Option<i64>,
}

/// Parses submitted grants into a sorted, de-duplicated set.
pub fn parse_grants(grants: &[GrantInput<'_>]) -> Result<Vec<Grant>, ServiceError> {
    let parsed = grants
        .iter()
        .map(|g| {
            Role::parse(g.role).map(|role| Grant {
                role,
                unit_id: g.unit_id,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(normalize_grants(parsed))
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub password: Password,
    pub person_id: Option<i64>,
    pub language: Lang,
    pub grants: Vec<Grant>,
}

impl NewAccount {
    /// Parses a creation request.
    pub fn parse(
        user: &str,
        password: &str,
        person_id: Option<i64>,
        language: Option<&str>,
        grants: &[GrantInput<'_>],
    ) -> Result<Self, ServiceError> {
        let username = username(user)?;
        let password = Password::parse(password, &username)?;
        Ok(NewAccount {
            password,
            person_id,
            language: parse_lang(language)?,
            grants: parse_grants(grants)?,
            username,
        })
    }
}

/// Changes to an account; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct AccountPatch {
    pub person_id: Option<Option<i64>>,
    pub language: Option<Lang>,
    pub grants: Option<Vec<Grant>>,
    pub active: Option<bool>,
    /// A new password, checked against the account's username by the service.
    pub password: Option<String>,
}

/// Parses a language code, `None` meaning the default.
pub fn parse_lang(code: Option<&str>) -> Result<Lang, ServiceError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(Lang::default()),
        Some(c) => Lang::parse(c).ok_or_else(|| {
            ServiceError::invalid(
                "language",
                "语言只能是 zh 或 en",
                "Language must be zh or en",
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_checks_only_what_it_carries() {
        let p = UnitPatch::parse(None, None, None, None, Some("0512-1234"), None).unwrap();
        assert!(p.name.is_none() && p.phone.as_deref() == Some("0512-1234"));
        assert!(UnitPatch::parse(Some(" "), None, None, None, None, None).is_err());
    }

    #[test]
    fn a_new_account_rejects_an_unknown_role() {
        let grants = [GrantInput {
            role: "superuser",
            unit_id: None,
        }];
        let e = NewAccount::parse("zhangsan", "long enough pw", None, None, &grants).unwrap_err();
        assert!(matches!(e, ServiceError::Invalid { field: "role", .. }));
    }

    #[test]
    fn languages_other_than_chinese_and_english_are_refused() {
        assert_eq!(parse_lang(None).unwrap(), Lang::Zh);
        assert_eq!(parse_lang(Some("en")).unwrap(), Lang::En);
        assert!(parse_lang(Some("fr")).is_err());
    }
}
