//! Telling people things: the notification outbox, its delivery by email, each unit's choices, the daily
//! digest and the jobs that drive them. Other areas only add kinds of notice (a rule and a template folder).

pub mod api;
pub mod jobs;
pub mod mail;
pub mod model;
pub mod pages;
pub mod render;
pub mod service;
pub mod smtp;
pub mod store;
