//! The office's paper: the month a 值班表 covers, what its 备注 says of a day, the units of a 通讯录 in the
//! tree's order, and a 值班表 read back from a spreadsheet (日期 / 带班领导 / 值班人员, a title above and notes
//! below allowed), every refusal by row and column.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};

use crate::calendar::model::{check_year, CalendarDay, DayKind};
use crate::error::ServiceError;
use crate::i18n::{Lang, Text};
use crate::sheets::{parse_date, ColumnSpec, Columns, Grid, RowError};

/// The first and last day of a month written `2026-12`.
pub fn month_span(text: &str) -> Result<(NaiveDate, NaiveDate), ServiceError> {
    let bad = || ServiceError::invalid("month", "月份应写作 2026-12", "Months look like 2026-12");
    let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
    let (y, m): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    check_year("month", y)?;
    let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(bad)?;
    Ok((first, next - Duration::days(1)))
}

/// A month's short name (1–12): 12月, Dec.
pub fn month_label(month: u8, lang: Lang) -> String {
    match (lang, chrono::Month::try_from(month)) {
        (Lang::En, Ok(m)) => m.name()[..3].to_string(),
        _ => format!("{month}月"),
    }
}

/// What a 值班表's 备注 says of a day: the holiday's name, an adjusted workday (调休上班) with the holiday it
/// is worked for, a weekend (休息日); nothing for an ordinary workday.
pub fn remark(day: &CalendarDay, lang: Lang) -> String {
    match (day.kind, day.name.is_empty()) {
        (DayKind::Workday, _) => String::new(),
        (DayKind::Holiday, false) => day.name.clone(),
        (DayKind::AdjustedWorkday, false) => match lang {
            Lang::Zh => format!("{}（{}）", day.kind.label(lang), day.name),
            Lang::En => format!("{} ({})", day.kind.label(lang), day.name),
        },
        (kind, _) => kind.label(lang).to_string(),
    }
}

/// Units depth first, each one's children in the order of their sort key (pinyin): `(unit, depth)`. A unit
/// whose parent is not among them heads a tree of its own; none is left out, even of a damaged tree.
pub fn tree_order(units: &[(i64, Option<i64>, &str)]) -> Vec<(i64, usize)> {
    let ids: HashSet<i64> = units.iter().map(|u| u.0).collect();
    let key: HashMap<i64, (&str, i64)> = units.iter().map(|u| (u.0, (u.2, u.0))).collect();
    let mut children: HashMap<Option<i64>, Vec<i64>> = HashMap::new();
    for (id, parent, _) in units {
        let parent = parent.filter(|p| ids.contains(p) && p != id);
        children.entry(parent).or_default().push(*id);
    }
    for list in children.values_mut() {
        list.sort_by_key(|id| key.get(id).copied());
    }
    let mut out = Vec::with_capacity(units.len());
    let mut seen = HashSet::new();
    let mut roots = children.get(&None).cloned().unwrap_or_default();
    // Units caught in a cycle have no way down from a root: they come last, each at the top.
    let mut rest: Vec<i64> = units.iter().map(|u| u.0).collect();
    rest.sort_by_key(|id| key.get(id).copied());
    roots.extend(rest);
    for root in roots {
        let mut stack = vec![(root, 0)];
        while let Some((id, depth)) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            out.push((id, depth));
            for child in children.get(&Some(id)).into_iter().flatten().rev() {
                stack.push((*child, depth + 1));
            }
        }
    }
    out
}

/// A day of a 值班表 read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperDay {
    /// The row as the spreadsheet shows it.
    pub row: usize,
    pub day: NaiveDate,
    pub leaders: Vec<String>,
    pub officers: Vec<String>,
}

const COLUMNS: &[ColumnSpec] = &[
    ("day", &["日期", "Date"], true),
    (
        "leaders",
        &["带班领导", "领导", "Leader on duty", "Leader", "Leaders"],
        false,
    ),
    (
        "officers",
        &["值班人员", "值班员", "Officers", "Duty officers"],
        true,
    ),
];

