//! The XLSX side of the sheet writer: a workbook written as a zip stream, row by row, with typed dates and
//! numbers, a bold frozen header and column widths fitted to the first rows; a document's title above the
//! header and its notes below the rows span the table's width, and such a document prints on A4 landscape.

use std::io::{self, Write};

use chrono::NaiveDate;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::write::{display_width, fixed, Cell};

/// Rows whose widths decide the columns' (the header's and these).
const MEASURED_ROWS: usize = 200;

/// An XLSX workbook written as a stream: the fixed parts first, then the sheet row by row (inline strings,
/// so nothing accumulates), its first rows held back only to fit the column widths.
pub(super) struct Xlsx<W: Write> {
    zip: ZipWriter<zip::write::StreamWriter<W>>,
    /// The document's title above the header; empty: none (a plain table).
    title: String,
    headers: Vec<String>,
    held: Option<Vec<Line>>,
    next_row: u32,
    /// Cell ranges spanning the table's width (the title, each note), declared after the rows.
    merged: Vec<String>,
    line: String,
}

/// A row held back until the column widths are known.
enum Line {
    Cells(Vec<Cell>),
    /// A line of text across the table (a document's note).
    Note(String),
}

const STYLE_BOLD: u8 = 1;
const STYLE_QTY: u8 = 2;
const STYLE_MONEY: u8 = 3;
const STYLE_DATE: u8 = 4;
const STYLE_TITLE: u8 = 5;

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
/// Styles: 0 plain, 1 bold, 2 quantity `#,##0.###`, 3 money `#,##0.00`, 4 date `yyyy-mm-dd`, 5 a title (bold,
/// larger, centred).
const STYLES: &str = r##"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3"><numFmt numFmtId="164" formatCode="#,##0.###"/><numFmt numFmtId="165" formatCode="#,##0.00"/><numFmt numFmtId="166" formatCode="yyyy-mm-dd"/></numFmts><fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="16"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"##;

impl<W: Write> Xlsx<W> {
    /// Starts a workbook of one sheet named `sheet`, headed by `title` (when not empty) and `headers`.
    pub(super) fn new(out: W, sheet: &str, title: &str, headers: &[String]) -> io::Result<Self> {
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
            title: title.to_string(),
            headers: headers.to_vec(),
            held: Some(Vec::new()),
            next_row: 1,
            merged: Vec::new(),
            line: String::new(),
        })
    }

    /// Writes one row.
    pub(super) fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        self.put(Line::Cells(cells.to_vec()))
    }

    /// Writes a line of text across the table's width.
    pub(super) fn note(&mut self, text: &str) -> io::Result<()> {
        self.put(Line::Note(text.to_string()))
    }

    fn put(&mut self, line: Line) -> io::Result<()> {
        if let Some(held) = &mut self.held {
            held.push(line);
            if held.len() >= MEASURED_ROWS {
                self.start_sheet()?;
            }
            return Ok(());
        }
        self.write_line(line)
    }

    fn write_line(&mut self, line: Line) -> io::Result<()> {
        match line {
            Line::Cells(cells) => self.write_row(&cells, None),
            Line::Note(text) => self.write_across(text, None),
        }
    }

    /// A row of one text spanning the table's width.
    fn write_across(&mut self, text: String, style: Option<u8>) -> io::Result<()> {
        let last = column_name(self.headers.len().max(1) - 1);
        self.merged
            .push(format!("A{r}:{last}{r}", r = self.next_row));
        self.write_row(&[Cell::Text(text)], style)
    }

    /// The sheet's head (frozen header row, column widths, the title and the header), then the rows held
    /// back. Notes span the table and do not widen its columns.
    fn start_sheet(&mut self) -> io::Result<()> {
        let held = self.held.take().unwrap_or_default();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| display_width(h)).collect();
        for line in &held {
            let Line::Cells(row) = line else { continue };
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
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        );
        // The header row stays in view: the first row, or the second below a title.
        let split = if self.title.is_empty() { 1 } else { 2 };
        head.push_str(&format!(
            r#"<sheetViews><sheetView workbookViewId="0"><pane ySplit="{split}" topLeftCell="A{}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#,
            split + 1
        ));
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
        if !self.title.is_empty() {
            self.write_across(self.title.clone(), Some(STYLE_TITLE))?;
        }
        let headers: Vec<Cell> = self.headers.iter().cloned().map(Cell::Text).collect();
        self.write_row(&headers, Some(STYLE_BOLD))?;
        for line in held {
            self.write_line(line)?;
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

    /// Ends the workbook and gives the writer back. A document with a title prints on A4 landscape.
    pub(super) fn finish(mut self) -> io::Result<W> {
        if self.held.is_some() {
            self.start_sheet()?;
        }
        let mut tail = String::from("</sheetData>");
        if !self.merged.is_empty() {
            tail.push_str(&format!(r#"<mergeCells count="{}">"#, self.merged.len()));
            for range in &self.merged {
                tail.push_str(&format!(r#"<mergeCell ref="{range}"/>"#));
            }
            tail.push_str("</mergeCells>");
        }
        if !self.title.is_empty() {
            tail.push_str(r#"<pageSetup paperSize="9" orientation="landscape"/>"#);
        }
        tail.push_str("</worksheet>");
        self.zip.write_all(tail.as_bytes())?;
        Ok(self.zip.finish().map_err(zip_error)?.into_inner())
    }
}
