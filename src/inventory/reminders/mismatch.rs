//! The nightly verification found the books and the ledger apart: once a day, to the district's
//! administrators.

use chrono::NaiveDate;

use super::mail::LedgerMismatch;
use super::LEDGER_MISMATCH;
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::inventory::service::verify::VerifyReport;
use crate::notify::model::ADMINISTRATOR;
use crate::notify::service::Outgoing;
use crate::org::model::Role;
use crate::org::store as org_store;

/// The notice to the district's administrators about a failed verification on `day`.
pub fn ledger_mismatch(
    conn: &mut DbConn,
    report: &VerifyReport,
    day: NaiveDate,
) -> ServiceResult<Outgoing> {
    let admins: Vec<_> = org_store::reachable_people(conn)?
        .into_iter()
        .filter(|p| {
            p.grants
                .iter()
                .any(|g| g.role == Role::Administrator && g.unit_id.is_none())
        })
        .map(|p| (p.person_id, &ADMINISTRATOR))
        .collect();
    if admins.is_empty() {
        tracing::error!(
            "no district administrator has an email address to hear of the ledger mismatch"
        );
    }
    let mut problems: Vec<String> = report
        .chain_breaks
        .iter()
        .map(|b| {
            format!(
                "warehouse {} · seq {} {} · {}",
                b.warehouse_id, b.seq, b.voucher_no, b.problem
            )
        })
        .collect();
    problems.extend(report.differences.iter().map(|d| {
        format!(
            "warehouse {} · batch {} · book {} ≠ ledger {}",
            d.warehouse_id, d.batch_id, d.book, d.ledger
        )
    }));
    let total = problems.len();
    problems.truncate(50);
    Ok(Outgoing {
        kind: &LEDGER_MISMATCH,
        key: format!("ledger_mismatch:{day}"),
        unit_id: None,
        path: "/reserves/verify".into(),
        people: admins,
        to_unit: false,
        addresses: Vec::new(),
        content: Box::new(LedgerMismatch {
            day,
            warehouses: report.warehouses,
            movements: report.movements,
            problems,
            total,
        }),
    })
}
