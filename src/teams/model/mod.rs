//! The rules of rescue teams: codes, readiness, what people submit, who may do what. Pure.

mod access;
mod inputs;
mod kinds;
mod readiness;
mod roster;
mod training;

pub use access::*;
pub use inputs::*;
pub use kinds::*;
pub use readiness::*;
pub use roster::*;
pub use training::*;
