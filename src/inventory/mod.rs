//! Material reserves that match the book: catalogue, warehouses, batches, the append-only ledger,
//! stocktakes and the account-matching dashboard.

pub mod api;
pub mod demo;
pub mod model;
pub mod notices;
pub mod pages;
pub mod service;
pub mod store;
