//! Tables for export: a warehouse's balances, its ledger, a stocktake's results.

use std::collections::HashMap;

use super::{check_book_visible, stocktakes, warehouse_for};
use crate::db::{DbConn, Pool};
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::inventory::model::{Quantity, StockAction};
use crate::inventory::store::catalogue::{self as cat_store, BatchLabel};
use crate::inventory::store::chain as chain_store;
use crate::inventory::store::ledger as ledger_store;
use crate::org::model::Actor;
use crate::sheets::{Cell, Table};

fn headers(lang: Lang, zh: &[&str], en: &[&str]) -> Vec<String> {
    match lang {
        Lang::Zh => zh.iter().map(|s| s.to_string()).collect(),
        Lang::En => en.iter().map(|s| s.to_string()).collect(),
    }
}

/// A download's name: what it is, whose, and which day (`建设局东太湖防汛物资仓库-库存-2026-11-30`).
fn file_name(warehouse: &str, what: &str, day: chrono::NaiveDate) -> String {
    format!("{}-{what}-{day}", crate::sheets::safe_name(warehouse))
}

fn labels_of(conn: &mut DbConn, ids: &[i64]) -> ServiceResult<HashMap<i64, BatchLabel>> {
    Ok(cat_store::batch_labels(conn, Some(ids))?
        .into_iter()
        .map(|b| (b.batch_id, b))
        .collect())
}

/// A warehouse's balances by item and batch, with value.
pub fn stock_table(
    conn: &mut DbConn,
    actor: &Actor,
    warehouse_id: i64,
    lang: Lang,
    day: chrono::NaiveDate,
) -> ServiceResult<Table> {
    let w = warehouse_for(conn, actor, warehouse_id, StockAction::View)?;
    check_book_visible(conn, actor, &w)?;
    let rows = ledger_store::stock(conn, warehouse_id, None, None)?;
    Ok(Table {
        name: file_name(&w.name, lang.t("inv.file_stock"), day),
        sheet: lang.t("inv.qty").to_string(),
        headers: headers(
            lang,
            &[
                "储备库",
                "物资编码",
                "品名",
                "规格型号",
                "计量单位",
                "批号",
                "有效期至",
                "权属",
                "数量",
                "单价（元）",
                "金额（元）",
            ],
            &[
                "Warehouse",
                "Code",
                "Name",
                "Specification",
                "Unit",
                "Batch",
                "Expires",
                "Ownership",
                "Quantity",
                "Unit price",
                "Value",
            ],
        ),
        rows: rows
            .into_iter()
            .map(|s| {
                let q = Quantity::from_milli(s.qty);
                let price = s.unit_price_fen.unwrap_or(0);
                vec![
                    Cell::Text(w.name.clone()),
                    Cell::Text(s.item_code),
                    Cell::Text(s.item_name),
                    Cell::Text(s.spec),
                    Cell::Text(s.uom),
                    Cell::Text(s.batch_no),
                    Cell::Date(s.expiry_date),
                    Cell::Text(s.ownership.label(lang).to_string()),
                    Cell::Qty(q.milli()),
                    Cell::Money(price),
                    Cell::Money(q.value_fen(price)),
                ]
            })
            .collect(),
    })
}

/// A warehouse's ledger for download: the sheet's name and headers (the caller's permission is checked
/// here); its rows come from [`ledger_rows`], page by page.
pub fn ledger_head(
    conn: &mut DbConn,
    actor: &Actor,
    warehouse_id: i64,
    lang: Lang,
    day: chrono::NaiveDate,
) -> ServiceResult<Table> {
    let w = warehouse_for(conn, actor, warehouse_id, StockAction::View)?;
    check_book_visible(conn, actor, &w)?;
    Ok(Table {
        name: file_name(&w.name, lang.t("inv.file_ledger"), day),
        sheet: lang.t("inv.ledger").to_string(),
        headers: headers(
            lang,
            &[
                "凭证号",
                "业务类型",
                "状态",
                "登记时间",
                "过账时间",
                "物资编码",
                "品名",
                "批号",
                "数量",
                "计量单位",
                "事由",
                "台账链哈希",
            ],
            &[
                "Voucher",
                "Kind",
                "State",
                "Recorded",
                "Posted",
                "Code",
                "Name",
                "Batch",
                "Quantity",
                "Unit",
                "Reason",
                "Chain hash",
            ],
        ),
        rows: Vec::new(),
    })
}

/// Vouchers read per page of a ledger download, and lines read at a time (unless one voucher has more).
const LEDGER_PAGE: i64 = 200;
const LEDGER_LINES: i64 = 5_000;

