//! `/api/v1/duty/changes`, `/api/v1/duty/mine`, `/api/v1/duty/unavailable`: swaps and substitutions, one's
//! own shifts ahead and reminder lead, days one cannot be on duty.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, put, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::duty::model::{ChangeAction, ChangeKind, ReminderLead};
use crate::duty::service::changes::{self, Ask};
use crate::duty::service::mine::{self, MyDuty, MyReminder};
use crate::duty::store::changes::DutyChange;
use crate::duty::store::unavailable::Unavailable;
use crate::error::ServiceError;
use crate::web::json::Json;
use crate::web::{Api, Reply};

/// A swap or substitution.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeIn {
    pub kind: ChangeKind,
    /// The shift given up.
    pub shift_id: i64,
    /// Who gives it up (yourself, or someone whose duty you manage).
    pub giver_id: i64,
    /// Who takes over.
    pub taker_id: i64,
    /// For a swap: the taker's shift, which the giver takes in return.
    pub taker_shift_id: Option<i64>,
    #[serde(default)]
    pub reason: String,
    /// A manager making the change directly: it applies at once.
    #[serde(default)]
    pub apply_now: bool,
    /// With `apply_now`: apply it even though it puts someone in two places at once or on one shift
    /// straight after another (without it such a change is refused, `invalid_value` on this field, naming
    /// each clash).
    #[serde(default)]
    pub despite_clashes: bool,
}

/// Ask for a swap (换班) or substitution (替班): the person taking over agrees, a duty leader or office
/// staff who is party to neither side approves, then it applies. A manager may ask on someone's behalf, or
/// make the change at once with `apply_now`.
#[utoipa::path(tag = "duty", request_body = ChangeIn, security(("bearer" = [])), responses((status = 201, body = DutyChange)))]
#[post("/duty/changes")]
pub async fn ask(api: Api, body: Json<ChangeIn>) -> Reply<DutyChange> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        let ask = Ask {
            kind: b.kind,
            shift_id: b.shift_id,
            giver_id: b.giver_id,
            taker_id: b.taker_id,
            taker_shift_id: b.taker_shift_id,
            reason: b.reason,
            apply_now: b.apply_now,
            despite_clashes: b.despite_clashes,
        };
        changes::ask(c.conn, c.config, c.actor, c.now, c.tz, ask)
    })
    .await
}

/// Which changes.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ChangesQuery {
    /// A roster's changes; none: those you are party to.
    pub roster_id: Option<i64>,
}

/// Swaps and substitutions of a roster, or your own; open ones first.
#[utoipa::path(tag = "duty", params(ChangesQuery), security(("bearer" = [])), responses((status = 200, body = Vec<DutyChange>)))]
#[get("/duty/changes")]
pub async fn list_changes(api: Api, q: web::Query<ChangesQuery>) -> Reply<Vec<DutyChange>> {
    let roster = q.roster_id;
    api.json(move |c| match roster {
        Some(r) => changes::list(c.conn, Some(r), None),
        None => match c.actor.person_id {
            Some(p) => changes::list(c.conn, None, Some(p)),
            None => Ok(Vec::new()),
        },
    })
    .await
}

/// A decision on a change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeActIn {
    /// The reason (required to refuse).
    #[serde(default)]
    pub note: String,
    /// Approve even though the change puts someone in two places at once or on one shift straight after
    /// another.
    #[serde(default)]
    pub despite_clashes: bool,
}

