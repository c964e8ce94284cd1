//! Writing tables as XLSX or CSV: CSV with a BOM so Chinese Excel reads it as UTF-8, formula-like text
//! neutralised, XLSX with typed dates and numbers.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};

use crate::error::ServiceError;

/// A cell of an exported table.
#[derive(Debug, Clone)]
pub enum Cell {
    /// Text, written as text (never as a formula).
    Text(String),
    /// A quantity in thousandths (`12500` is 12.5).
    Qty(i64),
    /// An amount of money in fen (`1250` is 12.50 yuan).
    Money(i64),
    /// A date, or nothing.
    Date(Option<NaiveDate>),
}

/// A table to export.
#[derive(Debug, Clone)]
pub struct Table {
    /// What the download is called, without the extension (`建设局仓库-库存-2026-11-30`).
    pub name: String,
    pub sheet: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A file ready to download.
#[derive(Debug, Clone)]
pub struct File {
    pub bytes: Vec<u8>,
    pub mime: &'static str,
    /// The file name's extension.
    pub ext: &'static str,
    /// The file name without the extension.
    pub name: String,
}

/// How wide a text shows in a spreadsheet column: Chinese characters take two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if c.len_utf8() >= 3 { 2 } else { 1 })
        .sum()
}

/// Column widths that fit the headers and the content, within reason (8 to 60).
fn column_widths(t: &Table) -> Vec<f64> {
    let mut widths: Vec<usize> = t.headers.iter().map(|h| display_width(h)).collect();
    for row in &t.rows {
        for (c, cell) in row.iter().enumerate() {
            let w = match cell {
                Cell::Text(s) => display_width(s),
                Cell::Qty(m) => fixed(*m, 3, true).len() + 2,
                Cell::Money(f) => fixed(*f, 2, false).len() + 3,
                Cell::Date(_) => 10,
            };
            if let Some(slot) = widths.get_mut(c) {
                *slot = (*slot).max(w);
            }
        }
    }
    widths
        .into_iter()
        .map(|w| (w + 2).clamp(8, 60) as f64)
        .collect()
}

/// `value / 10^scale` as a decimal, `trim`ming trailing zeros of the fraction.
fn fixed(value: i64, scale: u32, trim: bool) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let unit = 10_u64.pow(scale);
    let abs = value.unsigned_abs();
    let (whole, frac) = (abs / unit, abs % unit);
    let frac = format!("{frac:0width$}", width = scale as usize);
    let frac = if trim {
        frac.trim_end_matches('0')
    } else {
        &frac
    };
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    }
}

/// Text that a spreadsheet would run as a formula gets a leading apostrophe.
fn neutralise(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn text_of(c: &Cell) -> String {
    match c {
        Cell::Text(s) => neutralise(s),
        Cell::Qty(milli) => fixed(*milli, 3, true),
        Cell::Money(fen) => fixed(*fen, 2, false),
        Cell::Date(d) => d.map(|d| d.to_string()).unwrap_or_default(),
    }
}

/// CSV with a UTF-8 byte-order mark (Chinese Excel otherwise reads it as GBK).
pub fn to_csv(t: &Table) -> Result<Vec<u8>, ServiceError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let fail = |e: csv::Error| ServiceError::Internal(format!("csv: {e}"));
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(t.headers.iter().map(|h| neutralise(h)))
            .map_err(fail)?;
        for row in &t.rows {
            w.write_record(row.iter().map(text_of)).map_err(fail)?;
        }
        w.flush()
            .map_err(|e| ServiceError::Internal(format!("csv: {e}")))?;
    }
    Ok(out)
}

/// An XLSX workbook with one sheet: bold headers, frozen header row, dates and numbers typed.
pub fn to_xlsx(t: &Table) -> Result<Vec<u8>, ServiceError> {
    let fail = |e: rust_xlsxwriter::XlsxError| ServiceError::Internal(format!("xlsx: {e}"));
    let too_big = || ServiceError::Internal("the table is too large for a sheet".into());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(&t.sheet).map_err(fail)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let qty = Format::new().set_num_format("#,##0.###");
    let money = Format::new().set_num_format("#,##0.00");
    for ((c, h), width) in t.headers.iter().enumerate().zip(column_widths(t)) {
        let col = u16::try_from(c).map_err(|_| too_big())?;
        sheet
            .write_string_with_format(0, col, h, &bold)
            .map_err(fail)?;
        sheet.set_column_width(col, width).map_err(fail)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| too_big())?;
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c).map_err(|_| too_big())?;
            match cell {
                // Strings are stored as strings (never formulas) by write_string.
                Cell::Text(s) => sheet.write_string(r, col, s).map(|_| ()),
                Cell::Qty(milli) => sheet
                    .write_number_with_format(r, col, *milli as f64 / 1000.0, &qty)
                    .map(|_| ()),
                Cell::Money(fen) => sheet
                    .write_number_with_format(r, col, *fen as f64 / 100.0, &money)
                    .map(|_| ()),
                Cell::Date(Some(d)) => sheet.write_date_with_format(r, col, d, &date).map(|_| ()),
                Cell::Date(None) => Ok(()),
            }
            .map_err(fail)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

/// `table` as `csv` or `xlsx`.
pub fn render(table: &Table, format: &str) -> Result<File, ServiceError> {
    match format {
        "csv" => Ok(File {
            bytes: to_csv(table)?,
            mime: "text/csv; charset=utf-8",
            ext: "csv",
            name: table.name.clone(),
        }),
        "xlsx" => Ok(File {
            bytes: to_xlsx(table)?,
            mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ext: "xlsx",
            name: table.name.clone(),
        }),
        _ => Err(ServiceError::not_found("该导出格式", "Export format")),
    }
}
