//! Reading an import sheet (catalogue and opening balances): columns found by header name (Chinese or
//! English), every cell checked, every error reported by row and column. Pure: it sees a grid of text.

use std::collections::HashMap;

use super::catalogue::{BatchInput, ItemInput, Ownership};
use super::quantity::{as_typed, Quantity};
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::sheets::{parse_date, ColumnSpec, Columns, RowError};

/// A column of the import sheet: field, the headers it may carry, whether required.
const COLUMNS: &[ColumnSpec] = &[
    ("code", &["物资编码", "编码", "code"], true),
    ("name", &["品名", "名称", "物资名称", "name"], true),
    ("spec", &["规格型号", "规格", "spec"], false),
    ("uom", &["计量单位", "单位", "uom"], true),
    (
        "category_code",
        &["分类代码", "分类", "category_code", "category"],
        true,
    ),
    (
        "shelf_life_days",
        &["保质期天数", "保质期（天）", "保质期", "shelf_life_days"],
        false,
    ),
    ("unit_price", &["单价", "单价（元）", "unit_price"], false),
    (
        "inspection_interval_days",
        &[
            "检查周期（天）",
            "检查周期天数",
            "检查周期",
            "inspection_interval_days",
        ],
        false,
    ),
    ("batch_no", &["批号", "批次", "批次号", "batch_no"], false),
    ("maker", &["厂商", "厂商/产地", "产地", "maker"], false),
    ("production_date", &["生产日期", "production_date"], false),
    ("expiry_date", &["有效期至", "有效期", "expiry_date"], false),
    ("ownership", &["权属", "ownership"], false),
    ("warehouse", &["储备库", "储备点", "warehouse"], false),
    (
        "qty",
        &["期初数量", "数量", "期初库存", "opening_qty", "qty"],
        false,
    ),
];

/// One valid row.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// Row number as the spreadsheet shows it.
    pub row: usize,
    pub item: ItemInput,
    pub batch: Option<BatchInput>,
    /// Warehouse name and opening quantity.
    pub opening: Option<(String, Quantity)>,
}

/// An ownership as keepers write it: its Chinese or English label, its code, or nothing (a government reserve).
fn ownership(v: &str) -> Result<Ownership, ServiceError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(Ownership::Government);
    }
    match Ownership::ALL.iter().find(|o| {
        o.label(crate::i18n::Lang::Zh) == v
            || o.label(crate::i18n::Lang::En).eq_ignore_ascii_case(v)
    }) {
        Some(o) => Ok(*o),
        None => Ownership::parse(v),
    }
}

/// A number of days in column `field` (empty: none); the error names its column.
fn days(field: &'static str, v: &str) -> Result<Option<i32>, (&'static str, ServiceError)> {
    match v {
        "" => Ok(None),
        v => v
            .trim_end_matches(".0")
            .parse::<i32>()
            .map(Some)
            .map_err(|_| {
                let e = ServiceError::invalid(
                    field,
                    "须为天数（整数）",
                    "A number of days is expected",
                );
                (field, e)
            }),
    }
}

