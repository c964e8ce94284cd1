//! Storage of the teams area.

pub mod certificates;
pub mod leaves;
pub mod lists;
pub mod members;
pub mod teams;
pub mod training;
