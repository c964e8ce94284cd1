//! The rules of emergency duty (应急值班), pure: shift times in the office's zone, who a shift needs, fair
//! generation, gaps and conflicts, the state of a swap or substitution, handover and the checks of input.

mod access;
mod changes;
mod composition;
mod gaps;
mod generate;
mod inputs;
mod shifts;

pub use access::*;
pub use changes::*;
pub use composition::*;
pub use gaps::*;
pub use generate::*;
pub use inputs::*;
pub use shifts::*;
