//! `standby demo`: the demo district, its people and accounts, its reserves, its allocations, its rescue teams, its duty rosters, its drills and its circulars.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::db::DbConn;
use crate::error::ServiceResult;

/// Loads the whole demo into a database that does not have it; returns what to print.
pub fn load(conn: &mut DbConn, now: DateTime<Utc>, cfg: &Config) -> ServiceResult<String> {
    let org = crate::org::demo::load(conn, now)?;
    let reserves = crate::inventory::demo::load(conn, now, cfg)?;
    let allocation = crate::allocation::demo::load(conn, now, cfg)?;
    let teams = crate::teams::demo::load(conn, now, cfg)?;
    let duty = crate::duty::demo::load(conn, now, cfg)?;
    let drills = crate::drills::demo::load(conn, now, cfg)?;
    let secret =
        crate::app::secret(cfg).map_err(|e| crate::error::ServiceError::Internal(e.to_string()))?;
    let area = crate::circulars::Area::new(
        crate::circulars::Settings::from_vars(&cfg.vars)
            .map_err(|e| crate::error::ServiceError::Internal(e.to_string()))?,
        &secret,
    );
    let circulars = crate::circulars::demo::load(conn, now, cfg, &area)?;
    Ok(format!(
        "{org}\n{reserves}\n{allocation}\n{teams}\n{duty}\n{drills}\n{circulars}"
    ))
}
