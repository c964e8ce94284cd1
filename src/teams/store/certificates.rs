//! Certificates people hold (持证), with the scan kept as an attachment.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema_teams::certificates;
use crate::db::{unique, DbConn, WriteResult};
use crate::teams::model::CertificateInput;

/// A certificate.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = certificates)]
pub struct Certificate {
    pub id: i64,
    pub person_id: i64,
    /// The certificate type's code.
    pub certificate_type: String,
    pub number: String,
    pub issuer: String,
    pub issued_on: NaiveDate,
    /// The last day it is valid; none: it does not lapse.
    pub expires_on: Option<NaiveDate>,
    /// The scanned copy, if one was attached.
    pub attachment_id: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// Certificates of the given people (everyone when `None`), by person and type.
pub fn of_people(conn: &mut DbConn, people: Option<&[i64]>) -> QueryResult<Vec<Certificate>> {
    let mut q = certificates::table
        .select(Certificate::as_select())
        .order((
            certificates::person_id,
            certificates::certificate_type,
            certificates::id,
        ))
        .into_boxed();
    if let Some(p) = people {
        q = q.filter(certificates::person_id.eq_any(p.to_vec()));
    }
    q.load(conn)
}

/// One certificate.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Certificate>> {
    certificates::table
        .find(id)
        .select(Certificate::as_select())
        .first(conn)
        .optional()
}

/// Certificates lapsing from `from` through `to`.
pub fn expiring(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Certificate>> {
    certificates::table
        .filter(certificates::expires_on.ge(from))
        .filter(certificates::expires_on.le(to))
        .select(Certificate::as_select())
        .order(certificates::expires_on)
        .load(conn)
}

/// Records a certificate.
pub fn insert(
    conn: &mut DbConn,
    c: &CertificateInput,
    attachment: Option<i64>,
    now: NaiveDateTime,
) -> WriteResult<Certificate> {
    unique(
        diesel::insert_into(certificates::table)
            .values((
                certificates::person_id.eq(c.person_id),
                certificates::certificate_type.eq(&c.kind),
                certificates::number.eq(&c.number),
                certificates::issuer.eq(&c.issuer),
                certificates::issued_on.eq(c.issued_on),
                certificates::expires_on.eq(c.expires_on),
                certificates::attachment_id.eq(attachment),
                certificates::created_at.eq(now),
                certificates::updated_at.eq(now),
            ))
            .returning(certificates::all_columns)
            .get_result(conn),
    )
}

/// Changes a certificate (a renewal keeps its record and moves its dates).
pub fn update(
    conn: &mut DbConn,
    id: i64,
    c: &CertificateInput,
    now: NaiveDateTime,
) -> WriteResult<Certificate> {
    unique(
        diesel::update(certificates::table.find(id))
            .set((
                certificates::certificate_type.eq(&c.kind),
                certificates::number.eq(&c.number),
                certificates::issuer.eq(&c.issuer),
                certificates::issued_on.eq(c.issued_on),
                certificates::expires_on.eq(c.expires_on),
                certificates::updated_at.eq(now),
            ))
            .returning(certificates::all_columns)
            .get_result(conn),
    )
}

/// Attaches a scan to a certificate (replacing any earlier one).
pub fn set_attachment(
    conn: &mut DbConn,
    id: i64,
    attachment: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(certificates::table.find(id))
        .set((
            certificates::attachment_id.eq(attachment),
            certificates::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The types of the certificates valid on `day` (issued by then, not lapsed: [`certificate_valid`] in SQL) of
/// the given people (everyone when `None`), as readiness needs them: (person, type).
///
/// [`certificate_valid`]: crate::teams::model::certificate_valid
pub fn valid_on(
    conn: &mut DbConn,
    people: Option<&[i64]>,
    day: NaiveDate,
) -> QueryResult<Vec<(i64, String)>> {
    let mut q = certificates::table
        .filter(certificates::issued_on.le(day))
        .filter(
            certificates::expires_on
                .is_null()
                .or(certificates::expires_on.ge(day)),
        )
        .select((certificates::person_id, certificates::certificate_type))
        .into_boxed();
    if let Some(p) = people {
        q = q.filter(certificates::person_id.eq_any(p.to_vec()));
    }
    q.load(conn)
}
