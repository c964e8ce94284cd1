//! JSON API for material reserves.

pub mod catalogue;
pub mod movements;
pub mod sheets;
pub mod stocktakes;
pub mod warehouses;

use crate::error::ServiceError;
use crate::inventory::model::Quantity;

/// Parses an optional quantity text.
pub(crate) fn qty(field: &'static str, v: &str) -> Result<Quantity, ServiceError> {
    Quantity::parse_positive(field, v)
}
