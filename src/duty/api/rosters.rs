//! `/api/v1/duty/…`: who is on duty now, rosters (pattern, composition, periods, eligible people), plans
//! (generate, approve, publish) and the places on a shift.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, put, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::duty::model::{
    DutyRole, Finding, Period, PeriodInput, PeriodKind, PresencePlan, RosterInput,
};
use crate::duty::service::gaps;
use crate::duty::service::now::{self, RosterNow, ShiftNow};
use crate::duty::service::plan_view::{self, PlanView};
use crate::duty::service::plans::{self, Step};
use crate::duty::service::rosters::{self, Eligible, RosterView, Source};
use crate::duty::store::rosters::Roster;
use crate::web::json::Json;
use crate::web::{Api, Reply};

/// Which units' duty.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UnitQuery {
    /// A unit: its rosters and those of the units below it; none: the whole district.
    pub unit_id: Option<i64>,
}

/// Who is on duty now (当前值班) on every active roster: the leader and officers of the shift under way with
/// their phones, the next shift, the duty phone. A roster with nobody on now shows `current: null`.
#[utoipa::path(tag = "duty", params(UnitQuery), security(("bearer" = [])), responses((status = 200, body = Vec<RosterNow>)))]
#[get("/duty/now")]
pub async fn on_duty(
    api: Api,
    area: web::Data<crate::duty::Area>,
    q: web::Query<UnitQuery>,
) -> Reply<Vec<RosterNow>> {
    let (unit, cache) = (q.unit_id, area.now.clone());
    api.json(move |c| now::on_duty(c.conn, &cache, c.actor, c.now, unit))
        .await
}

/// Every roster (值班表).
#[utoipa::path(tag = "duty", security(("bearer" = [])), responses((status = 200, body = Vec<Roster>)))]
#[get("/duty/rosters")]
pub async fn list(api: Api) -> Reply<Vec<Roster>> {
    api.json(|c| Ok(rosters::list(c.conn)?.into_iter().map(|(r, _)| r).collect()))
        .await
}

/// Leaders and officers a shift needs.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedIn {
    pub leaders: i64,
    pub officers: i64,
}

/// A roster.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RosterIn {
    pub unit_id: i64,
    pub name: String,
    /// Changeover times of day in the office's zone: `08:30` (one 24-hour shift) or `08:30 20:30`.
    pub shift_starts: String,
    pub workday: NeedIn,
    pub weekend: NeedIn,
    pub holiday: NeedIn,
    #[serde(default)]
    pub duty_phone: String,
    /// Minutes after the changeover by which the handover is signed (default 30).
    pub handover_minutes: Option<i64>,
    /// Handover checklist, one item per entry.
    #[serde(default)]
    pub checklist: Vec<String>,
    /// Hours before a shift that its people are reminded (default 24), unless they chose their own lead.
    pub remind_hours: Option<i64>,
    /// Unannounced presence checks (随机查岗) on each shift, at times nobody can predict: 0–3 (default 0).
    pub presence_checks: Option<i64>,
    /// Minutes to confirm an unannounced check: 5–120 (default 15).
    pub presence_minutes: Option<i64>,
    /// False retires the roster (on update).
    pub active: Option<bool>,
}

impl RosterIn {
    fn parse(&self) -> crate::error::ServiceResult<RosterInput> {
        RosterInput::parse(
            self.unit_id,
            &self.name,
            &self.shift_starts,
            [
                (self.workday.leaders, self.workday.officers),
                (self.weekend.leaders, self.weekend.officers),
                (self.holiday.leaders, self.holiday.officers),
            ],
            &self.duty_phone,
            self.handover_minutes.unwrap_or(30),
            &self.checklist.join("\n"),
            self.remind_hours.unwrap_or(24),
        )
        .and_then(|r| {
            Ok(r.with_presence(PresencePlan::parse(
                self.presence_checks.unwrap_or(0),
                self.presence_minutes.unwrap_or(15),
            )?))
        })
    }
}

/// Create a roster for a unit whose duty you manage (administrators, office staff, the unit's head and duty
/// leaders).
#[utoipa::path(tag = "duty", request_body = RosterIn, security(("bearer" = [])), responses((status = 201, body = Roster)))]
#[post("/duty/rosters")]
pub async fn create(api: Api, body: Json<RosterIn>) -> Reply<Roster> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        rosters::create(c.conn, c.actor, c.now, b.parse()?)
    })
    .await
}

