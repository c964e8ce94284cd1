use std::io::Write;

use chrono::NaiveDate;

use super::*;
use crate::error::ServiceError;

fn table() -> Table {
    Table {
        name: "测试".into(),
        sheet: "库存".into(),
        headers: vec![
            "品名".into(),
            "数量".into(),
            "有效期至".into(),
            "备注".into(),
            "金额".into(),
        ],
        rows: vec![vec![
            Cell::Text("救生衣".into()),
            Cell::Qty(12_500),
            Cell::Date(NaiveDate::from_ymd_opt(2030, 1, 1)),
            Cell::Text("=HYPERLINK(\"x\")".into()),
            Cell::Money(-1_050),
        ]],
    }
}

fn refusal(e: ServiceError) -> String {
    match e {
        ServiceError::Invalid { field, message } => {
            assert_eq!(field, "file");
            message.en.into_owned()
        }
        other => panic!("expected a refusal of the file, got {other:?}"),
    }
}

#[test]
fn csv_starts_with_a_bom_and_defuses_formulas() {
    let bytes = render(&table(), Format::Csv).unwrap().bytes;
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.contains("救生衣,12.5,2030-01-01,\"'=HYPERLINK(\"\"x\"\")\",-10.50"),
        "{text}"
    );
}

#[test]
fn xlsx_round_trips_through_the_reader() {
    let bytes = render(&table(), Format::Xlsx).unwrap().bytes;
    let grid = read_grid(&bytes).unwrap();
    assert_eq!(grid[0], vec!["品名", "数量", "有效期至", "备注", "金额"]);
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

/// A workbook with a value in A1 and one in the last cell Excel has, XFD1048576: 1.4 KB of XLSX whose
/// declared range is 17 billion cells.
pub(crate) fn corner_to_corner_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "物资编码").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn a_sheet_declaring_the_whole_of_excel_is_refused_before_anything_is_allocated() {
    let bytes = corner_to_corner_xlsx();
    assert!(bytes.len() < 16 * 1024, "{} bytes", bytes.len());
    let why = refusal(read_grid(&bytes).unwrap_err());
    assert!(why.contains("100000 rows"), "{why}");
}

#[test]
fn cells_beyond_the_limits_are_refused_even_when_the_declared_range_is_small() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "a").unwrap();
    sheet.write_string(0, MAX_COLS as u16, "b").unwrap();
    let why = refusal(read_grid(&book.save_to_buffer().unwrap()).unwrap_err());
    assert!(why.contains("64 columns"), "{why}");
    let wide = format!("{}\n", vec!["x"; MAX_COLS + 1].join(","));
    let why = refusal(read_grid(wide.as_bytes()).unwrap_err());
    assert!(why.contains("Row 1"), "{why}");
    let long = "x\n".repeat(MAX_ROWS + 1);
    let why = refusal(read_grid(long.as_bytes()).unwrap_err());
    assert!(why.contains("100000 rows"), "{why}");
    // A cell whose position passes the limits, as a hand-made sheet with a false range could hold.
    let mut grid = super::read::Bounded::default();
    grid.put(3, 2, "x".into()).unwrap();
    let why = refusal(grid.put(0, MAX_COLS, "x".into()).unwrap_err());
    assert!(why.contains("Cell R1C65"), "{why}");
    assert!(grid.put(MAX_ROWS, 0, "x".into()).is_err());
    // Wide rows count every cell up to their last value.
    let mut grid = super::read::Bounded::default();
    let rows = MAX_CELLS / MAX_COLS;
    for r in 0..rows {
        grid.put(r, MAX_COLS - 1, "x".into()).unwrap();
    }
    assert!(grid.put(rows, MAX_COLS - 1, "x".into()).is_err());
}

#[test]
fn an_archive_that_unpacks_to_more_than_the_limit_is_refused() {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/sharedStrings.xml", opts).unwrap();
        let block = vec![b'a'; 1 << 20];
        for _ in 0..=(MAX_UNPACKED >> 20) {
            zip.write_all(&block).unwrap();
        }
        zip.finish().unwrap();
    }
    let bytes = out.into_inner();
    assert!(bytes.len() < 1 << 20, "a small file: {} bytes", bytes.len());
    let why = refusal(read_grid(&bytes).unwrap_err());
    assert!(why.contains("unpacks to more than 64 MB"), "{why}");
}

#[test]
fn rows_keep_the_numbers_the_spreadsheet_shows() {
    let grid = read_grid(",\n编码,品名\n,,\nA1,沙袋\n".as_bytes()).unwrap();
    assert!(grid[0].is_empty() && grid[2].is_empty());
    assert_eq!(grid[1], ["编码", "品名"]);
    assert_eq!(grid[3], ["A1", "沙袋"]);
}

#[test]
fn a_paper_has_its_title_above_the_header_and_its_notes_below_the_rows() {
    let paper = Paper {
        title: "区应急局2026年12月值班安排表".into(),
        notes: vec!["值班电话：0512-63980110".into(), "-不是公式".into()],
        ..Paper::from(table())
    };
    let grid = read_grid(&render_paper(&paper, Format::Xlsx).unwrap().bytes).unwrap();
    assert_eq!(grid[0], ["区应急局2026年12月值班安排表"]);
    assert_eq!(grid[1][0], "品名");
    assert_eq!(grid[2][0], "救生衣");
    assert_eq!(grid[3], ["值班电话：0512-63980110"]);
    let csv = String::from_utf8(render_paper(&paper, Format::Csv).unwrap().bytes).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0], "\u{feff}区应急局2026年12月值班安排表,,,,",
        "as wide as the table"
    );
    assert_eq!(lines[3], "值班电话：0512-63980110,,,,");
    assert_eq!(
        lines[4], "'-不是公式,,,,",
        "a note is defused like any text"
    );
}
