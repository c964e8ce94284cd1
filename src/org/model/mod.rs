//! The organisation's rules: values, roles and scopes. Pure: no database, web or mail.

mod access;
mod inputs;
mod throttle;
mod values;

pub use access::*;
pub use inputs::*;
pub use throttle::*;
pub use values::*;
