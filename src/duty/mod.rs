//! Emergency duty (应急值班) that is never uncovered: rosters with their shift pattern and composition by kind
//! of day, fair generation around leave and holidays, publication (holiday rosters approved by the office
//! first), swaps and substitutions with approval, who is on duty now, gaps ahead, the duty log and signed
//! handovers, iCal feeds. Plugs in through `app` like the other areas; reads the holiday calendar, people and
//! the leave the teams area keeps.

pub mod api;
pub mod demo;
pub mod jobs;
pub mod model;
pub mod notices;
pub mod pages;
pub mod reminders;
pub mod service;
pub mod store;
pub mod tasks;

/// The duty area as it registers itself: a reminder source and the home page's tasks, with its settings.
#[derive(Debug, Clone)]
pub struct Area {
    settings: reminders::Settings,
    /// Who is on duty now, as last read (shared by this app's requests).
    pub now: std::sync::Arc<service::now::NowCache>,
}

impl Area {
    /// The area with its settings.
    pub fn new(settings: reminders::Settings) -> Area {
        Area {
            settings,
            now: Default::default(),
        }
    }
}
