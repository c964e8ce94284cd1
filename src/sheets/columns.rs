//! Reading an uploaded table by its headers: each field found under any of the names people give its column
//! (Chinese or English, in any order), rows numbered as the spreadsheet shows them, each refusal reported
//! by row and by the column header as written in the file.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::error::ServiceError;
use crate::i18n::{Lang, Text};

/// A column to look for: the field, the headers it may carry, whether it is required.
pub type ColumnSpec = (&'static str, &'static [&'static str], bool);

/// A refused cell: row (as the spreadsheet shows it), column header as written in the file, message.
pub type RowError = (usize, String, Text);

/// Where each field's column is.
#[derive(Debug, Clone)]
pub struct Columns {
    header_at: usize,
    at: HashMap<&'static str, (usize, String)>,
}

impl Columns {
    /// Finds the header (the first row with anything in it) and each field's column; every missing required
    /// column is an error.
    pub fn find(grid: &[Vec<String>], spec: &[ColumnSpec]) -> Result<Columns, Vec<RowError>> {
        let Some((header_at, header)) = grid
            .iter()
            .enumerate()
            .find(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        else {
            return Err(vec![(
                1,
                String::new(),
                Text::new("文件是空的", "The file is empty"),
            )]);
        };
        let mut at = HashMap::new();
        let mut errors = Vec::new();
        for (field, names, required) in spec {
            let found = header.iter().position(|h| {
                let h = h.trim().trim_start_matches('\u{feff}');
                names.iter().any(|n| h.eq_ignore_ascii_case(n))
            });
            match found {
                Some(i) => {
                    at.insert(*field, (i, header[i].trim().to_string()));
                }
                None if *required => errors.push((
                    header_at + 1,
                    names[0].to_string(),
                    Text::new(
                        format!("缺少“{}”列", names[0]),
                        format!("Column “{}” is missing", names[0]),
                    ),
                )),
                None => {}
            }
        }
        if errors.is_empty() {
            Ok(Columns { header_at, at })
        } else {
            Err(errors)
        }
    }

    /// The rows below the header that have anything in them, numbered as the spreadsheet shows them.
    pub fn rows<'g>(&self, grid: &'g [Vec<String>]) -> impl Iterator<Item = (usize, &'g [String])> {
        grid.iter()
            .enumerate()
            .skip(self.header_at + 1)
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
            .map(|(i, cells)| (i + 1, cells.as_slice()))
    }

    /// A field's cell in a row, trimmed (empty when the column is absent).
    pub fn cell(&self, cells: &[String], field: &str) -> String {
        self.at
            .get(field)
            .and_then(|(i, _)| cells.get(*i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    /// A field's column header as written in the file.
    pub fn column(&self, field: &str) -> String {
        self.at
            .get(field)
            .map(|(_, h)| h.clone())
            .unwrap_or_else(|| field.to_string())
    }

    /// A refusal of a row: under the column of the field it names, else under `field`'s.
    pub fn error(&self, row: usize, field: &str, e: ServiceError) -> RowError {
        match e {
            ServiceError::Invalid { field: f, message } => (row, self.column(f), message),
            other => (
                row,
                self.column(field),
                Text::new(other.message(Lang::Zh), other.message(Lang::En)),
            ),
        }
    }
}

/// A date as spreadsheets and people write it: `2026-11-30`, `2026/11/30`, `2026.11.30` or `20261130`.
pub fn parse_date(v: &str) -> Option<NaiveDate> {
    let v = v.trim().replace(['/', '.'], "-");
    NaiveDate::parse_from_str(&v, "%Y-%m-%d")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(&v, "%Y%m%d").ok())
}
