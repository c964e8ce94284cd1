//! Writing tables as XLSX or CSV, row by row, to any writer: a download streams to the client as its rows
//! are read, so a 100,000-row ledger never sits in memory. CSV carries a BOM so Chinese Excel reads it as
//! UTF-8 and has formula-like text neutralised; XLSX has typed dates and numbers, bold frozen headers and
//! column widths fitted to the first rows.

use std::io::{self, Write};

use chrono::NaiveDate;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if c.len_utf8() >= 3 { 2 } else { 1 })
        .sum()
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

/// Rows written one at a time as CSV or XLSX.
pub struct SheetWriter<W: Write> {
    inner: Inner<W>,
}

enum Inner<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Xlsx(Box<Xlsx<W>>),
}

fn csv_error(e: csv::Error) -> io::Error {
    io::Error::other(format!("csv: {e}"))
}

impl<W: Write> SheetWriter<W> {
    /// Starts a file of `format` with one sheet named `sheet` and a header row.
    pub fn new(format: Format, mut out: W, sheet: &str, headers: &[String]) -> io::Result<Self> {
        let inner = match format {
            Format::Csv => {
                out.write_all(b"\xEF\xBB\xBF")?;
                let mut w = csv::Writer::from_writer(out);
                w.write_record(headers.iter().map(|h| neutralise(h)))
                    .map_err(csv_error)?;
                Inner::Csv(Box::new(w))
            }
            Format::Xlsx => Inner::Xlsx(Box::new(Xlsx::new(out, sheet, headers)?)),
        };
        Ok(SheetWriter { inner })
    }

    /// Writes one row.
    pub fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        match &mut self.inner {
            Inner::Csv(w) => w.write_record(cells.iter().map(text_of)).map_err(csv_error),
            Inner::Xlsx(x) => x.row(cells),
        }
    }

    /// Ends the file and gives the writer back.
    pub fn finish(self) -> io::Result<W> {
        match self.inner {
            Inner::Csv(w) => w.into_inner().map_err(|e| io::Error::other(e.to_string())),
            Inner::Xlsx(x) => (*x).finish(),
        }
    }
}

/// Rows whose widths decide the columns' (the header's and these).
const MEASURED_ROWS: usize = 200;

/// An XLSX workbook written as a stream: the fixed parts first, then the sheet row by row (inline strings,
/// so nothing accumulates), its first rows held back only to fit the column widths.
struct Xlsx<W: Write> {
    zip: ZipWriter<zip::write::StreamWriter<W>>,
    headers: Vec<String>,
    held: Option<Vec<Vec<Cell>>>,
    next_row: u32,
    line: String,
}

const STYLE_BOLD: u8 = 1;
const STYLE_QTY: u8 = 2;
const STYLE_MONEY: u8 = 3;
const STYLE_DATE: u8 = 4;

fn zip_error(e: zip::result::ZipError) -> io::Error {
    io::Error::other(format!("xlsx: {e}"))
}

