//! A year's arrangement as a table (CSV or XLSX): 日期/date, 类型/kind, 名称/name, headers in either language;
//! every bad cell reported by row and by the column header as written.

use super::{parse_day, CalendarDay, DayKind};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::{Lang, Text};
use crate::sheets::{ColumnSpec, Columns};

/// The columns of an arrangement table.
const COLUMNS: &[ColumnSpec] = &[
    ("date", &["日期", "date"], true),
    ("kind", &["类型", "kind", "type"], true),
    ("name", &["名称", "节日", "name", "holiday"], false),
];

/// A kind as people write it: its code, its Chinese or English label, or the marks printed on calendars
/// (休 for a day off, 班 for a day worked).
fn kind_of(v: &str) -> Option<DayKind> {
    let by_label = DayKind::ALL.iter().copied().find(|k| {
        k.code() == v || k.label(Lang::Zh) == v || k.label(Lang::En).eq_ignore_ascii_case(v)
    });
    by_label.or(match v {
        "休" | "放假" | "节假日" | "假日" => Some(DayKind::Holiday),
        "班" | "补班" | "上班" => Some(DayKind::AdjustedWorkday),
        "周末" | "休息" => Some(DayKind::Weekend),
        _ => None,
    })
}

fn unknown_kind(v: &str) -> ServiceError {
    ServiceError::Invalid {
        field: "kind",
        message: Text::new(
            format!("类型“{v}”无法识别，应为 法定节假日、调休上班、工作日 或 休息日"),
            format!("Kind “{v}” is not known; use holiday, adjusted_workday, workday or weekend"),
        ),
    }
}

/// Reads an arrangement table; each date appears once. All or nothing: every bad row is reported.
pub(super) fn parse_table(grid: &[Vec<String>]) -> ServiceResult<Vec<CalendarDay>> {
    let columns = Columns::find(grid, COLUMNS).map_err(ServiceError::InvalidRows)?;
    let (mut days, mut rows, mut errors) = (Vec::new(), Vec::<usize>::new(), Vec::new());
    for (row, cells) in columns.rows(grid) {
        let cell = |f: &str| columns.cell(cells, f);
        let parsed = parse_day("date", &cell("date")).and_then(|date| {
            let kind = match cell("kind").as_str() {
                "" => Err(ServiceError::invalid(
                    "kind",
                    "类型必填：法定节假日、调休上班、工作日 或 休息日",
                    "The kind is required: holiday, adjusted_workday, workday or weekend",
                )),
                v => kind_of(v).ok_or_else(|| unknown_kind(v)),
            }?;
            CalendarDay::parse(date, kind, &cell("name"))
        });
        match parsed {
            Ok(day) => match days.iter().position(|d: &CalendarDay| d.date == day.date) {
                Some(i) => errors.push(columns.error(
                    row,
                    "date",
                    ServiceError::Invalid {
                        field: "date",
                        message: Text::new(
                            format!("{} 与第 {} 行重复", day.date, rows[i]),
                            format!("{} repeats row {}", day.date, rows[i]),
                        ),
                    },
                )),
                None => {
                    days.push(day);
                    rows.push(row);
                }
            },
            Err(e) => errors.push(columns.error(row, "date", e)),
        }
    }
    if errors.is_empty() {
        Ok(days)
    } else {
        Err(ServiceError::InvalidRows(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    fn errors(grid: &[Vec<String>]) -> Vec<(usize, String)> {
        match parse_table(grid).unwrap_err() {
            ServiceError::InvalidRows(rows) => rows.into_iter().map(|(r, c, _)| (r, c)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_table_is_read_by_its_headers_with_codes_labels_or_marks() {
        let days = parse_table(&grid(&[
            &["名称", "日期", "类型"],
            &["春节", "2026-02-15", "法定节假日"],
            &["春节", "2026/02/14", "调休上班"],
            &["国庆节", "20261010", "班"],
            &["", "", ""],
            &["国庆节", "2026-10-01", "holiday"],
            &["", "2026-10-14", "weekend"],
        ]))
        .unwrap();
        let kinds: Vec<DayKind> = days.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                DayKind::Holiday,
                DayKind::AdjustedWorkday,
                DayKind::AdjustedWorkday,
                DayKind::Holiday,
                DayKind::Weekend
            ]
        );
        assert_eq!(days[1].name, "春节");
        let en = parse_table(&grid(&[
            &["Date", "Kind", "Name"],
            &["2026-05-09", "Adjusted workday", "Labour Day"],
        ]))
        .unwrap();
        assert_eq!(en[0].kind, DayKind::AdjustedWorkday);
    }

    #[test]
    fn every_bad_row_is_named_by_row_and_column_as_written() {
        let found = errors(&grid(&[
            &["日期", "类型", "名称"],
            &["2026-10-01", "法定节假日", "国庆节"],
            &["2026-10-07", "调休上班", "国庆节"],
            &["2026-13-01", "法定节假日", "国庆节"],
            &["2026-10-02", "放风筝", "国庆节"],
            &["2026-10-03", "法定节假日", ""],
            &["2026-10-01", "法定节假日", "国庆节"],
        ]));
        assert_eq!(
            found,
            [
                (3, "类型".into()),
                (4, "日期".into()),
                (5, "类型".into()),
                (6, "名称".into()),
                (7, "日期".into())
            ]
        );
        assert_eq!(
            errors(&grid(&[&["日期", "名称"], &["2026-10-01", "国庆节"]])),
            [(1, "类型".into())]
        );
    }
}
