//! What the reserves tell people: batches nearing expiry, stock below its norm, stocktakes due and overdue,
//! vouchers waiting for or owing a countersignature, and a failed ledger verification. Each rule yields
//! notices with a dedupe key per occasion; the notify area addresses, renders and sends them.

mod mail;

pub use mail::*;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::config::Config;
use crate::db::{db_time, DbConn};
use crate::error::ServiceResult;
use crate::inventory::model::{
    expires_within, meets_norm, next_due, stocktake_reminder, MovementKind, Quantity,
    StocktakeReminder,
};
use crate::inventory::service::today;
use crate::inventory::service::verify::VerifyReport;
use crate::inventory::store::{
    catalogue as cat_store, ledger as ledger_store, stocktakes as st_store, warehouses as wh_store,
};
use crate::notify::model::{expiry_lead, Kind, Reason};
use crate::notify::service::Outgoing;
use crate::org::model::{grants_cover, Role, UnitTree};
use crate::org::store::{self as org_store, Reachable};

/// People who may countersign a voucher of `unit` (an approver for a write-off), except its author.
fn countersigners(
    reachable: &[Reachable],
    tree: &UnitTree,
    unit: i64,
    kind: MovementKind,
    author: i64,
) -> Vec<(i64, Reason)> {
    let roles = crate::inventory::model::StockAction::to_sign(kind).roles();
    let mut people: Vec<(i64, Reason)> = reachable
        .iter()
        .filter(|p| p.account_id != author)
        .filter(|p| {
            // Only grants scoped to units count: district-wide roles would hear of every voucher.
            let scoped: Vec<_> = p
                .grants
                .iter()
                .copied()
                .filter(|g| g.unit_id.is_some())
                .collect();
            grants_cover(&scoped, roles, Some(unit), tree)
        })
        .map(|p| (p.person_id, Reason::Countersigner))
        .collect();
    people.sort_unstable();
    people.dedup();
    people
}

