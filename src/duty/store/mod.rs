//! Diesel queries of the duty area; they take `&mut DbConn` and never commit on their own.

pub mod changes;
pub mod directory;
pub mod feeds;
pub mod held;
pub mod leads;
pub mod log;
pub mod presence;
pub mod rosters;
pub mod shifts;
pub mod unavailable;
