//! A file of holiday arrangements as uploaded: its size capped, its kind read from its content (ICS, XLSX or
//! CSV), its days read all or nothing and sorted by year.

use std::collections::BTreeMap;

use chrono::Datelike;

use super::ics::{not_a_calendar, parse_ics};
use super::table::parse_table;
use super::{check_year, CalendarDay};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::{text_enum, Text};

/// Largest calendar file accepted (a year's arrangement is a few kilobytes; ten years of a feed well under this).
pub const MAX_FILE: usize = 1 << 20;

text_enum!(
    /// How an arrangement was written.
    FileFormat, "format", {
        Ics = "ics", "ICS 日历", "ICS calendar";
        Xlsx = "xlsx", "XLSX 表格", "XLSX sheet";
        Csv = "csv", "CSV 表格", "CSV table";
    }
);

impl FileFormat {
    /// The format a file's content shows: an iCalendar begins `BEGIN:VCALENDAR`, an XLSX is a zip archive,
    /// text is read as CSV; anything else (binary) is refused.
    pub fn sniff(bytes: &[u8]) -> ServiceResult<FileFormat> {
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let start = text
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(text.len());
        let text = &text[start..];
        if text.is_empty() {
            return Err(not_a_calendar("文件是空的", "the file is empty"));
        }
        if text.len() >= 15 && text[..15].eq_ignore_ascii_case(b"BEGIN:VCALENDAR") {
            return Ok(FileFormat::Ics);
        }
        if text.starts_with(b"PK\x03\x04") {
            return Ok(FileFormat::Xlsx);
        }
        let binary = text
            .iter()
            .take(4096)
            .any(|b| b.is_ascii_control() && !matches!(b, b'\t' | b'\r' | b'\n'));
        if binary {
            Err(not_a_calendar("内容不是文本", "its content is not text"))
        } else {
            Ok(FileFormat::Csv)
        }
    }
}

/// The days a file sets, by year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrangement {
    pub format: FileFormat,
    /// Each year's days (only the years asked for).
    pub years: BTreeMap<i32, Vec<CalendarDay>>,
    /// Days of other years the file also held, left alone.
    pub skipped: usize,
}

/// Reads an uploaded arrangement, keeping only `only_year` when one is given. Refused whole when a single
/// day is wrong, when it is not a calendar, or when it holds no day of the year asked for.
pub fn read_arrangement(bytes: &[u8], only_year: Option<i32>) -> ServiceResult<Arrangement> {
    if let Some(y) = only_year {
        check_year("year", y)?;
    }
    if bytes.len() > MAX_FILE {
        return Err(ServiceError::Invalid {
            field: "file",
            message: Text::new(
                format!("日历文件不能超过 {} KB", MAX_FILE >> 10),
                format!("A calendar file may be at most {} KB", MAX_FILE >> 10),
            ),
        });
    }
    let format = FileFormat::sniff(bytes)?;
    let days = match format {
        FileFormat::Ics => parse_ics(&crate::sheets::decode_text(bytes))?,
        FileFormat::Xlsx | FileFormat::Csv => parse_table(&crate::sheets::read_grid(bytes)?)?,
    };
    let mut years: BTreeMap<i32, Vec<CalendarDay>> = BTreeMap::new();
    let mut skipped = 0;
    for day in days {
        let year = day.date.year();
        if only_year.is_none_or(|y| y == year) {
            years.entry(year).or_default().push(day);
        } else {
            skipped += 1;
        }
    }
    if years.is_empty() {
        return Err(match only_year {
            Some(y) => ServiceError::Invalid {
                field: "year",
                message: Text::new(
                    format!("文件中没有 {y} 年的日期"),
                    format!("The file holds no date in {y}"),
                ),
            },
            None => not_a_calendar("其中没有任何日期", "it holds no date"),
        });
    }
    for days in years.values_mut() {
        days.sort_by_key(|d| d.date);
    }
    Ok(Arrangement {
        format,
        years,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::model::DayKind;

    const FEED: &str = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270102\r\nSUMMARY:元旦\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn the_format_is_read_from_the_content_not_the_name() {
        assert_eq!(
            FileFormat::sniff(b"\xEF\xBB\xBF begin:vcalendar\r\n").unwrap(),
            FileFormat::Ics
        );
        assert_eq!(
            FileFormat::sniff(b"PK\x03\x04rest").unwrap(),
            FileFormat::Xlsx
        );
        assert_eq!(
            FileFormat::sniff("日期,类型,名称\n".as_bytes()).unwrap(),
            FileFormat::Csv
        );
        assert!(FileFormat::sniff(b"\x7fELF\x02\x01\x01\x00").is_err());
        assert!(FileFormat::sniff(b"  \r\n").is_err());
    }

    #[test]
    fn days_are_sorted_by_year_and_other_years_left_alone_when_one_is_asked_for() {
        let all = read_arrangement(FEED.as_bytes(), None).unwrap();
        assert_eq!(all.years.keys().copied().collect::<Vec<_>>(), [2026, 2027]);
        assert_eq!(all.years[&2027][0].kind, DayKind::Holiday);
        let one = read_arrangement(FEED.as_bytes(), Some(2027)).unwrap();
        assert_eq!((one.years.len(), one.skipped), (1, 1));
        assert!(matches!(
            read_arrangement(FEED.as_bytes(), Some(2028)),
            Err(ServiceError::Invalid { field: "year", .. })
        ));
        let csv =
            read_arrangement("日期,类型,名称\n2027-02-06,班,春节\n".as_bytes(), None).unwrap();
        assert_eq!(csv.format, FileFormat::Csv);
        assert!(read_arrangement(&vec![b'a'; MAX_FILE + 1], None).is_err());
    }
}
