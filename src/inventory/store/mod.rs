//! Queries for material reserves. Never commits.

pub mod balances;
pub mod catalogue;
pub mod chain;
pub mod consignments;
pub mod inspections;
pub mod ledger;
pub mod reservations;
pub mod stocktakes;
pub mod warehouses;
