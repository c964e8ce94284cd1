//! The whole route table: every JSON API route (documented in the OpenAPI spec as registered) and every page,
//! area by area; the API document and the list of operations built from the same registration.

use actix_web::dev::HttpServiceFactory;
use actix_web::web;
use utoipa_actix_web::OpenApiFactory;

use utoipa::OpenApi;
use utoipa_actix_web::{scope, AppExt};

use crate::web::openapi;
use crate::{allocation, audit, calendar, circulars, drills, duty, inventory, notify, org, teams};

/// Where the API routes are registered: utoipa's configuration, which also documents each handler (once, for
/// the OpenAPI document), or actix-web's own, which only routes (in every worker: documenting all handlers
/// there cost each worker several megabytes at start for a document it never serves).
pub(super) trait Routes {
    fn service<F: HttpServiceFactory + OpenApiFactory + 'static>(
        &mut self,
        handler: F,
    ) -> &mut Self;
}

impl Routes for utoipa_actix_web::service_config::ServiceConfig<'_> {
    fn service<F: HttpServiceFactory + OpenApiFactory + 'static>(
        &mut self,
        handler: F,
    ) -> &mut Self {
        utoipa_actix_web::service_config::ServiceConfig::service(self, handler)
    }
}

impl Routes for web::ServiceConfig {
    fn service<F: HttpServiceFactory + OpenApiFactory + 'static>(
        &mut self,
        handler: F,
    ) -> &mut Self {
        web::ServiceConfig::service(self, handler)
    }
}

/// The API's operations read from each handler's documentation, without the schemas it refers to.
impl Routes for Vec<openapi::Op> {
    fn service<F: HttpServiceFactory + OpenApiFactory + 'static>(
        &mut self,
        handler: F,
    ) -> &mut Self {
        self.extend(openapi::ops(API_PREFIX, &handler.paths()));
        self
    }
}

/// Where the JSON API lives.
pub(super) const API_PREFIX: &str = "/api/v1";

/// Every JSON API route (documented in the OpenAPI spec as they are registered).
pub(super) fn api_routes(cfg: &mut impl Routes) {
    use org::api::{accounts, people, tokens, units};
    cfg.service(tokens::issue)
        .service(tokens::list)
        .service(tokens::revoke)
        .service(accounts::me)
        .service(accounts::change_password)
        .service(units::list)
        .service(units::get)
        .service(units::create)
        .service(units::update)
        .service(people::list)
        .service(people::get)
        .service(people::create)
        .service(people::update)
        .service(accounts::list)
        .service(accounts::get)
        .service(accounts::create)
        .service(accounts::update)
        .service(audit::api::list);
    inventory_routes(cfg);
    teams_routes(cfg);
    calendar_routes(cfg);
    duty_routes(cfg);
    allocation_routes(cfg);
    circulars_routes(cfg);
    drills_routes(cfg);
    notify_routes(cfg);
}

/// The circulars API (fixed paths before `/circulars/{id}`).
fn circulars_routes(cfg: &mut impl Routes) {
    use circulars::api;
    cfg.service(api::list)
        .service(api::create)
        .service(api::overdue)
        .service(api::get)
        .service(api::add_file)
        .service(api::file)
        .service(api::issue)
        .service(api::withdraw)
        .service(api::remind)
        .service(api::acknowledge)
        .service(api::reply);
}

/// The allocation API.
fn allocation_routes(cfg: &mut impl Routes) {
    use allocation::api;
    cfg.service(api::requests)
        .service(api::create_request)
        .service(api::order)
        .service(api::request)
        .service(api::propose_source)
        .service(api::decide)
        .service(api::reserve)
        .service(api::dispatch)
        .service(api::receive)
        .service(api::cancel)
        .service(api::close)
        .service(api::give_back)
        .service(api::extend)
        .service(api::loans_out)
        .service(api::sources);
}

