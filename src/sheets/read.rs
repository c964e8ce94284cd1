//! Reading an uploaded spreadsheet (XLSX, or CSV in UTF-8 with or without BOM, or GBK as Chinese Excel saves
//! it) into rows of text, within stated limits checked before anything large is allocated: the upload's size,
//! the unpacked size of an XLSX (measured while inflating, not taken from the archive's own claims), the sheet's
//! declared extent, and every cell's position and the number of cells, streamed one at a time.

use std::io::{Cursor, Read};

use calamine::{DataRef, DataType, Reader, Xlsx};

use crate::error::ServiceError;
use crate::i18n::Text;

/// Largest upload accepted (a catalogue of tens of thousands of rows fits well within it).
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;
/// Most bytes an XLSX may unpack to (every part of the archive together).
pub const MAX_UNPACKED: u64 = 64 * 1024 * 1024;
/// Most rows a sheet may have (the header included).
pub const MAX_ROWS: usize = 100_000;
/// Most columns a sheet may have.
pub const MAX_COLS: usize = 64;
/// Most cells the rows may hold together, counting the empty cells before a row's last value.
pub const MAX_CELLS: usize = 1_000_000;

/// Rows of trimmed text, the first row being the header.
pub type Grid = Vec<Vec<String>>;

fn unreadable() -> ServiceError {
    ServiceError::invalid(
        "file",
        "无法读取该文件，请上传 XLSX 或 CSV 文件",
        "The file could not be read; upload an XLSX or CSV file",
    )
}

fn too_large(zh: String, en: String) -> ServiceError {
    ServiceError::Invalid {
        field: "file",
        message: Text::new(zh, en),
    }
}

fn too_many_rows() -> ServiceError {
    too_large(
        format!("文件超过 {MAX_ROWS} 行，请拆分后分批导入"),
        format!("The file has more than {MAX_ROWS} rows; split it and import the parts"),
    )
}

fn too_many_cols(zh: &str, en: &str) -> ServiceError {
    too_large(
        format!("{zh}超出了 {MAX_COLS} 列的上限，请删除多余的列"),
        format!("{en} goes beyond the limit of {MAX_COLS} columns; remove the extra columns"),
    )
}

fn too_many_cells() -> ServiceError {
    too_large(
        format!("文件超过 {MAX_CELLS} 个单元格，请拆分后分批导入"),
        format!("The file has more than {MAX_CELLS} cells; split it and import the parts"),
    )
}

/// Reads the first sheet of an XLSX file, or a CSV file.
pub fn read_grid(bytes: &[u8]) -> Result<Grid, ServiceError> {
    if bytes.len() > MAX_UPLOAD {
        return Err(too_large(
            format!("文件不能超过 {} MB", MAX_UPLOAD >> 20),
            format!("The file may be at most {} MB", MAX_UPLOAD >> 20),
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

/// A grid that grows cell by cell and refuses to pass the limits.
#[derive(Default)]
pub(super) struct Bounded {
    rows: Grid,
    cells: usize,
}

impl Bounded {
    pub(super) fn put(
        &mut self,
        row: usize,
        col: usize,
        value: String,
    ) -> Result<(), ServiceError> {
        if row >= MAX_ROWS {
            return Err(too_many_rows());
        }
        if col >= MAX_COLS {
            let at = format!("R{}C{}", row + 1, col + 1);
            return Err(too_many_cols(
                &format!("单元格 {at} "),
                &format!("Cell {at}"),
            ));
        }
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
        if cells.len() <= col {
            self.cells += col + 1 - cells.len();
            if self.cells > MAX_CELLS {
                return Err(too_many_cells());
            }
            cells.resize(col + 1, String::new());
        }
        cells[col] = value;
        Ok(())
    }
}

/// Inflates every part of the archive into nothing, counting: a small file that unpacks to gigabytes (a
/// "zip bomb", or an entry lying about its size) is refused before the spreadsheet reader sees it.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), ServiceError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|_| unreadable())?;
        let left = MAX_UNPACKED - total;
        let n = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|_| unreadable())?;
        total += n;
        if total > MAX_UNPACKED {
            return Err(too_large(
                format!("文件解压后超过 {} MB，请删除图片等无关内容后重试", MAX_UNPACKED >> 20),
                format!(
                    "The file unpacks to more than {} MB; remove pictures and other content and retry",
                    MAX_UNPACKED >> 20
                ),
            ));
        }
    }
    Ok(())
}

fn text_of(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        // Integers arrive as floats; show them as the keeper typed them.
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => format!("{f}"),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(_) | DataRef::DateTimeIso(_) => {
            value.as_date().map(|d| d.to_string()).unwrap_or_default()
        }
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Grid, ServiceError> {
    check_unpacked_size(bytes)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let first = book.sheet_names().first().cloned().ok_or_else(unreadable)?;
    // Never `worksheet_range`: it allocates the sheet's declared extent at once (A1:XFD1048576 is 512 GiB).
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|_| unreadable())?;
    let declared = cells.dimensions();
    if declared.end.0 as usize >= MAX_ROWS {
        return Err(too_many_rows());
    }
    if declared.end.1 as usize >= MAX_COLS {
        return Err(too_many_cols(
            "工作表声明的范围",
            "The sheet's declared range",
        ));
    }
    let mut grid = Bounded::default();
    while let Some(cell) = cells.next_cell().map_err(|_| unreadable())? {
        let value = cell.get_value();
        if value.is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        grid.put(row as usize, col as usize, text_of(value))?;
    }
    Ok(grid.rows)
}

/// Decodes CSV bytes: UTF-8 (a BOM is dropped), otherwise GB18030 (a superset of GBK).
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Grid, ServiceError> {
    let text = decode_text(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut grid = Bounded::default();
    let mut record = csv::StringRecord::new();
    // Excel writes an empty row as commas, so row numbers match the sheet; wholly blank lines are skipped.
    let mut row = 0;
    while reader.read_record(&mut record).map_err(|_| unreadable())? {
        if row >= MAX_ROWS {
            return Err(too_many_rows());
        }
        if record.len() > MAX_COLS {
            let line = row + 1;
            return Err(too_many_cols(
                &format!("第 {line} 行"),
                &format!("Row {line}"),
            ));
        }
        for (col, value) in record.iter().enumerate() {
            let value = value.trim();
            if !value.is_empty() {
                grid.put(row, col, value.to_string())?;
            }
        }
        row += 1;
        // An empty row in the middle still counts, so a later value lands on its own row number.
        if grid.rows.len() < row {
            grid.rows.resize_with(row, Vec::new);
        }
    }
    Ok(grid.rows)
}