/// A roster with its periods, eligible people and plans.
#[utoipa::path(tag = "duty", security(("bearer" = [])), responses((status = 200, body = RosterView)))]
#[get("/duty/rosters/{id:\\d+}")]
pub async fn get(api: Api, id: web::Path<i64>) -> Reply<RosterView> {
    let id = id.into_inner();
    api.json(move |c| rosters::view(c.conn, c.actor, id)).await
}

/// Change a roster (its unit stays).
#[utoipa::path(tag = "duty", request_body = RosterIn, security(("bearer" = [])), responses((status = 200, body = Roster)))]
#[put("/duty/rosters/{id:\\d+}")]
pub async fn update(api: Api, id: web::Path<i64>, body: Json<RosterIn>) -> Reply<Roster> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let active = b.active.unwrap_or(true);
        rosters::update(c.conn, c.actor, c.now, id, b.parse()?, active)
    })
    .await
}

/// A period with its own composition.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodIn {
    pub kind: PeriodKind,
    pub name: String,
    pub starts_on: NaiveDate,
    /// The last day.
    pub ends_on: NaiveDate,
    pub leaders: i64,
    pub officers: i64,
}

/// Add a period (汛期, 节假日, 重要时段) with its own composition; one overlapping another is refused.
#[utoipa::path(tag = "duty", request_body = PeriodIn, security(("bearer" = [])), responses((status = 201, body = Period)))]
#[post("/duty/rosters/{id}/periods")]
pub async fn add_period(api: Api, id: web::Path<i64>, body: Json<PeriodIn>) -> Reply<Period> {
    let (id, b) = (id.into_inner(), body.0);
    api.reply(StatusCode::CREATED, move |c| {
        rosters::add_period(c.conn, c.actor, c.now, id, |others| {
            PeriodInput::parse(
                b.kind,
                &b.name,
                (b.starts_on, b.ends_on),
                (b.leaders, b.officers),
                others,
            )
        })
    })
    .await
}

/// Remove a period.
#[utoipa::path(tag = "duty", security(("bearer" = [])), responses((status = 200, body = Object)))]
#[delete("/duty/rosters/{id}/periods/{period}")]
pub async fn remove_period(api: Api, path: web::Path<(i64, i64)>) -> Reply<serde_json::Value> {
    let (id, period) = path.into_inner();
    api.json(move |c| {
        rosters::remove_period(c.conn, c.actor, c.now, id, period)?;
        Ok(serde_json::json!({ "removed": period }))
    })
    .await
}

/// Who may be rostered: name them (`leaders`, `officers`), or take the unit's accounts with the duty
/// leader and duty officer roles (`from_unit_roles`), or add a team's members in post (`from_team`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EligibleIn {
    #[serde(default)]
    pub leaders: Vec<i64>,
    #[serde(default)]
    pub officers: Vec<i64>,
    #[serde(default)]
    pub from_unit_roles: bool,
    pub from_team: Option<i64>,
}

/// Set the people eligible for each role.
#[utoipa::path(tag = "duty", request_body = EligibleIn, security(("bearer" = [])), responses((status = 200, body = Vec<Eligible>)))]
#[put("/duty/rosters/{id}/people")]
pub async fn set_people(
    api: Api,
    id: web::Path<i64>,
    body: Json<EligibleIn>,
) -> Reply<Vec<Eligible>> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let source = match (b.from_unit_roles, b.from_team) {
            (true, None) => Source::UnitRoles,
            (false, Some(team)) => Source::Team(team),
            (false, None) => Source::People(
                b.leaders
                    .iter()
                    .map(|p| (*p, DutyRole::Leader))
                    .chain(b.officers.iter().map(|p| (*p, DutyRole::Officer)))
                    .collect(),
            ),
            (true, Some(_)) => {
                return Err(crate::error::ServiceError::invalid(
                    "from_team",
                    "请只选一种来源",
                    "Choose one source: the people, the unit's roles or a team",
                ))
            }
        };
        rosters::set_eligible(c.conn, c.actor, c.now, id, source)
    })
    .await
}

