//! `/api/v1/teams`: readiness, teams, members, equipment, training, the search by capability, the lists.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, put, web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::clock::today;
use crate::teams::model::{
    point, year_span, Attendance, MemberInput, MemberRole, MemberStatus, TeamInput, TeamKind,
    TrainingInput,
};
use crate::teams::service::lists::{self, Lists, SpecialityView};
use crate::teams::service::members;
use crate::teams::service::readiness::{self, Capability, Summary, TeamStatus};
use crate::teams::service::teams::{self as service, TeamView};
use crate::teams::service::training::{self, TrainingSummary};
use crate::teams::store::lists::CertificateType;
use crate::teams::store::members::Member;
use crate::teams::store::teams::{Equipment, Team};
use crate::teams::store::training::Training;
use crate::web::error::ApiError;
use crate::web::json::Json;
use crate::web::{Api, Reply};

/// A team as created or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamIn {
    pub unit_id: i64,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub kind: TeamKind,
    #[serde(default)]
    pub address: String,
    /// Degrees north (with `longitude`, or neither).
    pub latitude: Option<f64>,
    /// Degrees east.
    pub longitude: Option<f64>,
    pub duty_phone: String,
    /// The headcount it must be able to turn out (1–10,000).
    #[schema(minimum = 1, maximum = 10000)]
    pub min_ready: i64,
    /// Speciality codes from `GET /team-lists`.
    #[serde(default)]
    pub specialities: Vec<String>,
    /// False stands the team down (replacing only; default true).
    pub active: Option<bool>,
}

impl TeamIn {
    fn parse(self) -> crate::error::ServiceResult<(TeamInput, bool)> {
        let input = TeamInput::parse(
            self.unit_id,
            &self.name,
            self.kind,
            &self.address,
            (self.latitude, self.longitude),
            &self.duty_phone,
            self.min_ready,
            self.specialities,
        )?;
        Ok((input, self.active.unwrap_or(true)))
    }
}

/// The district's readiness today.
#[derive(Debug, Serialize, ToSchema)]
pub struct Board {
    pub day: NaiveDate,
    pub summary: Summary,
    /// Not ready first, then short, then ready.
    pub teams: Vec<TeamStatus>,
}

/// Every active team's readiness today (anyone signed in).
#[utoipa::path(tag = "teams", security(("bearer" = [])), responses((status = 200, body = Board)))]
#[get("/teams")]
pub async fn list(api: Api) -> Reply<Board> {
    api.json(|c| {
        let day = today(c.now, c.tz);
        let teams = readiness::statuses(c.conn, c.actor, day)?;
        Ok(Board {
            day,
            summary: readiness::summary(&teams),
            teams,
        })
    })
    .await
}

/// Create a team (administrators, office staff and unit heads covering its unit).
#[utoipa::path(tag = "teams", request_body = TeamIn, security(("bearer" = [])), responses((status = 201, body = Team)))]
#[post("/teams")]
pub async fn create(api: Api, body: Json<TeamIn>) -> Reply<Team> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        let (input, _) = b.parse()?;
        service::create(c.conn, c.actor, c.now, input)
    })
    .await
}

/// One team: readiness today with the reasons, members, equipment with what the book holds.
#[utoipa::path(tag = "teams", security(("bearer" = [])), responses((status = 200, body = TeamView)))]
#[get("/teams/{id:\\d+}")]
pub async fn get(api: Api, id: web::Path<i64>) -> Reply<TeamView> {
    let id = id.into_inner();
    api.json(move |c| service::get(c.conn, c.actor, id, c.now, c.tz))
        .await
}

/// Replace a team's details and specialities (its 队长/副队长 may; moving it to another unit or standing it
/// down takes a role over the unit).
#[utoipa::path(tag = "teams", request_body = TeamIn, security(("bearer" = [])), responses((status = 200, body = Team)))]
#[put("/teams/{id:\\d+}")]
pub async fn update(api: Api, id: web::Path<i64>, body: Json<TeamIn>) -> Reply<Team> {
    let (id, b) = (id.into_inner(), body.0);
    api.json(move |c| {
        let (input, active) = b.parse()?;
        service::update(c.conn, c.actor, c.now, id, input, active)
    })
    .await
}

