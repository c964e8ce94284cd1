//! The organisation: units, people, accounts, roles, sign-in and API tokens.

pub mod api;
pub mod callers;
pub mod credentials;
pub mod demo;
pub mod model;
pub mod pages;
pub mod service;
pub mod store;
