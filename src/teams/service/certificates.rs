//! Certificates (持证): recorded and renewed by those who manage the person, a scan attached (shown only to
//! those who may see the person's record), and a person's whole record in one read.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use super::person_for;
use crate::attachments::{self, AttachmentInfo, Upload};
use crate::audit::{model::Change, service as audit};
use crate::clock::today;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::org::model::Actor;
use crate::teams::model::{certificate_valid, CertificateInput};
use crate::teams::store::certificates::{self as store, Certificate};
use crate::teams::store::leaves::{self as leave_store, Leave};
use crate::teams::store::members::{self as member_store, Member};
use crate::teams::store::{lists, training as training_store};

fn check_type(conn: &mut DbConn, code: &str) -> ServiceResult<()> {
    if lists::certificate_types(conn)?
        .iter()
        .any(|t| t.active && t.code == code)
    {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "certificate_type",
            "没有这种证书类型，请从列表中选择",
            "No such certificate type; choose one from the list",
        ))
    }
}

fn duplicate(e: crate::db::WriteError) -> ServiceError {
    ServiceError::unless_duplicate(
        e,
        "已有同类型、同编号的证书",
        "A certificate of this type with this number is already recorded",
    )
}

/// Records a certificate of a person the actor manages, with its scan when one is given.
pub fn add(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    input: CertificateInput,
    scan: Option<Upload>,
) -> ServiceResult<Certificate> {
    write_tx(conn, |c| {
        let (person, rights) = person_for(c, actor, input.person_id)?;
        if !rights.manage {
            return Err(ServiceError::Forbidden);
        }
        check_type(c, &input.kind)?;
        let attachment = match &scan {
            Some(u) => Some(attachments::insert(c, u, actor.account_id, db_time(now))?.id),
            None => None,
        };
        let cert = store::insert(c, &input, attachment, db_time(now)).map_err(duplicate)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "certificate",
                cert.id,
                Some(person.unit_id),
                None,
                Some(&cert),
            ),
        )?;
        Ok(cert)
    })
}

/// Changes (e.g. renews) a certificate of a person the actor manages.
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    input: CertificateInput,
) -> ServiceResult<Certificate> {
    write_tx(conn, |c| {
        let before =
            store::find(c, id)?.ok_or_else(|| ServiceError::not_found("该证书", "Certificate"))?;
        if input.person_id != before.person_id {
            return Err(ServiceError::invalid(
                "person_id",
                "证书不能转给另一个人",
                "A certificate cannot move to another person",
            ));
        }
        let (person, rights) = person_for(c, actor, before.person_id)?;
        if !rights.manage {
            return Err(ServiceError::Forbidden);
        }
        check_type(c, &input.kind)?;
        let after = store::update(c, id, &input, db_time(now)).map_err(duplicate)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "certificate",
                id,
                Some(person.unit_id),
                Some(&before),
                Some(&after),
            ),
        )?;
        Ok(after)
    })
}

/// Attaches (or replaces) the scan of a certificate of a person the actor manages.
pub fn attach_scan(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
    scan: Upload,
) -> ServiceResult<AttachmentInfo> {
    write_tx(conn, |c| {
        let before =
            store::find(c, id)?.ok_or_else(|| ServiceError::not_found("该证书", "Certificate"))?;
        let (person, rights) = person_for(c, actor, before.person_id)?;
        if !rights.manage {
            return Err(ServiceError::Forbidden);
        }
        let info = attachments::insert(c, &scan, actor.account_id, db_time(now))?;
        store::set_attachment(c, id, info.id, db_time(now))?;
        let after = store::find(c, id)?.ok_or_else(|| ServiceError::Internal("cert".into()))?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of(
                "certificate",
                id,
                Some(person.unit_id),
                Some(&before),
                Some(&after),
            )
            .action("attach_scan"),
        )?;
        Ok(info)
    })
}

/// The scan of a certificate, for those who may see the person's record.
pub fn scan(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<(AttachmentInfo, Vec<u8>)> {
    let cert =
        store::find(conn, id)?.ok_or_else(|| ServiceError::not_found("该证书", "Certificate"))?;
    let (_, rights) = person_for(conn, actor, cert.person_id)?;
    if !rights.view {
        return Err(ServiceError::Forbidden);
    }
    let missing = || ServiceError::not_found("该证书的扫描件", "Certificate scan");
    attachments::load(conn, cert.attachment_id.ok_or_else(missing)?)?.ok_or_else(missing)
}

/// A certificate as a person's record shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CertificateView {
    #[serde(flatten)]
    pub certificate: Certificate,
    /// Valid today.
    pub valid: bool,
    /// Days until it lapses (negative once lapsed); null when it does not lapse.
    pub days_left: Option<i64>,
}

/// Training hours of a person in a year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct YearHours {
    pub year: i32,
    /// Minutes present at training sessions.
    pub minutes: i64,
    pub sessions: i64,
}

/// A person's team record: memberships, certificates, leaves, training this year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonRecord {
    pub person_id: i64,
    pub name: String,
    pub unit_id: i64,
    pub memberships: Vec<Member>,
    pub certificates: Vec<CertificateView>,
    /// Leaves ending within the last year or later.
    pub leaves: Vec<Leave>,
    pub training: YearHours,
    /// Whether the caller may record certificates and decide leave for this person.
    pub manageable: bool,
    /// Whether the caller may ask for leave for this person.
    pub may_request_leave: bool,
}

/// A person's record, for themselves and those who manage them.
pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    person_id: i64,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<PersonRecord> {
    let (person, rights) = person_for(conn, actor, person_id)?;
    if !rights.view {
        return Err(ServiceError::Forbidden);
    }
    let day = today(now, tz);
    let certificates = store::of_people(conn, Some(&[person_id]))?
        .into_iter()
        .map(|c| CertificateView {
            valid: certificate_valid(c.issued_on, c.expires_on, day),
            days_left: c.expires_on.map(|e| (e - day).num_days()),
            certificate: c,
        })
        .collect();
    let year_start = NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day);
    let training = year_hours(conn, person_id, year_start, day)?;
    Ok(PersonRecord {
        person_id,
        name: person.name,
        unit_id: person.unit_id,
        memberships: member_store::of_person(conn, person_id)?,
        certificates,
        leaves: leave_store::leaves(
            conn,
            Some(&[person_id]),
            None,
            Some(day - chrono::Duration::days(365)),
        )?,
        training,
        manageable: rights.manage,
        may_request_leave: rights.request_leave,
    })
}

fn year_hours(
    conn: &mut DbConn,
    person: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> ServiceResult<YearHours> {
    let (minutes, sessions) = training_store::attended(conn, person, from, to)?;
    Ok(YearHours {
        year: from.year(),
        minutes,
        sessions,
    })
}
