//! Spreadsheets at the edge, for every area: reading uploads within stated limits, writing tables.

pub(crate) mod read;
mod write;

pub use read::{
    decode_text, read_grid, Grid, MAX_CELLS, MAX_COLS, MAX_ROWS, MAX_UNPACKED, MAX_UPLOAD,
};
pub use write::{render, to_csv, to_xlsx, Cell, File, Table};

#[cfg(test)]
mod tests;
