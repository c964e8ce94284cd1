//! Material reserves that match the book: catalogue, warehouses, batches, the append-only ledger,
//! stocktakes and the account-matching dashboard. Plugs in through `app`: its routes (`api`, `pages`), its
//! reminder source (`reminders`), its home-page tasks (`tasks`), its job (`jobs`) and its demo data.

pub mod api;
pub mod demo;
pub mod jobs;
pub mod model;
pub mod pages;
pub mod reminders;
pub mod service;
pub mod store;
pub mod tasks;

/// The reserves area as it registers itself: a reminder source (`reminders`) and the home page's tasks
/// (`tasks`), both with the area's own settings.
#[derive(Debug, Clone)]
pub struct Area {
    settings: reminders::ReminderSettings,
}

impl Area {
    /// The area with its settings.
    pub fn new(settings: reminders::ReminderSettings) -> Area {
        Area { settings }
    }
}
