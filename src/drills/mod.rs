//! Emergency plans drilled as the law requires (应急预案与演练): the plan registry (units' sectors and
//! supervising departments, the office's frequency rules, the plans with their files), annual drill plans
//! approved by the office, drills (scheme and approval, materials held and lent through the reserves area,
//! attendance and a timeline on the day, the evaluation), corrective actions closed by someone other than
//! their owner, compliance per unit and plan with the district's rate, reminders, a month view and an
//! iCalendar feed, and downloads.

pub mod api;
pub mod demo;
pub mod model;
pub mod notices;
pub mod pages;
pub mod reminders;
pub mod service;
pub mod store;
pub mod tasks;

/// The drills area as it registers itself: a reminder source (`reminders`) and home-page tasks (`tasks`).
#[derive(Debug, Clone, Default)]
pub struct Area;