/// Act on a change: `agree` or `decline` (the person taking over, or a manager for them), `approve` or
/// `refuse` (a duty leader or office staff party to neither side; a reason is required to refuse),
/// `withdraw` (whoever asked, or a manager). Approving a change that would put someone in two places at
/// once or on one shift straight after another is refused (422, `invalid_value` on `despite_clashes`, the
/// message naming each clash) until it is sent again with `despite_clashes`.
#[utoipa::path(tag = "duty", request_body = ChangeActIn, security(("bearer" = [])), responses((status = 200, body = DutyChange)))]
#[post("/duty/changes/{id}/{action}")]
pub async fn act(
    api: Api,
    path: web::Path<(i64, String)>,
    body: Json<ChangeActIn>,
) -> Reply<DutyChange> {
    let ((id, action), b) = (path.into_inner(), body.0);
    let (note, despite) = (b.note, b.despite_clashes);
    api.json(move |c| {
        let action = match action.as_str() {
            "agree" => ChangeAction::Agree,
            "decline" => ChangeAction::Decline,
            "approve" => ChangeAction::Approve,
            "refuse" => ChangeAction::Refuse,
            "withdraw" => ChangeAction::Withdraw,
            _ => return Err(ServiceError::not_found("该操作", "Action")),
        };
        changes::act(
            c.conn, c.config, c.actor, c.now, c.tz, id, action, &note, despite,
        )
    })
    .await
}

/// Your shifts in the coming 60 days, the changes waiting for you and the days you said you cannot be on
/// duty.
#[utoipa::path(tag = "duty", security(("bearer" = [])), responses((status = 200, body = MyDuty)))]
#[get("/duty/mine")]
pub async fn my_duty(api: Api) -> Reply<MyDuty> {
    api.json(|c| mine::of_actor(c.conn, c.actor, c.now, c.tz))
        .await
}

/// How long before each of your shifts you are reminded of it: as each roster sets it (the default), not at
/// all, or your own lead.
#[utoipa::path(tag = "duty", security(("bearer" = [])), responses((status = 200, body = MyReminder)))]
#[get("/duty/mine/reminder")]
pub async fn my_reminder(api: Api) -> Reply<MyReminder> {
    api.json(|c| mine::reminder(c.conn, c.actor)).await
}

/// A reminder lead.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderIn {
    /// `roster`, `none` or `hours`.
    pub lead: String,
    /// With `hours` only: 1–72.
    pub hours: Option<i64>,
}

/// Choose how long before each of your shifts you are reminded of it. A shift you were already reminded of
/// is not told again after a change.
#[utoipa::path(tag = "duty", request_body = ReminderIn, security(("bearer" = [])), responses((status = 200, body = MyReminder)))]
#[put("/duty/mine/reminder")]
pub async fn set_my_reminder(api: Api, body: Json<ReminderIn>) -> Reply<MyReminder> {
    let b = body.0;
    api.json(move |c| {
        let lead = ReminderLead::parse(&b.lead, b.hours)?;
        mine::set_reminder(c.conn, c.actor, c.now, lead)
    })
    .await
}

/// Days a person cannot be on duty.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnavailableIn {
    pub person_id: i64,
    pub starts_on: NaiveDate,
    /// The last day.
    pub ends_on: NaiveDate,
    #[serde(default)]
    pub reason: String,
}

/// Say that a person (yourself, or someone whose duty you manage) cannot be on duty on some days:
/// generation leaves them out and the gap scan flags them if rostered.
#[utoipa::path(tag = "duty", request_body = UnavailableIn, security(("bearer" = [])), responses((status = 201, body = Unavailable)))]
#[post("/duty/unavailable")]
pub async fn add_unavailable(api: Api, body: Json<UnavailableIn>) -> Reply<Unavailable> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        mine::add_unavailable(
            c.conn,
            c.actor,
            c.now,
            c.tz,
            b.person_id,
            (b.starts_on, b.ends_on),
            &b.reason,
        )
    })
    .await
}

/// Withdraw days a person said they cannot be on duty.
#[utoipa::path(tag = "duty", security(("bearer" = [])), responses((status = 200, body = Object)))]
#[delete("/duty/unavailable/{person}/{id}")]
pub async fn remove_unavailable(api: Api, path: web::Path<(i64, i64)>) -> Reply<serde_json::Value> {
    let (person, id) = path.into_inner();
    api.json(move |c| {
        mine::remove_unavailable(c.conn, c.actor, c.now, person, id)?;
        Ok(serde_json::json!({ "removed": id }))
    })
    .await
}