/// The names in a cell: separated by 、 , ， ; ； / or line breaks, each without the post that may follow it
/// in brackets (`陆志明（副局长）`).
pub fn names_in(cell: &str) -> Vec<String> {
    cell.split(['、', ',', '，', ';', '；', '/', '\n'])
        .map(|n| n.split(['（', '(']).next().unwrap_or_default().trim())
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// A 值班表 read from a file.
#[derive(Debug, Clone)]
pub struct PaperRoster {
    /// Where each column was found, for naming it in later refusals.
    pub columns: Columns,
    /// One a day, in date order.
    pub days: Vec<PaperDay>,
    /// The first and the last day.
    pub range: (NaiveDate, NaiveDate),
}

/// Reads a 值班表: one row a day from the first to the last, each day once, at least one. The header is the
/// first row naming 日期 (a title above it is passed over); a row below whose 日期 is no date and that names
/// nobody is a note (the duty phone, the rules) and is passed over too.
pub fn read_paper(mut grid: Grid) -> Result<PaperRoster, Vec<RowError>> {
    let is_header = |cells: &Vec<String>| {
        cells.iter().any(|c| {
            let c = c.trim().trim_start_matches('\u{feff}');
            COLUMNS[0].1.iter().any(|n| c.eq_ignore_ascii_case(n))
        })
    };
    if let Some(at) = grid.iter().position(is_header) {
        grid[..at].iter_mut().for_each(Vec::clear);
    }
    let columns = Columns::find(&grid, COLUMNS)?;
    let (mut days, mut errors): (Vec<PaperDay>, Vec<RowError>) = (Vec::new(), Vec::new());
    for (row, cells) in columns.rows(&grid) {
        let leaders = names_in(&columns.cell(cells, "leaders"));
        let officers = names_in(&columns.cell(cells, "officers"));
        let Some(day) = parse_date(&columns.cell(cells, "day")) else {
            if !leaders.is_empty() || !officers.is_empty() {
                errors.push(columns.error(
                    row,
                    "day",
                    ServiceError::invalid(
                        "day",
                        "日期应写作 2026-12-01",
                        "Dates look like 2026-12-01",
                    ),
                ));
            }
            continue;
        };
        if let Some(first) = days.iter().find(|d| d.day == day) {
            errors.push((
                row,
                columns.column("day"),
                Text::new(
                    format!("{day} 已在第 {} 行，每天只写一行", first.row),
                    format!("{day} is on row {} already; one row a day", first.row),
                ),
            ));
            continue;
        }
        days.push(PaperDay {
            row,
            day,
            leaders,
            officers,
        });
    }
    let mut by_day: Vec<&PaperDay> = days.iter().collect();
    by_day.sort_by_key(|d| d.day);
    for pair in by_day.windows(2) {
        let (before, after) = (pair[0].day, pair[1].day);
        if after - before > Duration::days(1) {
            let (from, to) = (before + Duration::days(1), after - Duration::days(1));
            errors.push((
                pair[1].row,
                columns.column("day"),
                Text::new(
                    format!("{from} 至 {to} 没有安排：从第一天到最后一天，每天一行"),
                    format!("{from} to {to} are missing: one row a day from the first to the last"),
                ),
            ));
        }
    }
    days.sort_by_key(|d| d.day);
    match (days.first(), days.last()) {
        (Some(first), Some(last)) if errors.is_empty() => Ok(PaperRoster {
            range: (first.day, last.day),
            columns,
            days,
        }),
        (None, _) if errors.is_empty() => Err(vec![(
            1,
            columns.column("day"),
            Text::new("文件中没有值班安排", "The file holds no days"),
        )]),
        _ => {
            errors.sort_by_key(|e| e.0);
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    fn day(d: &str) -> NaiveDate {
        d.parse().unwrap()
    }

    #[test]
    fn a_month_is_its_first_to_its_last_day() {
        assert_eq!(
            month_span("2026-02").unwrap(),
            (day("2026-02-01"), day("2026-02-28"))
        );
        assert_eq!(month_span("2026-12").unwrap().1, day("2026-12-31"));
        assert_eq!(
            (month_label(12, Lang::Zh), month_label(12, Lang::En)),
            ("12月".to_string(), "Dec".to_string())
        );
        for bad in ["2026-13", "2026", "12-2026x", "1999-12"] {
            assert!(month_span(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_remark_names_the_holiday_an_adjusted_workday_or_a_weekend() {
        let d = |kind, name: &str| CalendarDay {
            date: day("2026-02-14"),
            kind,
            name: name.into(),
        };
        assert_eq!(remark(&d(DayKind::Holiday, "春节"), Lang::Zh), "春节");
        assert_eq!(
            remark(&d(DayKind::AdjustedWorkday, "春节"), Lang::Zh),
            "调休上班（春节）"
        );
        assert_eq!(remark(&d(DayKind::Weekend, ""), Lang::Zh), "休息日");
        assert_eq!(remark(&d(DayKind::Weekend, ""), Lang::En), "Weekend");
        assert_eq!(remark(&d(DayKind::Workday, ""), Lang::Zh), "");
    }

    #[test]
    fn units_come_depth_first_in_pinyin_order_and_none_is_lost() {
        let units = [
            (1, None, "qu"),
            (2, Some(1), "songling"),
            (3, Some(1), "jianshe"),
            (4, Some(2), "a"),
            (5, Some(99), "wai"),
            (6, Some(7), "x"),
            (7, Some(6), "y"),
        ];
        let order = tree_order(&units);
        assert_eq!(
            order[..5],
            [(1, 0), (3, 1), (2, 1), (4, 2), (5, 0)],
            "{order:?}"
        );
        assert_eq!(order[5..], [(6, 0), (7, 1)], "a cycle's units still appear");
    }

    #[test]
    fn names_are_split_and_posts_in_brackets_dropped() {
        assert_eq!(
            names_in("陆志明（副局长）、 周建国,沈丽华(科长)；王芳"),
            ["陆志明", "周建国", "沈丽华", "王芳"]
        );
        assert!(names_in(" ").is_empty());
    }

    #[test]
    fn a_paper_roster_is_read_below_its_title_and_above_its_notes() {
        let g = grid(&[
            &["区应急局2026年12月值班安排表"],
            &["日期", "星期", "带班领导", "值班人员"],
            &["2026-12-02", "星期三", "周建国（副局长）", "李俊"],
            &["2026/12/01", "星期二", "陆志明", "钱晓燕、吴海峰"],
            &["值班电话：0512-63980110"],
        ]);
        let PaperRoster {
            columns,
            days,
            range,
        } = read_paper(g).unwrap();
        assert_eq!(columns.column("officers"), "值班人员");
        assert_eq!(days.len(), 2);
        assert_eq!(range, (day("2026-12-01"), day("2026-12-02")));
        assert_eq!(
            days[0],
            PaperDay {
                row: 4,
                day: day("2026-12-01"),
                leaders: vec!["陆志明".into()],
                officers: vec!["钱晓燕".into(), "吴海峰".into()],
            }
        );
        assert_eq!(days[1].leaders, ["周建国"]);
    }

    #[test]
    fn bad_dates_repeated_and_missing_days_are_refused_by_row() {
        let g = grid(&[
            &["日期", "带班领导", "值班人员"],
            &["2026-12-01", "陆志明", "李俊"],
            &["2026-12-01", "周建国", "王芳"],
            &["12月2日", "周建国", "王芳"],
            &["2026-12-05", "沈丽华", "钱晓燕"],
        ]);
        let errors = read_paper(g).unwrap_err();
        let rows: Vec<(usize, &str)> = errors.iter().map(|e| (e.0, e.1.as_str())).collect();
        assert_eq!(rows, [(3, "日期"), (4, "日期"), (5, "日期")], "{errors:?}");
        assert!(
            errors[2].2.zh.contains("2026-12-02 至 2026-12-04"),
            "{errors:?}"
        );
        let missing = read_paper(grid(&[&["日期", "带班领导"]])).unwrap_err();
        assert!(missing[0].2.zh.contains("值班人员"), "{missing:?}");
    }
}
