//! Pages for reserves.