/// The drills API (fixed paths before `{id}`).
fn drills_routes(cfg: &mut impl Routes) {
    use drills::api;
    cfg.service(api::rules)
        .service(api::set_rule)
        .service(api::profile)
        .service(api::set_profile)
        .service(api::plans)
        .service(api::create_plan)
        .service(api::plan)
        .service(api::update_plan)
        .service(api::put_plan_file)
        .service(api::get_plan_file)
        .service(api::annual_plans)
        .service(api::create_annual)
        .service(api::annual_plan)
        .service(api::add_annual_item)
        .service(api::withdraw_annual_item)
        .service(api::submit_annual)
        .service(api::decide_annual)
        .service(api::publish_annual)
        .service(api::compliance_report)
        .service(api::feed)
        .service(api::create_drill_feed)
        .service(api::drill_feeds)
        .service(api::revoke_drill_feed)
        .service(api::actions)
        .service(api::action)
        .service(api::submit_evidence)
        .service(api::put_action_file)
        .service(api::get_action_file)
        .service(api::verify)
        .service(api::drills)
        .service(api::create_drill)
        .service(api::drill)
        .service(api::submit_drill)
        .service(api::decide_drill)
        .service(api::cancel_drill)
        .service(api::attendance)
        .service(api::add_log)
        .service(api::evaluate)
        .service(api::report)
        .service(api::reserve)
        .service(api::issue)
        .service(api::give_back)
        .service(api::add_action);
}

/// The notices API.
fn notify_routes(cfg: &mut impl Routes) {
    use notify::api;
    cfg.service(api::list)
        .service(api::get)
        .service(api::retry)
        .service(api::cancel)
        .service(api::mine)
        .service(api::set_preferences)
        .service(api::settings)
        .service(api::set_settings)
        .service(api::test_email)
        .service(api::chat)
        .service(api::set_chat)
        .service(api::remove_chat)
        .service(api::test_chat);
}

/// The reserves API.
fn inventory_routes(cfg: &mut impl Routes) {
    use inventory::api::{
        catalogue, consignments, inspections, movements, reservations, sheets, stocktakes,
        warehouses,
    };
    cfg.service(catalogue::categories)
        .service(catalogue::add_category)
        .service(catalogue::items)
        .service(catalogue::item)
        .service(catalogue::add_item)
        .service(catalogue::update_item)
        .service(catalogue::batches)
        .service(catalogue::add_batch)
        .service(catalogue::update_batch)
        .service(warehouses::list)
        .service(warehouses::create)
        .service(warehouses::get)
        .service(warehouses::set_custodians)
        .service(warehouses::set_coordinates)
        .service(warehouses::set_norm)
        .service(warehouses::stock)
        .service(warehouses::suggest)
        .service(reservations::reservations)
        .service(reservations::reserve_stock)
        .service(reservations::release_reservation)
        .service(consignments::consignments)
        .service(consignments::consignment)
        .service(consignments::receive_consignment)
        .service(inspections::warehouse_inspections)
        .service(inspections::record_inspection)
        .service(inspections::batch_inspections)
        .service(warehouses::verify_ledger)
        .service(warehouses::set_bin)
        .service(movements::list)
        .service(movements::get)
        .service(movements::create)
        .service(movements::countersign)
        .service(movements::reject)
        .service(movements::reverse)
        .service(stocktakes::open)
        .service(stocktakes::list)
        .service(stocktakes::get)
        .service(stocktakes::add_found)
        .service(stocktakes::count)
        .service(stocktakes::recount)
        .service(stocktakes::explain)
        .service(stocktakes::approve)
        .service(stocktakes::cancel)
        .service(warehouses::set_custodian)
        .service(sheets::warehouse_export)
        .service(sheets::stocktake_export)
        .service(sheets::import_file);
}

/// The API's operations, read from the handlers' documentation without the schemas it refers to.
pub(super) fn api_operations() -> Vec<openapi::Op> {
    let mut operations = Vec::new();
    api_routes(&mut operations);
    operations
}

/// The OpenAPI document for the API routes, with the notice kinds the areas register (`kinds`).
pub(super) fn openapi_spec(kinds: &[&str]) -> utoipa::openapi::OpenApi {
    let mut spec = actix_web::App::new()
        .into_utoipa_app()
        .openapi(openapi::ApiDoc::openapi())
        .service(scope::scope(API_PREFIX).configure(|c| api_routes(c)))
        .split_for_parts()
        .1;
    openapi::complete(&mut spec);
    openapi::enumerate(&mut spec, "KindMode", "kind", kinds);
    spec
}

