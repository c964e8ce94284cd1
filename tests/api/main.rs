//! Integration tests: the real HTTP app against a fresh SQLite file, or a fresh PostgreSQL database
//! when `TEST_DATABASE_URL` is set (run with `--features postgres`).
// Case tables are tuples on purpose: one readable row per case.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::type_complexity
)]

mod access;
mod allocation;
mod allocation_pages;
mod allocation_pages_more;
mod allocation_props;
mod audit;
mod auth;
mod browser;
mod calendar;
mod calendar_imports;
mod calendar_pages;
mod circulars;
mod cli;
mod concurrency;
mod drills;
mod drills_boundary;
mod drills_feeds;
mod drills_pages;
mod drills_reminders;
mod drills_tasks;
mod drills_teams;
mod drills_walkthrough;
mod duty;
mod duty_changes;
mod duty_feeds;
mod duty_leads;
mod duty_log;
mod duty_pages;
mod duty_presence;
mod duty_reports;
mod helpers;
mod inventory;
mod inventory_inspections;
mod inventory_pages;
mod inventory_reservations;
mod inventory_rules;
mod inventory_sheets;
mod inventory_stocktakes;
mod keepers_day;
mod layers;
mod ledger_props;
mod notify;
mod notify_chat;
mod notify_faults;
mod one_rule;
mod org;
mod pages;
mod permissions;
mod security;
mod smtp;
mod system;
mod teams;
mod teams_pages;
mod teams_people;
mod teams_readiness;
mod teams_training;
mod validation;
