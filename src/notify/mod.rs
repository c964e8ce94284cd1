//! Telling people things: the notification outbox, its delivery by email, each unit's choices, the daily
//! digest and the jobs that drive them. Areas register reminder sources (`source`); `notify` imports none.

pub mod api;
pub mod jobs;
pub mod model;
pub mod pages;
pub mod render;
pub mod service;
pub mod source;
pub mod store;

pub use source::{ReminderSource, Reminders};