/// Every voucher line of a warehouse whose ledger the caller may see ([`ledger_head`]), in voucher order,
/// up to the last voucher recorded when it starts. Each read takes a connection and gives it back before
/// its rows go to `emit`, so a slow download holds no connection, and memory holds a page of vouchers and
/// at most [`LEDGER_LINES`] lines (or one voucher's, when a voucher is wider).
pub fn ledger_rows(
    pool: &Pool,
    warehouse_id: i64,
    lang: Lang,
    tz: chrono_tz::Tz,
    emit: &mut dyn FnMut(&[Cell]) -> ServiceResult<()>,
) -> ServiceResult<()> {
    let until = chain_store::last_movement_id(&mut *crate::db::checkout(pool)?, warehouse_id)?;
    let time = |t: chrono::NaiveDateTime| {
        t.and_utc()
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let mut names: HashMap<i64, BatchLabel> = HashMap::new();
    let mut after = 0;
    loop {
        let page = chain_store::movements_page(
            &mut *crate::db::checkout(pool)?,
            warehouse_id,
            after,
            until,
            LEDGER_PAGE,
        )?;
        let Some((last, _)) = page.last() else {
            return Ok(());
        };
        after = last.id;
        let mut rest = &page[..];
        while !rest.is_empty() {
            // As many vouchers as fit in LEDGER_LINES lines, and at least one.
            let mut take = 1;
            let mut lines = rest[0].1;
            while take < rest.len() && lines + rest[take].1 <= LEDGER_LINES {
                lines += rest[take].1;
                take += 1;
            }
            let (group, more) = rest.split_at(take);
            rest = more;
            let ids: Vec<i64> = group.iter().map(|(m, _)| m.id).collect();
            let lines = {
                let conn = &mut *crate::db::checkout(pool)?;
                let lines = chain_store::lines_of_movements(conn, &ids)?;
                let unknown: Vec<i64> = lines
                    .iter()
                    .flatten()
                    .map(|l| l.batch_id)
                    .filter(|b| !names.contains_key(b))
                    .collect();
                if !unknown.is_empty() {
                    names.extend(labels_of(conn, &unknown)?);
                }
                lines
            };
            for ((m, _), lines) in group.iter().zip(lines) {
                for l in lines {
                    let b = names.get(&l.batch_id).cloned().unwrap_or_default();
                    emit(&[
                        Cell::Text(m.voucher_no.clone()),
                        Cell::Text(m.kind.label(lang).to_string()),
                        Cell::Text(m.state.label(lang).to_string()),
                        Cell::Text(time(m.created_at)),
                        Cell::Text(m.posted_at.map(time).unwrap_or_default()),
                        Cell::Text(b.item_code),
                        Cell::Text(b.item_name),
                        Cell::Text(b.batch_no),
                        Cell::Qty(l.qty.milli()),
                        Cell::Text(b.uom),
                        Cell::Text(m.reason.clone()),
                        Cell::Text(m.hash.clone().unwrap_or_default()),
                    ])?;
                }
            }
        }
    }
}

/// A stocktake's results: book, counted, difference, value, reason per batch.
pub fn stocktake_table(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    lang: Lang,
    day: chrono::NaiveDate,
) -> ServiceResult<Table> {
    let view = stocktakes::get(conn, actor, id)?;
    let w = warehouse_for(conn, actor, view.stocktake.warehouse_id, StockAction::View)?;
    let ids: Vec<i64> = view.lines.iter().map(|l| l.batch_id).collect();
    let names = labels_of(conn, &ids)?;
    let qty = |q: Option<Quantity>| q.map_or(Cell::Text(String::new()), |q| Cell::Qty(q.milli()));
    Ok(Table {
        name: file_name(
            &w.name,
            &format!("{}{}", lang.t("inv.file_stocktake"), view.stocktake.id),
            day,
        ),
        sheet: lang.t("inv.stocktake").to_string(),
        headers: headers(
            lang,
            &[
                "物资编码",
                "品名",
                "规格型号",
                "批号",
                "账面数",
                "实盘数",
                "差异",
                "差异金额（元）",
                "原因",
                "说明",
            ],
            &[
                "Code",
                "Name",
                "Specification",
                "Batch",
                "Book",
                "Counted",
                "Difference",
                "Value",
                "Reason",
                "Note",
            ],
        ),
        rows: view
            .lines
            .iter()
            .map(|l| {
                let b = names.get(&l.batch_id).cloned().unwrap_or_default();
                vec![
                    Cell::Text(b.item_code),
                    Cell::Text(b.item_name),
                    Cell::Text(b.spec),
                    Cell::Text(b.batch_no),
                    qty(l.book),
                    qty(l.counted),
                    qty(l.variance),
                    l.variance.map_or(Cell::Text(String::new()), |v| {
                        Cell::Money(v.value_fen(b.unit_price_fen.unwrap_or(0)))
                    }),
                    Cell::Text(
                        l.reason
                            .map(|r| r.label(lang).to_string())
                            .unwrap_or_default(),
                    ),
                    Cell::Text(l.note.clone()),
                ]
            })
            .collect(),
    })
}
