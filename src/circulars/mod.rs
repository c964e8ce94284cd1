//! Circulars (通知) to units, acknowledged (签收) and answered (回执): the office (or a unit, to the units
//! below it) drafts a circular, addresses units picked from the tree and issues it; each unit hears it by
//! email (its contact addresses, the people with the chosen role, its group chat) with a signed 签收 link
//! that works without signing in; the sender tracks who acknowledged and replied, reminds the laggards,
//! exports the replies; a unit that has not acknowledged by the deadline is reminded, then its head is told
//! (`jobs`), then it stays on the office's overdue report.

pub mod api;
pub mod demo;
pub mod jobs;
pub mod model;
pub mod notices;
pub mod pages;
pub mod reminders;
pub mod service;
pub mod store;
mod tasks;

use crate::config::{ConfigError, Vars};
use model::{AckKey, Escalation};

/// The area's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// A unit that has not acknowledged this long after the deadline is escalated to its head
    /// (`STANDBY_CIRCULAR_ESCALATE_HOURS`, default 24).
    pub escalation: Escalation,
    /// A 签收 link works until this many days after the deadline (`STANDBY_CIRCULAR_LINK_DAYS`, default 14).
    pub link_days: i64,
}

impl Settings {
    /// Reads the area's variables; a bad value names its variable.
    pub fn from_vars(vars: &Vars) -> Result<Settings, ConfigError> {
        Ok(Settings {
            escalation: Escalation {
                hours: vars.number("STANDBY_CIRCULAR_ESCALATE_HOURS", 24, 1..=720)?,
            },
            link_days: vars.number("STANDBY_CIRCULAR_LINK_DAYS", 14, 1..=90)?,
        })
    }
}

/// The circulars area as it registers itself: its settings and the key of its 签收 links (registered as
/// app data for its handlers), a reminder source (`reminders`) and the home page's tasks (`tasks`).
#[derive(Debug, Clone)]
pub struct Area {
    pub settings: Settings,
    pub key: AckKey,
}

impl Area {
    /// The area with its settings and the server's secret.
    pub fn new(settings: Settings, secret: &str) -> Area {
        Area {
            settings,
            key: AckKey::from_secret(secret),
        }
    }
}

impl crate::web::tasks::TaskSource for Area {
    fn area(&self) -> &'static str {
        "circulars"
    }

    fn tasks(
        &self,
        call: &mut crate::web::run::Call<'_>,
    ) -> crate::error::ServiceResult<Vec<crate::web::tasks::Task>> {
        tasks::tasks(call)
    }
}
