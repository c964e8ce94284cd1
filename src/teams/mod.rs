//! Rescue teams that are known to be ready: teams, members, leave, certificates, training, readiness and
//! the search by capability. Plugs in through `app`: its routes (`api`, `pages`), its reminder source
//! (`reminders`), its home-page tasks (`tasks`) and its demo data. Uses `org` (people, units) and the
//! reserves (`inventory`: the equipment a team carries is stock the keepers count).

pub mod api;
pub mod demo;
pub mod model;
pub mod pages;
pub mod reminders;
pub mod service;
pub mod store;
pub mod tasks;

/// The teams area as it registers itself: a reminder source and the home page's tasks, with its settings.
#[derive(Debug, Clone)]
pub struct Area {
    settings: reminders::Settings,
}

impl Area {
    /// The area with its settings.
    pub fn new(settings: reminders::Settings) -> Area {
        Area { settings }
    }
}
