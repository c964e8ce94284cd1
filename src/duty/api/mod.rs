//! The duty API: rosters and their plans, shifts, swaps and substitutions, who is on duty now, the duty log
//! and handovers, calendar feeds; the month on paper, the year's report, the contact directory and imported
//! rosters.

pub mod changes;
pub mod feeds;
pub mod log;
pub mod reports;
pub mod rosters;
