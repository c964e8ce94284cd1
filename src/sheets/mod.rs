//! Spreadsheets at the edge, for every area: reading uploads within stated limits, writing tables.

mod columns;
pub(crate) mod read;
mod write;
mod xlsx;

pub use columns::{parse_date, ColumnSpec, Columns, RowError};
pub use read::{
    decode_text, read_grid, Grid, MAX_CELLS, MAX_COLS, MAX_ROWS, MAX_UNPACKED, MAX_UPLOAD,
};
pub use write::{render, render_paper, safe_name, Cell, File, Format, Paper, SheetWriter, Table};

#[cfg(test)]
mod tests;
