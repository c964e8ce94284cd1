//! Spreadsheets at the edge: reading an uploaded XLSX or CSV (UTF-8 with or without BOM, or GBK as
//! Chinese Excel saves it) into a grid of text, and writing tables as XLSX or CSV (with a BOM so Excel
//! reads the Chinese, and formula-like cells neutralised).

use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};

use crate::error::ServiceError;
use crate::inventory::model::Quantity;

/// Largest upload accepted (a catalogue of tens of thousands of rows fits well within it).
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;

/// A cell of an exported table.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Qty(Quantity),
    Money(i64),
    Date(Option<NaiveDate>),
}

/// A table to export.
#[derive(Debug, Clone)]
pub struct Table {
    pub sheet: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn unreadable() -> ServiceError {
    ServiceError::invalid(
        "file",
        "无法读取该文件，请上传 XLSX 或 CSV 文件",
        "The file could not be read; upload an XLSX or CSV file",
    )
}

/// Reads the first sheet of an XLSX file, or a CSV file, into rows of trimmed text.
pub fn read_grid(bytes: &[u8]) -> Result<Vec<Vec<String>>, ServiceError> {
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, ServiceError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).map_err(|_| unreadable())?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(unreadable)?
        .map_err(|_| unreadable())?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::String(s) => s.trim().to_string(),
                    // Integers arrive as floats; show them as the keeper typed them.
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    Data::DateTime(_) | Data::DateTimeIso(_) => {
                        c.as_date().map(|d| d.to_string()).unwrap_or_default()
                    }
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

/// Decodes CSV bytes: UTF-8 (a BOM is dropped), otherwise GB18030 (a superset of GBK).
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, ServiceError> {
    let text = decode_text(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|rec| rec.iter().map(|c| c.trim().to_string()).collect())
                .map_err(|_| unreadable())
        })
        .collect()
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
        Cell::Qty(q) => q.to_string(),
        Cell::Money(fen) => crate::inventory::model::yuan(*fen),
        Cell::Date(d) => d.map(|d| d.to_string()).unwrap_or_default(),
    }
}

/// CSV with a UTF-8 byte-order mark (Chinese Excel otherwise reads it as GBK).
pub fn to_csv(t: &Table) -> Result<Vec<u8>, ServiceError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let fail = |e: csv::Error| ServiceError::Internal(format!("csv: {e}"));
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
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(&t.sheet).map_err(fail)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let qty = Format::new().set_num_format("#,##0.###");
    let money = Format::new().set_num_format("#,##0.00");
    for (c, h) in t.headers.iter().enumerate() {
        let col =
            u16::try_from(c).map_err(|_| ServiceError::Internal("too many columns".into()))?;
        sheet
            .write_string_with_format(0, col, h, &bold)
            .map_err(fail)?;
        sheet.set_column_width(col, 14).map_err(fail)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| ServiceError::Internal("too many rows".into()))?;
        for (c, cell) in row.iter().enumerate() {
            let col =
                u16::try_from(c).map_err(|_| ServiceError::Internal("too many columns".into()))?;
            match cell {
                // Strings are stored as strings (never formulas) by write_string.
                Cell::Text(s) => sheet.write_string(r, col, s).map(|_| ()),
                Cell::Qty(q) => sheet
                    .write_number_with_format(r, col, q.milli() as f64 / 1000.0, &qty)
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

/// A download of `table` as `csv` or `xlsx`, named `name` (Chinese names are encoded per RFC 6266).
pub fn download(
    table: &Table,
    format: &str,
    name: &str,
) -> Result<actix_web::HttpResponse, ServiceError> {
    let (body, mime, ext) = match format {
        "csv" => (to_csv(table)?, "text/csv; charset=utf-8", "csv"),
        "xlsx" => (
            to_xlsx(table)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        _ => return Err(ServiceError::not_found("该导出格式", "Export format")),
    };
    let encoded: String = format!("{name}.{ext}")
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    Ok(actix_web::HttpResponse::Ok()
        .content_type(mime)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"export.{ext}\"; filename*=UTF-8''{encoded}"),
        ))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            sheet: "库存".into(),
            headers: vec![
                "品名".into(),
                "数量".into(),
                "有效期至".into(),
                "备注".into(),
            ],
            rows: vec![vec![
                Cell::Text("救生衣".into()),
                Cell::Qty(Quantity::from_milli(12_500)),
                Cell::Date(NaiveDate::from_ymd_opt(2030, 1, 1)),
                Cell::Text("=HYPERLINK(\"x\")".into()),
            ]],
        }
    }

    #[test]
    fn csv_starts_with_a_bom_and_defuses_formulas() {
        let bytes = to_csv(&table()).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.contains("救生衣,12.5,2030-01-01,\"'=HYPERLINK(\"\"x\"\")\""),
            "{text}"
        );
    }

    #[test]
    fn xlsx_round_trips_through_the_reader() {
        let bytes = to_xlsx(&table()).unwrap();
        let grid = read_grid(&bytes).unwrap();
        assert_eq!(grid[0], vec!["品名", "数量", "有效期至", "备注"]);
        assert_eq!(grid[1][..3], ["救生衣", "12.5", "2030-01-01"]);
        assert_eq!(
            grid[1][3], "=HYPERLINK(\"x\")",
            "kept as text, not a formula"
        );
    }

    #[test]
    fn gbk_csv_from_chinese_excel_is_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("物资编码,品名\r\nA1,沙袋\r\n");
        let grid = read_grid(&gbk).unwrap();
        assert_eq!(grid, vec![vec!["物资编码", "品名"], vec!["A1", "沙袋"]]);
        let bom = read_grid("\u{feff}物资编码,品名\nA1,沙袋\n".as_bytes()).unwrap();
        assert_eq!(bom[0][0], "物资编码");
    }
}
