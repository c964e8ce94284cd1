//! The rules of emergency duty (应急值班), pure: shift times in the office's zone, who a shift needs, fair
//! generation, gaps and conflicts, the state of a swap or substitution and what it would clash with,
//! handover, the checks of input, when unannounced presence checks fall, each person's reminder lead, duty as
//! an iCalendar feed; the office's paper (值班表, 通讯录) and the year's tally of who carried what.

mod access;
mod changes;
mod clash;
mod composition;
mod gaps;
mod generate;
pub mod ical;
mod inputs;
mod lead;
mod paper;
mod presence;
mod shifts;
mod tally;

pub use access::*;
pub use changes::*;
pub use clash::*;
pub use composition::*;
pub use gaps::*;
pub use generate::*;
pub use inputs::*;
pub use lead::*;
pub use paper::*;
pub use presence::*;
pub use shifts::*;
pub use tally::*;