/// Every HTML page.
pub(super) fn page_routes(cfg: &mut web::ServiceConfig) {
    org::pages::routes(cfg);
    audit::pages::routes(cfg);
    inventory::pages::routes(cfg);
    allocation::pages::routes(cfg);
    circulars::pages::routes(cfg);
    drills::pages::routes(cfg);
    teams::pages::routes(cfg);
    calendar::pages::routes(cfg);
    duty::pages::routes(cfg);
    notify::pages::routes(cfg);
}

/// The rescue teams API.
fn teams_routes(cfg: &mut impl Routes) {
    use crate::teams::api::{people, sheets, teams};
    cfg.service(teams::list)
        .service(sheets::certificates_export)
        .service(teams::search)
        .service(teams::create)
        .service(teams::get)
        .service(teams::update)
        .service(teams::add_member)
        .service(teams::update_member)
        .service(teams::add_equipment)
        .service(teams::remove_equipment)
        .service(teams::add_training)
        .service(teams::trainings)
        .service(teams::get_lists)
        .service(teams::add_speciality)
        .service(teams::add_certificate_type)
        .service(people::record)
        .service(people::add_certificate)
        .service(people::update_certificate)
        .service(people::put_scan)
        .service(people::get_scan)
        .service(people::request_leave)
        .service(people::list_leaves)
        .service(people::approve_leave)
        .service(people::refuse_leave)
        .service(people::cancel_leave)
        .service(sheets::team_export)
        .service(sheets::import_roster);
}

/// The holiday calendar API.
fn calendar_routes(cfg: &mut impl Routes) {
    use crate::calendar::api;
    cfg.service(api::get_year)
        .service(api::days)
        .service(api::set_day)
        .service(api::clear_day)
        .service(api::mark_year)
        .service(api::import);
}

/// The duty API.
fn duty_routes(cfg: &mut impl Routes) {
    use duty::api::{changes, feeds, log, reports, rosters};
    cfg.service(rosters::on_duty)
        .service(rosters::list)
        .service(rosters::create)
        .service(rosters::get)
        .service(rosters::update)
        .service(rosters::add_period)
        .service(rosters::remove_period)
        .service(rosters::set_people)
        .service(rosters::generate)
        .service(rosters::roster_gaps)
        .service(reports::month_export)
        .service(reports::report)
        .service(reports::import_paper)
        .service(reports::contact_directory)
        .service(rosters::plan)
        .service(rosters::step)
        .service(rosters::set_shift)
        .service(log::shift_log)
        .service(log::record)
        .service(log::close)
        .service(log::sign_out)
        .service(log::sign_in)
        .service(log::ask_presence)
        .service(log::presence_checks)
        .service(changes::ask)
        .service(changes::list_changes)
        .service(changes::act)
        .service(changes::my_duty)
        .service(changes::my_reminder)
        .service(changes::set_my_reminder)
        .service(changes::add_unavailable)
        .service(changes::remove_unavailable)
        .service(feeds::create_feed)
        .service(feeds::list_feeds)
        .service(feeds::revoke_feed);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 401, 404 and 405 answers rely on the operations read from the handlers alone; they must be the
    /// document's, token requirement included.
    #[test]
    fn the_operations_read_from_the_handlers_are_the_documents() {
        let mut from_handlers = api_operations();
        let mut documented = openapi::ops("", &openapi_spec(&[]).paths);
        let key = |op: &openapi::Op| (op.path.clone(), op.method);
        from_handlers.sort_by_key(key);
        documented.sort_by_key(key);
        assert!(documented.len() > 100, "{} operations", documented.len());
        assert_eq!(from_handlers, documented);
        assert!(from_handlers
            .iter()
            .any(|op| op.path == "/api/v1/auth/tokens" && op.method == "POST" && !op.auth));
        assert!(from_handlers
            .iter()
            .any(|op| op.path == "/api/v1/units/{id}" && op.method == "GET" && op.auth));
    }
}
