//! JSON API of the teams area.

pub mod people;
pub mod teams;