/// A person's place in a team.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberIn {
    pub person_id: i64,
    pub role: MemberRole,
    pub joined_on: NaiveDate,
    /// Default `in_post`.
    pub status: Option<MemberStatus>,
    /// Default: the day they joined.
    pub status_since: Option<NaiveDate>,
    /// When the status is expected to end (e.g. back from injury).
    pub status_until: Option<NaiveDate>,
    #[serde(default)]
    pub skills: String,
}

impl MemberIn {
    fn parse(self) -> crate::error::ServiceResult<MemberInput> {
        MemberInput::parse(
            self.person_id,
            self.role,
            self.joined_on,
            self.status.unwrap_or(MemberStatus::InPost),
            self.status_since,
            self.status_until,
            &self.skills,
        )
    }
}

/// Add a person to a team (its managers and 队长/副队长).
#[utoipa::path(tag = "teams", request_body = MemberIn, security(("bearer" = [])), responses((status = 201, body = Member)))]
#[post("/teams/{id}/members")]
pub async fn add_member(api: Api, id: web::Path<i64>, body: Json<MemberIn>) -> Reply<Member> {
    let (id, b) = (id.into_inner(), body.0);
    api.reply(StatusCode::CREATED, move |c| {
        members::add(c.conn, c.actor, c.now, id, b.parse()?)
    })
    .await
}

/// Change a member's role, status or skills.
#[utoipa::path(tag = "teams", request_body = MemberIn, security(("bearer" = [])), responses((status = 200, body = Member)))]
#[put("/teams/{id}/members/{member_id}")]
pub async fn update_member(
    api: Api,
    path: web::Path<(i64, i64)>,
    body: Json<MemberIn>,
) -> Reply<Member> {
    let ((team, id), b) = (path.into_inner(), body.0);
    api.json(move |c| members::update(c.conn, c.actor, c.now, team, id, b.parse()?))
        .await
}

/// Equipment a team carries.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquipmentIn {
    pub warehouse_id: i64,
    /// One item of the warehouse; none: all of its stock.
    pub item_id: Option<i64>,
    #[serde(default)]
    pub note: String,
}

/// Link a warehouse's stock, or one item of it, to a team.
#[utoipa::path(tag = "teams", request_body = EquipmentIn, security(("bearer" = [])), responses((status = 201, body = Equipment)))]
#[post("/teams/{id}/equipment")]
pub async fn add_equipment(
    api: Api,
    id: web::Path<i64>,
    body: Json<EquipmentIn>,
) -> Reply<Equipment> {
    let (id, b) = (id.into_inner(), body.0);
    api.reply(StatusCode::CREATED, move |c| {
        service::add_equipment(
            c.conn,
            c.actor,
            c.now,
            id,
            b.warehouse_id,
            b.item_id,
            &b.note,
        )
    })
    .await
}

