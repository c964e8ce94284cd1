//! The audit trail: every change, who made it, when, in which unit, and the values before and after.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;
pub mod store;
