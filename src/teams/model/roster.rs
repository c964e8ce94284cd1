//! Reading a team roster (花名册) from a spreadsheet: columns found by their Chinese or English headers, each
//! cell checked, every error reported by row and column. Pure: it sees a grid of text.

use chrono::NaiveDate;

use super::{MemberRole, MemberStatus};
use crate::error::ServiceError;
use crate::i18n::{Coded, Lang};
use crate::org::model::{optional_text, phone, required_text};
use crate::sheets::{parse_date, ColumnSpec, Columns, RowError};

/// The columns of a roster.
const COLUMNS: &[ColumnSpec] = &[
    ("name", &["姓名", "name"], true),
    (
        "phone",
        &["手机", "手机号", "电话", "联系电话", "phone"],
        false,
    ),
    ("role", &["队内职务", "职务", "role"], false),
    ("joined_on", &["入队日期", "joined_on"], false),
    ("status", &["状态", "status"], false),
    ("skills", &["技能特长", "技能", "skills"], false),
];

/// One valid roster row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// The row number as the spreadsheet shows it.
    pub row: usize,
    pub name: String,
    /// Empty when not given.
    pub phone: String,
    pub role: MemberRole,
    /// `None`: the day of the import.
    pub joined_on: Option<NaiveDate>,
    pub status: MemberStatus,
    pub skills: String,
}

/// A code as people write it: its Chinese or English label, or the code itself.
fn labelled<T: Coded + PartialEq>(
    all: &[T],
    label: impl Fn(T, Lang) -> &'static str,
    v: &str,
) -> Option<T> {
    all.iter().copied().find(|x| {
        label(*x, Lang::Zh) == v || label(*x, Lang::En).eq_ignore_ascii_case(v) || x.code() == v
    })
}

/// Parses a roster; a person appears once.
pub fn parse_roster(grid: &[Vec<String>]) -> Result<Vec<RosterRow>, Vec<RowError>> {
    let columns = Columns::find(grid, COLUMNS)?;
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    for (row, cells) in columns.rows(grid) {
        let cell = |f: &str| columns.cell(cells, f);
        let parsed = (|| -> Result<RosterRow, (&str, ServiceError)> {
            let name = required_text("name", &cell("name"), 50).map_err(|e| ("name", e))?;
            let phone = phone("phone", &cell("phone")).map_err(|e| ("phone", e))?;
            let role = match cell("role").as_str() {
                "" => MemberRole::Member,
                v => labelled(MemberRole::ALL, MemberRole::label, v).ok_or_else(|| {
                    (
                        "role",
                        ServiceError::invalid("role", "没有这个队内职务", "No such team role"),
                    )
                })?,
            };
            let status = match cell("status").as_str() {
                "" => MemberStatus::InPost,
                v => labelled(MemberStatus::ALL, MemberStatus::label, v).ok_or_else(|| {
                    (
                        "status",
                        ServiceError::invalid(
                            "status",
                            "状态应为 在岗、伤病 或 离队",
                            "Status is in post, injured or left",
                        ),
                    )
                })?,
            };
            let joined_on = match cell("joined_on").as_str() {
                "" => None,
                v => Some(parse_date(v).ok_or_else(|| {
                    (
                        "joined_on",
                        ServiceError::invalid(
                            "joined_on",
                            "日期格式应为 年-月-日",
                            "A date is year-month-day",
                        ),
                    )
                })?),
            };
            let skills =
                optional_text("skills", &cell("skills"), 200).map_err(|e| ("skills", e))?;
            Ok(RosterRow {
                row,
                name,
                phone,
                role,
                joined_on,
                status,
                skills,
            })
        })();
        match parsed {
            Ok(r) => {
                if let Some(first) = rows
                    .iter()
                    .find(|o: &&RosterRow| o.name == r.name && o.phone == r.phone)
                {
                    errors.push(columns.error(
                        row,
                        "name",
                        ServiceError::Invalid {
                            field: "name",
                            message: crate::i18n::Text::new(
                                format!("与第 {} 行重复", first.row),
                                format!("Repeats row {}", first.row),
                            ),
                        },
                    ));
                } else {
                    rows.push(r);
                }
            }
            Err((field, e)) => errors.push(columns.error(row, field, e)),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
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

    #[test]
    fn a_roster_is_read_by_its_headers_in_either_language() {
        let rows = parse_roster(&grid(&[
            &["", ""],
            &["技能", "姓名", "职务", "手机", "入队日期"],
            &["冲锋舟驾驶", "范永强", "队长", "13806250071", "2019/05/01"],
            &["", "钱进", "", "", ""],
        ]))
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].row, rows[0].role), (3, MemberRole::Captain));
        assert_eq!(rows[0].joined_on, Some("2019-05-01".parse().unwrap()));
        assert_eq!(
            (rows[1].role, rows[1].status),
            (MemberRole::Member, MemberStatus::InPost)
        );
        let en = parse_roster(&grid(&[
            &["Name", "Role", "Status"],
            &["Li Lei", "Deputy captain", "injured"],
        ]))
        .unwrap();
        assert_eq!(
            (en[0].role, en[0].status),
            (MemberRole::Deputy, MemberStatus::Injured)
        );
    }

    #[test]
    fn every_bad_cell_is_reported_by_row_and_column_as_written() {
        let errors = parse_roster(&grid(&[
            &["姓名", "职务", "入队日期", "手机"],
            &["", "队员", "", ""],
            &["王五", "船长", "2020-13-01", "abc"],
            &["赵六", "", "", ""],
            &["赵六", "", "", ""],
        ]))
        .unwrap_err();
        let at: Vec<(usize, &str)> = errors.iter().map(|(r, c, _)| (*r, c.as_str())).collect();
        assert_eq!(at, [(2, "姓名"), (3, "手机"), (5, "姓名")]);
        let missing = parse_roster(&grid(&[&["手机"], &["138"]])).unwrap_err();
        assert_eq!(missing[0].1, "姓名");
    }
}