/// Remove an equipment link.
#[utoipa::path(tag = "teams", security(("bearer" = [])), responses((status = 204)))]
#[delete("/teams/{id}/equipment/{equipment_id}")]
pub async fn remove_equipment(
    api: Api,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (team, id) = path.into_inner();
    api.run(move |c| service::remove_equipment(c.conn, c.actor, c.now, team, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A member's attendance at a session.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceIn {
    pub person_id: i64,
    pub status: Attendance,
}

/// A training session.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingIn {
    pub held_on: NaiveDate,
    /// Hours as a decimal, more than 0 and at most 24 (`"2.5"`).
    pub hours: String,
    pub subject: String,
    #[serde(default)]
    pub trainer: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub attendance: Vec<AttendanceIn>,
}

/// Record a training session with its attendance.
#[utoipa::path(tag = "teams", request_body = TrainingIn, security(("bearer" = [])), responses((status = 201, body = Training)))]
#[post("/teams/{id}/trainings")]
pub async fn add_training(api: Api, id: web::Path<i64>, body: Json<TrainingIn>) -> Reply<Training> {
    let (id, b) = (id.into_inner(), body.0);
    api.reply(StatusCode::CREATED, move |c| {
        let input = TrainingInput::parse(
            b.held_on,
            (&b.hours, &b.subject, &b.trainer, &b.place),
            b.attendance
                .into_iter()
                .map(|a| (a.person_id, a.status))
                .collect(),
            today(c.now, c.tz),
        )?;
        training::record(c.conn, c.actor, c.now, id, input)
    })
    .await
}

/// A year of training.
#[derive(Debug, Deserialize, IntoParams)]
pub struct YearQuery {
    /// The calendar year (default: this year).
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

/// A team's training in a year: sessions with attendance, hours per member.
#[utoipa::path(tag = "teams", params(YearQuery), security(("bearer" = [])), responses((status = 200, body = TrainingSummary)))]
#[get("/teams/{id}/trainings")]
pub async fn trainings(
    api: Api,
    id: web::Path<i64>,
    q: web::Query<YearQuery>,
) -> Reply<TrainingSummary> {
    let (id, year) = (id.into_inner(), q.year);
    api.json(move |c| {
        let (from, to) = year_span(year.unwrap_or_else(|| today(c.now, c.tz).year()))?;
        training::summary(c.conn, id, from, to)
    })
    .await
}

/// What to search for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// A speciality code, e.g. `water_rescue`.
    pub speciality: String,
    /// Where help is needed (with `lon`): teams are then given with their distance.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Only teams that are ready (default false: short ones are listed after the ready ones).
    pub ready_only: Option<bool>,
}

/// Who can do it now: teams with the speciality, ready first, with how many members can do it today,
/// their leaders and phones, the distance, and the members holding a required certificate.
#[utoipa::path(tag = "teams", params(SearchQuery), security(("bearer" = [])), responses((status = 200, body = Vec<Capability>)))]
#[get("/teams/search")]
pub async fn search(api: Api, q: web::Query<SearchQuery>) -> Reply<Vec<Capability>> {
    let q = q.into_inner();
    api.json(move |c| {
        let near = point(q.lat, q.lon)?;
        readiness::search(
            c.conn,
            c.actor,
            today(c.now, c.tz),
            q.speciality.trim(),
            near,
            q.ready_only.unwrap_or(false),
        )
    })
    .await
}

/// The specialities (with the certificate types each requires) and the certificate types.
#[utoipa::path(tag = "teams", security(("bearer" = [])), responses((status = 200, body = Lists)))]
#[get("/team-lists")]
pub async fn get_lists(api: Api) -> Reply<Lists> {
    api.json(|c| lists::lists(c.conn)).await
}

/// A new speciality.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecialityIn {
    /// Lower-case letters, digits and underscores, e.g. `mountain_rescue`.
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// Certificate type codes its members must hold.
    #[serde(default)]
    pub requires: Vec<String>,
}

/// Add a speciality (district administrators and office staff).
#[utoipa::path(tag = "teams", request_body = SpecialityIn, security(("bearer" = [])), responses((status = 201, body = SpecialityView)))]
#[post("/team-lists/specialities")]
pub async fn add_speciality(api: Api, body: Json<SpecialityIn>) -> Reply<SpecialityView> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        lists::add_speciality(
            c.conn, c.actor, c.now, &b.code, &b.name, &b.name_en, b.requires,
        )
    })
    .await
}

/// A new certificate type.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateTypeIn {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

/// Add a certificate type (district administrators and office staff).
#[utoipa::path(tag = "teams", request_body = CertificateTypeIn, security(("bearer" = [])), responses((status = 201, body = CertificateType)))]
#[post("/team-lists/certificate-types")]
pub async fn add_certificate_type(
    api: Api,
    body: Json<CertificateTypeIn>,
) -> Reply<CertificateType> {
    let b = body.0;
    api.reply(StatusCode::CREATED, move |c| {
        lists::add_certificate_type(c.conn, c.actor, c.now, &b.code, &b.name, &b.name_en)
    })
    .await
}
