//! Storage of the teams area.

pub mod certificates;
pub mod lists;
pub mod members;
pub mod teams;
pub mod training;
