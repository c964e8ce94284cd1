//! The hash chain that makes each warehouse's ledger tamper-evident, and the comparison of book and ledger.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use super::ledger::Line;
use super::quantity::Quantity;

/// What the hash of a posted movement covers.
#[derive(Debug, Clone)]
pub struct ChainEntry<'a> {
    pub warehouse_id: i64,
    pub seq: i64,
    pub kind: &'a str,
    pub voucher_no: &'a str,
    pub posted_at: NaiveDateTime,
    pub lines: &'a [Line],
}

/// The hash that links a movement to the previous one of its warehouse (SHA-256, hex). It covers the
/// previous hash, the warehouse, the position, kind, voucher, posting instant (UTC microseconds) and the
/// lines in a canonical order. Written for speed: verification recomputes it for every movement.
pub fn chain_hash(prev: &str, e: &ChainEntry<'_>) -> String {
    use std::fmt::Write;
    let mut text = String::with_capacity(96 + 48 * e.lines.len());
    let _ = write!(
        text,
        "{prev}|{}|{}|{}|{}|{}",
        e.warehouse_id,
        e.seq,
        e.kind,
        e.voucher_no,
        e.posted_at.and_utc().timestamp_micros()
    );
    let mut lines = e.lines.to_vec();
    lines.sort_unstable();
    for l in lines {
        let _ = write!(text, "|{}:{}:{}", l.item_id, l.batch_id, l.qty.milli());
    }
    hex(&Sha256::digest(text.as_bytes()))
}

/// Lower-case hex without a formatter call per byte.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// A place where the book and the ledger disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub warehouse_id: i64,
    pub batch_id: i64,
    pub book: Quantity,
    pub ledger: Quantity,
}

/// Compares the balances table with the ledger sums, naming every difference.
pub fn compare_balances(
    book: &BTreeMap<(i64, i64), Quantity>,
    ledger: &BTreeMap<(i64, i64), Quantity>,
) -> Vec<Mismatch> {
    let mut keys: Vec<&(i64, i64)> = book.keys().chain(ledger.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let b = book.get(k).copied().unwrap_or_default();
            let l = ledger.get(k).copied().unwrap_or_default();
            (b != l).then_some(Mismatch {
                warehouse_id: k.0,
                batch_id: k.1,
                book: b,
                ledger: l,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn line(batch: i64, milli: i64) -> Line {
        Line {
            item_id: 1,
            batch_id: batch,
            qty: Quantity::from_milli(milli),
        }
    }

    #[test]
    fn hex_encoding_matches_the_formatter() {
        let bytes = [0x00, 0x0f, 0xa5, 0xff];
        assert_eq!(
            hex(&bytes),
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
    }

    #[test]
    fn the_hash_changes_when_anything_it_covers_changes() {
        let t = NaiveDate::from_ymd_opt(2026, 11, 28)
            .unwrap()
            .and_hms_opt(2, 0, 0)
            .unwrap();
        let lines = [line(1, -5_000)];
        let e = ChainEntry {
            warehouse_id: 1,
            seq: 1,
            kind: "use",
            voucher_no: "CK-2026-000001",
            posted_at: t,
            lines: &lines,
        };
        let h = chain_hash("", &e);
        assert_eq!(h.len(), 64);
        assert_ne!(h, chain_hash("x", &e));
        let other = [line(1, -5_001)];
        assert_ne!(
            h,
            chain_hash(
                "",
                &ChainEntry {
                    lines: &other,
                    ..e.clone()
                }
            )
        );
        assert_ne!(h, chain_hash("", &ChainEntry { seq: 2, ..e }));
    }

    #[test]
    fn every_difference_between_book_and_ledger_is_named() {
        let book = BTreeMap::from([((1, 1), Quantity::units(5)), ((1, 2), Quantity::units(3))]);
        let ledger = BTreeMap::from([((1, 1), Quantity::units(5)), ((1, 3), Quantity::units(1))]);
        let m = compare_balances(&book, &ledger);
        assert_eq!(m.len(), 2);
        assert_eq!(
            m[0],
            Mismatch {
                warehouse_id: 1,
                batch_id: 2,
                book: Quantity::units(3),
                ledger: Quantity::ZERO
            }
        );
    }
}
