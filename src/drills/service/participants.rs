//! The rescue teams a drill's scheme names, asked of the teams area: the choices a scheme offers, checking
//! the ones chosen, and naming them on the drill.

use std::collections::HashMap;

use serde::Serialize;

use crate::db::DbConn;
use crate::drills::store::drills as store;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Text;
use crate::teams::service as teams;

/// A team taking part in a drill.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillTeamView {
    pub team_id: i64,
    pub name: String,
}

/// The teams a scheme may name: every active team, by name.
pub fn choices(conn: &mut DbConn) -> ServiceResult<Vec<(i64, String)>> {
    teams::teams::active_names(conn)
}

/// Checks that every team chosen exists and is active (a refusal naming `team_ids` otherwise).
pub fn check(conn: &mut DbConn, ids: &[i64]) -> ServiceResult<()> {
    for id in ids {
        let known = match teams::team_for(conn, *id) {
            Ok(t) => t.active,
            Err(ServiceError::NotFound(_)) => false,
            Err(e) => return Err(e),
        };
        if !known {
            return Err(ServiceError::Invalid {
                field: "team_ids",
                message: Text::new(
                    format!("参演队伍中有不存在或已撤销的队伍（#{id}），请从救援队伍名录中选择"),
                    format!(
                        "Team #{id} does not exist or is no longer active; choose teams from the register"
                    ),
                ),
            });
        }
    }
    Ok(())
}

/// The teams a drill names, with their names.
pub fn of_drill(conn: &mut DbConn, drill: i64) -> ServiceResult<Vec<DrillTeamView>> {
    let ids = store::teams(conn, drill)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let names: HashMap<i64, String> = teams::teams::names(conn)?.into_iter().collect();
    Ok(ids
        .into_iter()
        .map(|team_id| DrillTeamView {
            name: names
                .get(&team_id)
                .cloned()
                .unwrap_or_else(|| format!("#{team_id}")),
            team_id,
        })
        .collect())
}
