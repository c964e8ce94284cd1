//! The holiday calendar (节假日安排): whether each date is a workday, a weekend, a public holiday or an adjusted
//! workday (调休上班), and which years' official arrangements have been entered. Administrators and office staff
//! keep it (a page, the API, imports from CSV/XLSX or ICS); rosters read it through `store::load`. Imports no
//! other feature area.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;
pub mod store;
