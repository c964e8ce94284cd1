//! The rules of material reserves: quantities, catalogue, ledger, stocktakes, inspections, access. Pure.

mod access;
mod catalogue;
mod chain;
mod fefo;
mod import;
mod inspection;
mod ledger;
mod matching;
mod quantity;
mod reservation;
mod signing;
mod stocktake;
mod transit;

pub use access::*;
pub use catalogue::*;
pub use chain::*;
pub use fefo::*;
pub use import::*;
pub use inspection::*;
pub use ledger::*;
pub use matching::*;
pub use quantity::*;
pub use reservation::*;
pub use signing::*;
pub use stocktake::*;
pub use transit::*;