/// Parses the grid (first row: headers). Returns every valid row, or every error found.
pub fn parse_sheet(grid: &[Vec<String>]) -> Result<Vec<ImportRow>, Vec<RowError>> {
    let columns = Columns::find(grid, COLUMNS)?;
    let mut errors: Vec<RowError> = Vec::new();
    let mut rows = Vec::new();
    let mut seen_items: HashMap<String, (usize, String, String)> = HashMap::new();
    for (row, cells) in columns.rows(grid) {
        let cell = |f: &str| columns.cell(cells, f);
        let mut fail = |field: &str, e: ServiceError| errors.push(columns.error(row, field, e));
        let (shelf, interval) = match (
            days("shelf_life_days", &cell("shelf_life_days")),
            days(
                "inspection_interval_days",
                &cell("inspection_interval_days"),
            ),
        ) {
            (Ok(shelf), Ok(interval)) => (shelf, interval),
            (Err((field, e)), _) | (_, Err((field, e))) => {
                fail(field, e);
                continue;
            }
        };
        let price = Some(cell("unit_price")).filter(|p| !p.is_empty());
        let item = match ItemInput::parse(
            &cell("code"),
            &cell("name"),
            &cell("spec"),
            &cell("uom"),
            &cell("category_code"),
            shelf,
            shelf.is_some(),
            price.as_deref(),
        ) {
            Ok(item) => item,
            Err(e) => {
                fail("code", e);
                continue;
            }
        };
        let item = match item.inspection(interval) {
            Ok(item) => item,
            Err(e) => {
                fail("inspection_interval_days", e);
                continue;
            }
        };
        match seen_items.get(&item.code) {
            Some((first, name, uom)) if *name != item.name || *uom != item.uom => {
                fail(
                    "name",
                    ServiceError::Invalid {
                        field: "name",
                        message: Text::new(
                            format!("与第 {first} 行同一编码的品名或计量单位不一致"),
                            format!("Name or unit differs from row {first} with the same code"),
                        ),
                    },
                );
                continue;
            }
            Some(_) => {}
            None => {
                seen_items.insert(
                    item.code.clone(),
                    (row, item.name.clone(), item.uom.clone()),
                );
            }
        }
        let mut dates = [None, None];
        for (slot, field) in ["production_date", "expiry_date"].iter().enumerate() {
            let v = cell(field);
            if !v.is_empty() {
                match parse_date(&v) {
                    Some(d) => dates[slot] = Some(d),
                    None => fail(
                        field,
                        ServiceError::invalid(
                            if slot == 0 {
                                "production_date"
                            } else {
                                "expiry_date"
                            },
                            "日期格式应为 年-月-日",
                            "A date is year-month-day",
                        ),
                    ),
                }
            }
        }
        let batch_no = cell("batch_no");
        let batch = if batch_no.is_empty() {
            None
        } else {
            match ownership(&cell("ownership"))
                .and_then(|o| {
                    BatchInput::parse(&batch_no, &cell("maker"), dates[0], dates[1], o, None)
                })
                .and_then(|b| b.for_item(item.shelf_life_days, item.track_expiry))
            {
                Ok(b) => Some(b),
                Err(e) => {
                    fail("batch_no", e);
                    continue;
                }
            }
        };
        let (warehouse, qty) = (cell("warehouse"), cell("qty"));
        let opening = match (warehouse.is_empty(), qty.is_empty()) {
            (true, true) => None,
            (false, false) if batch.is_some() => {
                match Quantity::parse_positive("qty", &as_typed(&qty)) {
                    Ok(q) => Some((warehouse, q)),
                    Err(e) => {
                        fail("qty", e);
                        continue;
                    }
                }
            }
            (false, false) => {
                fail(
                    "batch_no",
                    ServiceError::invalid(
                        "batch_no",
                        "填写期初数量时须填写批号",
                        "An opening quantity needs a batch number",
                    ),
                );
                continue;
            }
            _ => {
                fail(
                    "qty",
                    ServiceError::invalid(
                        "qty",
                        "储备库与期初数量须同时填写",
                        "Warehouse and opening quantity go together",
                    ),
                );
                continue;
            }
        };
        rows.push(ImportRow {
            row,
            item,
            batch,
            opening,
        });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn columns_are_found_by_name_in_either_language_and_order() {
        let g = grid(&[
            &[
                "品名",
                "物资编码",
                "计量单位",
                "分类代码",
                "批号",
                "有效期至",
                "权属",
                "储备库",
                "期初数量",
            ],
            &[
                "救生衣",
                "LJ-01",
                "件",
                "2",
                "B1",
                "2030/1/1",
                "政府储备",
                "一号库",
                "12.5",
            ],
        ]);
        let rows = parse_sheet(&g).unwrap();
        assert_eq!(rows[0].item.code, "LJ-01");
        assert_eq!(
            rows[0].batch.as_ref().unwrap().expiry_date,
            NaiveDate::from_ymd_opt(2030, 1, 1)
        );
        assert_eq!(
            rows[0].opening,
            Some(("一号库".into(), Quantity::from_milli(12_500)))
        );
        let en = grid(&[
            &["code", "name", "uom", "category_code"],
            &["X1", "Tent", "pcs", "1"],
        ]);
        assert_eq!(parse_sheet(&en).unwrap().len(), 1);
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_row_and_column() {
        let g = grid(&[
            &[
                "物资编码",
                "品名",
                "计量单位",
                "分类代码",
                "批号",
                "储备库",
                "期初数量",
            ],
            &["A1", "沙袋", "条", "9", "", "", ""],
            &["A2", "水泵", "台", "2", "", "一号库", "3"],
            &["A3", "帐篷", "顶", "1", "B3", "一号库", "-1"],
            &["A4", "", "顶", "1", "", "", ""],
        ]);
        let errors = parse_sheet(&g).unwrap_err();
        let at: Vec<(usize, &str)> = errors.iter().map(|(r, c, _)| (*r, c.as_str())).collect();
        assert_eq!(
            at,
            vec![(2, "分类代码"), (3, "批号"), (4, "期初数量"), (5, "品名")]
        );
    }

    #[test]
    fn equipment_carries_its_inspection_interval() {
        let g = grid(&[
            &["物资编码", "品名", "计量单位", "分类代码", "检查周期（天）"],
            &["SB-1", "抽水泵", "台", "2", "90"],
            &["SB-2", "发电机", "台", "2", "0"],
            &["SB-3", "沙袋", "条", "3", "每月"],
        ]);
        let errors = parse_sheet(&g).unwrap_err();
        let at: Vec<(usize, &str)> = errors.iter().map(|(r, c, _)| (*r, c.as_str())).collect();
        assert_eq!(at, vec![(3, "检查周期（天）"), (4, "检查周期（天）")]);
        let ok = parse_sheet(&g[..2]).unwrap();
        assert_eq!(ok[0].item.inspection_interval_days, Some(90));
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let errors = parse_sheet(&grid(&[&["物资编码", "品名"]])).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors[0].2.zh.contains("计量单位"));
    }

    #[test]
    fn the_same_code_must_mean_the_same_item() {
        let g = grid(&[
            &["物资编码", "品名", "计量单位", "分类代码"],
            &["A1", "沙袋", "条", "3"],
            &["A1", "沙包", "条", "3"],
        ]);
        assert_eq!(parse_sheet(&g).unwrap_err()[0].0, 3);
    }
}
