//! HTML pages for the organisation: sign-in, home, units, people, accounts, API tokens.

mod accounts;
mod password;
mod people;
mod session;
mod tokens;
mod units;

use actix_web::web;

/// Registers the pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    session::routes(cfg);
    units::routes(cfg);
    people::routes(cfg);
    accounts::routes(cfg);
    tokens::routes(cfg);
    password::routes(cfg);
}
