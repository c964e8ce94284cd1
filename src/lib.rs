//! standby: emergency reserves, rescue teams, duty rosters and drills for a district emergency-management office.

pub mod allocation;
pub mod app;
pub mod attachments;
pub mod audit;
pub mod calendar;
pub mod circulars;
pub mod clock;
pub mod config;
pub mod cron;
pub mod db;
pub mod demo;
pub mod drills;
pub mod duty;
pub mod error;
pub mod i18n;
pub mod inventory;
pub mod jobs;
pub mod mail;
pub mod metrics;
pub mod notify;
pub mod org;
pub mod pagination;
pub mod sheets;
pub mod state;
pub mod teams;
pub mod web;
