//! Account matching of the books themselves: recompute every balance from the ledger and re-walk every
//! warehouse's hash chain, naming each difference. Used by `standby ledger verify`, the API and a page.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::inventory::model::{chain_hash, compare_balances, ChainEntry, Line, Mismatch, Quantity};
use crate::inventory::store::chain as chain_store;
use crate::inventory::store::warehouses::Warehouse;

/// Movements read per query while walking a chain.
const CHUNK: i64 = 20_000;
/// Lines read at a time (unless one voucher has more).
const MOST_LINES: i64 = 50_000;

/// A link of a chain that does not hold.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct ChainBreak {
    pub warehouse_id: i64,
    pub seq: i64,
    pub voucher_no: String,
    pub problem: String,
}

/// A book balance that differs from the ledger.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct BalanceDifference {
    pub warehouse_id: i64,
    pub batch_id: i64,
    pub book: String,
    pub ledger: String,
}

impl From<Mismatch> for BalanceDifference {
    fn from(m: Mismatch) -> Self {
        BalanceDifference {
            warehouse_id: m.warehouse_id,
            batch_id: m.batch_id,
            book: m.book.to_string(),
            ledger: m.ledger.to_string(),
        }
    }
}

/// The outcome of a verification.
#[derive(Debug, Clone, Serialize, Default, utoipa::ToSchema)]
pub struct VerifyReport {
    pub warehouses: usize,
    pub movements: i64,
    pub chain_breaks: Vec<ChainBreak>,
    pub differences: Vec<BalanceDifference>,
    /// Balances whose reserved part differs from what their held reservations add up to (`book`: the
    /// balance's reserved part; `ledger`: the reservations').
    pub reservation_differences: Vec<BalanceDifference>,
}

impl std::fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} warehouse(s), {} movement(s): {} chain break(s), {} balance difference(s), {} reservation difference(s)",
            self.warehouses,
            self.movements,
            self.chain_breaks.len(),
            self.differences.len(),
            self.reservation_differences.len()
        )
    }
}

impl VerifyReport {
    /// True when the books match and every chain holds.
    pub fn ok(&self) -> bool {
        self.chain_breaks.is_empty()
            && self.differences.is_empty()
            && self.reservation_differences.is_empty()
    }
}

/// Verifies every warehouse (the command line and the nightly job).
pub fn verify_all(conn: &mut DbConn) -> ServiceResult<VerifyReport> {
    let warehouses = crate::inventory::store::warehouses::every(conn)?;
    verify(conn, &warehouses)
}

/// Verifies the warehouses the actor may see.
pub fn verify_visible(
    conn: &mut DbConn,
    actor: &crate::org::model::Actor,
) -> ServiceResult<VerifyReport> {
    let warehouses = super::visible_locations(conn, actor)?;
    verify(conn, &warehouses)
}

/// Verifies the given warehouses (read-only; no transaction needed).
pub fn verify(conn: &mut DbConn, warehouses: &[Warehouse]) -> ServiceResult<VerifyReport> {
    let mut report = VerifyReport {
        warehouses: warehouses.len(),
        ..Default::default()
    };
    for w in warehouses {
        let mut ledger: BTreeMap<(i64, i64), Quantity> = BTreeMap::new();
        let mut expected_prev = String::new();
        let mut next_seq = 1;
        let mut after = 0;
        while after < w.chain_seq {
            // At most CHUNK movements and MOST_LINES lines at a time, fewer movements where vouchers are
            // wide, and never less than one movement: memory is bounded by the widest voucher.
            let mut until = after + CHUNK;
            while until > after + 1
                && chain_store::lines_between(conn, w.id, after, until)? > MOST_LINES
            {
                until = after + (until - after) / 2;
            }
            let rows = chain_store::chain_rows(conn, w.id, after, until)?;
            let mut i = 0;
            while i < rows.len() {
                let head = &rows[i];
                let seq = head.seq.unwrap_or_default();
                let mut lines = Vec::new();
                while i < rows.len() && rows[i].seq == head.seq {
                    let r = &rows[i];
                    lines.push(Line {
                        item_id: r.item_id,
                        batch_id: r.batch_id,
                        qty: Quantity::from_milli(r.qty),
                    });
                    let e = ledger.entry((w.id, r.batch_id)).or_default();
                    *e = e.checked_add(Quantity::from_milli(r.qty)).unwrap_or(*e);
                    i += 1;
                }
                report.movements += 1;
                let mut problem = |p: &str| {
                    report.chain_breaks.push(ChainBreak {
                        warehouse_id: w.id,
                        seq,
                        voucher_no: head.voucher_no.clone(),
                        problem: p.into(),
                    })
                };
                if seq != next_seq {
                    problem("sequence gap: a movement is missing");
                }
                if head.prev_hash.as_deref() != Some(expected_prev.as_str()) {
                    problem("does not link to the previous movement");
                }
                let entry = ChainEntry {
                    warehouse_id: w.id,
                    seq,
                    kind: &head.kind,
                    voucher_no: &head.voucher_no,
                    posted_at: head.posted_at.unwrap_or_default(),
                    lines: &lines,
                };
                let recomputed = chain_hash(head.prev_hash.as_deref().unwrap_or(""), &entry);
                if head.hash.as_deref() != Some(recomputed.as_str()) {
                    problem("content changed after posting (hash differs)");
                }
                expected_prev = head.hash.clone().unwrap_or_default();
                next_seq = seq + 1;
            }
            after = until;
        }
        if next_seq - 1 != w.chain_seq {
            report.chain_breaks.push(ChainBreak {
                warehouse_id: w.id,
                seq: next_seq,
                voucher_no: String::new(),
                problem: "the chain ends early: movements are missing".into(),
            });
        } else if w.chain_head != expected_prev {
            report.chain_breaks.push(ChainBreak {
                warehouse_id: w.id,
                seq: w.chain_seq,
                voucher_no: String::new(),
                problem: "the warehouse's chain head does not match the last movement".into(),
            });
        }
        let book: BTreeMap<(i64, i64), Quantity> = chain_store::book(conn, w.id)?
            .into_iter()
            .map(|(b, q)| ((w.id, b), Quantity::from_milli(q)))
            .collect();
        ledger.retain(|_, q| *q != Quantity::ZERO);
        let book_nonzero: BTreeMap<(i64, i64), Quantity> = book
            .into_iter()
            .filter(|(_, q)| *q != Quantity::ZERO)
            .collect();
        report.differences.extend(
            compare_balances(&book_nonzero, &ledger)
                .into_iter()
                .map(BalanceDifference::from),
        );
        let (reserved, held) = chain_store::reserved_book(conn, w.id)?;
        let mut holds: BTreeMap<(i64, i64), Quantity> = BTreeMap::new();
        for (b, q) in held {
            let e = holds.entry((w.id, b)).or_default();
            *e = e.checked_add(Quantity::from_milli(q)).unwrap_or(*e);
        }
        holds.retain(|_, q| *q != Quantity::ZERO);
        let reserved: BTreeMap<(i64, i64), Quantity> = reserved
            .into_iter()
            .map(|(b, q)| ((w.id, b), Quantity::from_milli(q)))
            .collect();
        report.reservation_differences.extend(
            compare_balances(&reserved, &holds)
                .into_iter()
                .map(BalanceDifference::from),
        );
    }
    Ok(report)
}
