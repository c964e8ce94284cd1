//! `/api/v1/audit`: the audit trail for administrators.

use actix_web::{get, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::service;
use super::store::{AuditFilter, AuditRow};
use crate::org::api::Reply;
use crate::pagination::{Page, PageRequest};
use crate::web::{non_blank, utc, Api};

/// One audited change.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditOut {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub unit_id: Option<i64>,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub action: String,
    /// The record before the change, as it was stored (any JSON value).
    #[schema(value_type = Option<Value>)]
    pub before: Option<serde_json::Value>,
    /// The record after the change (any JSON value).
    #[schema(value_type = Option<Value>)]
    pub after: Option<serde_json::Value>,
}

impl From<AuditRow> for AuditOut {
    fn from(r: AuditRow) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditOut {
            id: r.id,
            at: utc(r.at),
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            unit_id: r.unit_id,
            entity: r.entity,
            entity_id: r.entity_id,
            action: r.action,
            before: parse(r.before_json),
            after: parse(r.after_json),
        }
    }
}

/// Audit filters; dates are days in the office's time zone, `to` inclusive.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// unit, person, account, api_token, …
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub unit_id: Option<i64>,
    /// create, update, deactivate, activate, sign_in, revoke, password_reset, …
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

impl AuditQuery {
    /// The store filter, with local days turned into UTC bounds.
    pub fn filter(&self, tz: chrono_tz::Tz) -> AuditFilter {
        let start_of = |d: NaiveDate| {
            d.and_hms_opt(0, 0, 0)
                .and_then(|t| t.and_local_timezone(tz).earliest())
                .map(|t| t.naive_utc())
        };
        AuditFilter {
            entity: non_blank(&self.entity),
            entity_id: self.entity_id,
            actor_id: self.actor_id,
            unit_id: self.unit_id,
            action: non_blank(&self.action),
            from: self.from.and_then(start_of),
            to: self.to.and_then(|d| d.succ_opt()).and_then(start_of),
            visible_units: None,
        }
    }
}

/// Browse the audit trail (administrators; scoped administrators see their units' records).
#[utoipa::path(tag = "audit", params(AuditQuery), security(("bearer" = [])), responses((status = 200, body = Page<AuditOut>)))]
#[get("/audit")]
pub async fn list(api: Api, q: web::Query<AuditQuery>) -> Reply<Page<AuditOut>> {
    let (filter, page) = (
        q.filter(api.state().config.timezone),
        PageRequest::asked(q.page, q.per_page),
    );
    api.json(move |c| Ok(service::list(c.conn, c.actor, filter, page?)?.map(AuditOut::from)))
        .await
}
