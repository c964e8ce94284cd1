//! The rules of rescue teams: codes, readiness, what people submit, who may do what. Pure.

mod access;
mod hours;
mod inputs;
mod kinds;
mod readiness;
mod roster;

pub use access::*;
pub use hours::*;
pub use inputs::*;
pub use kinds::*;
pub use readiness::*;
pub use roster::*;
