//! The maintained lists: specialities and certificate types (administrators and the office add more), and
//! which certificate types each speciality requires of the members who count for it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::audit::{model::Change, service as audit};
use crate::db::{write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::{required_text, Actor, Role};
use crate::teams::store::lists::{self as store, CertificateType, Speciality};

/// The lists with each speciality's requirements.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Lists {
    pub specialities: Vec<SpecialityView>,
    pub certificate_types: Vec<CertificateType>,
}

/// A speciality with the certificate types it requires.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SpecialityView {
    #[serde(flatten)]
    pub speciality: Speciality,
    pub requires: Vec<String>,
}

/// Both lists (anyone signed in).
pub fn lists(conn: &mut DbConn) -> ServiceResult<Lists> {
    let requirements = store::requirements(conn)?;
    Ok(Lists {
        specialities: store::specialities(conn)?
            .into_iter()
            .map(|s| SpecialityView {
                requires: requirements
                    .iter()
                    .filter(|(sp, _)| *sp == s.code)
                    .map(|(_, c)| c.clone())
                    .collect(),
                speciality: s,
            })
            .collect(),
        certificate_types: store::certificate_types(conn)?,
    })
}

/// An entry added to a list (known by its code, not by a number).
fn listed<T: Serialize>(entity: &'static str, entry: &T) -> Change {
    Change {
        entity_id: None,
        ..Change::of(entity, 0, None, None, Some(entry))
    }
}

/// Whether the actor keeps the lists: a district-wide administrator or office staff.
pub fn may_add(actor: &Actor) -> bool {
    actor
        .scopes(&[Role::Administrator, Role::OfficeStaff])
        .is_none()
}

fn authorize(actor: &Actor) -> ServiceResult<()> {
    if may_add(actor) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// A code: lower-case letters, digits and underscores, 2–40 characters, starting with a letter.
fn code(raw: &str) -> ServiceResult<String> {
    let v = raw.trim();
    let ok = (2..=40).contains(&v.len())
        && v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(v.to_string())
    } else {
        Err(ServiceError::invalid(
            "code",
            "代码由小写字母、数字和下划线组成（2–40 个字符，以字母开头），例如 mountain_rescue",
            "A code is 2–40 lower-case letters, digits and underscores starting with a letter, e.g. mountain_rescue",
        ))
    }
}

/// Adds a speciality with the certificate types it requires (district administrators and office staff).
pub fn add_speciality(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    raw_code: &str,
    name: &str,
    name_en: &str,
    mut requires: Vec<String>,
) -> ServiceResult<SpecialityView> {
    authorize(actor)?;
    let (code, name, name_en) = (
        code(raw_code)?,
        required_text("name", name, 40)?,
        required_text("name_en", name_en, 60)?,
    );
    requires.sort();
    requires.dedup();
    write_tx(conn, |c| {
        let types = store::certificate_types(c)?;
        if let Some(bad) = requires
            .iter()
            .find(|r| !types.iter().any(|t| &t.code == *r))
        {
            return Err(ServiceError::Invalid {
                field: "requires",
                message: crate::i18n::Text::new(
                    format!("没有证书类型“{bad}”"),
                    format!("No certificate type `{bad}`"),
                ),
            });
        }
        store::add_speciality(c, &code, &name, &name_en).map_err(|e| {
            ServiceError::unless_duplicate(
                e,
                "已有同代码或同名的专长",
                "A speciality with this code or name exists",
            )
        })?;
        store::set_requirements(c, &code, &requires)?;
        let view = SpecialityView {
            speciality: Speciality {
                code: code.clone(),
                name,
                name_en,
                active: true,
            },
            requires: requires.clone(),
        };
        audit::record(c, Some(actor), now, listed("speciality", &view))?;
        Ok(view)
    })
}

/// Adds a certificate type (district administrators and office staff).
pub fn add_certificate_type(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    raw_code: &str,
    name: &str,
    name_en: &str,
) -> ServiceResult<CertificateType> {
    authorize(actor)?;
    let t = CertificateType {
        code: code(raw_code)?,
        name: required_text("name", name, 40)?,
        name_en: required_text("name_en", name_en, 60)?,
        active: true,
    };
    write_tx(conn, |c| {
        store::add_certificate_type(c, &t.code, &t.name, &t.name_en).map_err(|e| {
            ServiceError::unless_duplicate(
                e,
                "已有同代码或同名的证书类型",
                "A certificate type with this code or name exists",
            )
        })?;
        audit::record(c, Some(actor), now, listed("certificate_type", &t))?;
        Ok(t.clone())
    })
}
