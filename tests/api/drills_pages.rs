//! The drills pages.
