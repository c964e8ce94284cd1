//! Reserves shared on demand (按需调拨): a unit asks for items, the heads of the asking and the holding unit
//! decide, the holding keeper reserves and sends them (into the sender's in-transit location), the receiving
//! keeper counts them in; loans come back; the office orders at once when it must (调令). Built on the
//! reserves area: its reservations hold the stock, its ledger moves it, its consignments carry it.

pub mod api;
pub mod demo;
pub mod model;
pub mod pages;
pub mod reminders;
pub mod service;
pub mod store;
mod tasks;

/// The allocation area as it registers itself: a reminder source (`reminders`) and the home page's tasks
/// (`tasks`).
#[derive(Debug, Clone, Default)]
pub struct Area;

impl crate::web::tasks::TaskSource for Area {
    fn area(&self) -> &'static str {
        "allocation"
    }

    fn tasks(
        &self,
        call: &mut crate::web::run::Call<'_>,
    ) -> crate::error::ServiceResult<Vec<crate::web::tasks::Task>> {
        tasks::tasks(call)
    }
}