/// Text as XML character data: escaped, and without the control characters XML cannot carry.
fn xml_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// A column's letters (0 → A, 26 → AA).
fn column_name(mut c: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Days since 1899-12-30, the spreadsheet's date serial.
fn date_serial(d: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (d - epoch).num_days()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
/// Styles: 0 plain, 1 bold, 2 quantity `#,##0.###`, 3 money `#,##0.00`, 4 date `yyyy-mm-dd`.
const STYLES: &str = r##"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3"><numFmt numFmtId="164" formatCode="#,##0.###"/><numFmt numFmtId="165" formatCode="#,##0.00"/><numFmt numFmtId="166" formatCode="yyyy-mm-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"##;

impl<W: Write> Xlsx<W> {
    fn new(out: W, sheet: &str, headers: &[String]) -> io::Result<Self> {
        let mut zip = ZipWriter::new_stream(out);
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let mut workbook = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name=""#,
        );
        // Excel refuses sheet names over 31 characters or with []:*?/\ in them.
        let name: String = sheet
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        xml_text(
            &mut workbook,
            if name.is_empty() { "Sheet1" } else { &name },
        );
        workbook.push_str(r#"" sheetId="1" r:id="rId1"/></sheets></workbook>"#);
        for (path, body) in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", workbook.as_str()),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/styles.xml", STYLES),
        ] {
            zip.start_file(path, options).map_err(zip_error)?;
            zip.write_all(body.as_bytes())?;
        }
        zip.start_file("xl/worksheets/sheet1.xml", options)
            .map_err(zip_error)?;
        Ok(Xlsx {
            zip,
            headers: headers.to_vec(),
            held: Some(Vec::new()),
            next_row: 1,
            line: String::new(),
        })
    }

    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        if let Some(held) = &mut self.held {
            held.push(cells.to_vec());
            if held.len() < MEASURED_ROWS {
                return Ok(());
            }
            self.start_sheet()?;
            return Ok(());
        }
        self.write_row(cells, None)
    }

    /// The sheet's head (frozen header row, column widths, the header), then the rows held back.
    fn start_sheet(&mut self) -> io::Result<()> {
        let held = self.held.take().unwrap_or_default();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| display_width(h)).collect();
        for row in &held {
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
        let mut head = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#,
        );
        if !widths.is_empty() {
            head.push_str("<cols>");
            for (i, w) in widths.iter().enumerate() {
                let width = (w + 2).clamp(8, 60);
                head.push_str(&format!(
                    r#"<col min="{n}" max="{n}" width="{width}" customWidth="1"/>"#,
                    n = i + 1
                ));
            }
            head.push_str("</cols>");
        }
        head.push_str("<sheetData>");
        self.zip.write_all(head.as_bytes())?;
        let headers: Vec<Cell> = self.headers.iter().cloned().map(Cell::Text).collect();
        self.write_row(&headers, Some(STYLE_BOLD))?;
        for row in held {
            self.write_row(&row, None)?;
        }
        Ok(())
    }

    fn write_row(&mut self, cells: &[Cell], style: Option<u8>) -> io::Result<()> {
        let r = self.next_row;
        self.next_row += 1;
        let line = &mut self.line;
        line.clear();
        line.push_str(&format!(r#"<row r="{r}">"#));
        for (c, cell) in cells.iter().enumerate() {
            let at = format!("{}{r}", column_name(c));
            match cell {
                Cell::Text(s) => {
                    let s_attr = style.map(|s| format!(r#" s="{s}""#)).unwrap_or_default();
                    line.push_str(&format!(
                        r#"<c r="{at}"{s_attr} t="inlineStr"><is><t xml:space="preserve">"#
                    ));
                    xml_text(line, s);
                    line.push_str("</t></is></c>");
                }
                Cell::Qty(m) => line.push_str(&format!(
                    r#"<c r="{at}" s="{STYLE_QTY}"><v>{}</v></c>"#,
                    fixed(*m, 3, true)
                )),
                Cell::Money(f) => line.push_str(&format!(
                    r#"<c r="{at}" s="{STYLE_MONEY}"><v>{}</v></c>"#,
                    fixed(*f, 2, false)
                )),
                Cell::Date(Some(d)) => line.push_str(&format!(
                    r#"<c r="{at}" s="{STYLE_DATE}"><v>{}</v></c>"#,
                    date_serial(*d)
                )),
                Cell::Date(None) => {}
            }
        }
        line.push_str("</row>");
        self.zip.write_all(line.as_bytes())
    }

    fn finish(mut self) -> io::Result<W> {
        if self.held.is_some() {
            self.start_sheet()?;
        }
        self.zip.write_all(b"</sheetData></worksheet>")?;
        Ok(self.zip.finish().map_err(zip_error)?.into_inner())
    }
}

/// `table` as a file of `format`, built in memory.
pub fn render(table: &Table, format: Format) -> ServiceResult<File> {
    let fail = |e: io::Error| ServiceError::Internal(format!("export: {e}"));
    let mut w = SheetWriter::new(format, Vec::new(), &table.sheet, &table.headers).map_err(fail)?;
    for row in &table.rows {
        w.row(row).map_err(fail)?;
    }
    Ok(File {
        bytes: w.finish().map_err(fail)?,
        mime: format.mime(),
        ext: format.ext(),
        name: table.name.clone(),
    })
}
