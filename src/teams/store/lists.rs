//! The maintained lists: specialities, certificate types, and which types each speciality requires.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_teams::{certificate_types, specialities, speciality_certificates};
use crate::db::{unique, DbConn, WriteResult};

/// A speciality (专长) teams are tagged with.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = specialities)]
pub struct Speciality {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub active: bool,
}

/// A type of certificate (持证类型).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = certificate_types)]
pub struct CertificateType {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub active: bool,
}

/// Every speciality, by name.
pub fn specialities(conn: &mut DbConn) -> QueryResult<Vec<Speciality>> {
    specialities::table
        .order(specialities::name.asc())
        .select(Speciality::as_select())
        .load(conn)
}

/// Every certificate type.
pub fn certificate_types(conn: &mut DbConn) -> QueryResult<Vec<CertificateType>> {
    certificate_types::table
        .order(certificate_types::name.asc())
        .select(CertificateType::as_select())
        .load(conn)
}

/// Every (speciality, required certificate type) pair.
pub fn requirements(conn: &mut DbConn) -> QueryResult<Vec<(String, String)>> {
    speciality_certificates::table
        .select((
            speciality_certificates::speciality_code,
            speciality_certificates::certificate_type,
        ))
        .load(conn)
}

/// Adds a speciality.
pub fn add_speciality(conn: &mut DbConn, code: &str, name: &str, name_en: &str) -> WriteResult<()> {
    unique(
        diesel::insert_into(specialities::table)
            .values((
                specialities::code.eq(code),
                specialities::name.eq(name),
                specialities::name_en.eq(name_en),
                specialities::active.eq(true),
            ))
            .execute(conn),
    )?;
    Ok(())
}

/// Adds a certificate type.
pub fn add_certificate_type(
    conn: &mut DbConn,
    code: &str,
    name: &str,
    name_en: &str,
) -> WriteResult<()> {
    unique(
        diesel::insert_into(certificate_types::table)
            .values((
                certificate_types::code.eq(code),
                certificate_types::name.eq(name),
                certificate_types::name_en.eq(name_en),
                certificate_types::active.eq(true),
            ))
            .execute(conn),
    )?;
    Ok(())
}

/// Replaces the certificate types a speciality requires.
pub fn set_requirements(conn: &mut DbConn, speciality: &str, types: &[String]) -> QueryResult<()> {
    diesel::delete(
        speciality_certificates::table
            .filter(speciality_certificates::speciality_code.eq(speciality)),
    )
    .execute(conn)?;
    for t in types {
        diesel::insert_into(speciality_certificates::table)
            .values((
                speciality_certificates::speciality_code.eq(speciality),
                speciality_certificates::certificate_type.eq(t),
            ))
            .execute(conn)?;
    }
    Ok(())
}
