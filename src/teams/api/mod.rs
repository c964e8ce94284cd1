//! JSON API of the teams area.

pub mod people;
pub mod sheets;
pub mod teams;
