//! The duty API: rosters and their plans, shifts, swaps and substitutions, who is on duty now, the duty log
//! and handovers, calendar feeds.

pub mod changes;
pub mod feeds;
pub mod log;
pub mod rosters;
