//! JSON API for material reserves.

pub mod catalogue;
pub mod consignments;
pub mod inspections;
pub mod movements;
pub mod reservations;
pub mod sheets;
pub mod stocktakes;
pub mod warehouses;