fn voucher_facts(
    conn: &mut DbConn,
    m: &ledger_store::Movement,
    warehouse: &str,
    at: chrono::NaiveDateTime,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<VoucherFacts> {
    let kind = MovementKind::parse(&m.kind)?;
    let by = org_store::find_account(conn, m.created_by)?
        .map(|a| a.username)
        .unwrap_or_default();
    Ok(VoucherFacts {
        voucher_no: m.voucher_no.clone(),
        kind_zh: kind.label(crate::i18n::Lang::Zh).into(),
        kind_en: kind.label(crate::i18n::Lang::En).into(),
        warehouse: warehouse.into(),
        at: at
            .and_utc()
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        by,
        hours: (now.naive_utc() - at).num_hours(),
    })
}

/// The countersignature-owed notice for an emergency issue (sent at posting and found again by the scan).
pub fn countersign_owed(
    conn: &mut DbConn,
    m: &ledger_store::Movement,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<Outgoing> {
    let reachable = org_store::reachable_people(conn)?;
    let tree = org_store::unit_tree(conn)?;
    let warehouse = wh_store::find(conn, m.warehouse_id)?
        .map(|w| w.name)
        .unwrap_or_default();
    owed_notice(conn, m, &warehouse, &reachable, &tree, now, tz)
}

fn owed_notice(
    conn: &mut DbConn,
    m: &ledger_store::Movement,
    warehouse: &str,
    reachable: &[Reachable],
    tree: &UnitTree,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> ServiceResult<Outgoing> {
    let kind = MovementKind::parse(&m.kind)?;
    let posted = m.posted_at.unwrap_or(m.created_at);
    Ok(Outgoing {
        kind: Kind::CountersignOwed,
        key: format!("countersign_owed:{}", m.id),
        unit_id: Some(m.unit_id),
        path: format!("/reserves/movements/{}", m.id),
        people: countersigners(reachable, tree, m.unit_id, kind, m.created_by),
        to_unit: true,
        addresses: Vec::new(),
        content: Box::new(CountersignOwed(voucher_facts(
            conn, m, warehouse, posted, now, tz,
        )?)),
    })
}

/// Everything the reserves have to tell at `now`.
pub fn findings(
    conn: &mut DbConn,
    cfg: &Config,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Outgoing>> {
    let tz = cfg.timezone;
    let day = today(now, tz);
    let rules = &cfg.reminders;
    let reachable = org_store::reachable_people(conn)?;
    let tree = org_store::unit_tree(conn)?;
    let warehouses: Vec<_> = wh_store::all(conn)?
        .into_iter()
        .filter(|w| w.active)
        .collect();
    let mut out = Vec::new();
    for w in &warehouses {
        let path = format!("/reserves/warehouses/{}", w.id);
        let custodians: Vec<(i64, Reason)> = wh_store::custodians(conn, w.id)?
            .into_iter()
            .map(|p| (p, Reason::Custodian))
            .collect();
        let stock = ledger_store::stock(conn, w.id, None, None)?;
        let widest = rules.expiry_lead_days.first().copied().unwrap_or(0);
        for s in stock
            .iter()
            .filter(|s| s.qty > 0 && expires_within(s.expiry_date, day, widest))
        {
            let Some(expiry) = s.expiry_date else {
                continue;
            };
            let Some(lead) = expiry_lead(expiry, day, &rules.expiry_lead_days) else {
                continue;
            };
            out.push(Outgoing {
                kind: Kind::BatchExpiry,
                key: format!("batch_expiry:{}:{}:{lead}", w.id, s.batch_id),
                unit_id: Some(w.unit_id),
                path: path.clone(),
                people: match s.custodian_id {
                    Some(p) => vec![(p, Reason::Custodian)],
                    None => custodians.clone(),
                },
                to_unit: true,
                addresses: Vec::new(),
                content: Box::new(BatchExpiry {
                    item: s.item_name.clone(),
                    spec: s.spec.clone(),
                    batch_no: s.batch_no.clone(),
                    warehouse: w.name.clone(),
                    expiry,
                    days_left: (expiry - day).num_days(),
                    qty: Quantity::from_milli(s.qty).to_string(),
                    uom: s.uom.clone(),
                }),
            });
        }
        let week = day.iso_week();
        for (item_id, required) in wh_store::norms(conn, w.id)? {
            let usable = crate::inventory::service::usable_on_hand(&stock, item_id, day);
            let required = Quantity::from_milli(required);
            if meets_norm(usable, required) {
                continue;
            }
            let item = cat_store::find_item(conn, item_id)?;
            out.push(Outgoing {
                kind: Kind::BelowNorm,
                // Weekly while it lasts.
                key: format!(
                    "below_norm:{}:{item_id}:{}-W{:02}",
                    w.id,
                    week.year(),
                    week.week()
                ),
                unit_id: Some(w.unit_id),
                path: path.clone(),
                people: custodians.clone(),
                to_unit: true,
                addresses: Vec::new(),
                content: Box::new(BelowNorm {
                    item: item.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
                    warehouse: w.name.clone(),
                    required: required.to_string(),
                    on_hand: usable.to_string(),
                    uom: item.map(|i| i.uom).unwrap_or_default(),
                }),
            });
        }
        if st_store::open_of(conn, w.id)?.is_none() {
            let last = st_store::last_approved(conn, w.id)?;
            let due = next_due(last, w.created_at, w.stocktake_interval_days);
            let due_day = due.and_utc().with_timezone(&tz).date_naive();
            let facts = StocktakeFacts {
                warehouse: w.name.clone(),
                due: due_day,
                days: (due_day - day).num_days(),
                interval_days: w.stocktake_interval_days,
                last: last.map(|t| t.and_utc().with_timezone(&tz).date_naive()),
            };
            let (kind, content): (Kind, Box<dyn crate::notify::render::Content>) =
                match stocktake_reminder(due, facts.days, now, rules.stocktake_ahead_days) {
                    StocktakeReminder::Overdue => {
                        (Kind::StocktakeOverdue, Box::new(StocktakeOverdue(facts)))
                    }
                    StocktakeReminder::DueSoon => {
                        (Kind::StocktakeDue, Box::new(StocktakeDue(facts)))
                    }
                    StocktakeReminder::None => continue,
                };
            out.push(Outgoing {
                kind,
                key: format!("{}:{}:{due_day}", kind.code(), w.id),
                unit_id: Some(w.unit_id),
                path: path.clone(),
                people: custodians.clone(),
                to_unit: true,
                addresses: Vec::new(),
                content,
            });
        }
    }
    let name_of = |id: i64| {
        warehouses
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.name.clone())
            .unwrap_or_default()
    };
    let waited = db_time(now - Duration::hours(rules.countersign_after_hours));
    for m in ledger_store::waiting_since(conn, waited)? {
        let kind = MovementKind::parse(&m.kind)?;
        let facts = voucher_facts(conn, &m, &name_of(m.warehouse_id), m.created_at, now, tz)?;
        out.push(Outgoing {
            kind: Kind::CountersignWaiting,
            key: format!("countersign_waiting:{}", m.id),
            unit_id: Some(m.unit_id),
            path: format!("/reserves/movements/{}", m.id),
            people: countersigners(&reachable, &tree, m.unit_id, kind, m.created_by),
            to_unit: true,
            addresses: Vec::new(),
            content: Box::new(CountersignWaiting(facts)),
        });
    }
    for m in ledger_store::owing_countersignature(conn)? {
        let warehouse = name_of(m.warehouse_id);
        out.push(owed_notice(
            conn, &m, &warehouse, &reachable, &tree, now, tz,
        )?);
    }
    Ok(out)
}

/// The notice to the district's administrators about a failed verification.
pub fn ledger_mismatch(
    conn: &mut DbConn,
    report: &VerifyReport,
    day: NaiveDate,
) -> ServiceResult<Outgoing> {
    let admins: Vec<(i64, Reason)> = org_store::reachable_people(conn)?
        .into_iter()
        .filter(|p| {
            p.grants
                .iter()
                .any(|g| g.role == Role::Administrator && g.unit_id.is_none())
        })
        .map(|p| (p.person_id, Reason::Administrator))
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
        kind: Kind::LedgerMismatch,
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
