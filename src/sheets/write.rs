//! Writing tables as XLSX or CSV, row by row, to any writer: a download streams to the client as its rows
//! are read, so a 100,000-row ledger never sits in memory. CSV carries a BOM so Chinese Excel reads it as
//! UTF-8 and has formula-like text neutralised; XLSX (see `xlsx.rs`) has typed dates and numbers, bold frozen
//! headers and column widths fitted to the first rows. A table may be a document with a title above and
//! notes below (a 值班表 as the office prints it).

use std::io::{self, Write};

use chrono::NaiveDate;

use super::xlsx::Xlsx;
use crate::error::{ServiceError, ServiceResult};

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

/// A table held in memory (a warehouse's stock, a stocktake: bounded by what one place holds).
#[derive(Debug, Clone)]
pub struct Table {
    /// What the download is called, without the extension (`建设局仓库-库存-2026-11-30`).
    pub name: String,
    pub sheet: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A table as a document to print and send on: a title above the header and lines of notes below the rows
/// (a 值班表's duty phone, rules and date of issue), each as wide as the table.
#[derive(Debug, Clone)]
pub struct Paper {
    pub table: Table,
    /// The title; empty: none.
    pub title: String,
    pub notes: Vec<String>,
}

impl From<Table> for Paper {
    fn from(table: Table) -> Paper {
        Paper {
            table,
            title: String::new(),
            notes: Vec::new(),
        }
    }
}

/// A name fit for a file name: the characters file systems refuse (`/\\:*?"<>|`) become `-`.
pub fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| if "/\\:*?\"<>|".contains(c) { '-' } else { c })
        .collect()
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

/// A spreadsheet format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// From a download's extension; anything else is not a download we have.
    pub fn parse(code: &str) -> ServiceResult<Format> {
        match code {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            _ => Err(ServiceError::not_found("该导出格式", "Export format")),
        }
    }

    /// The media type.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The file name's extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// How wide a text shows in a spreadsheet column: Chinese characters take two.
pub(super) fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if c.len_utf8() >= 3 { 2 } else { 1 })
        .sum()
}

/// `value / 10^scale` as a decimal, `trim`ming trailing zeros of the fraction.
pub(super) fn fixed(value: i64, scale: u32, trim: bool) -> String {
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

/// Rows written one at a time as CSV or XLSX.
pub struct SheetWriter<W: Write> {
    inner: Inner<W>,
}

enum Inner<W: Write> {
    /// The writer and the number of columns.
    Csv(Box<csv::Writer<W>>, usize),
    Xlsx(Box<Xlsx<W>>),
}

fn csv_error(e: csv::Error) -> io::Error {
    io::Error::other(format!("csv: {e}"))
}

/// A CSV record holding `text` in its first field, padded to `width` fields (CSV rows are all as wide).
fn across(text: &str, width: usize) -> Vec<String> {
    let mut record = vec![neutralise(text)];
    record.resize(width.max(1), String::new());
    record
}

impl<W: Write> SheetWriter<W> {
    /// Starts a file of `format` with one sheet named `sheet` and a header row.
    pub fn new(format: Format, out: W, sheet: &str, headers: &[String]) -> io::Result<Self> {
        SheetWriter::titled(format, out, sheet, "", headers)
    }

    /// Starts a file of `format` with one sheet named `sheet`, a title row (none when empty) and a header
    /// row.
    pub fn titled(
        format: Format,
        mut out: W,
        sheet: &str,
        title: &str,
        headers: &[String],
    ) -> io::Result<Self> {
        let inner = match format {
            Format::Csv => {
                out.write_all(b"\xEF\xBB\xBF")?;
                let mut w = csv::Writer::from_writer(out);
                if !title.is_empty() {
                    w.write_record(across(title, headers.len()))
                        .map_err(csv_error)?;
                }
                w.write_record(headers.iter().map(|h| neutralise(h)))
                    .map_err(csv_error)?;
                Inner::Csv(Box::new(w), headers.len())
            }
            Format::Xlsx => Inner::Xlsx(Box::new(Xlsx::new(out, sheet, title, headers)?)),
        };
        Ok(SheetWriter { inner })
    }

    /// Writes one row.
    pub fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        match &mut self.inner {
            Inner::Csv(w, _) => w.write_record(cells.iter().map(text_of)).map_err(csv_error),
            Inner::Xlsx(x) => x.row(cells),
        }
    }

    /// Writes a line of text as wide as the table (a note below the rows).
    pub fn note(&mut self, text: &str) -> io::Result<()> {
        match &mut self.inner {
            Inner::Csv(w, width) => w.write_record(across(text, *width)).map_err(csv_error),
            Inner::Xlsx(x) => x.note(text),
        }
    }

    /// Ends the file and gives the writer back.
    pub fn finish(self) -> io::Result<W> {
        match self.inner {
            Inner::Csv(w, _) => w.into_inner().map_err(|e| io::Error::other(e.to_string())),
            Inner::Xlsx(x) => (*x).finish(),
        }
    }
}

/// `table` as a file of `format`, built in memory.
pub fn render(table: &Table, format: Format) -> ServiceResult<File> {
    write(table, "", &[], format)
}

/// A document as a file of `format`, built in memory: its title, the table, then its notes.
pub fn render_paper(paper: &Paper, format: Format) -> ServiceResult<File> {
    write(&paper.table, &paper.title, &paper.notes, format)
}

fn write(table: &Table, title: &str, notes: &[String], format: Format) -> ServiceResult<File> {
    let fail = |e: io::Error| ServiceError::Internal(format!("export: {e}"));
    let mut w = SheetWriter::titled(format, Vec::new(), &table.sheet, title, &table.headers)
        .map_err(fail)?;
    for row in &table.rows {
        w.row(row).map_err(fail)?;
    }
    for note in notes {
        w.note(note).map_err(fail)?;
    }
    Ok(File {
        bytes: w.finish().map_err(fail)?,
        mime: format.mime(),
        ext: format.ext(),
        name: table.name.clone(),
    })
}