/// The days to roster.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RangeIn {
    pub from: NaiveDate,
    /// The last day (at most 92 days after `from`).
    pub to: NaiveDate,
}

/// Generate a draft for a range of days from the eligible people: fair over the year (weekends and
/// holidays balanced), nobody on two shifts in a row, leave and unavailability respected. A range holding
/// holiday duty is approved by the office before it is published.
#[utoipa::path(tag = "duty", request_body = RangeIn, security(("bearer" = [])), responses((status = 201, body = PlanView)))]
#[post("/duty/rosters/{id}/plans")]
pub async fn generate(api: Api, id: web::Path<i64>, body: Json<RangeIn>) -> Reply<PlanView> {
    let (id, b) = (id.into_inner(), body.0);
    api.reply(StatusCode::CREATED, move |c| {
        plans::generate(c.conn, c.actor, c.now, c.tz, id, (b.from, b.to))
    })
    .await
}

/// A plan with its days, shifts, people, gaps and conflicts.
#[utoipa::path(tag = "duty", security(("bearer" = [])), responses((status = 200, body = PlanView)))]
#[get("/duty/plans/{id}")]
pub async fn plan(api: Api, id: web::Path<i64>) -> Reply<PlanView> {
    let id = id.into_inner();
    api.json(move |c| plan_view::view(c.conn, c.actor, id))
        .await
}

/// A note with a step (a reason is required to send a plan back).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteIn {
    #[serde(default)]
    pub note: String,
}

/// Move a plan: `submit` (a holiday roster to the office), `approve` or `refuse` (the office), `publish`
/// (its people and the unit are told), `discard` (before publication).
#[utoipa::path(tag = "duty", request_body = NoteIn, security(("bearer" = [])), responses((status = 200, body = PlanView)))]
#[post("/duty/plans/{id}/{step}")]
pub async fn step(api: Api, path: web::Path<(i64, String)>, body: Json<NoteIn>) -> Reply<PlanView> {
    let ((id, step), note) = (path.into_inner(), body.0.note);
    api.json(move |c| {
        let step = match step.as_str() {
            "submit" => Step::Submit,
            "approve" => Step::Approve,
            "refuse" => Step::Refuse,
            "publish" => Step::Publish,
            "discard" => Step::Discard,
            _ => return Err(crate::error::ServiceError::not_found("该操作", "Action")),
        };
        plans::step(c.conn, c.config, c.actor, c.now, c.tz, id, step, &note)
    })
    .await
}

/// A place on a shift.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceIn {
    pub person_id: i64,
    pub role: DutyRole,
}

/// Who holds a shift.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftIn {
    pub places: Vec<PlaceIn>,
}

/// Set who holds a shift's places (a draft's, or a published shift not yet over: the people it moves are
/// told).
#[utoipa::path(tag = "duty", request_body = ShiftIn, security(("bearer" = [])), responses((status = 200, body = ShiftNow)))]
#[put("/duty/shifts/{id}")]
pub async fn set_shift(api: Api, id: web::Path<i64>, body: Json<ShiftIn>) -> Reply<ShiftNow> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let places = b.places.iter().map(|p| (p.person_id, p.role)).collect();
        plans::set_shift(c.conn, c.config, c.actor, c.now, c.tz, id, places)
    })
    .await
}

/// How far to look ahead.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AheadQuery {
    /// Days from today (1–90, default 30).
    pub days: Option<i64>,
}

/// Gaps and conflicts ahead on a roster: shifts without a leader or short of officers, days not yet
/// rostered, a person in two places, on leave, or on two shifts in a row.
#[utoipa::path(tag = "duty", params(AheadQuery), security(("bearer" = [])), responses((status = 200, body = Vec<Finding>)))]
#[get("/duty/rosters/{id}/gaps")]
pub async fn roster_gaps(
    api: Api,
    id: web::Path<i64>,
    q: web::Query<AheadQuery>,
) -> Reply<Vec<Finding>> {
    let (id, days) = (id.into_inner(), q.days.unwrap_or(30));
    api.json(move |c| gaps::ahead(c.conn, c.now, c.tz, id, days))
        .await
}
