//! What people submit about teams, checked at the edge: every rule a form and the API share.

use chrono::NaiveDate;

use super::{LeaveKind, MemberRole, MemberStatus, TeamKind};
use crate::error::ServiceError;
use crate::org::model::{optional_text, phone, required_text};

/// A team as created or edited.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamInput {
    pub unit_id: i64,
    pub name: String,
    pub kind: TeamKind,
    pub address: String,
    /// Latitude and longitude in degrees, both or neither.
    pub position: Option<(f64, f64)>,
    pub duty_phone: String,
    pub min_ready: i32,
    /// Speciality codes, sorted, once each.
    pub specialities: Vec<String>,
}

impl TeamInput {
    /// Checks a team: a name, a reachable duty phone, a minimum headcount of 1–10,000, coordinates on the
    /// globe (both or neither).
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        unit_id: i64,
        name: &str,
        kind: TeamKind,
        address: &str,
        position: (Option<f64>, Option<f64>),
        duty_phone: &str,
        min_ready: i64,
        mut specialities: Vec<String>,
    ) -> Result<TeamInput, ServiceError> {
        let position = point(position.0, position.1)?;
        if !(1..=10_000).contains(&min_ready) {
            return Err(ServiceError::invalid(
                "min_ready",
                "最低出动人数应为 1–10000",
                "The minimum ready headcount is 1–10,000",
            ));
        }
        let duty_phone = phone("duty_phone", duty_phone)?;
        if duty_phone.is_empty() {
            return Err(ServiceError::invalid(
                "duty_phone",
                "请填写值班电话",
                "A duty phone is required",
            ));
        }
        specialities
            .iter_mut()
            .for_each(|s| *s = s.trim().to_string());
        specialities.retain(|s| !s.is_empty());
        specialities.sort();
        specialities.dedup();
        Ok(TeamInput {
            unit_id,
            name: required_text("name", name, 100)?,
            kind,
            address: optional_text("address", address, 200)?,
            position,
            duty_phone,
            min_ready: min_ready as i32,
            specialities,
        })
    }
}

/// A point given as latitude and longitude in degrees: both or neither, and on the globe.
pub fn point(lat: Option<f64>, lon: Option<f64>) -> Result<Option<(f64, f64)>, ServiceError> {
    match (lat, lon) {
        (None, None) => Ok(None),
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
        {
            Ok(Some((lat, lon)))
        }
        (Some(_), Some(_)) => Err(ServiceError::invalid(
            "latitude",
            "纬度应在 -90 到 90 之间，经度应在 -180 到 180 之间",
            "Latitude is -90 to 90 and longitude -180 to 180",
        )),
        _ => Err(ServiceError::invalid(
            "longitude",
            "经纬度要么都填，要么都不填",
            "Give both latitude and longitude, or neither",
        )),
    }
}

/// A person's place in a team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberInput {
    pub person_id: i64,
    pub role: MemberRole,
    pub joined_on: NaiveDate,
    pub status: MemberStatus,
    pub status_since: NaiveDate,
    pub status_until: Option<NaiveDate>,
    pub skills: String,
}

impl MemberInput {
    /// Checks a membership: a status cannot start before the member joined nor end before it starts.
    pub fn parse(
        person_id: i64,
        role: MemberRole,
        joined_on: NaiveDate,
        status: MemberStatus,
        status_since: Option<NaiveDate>,
        status_until: Option<NaiveDate>,
        skills: &str,
    ) -> Result<MemberInput, ServiceError> {
        let status_since = status_since.unwrap_or(joined_on);
        if status_since < joined_on {
            return Err(ServiceError::invalid(
                "status_since",
                "状态开始日期不能早于入队日期",
                "A status cannot start before the member joined",
            ));
        }
        if status_until.is_some_and(|u| u < status_since) {
            return Err(ServiceError::invalid(
                "status_until",
                "结束日期不能早于开始日期",
                "The end date is before the start date",
            ));
        }
        Ok(MemberInput {
            person_id,
            role,
            joined_on,
            status,
            status_since,
            status_until,
            skills: optional_text("skills", skills, 200)?,
        })
    }
}

/// A leave request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaveInput {
    pub person_id: i64,
    pub kind: LeaveKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub reason: String,
}

impl LeaveInput {
    /// Checks a leave: it ends on or after its first day, lasts at most a year, and lies within a year of
    /// `today` either way (a mistyped year is caught, not filed).
    pub fn parse(
        person_id: i64,
        kind: LeaveKind,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        reason: &str,
        today: NaiveDate,
    ) -> Result<LeaveInput, ServiceError> {
        if ends_on < starts_on {
            return Err(ServiceError::invalid(
                "ends_on",
                "结束日期不能早于开始日期",
                "The end date is before the start date",
            ));
        }
        if (ends_on - starts_on).num_days() > 366 {
            return Err(ServiceError::invalid(
                "ends_on",
                "一次请假不能超过一年",
                "A leave lasts at most a year",
            ));
        }
        if (today - starts_on).num_days() > 366 || (ends_on - today).num_days() > 366 {
            return Err(ServiceError::invalid(
                "starts_on",
                "请假日期应在今天前后一年之内，请检查年份",
                "Leave lies within a year of today; check the year",
            ));
        }
        Ok(LeaveInput {
            person_id,
            kind,
            starts_on,
            ends_on,
            reason: optional_text("reason", reason, 200)?,
        })
    }
}

/// A certificate someone holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInput {
    pub person_id: i64,
    pub kind: String,
    pub number: String,
    pub issuer: String,
    pub issued_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
}

impl CertificateInput {
    /// Checks a certificate: a number, issued by `today`, and an expiry (if any) on or after its issue.
    pub fn parse(
        person_id: i64,
        kind: &str,
        number: &str,
        issuer: &str,
        (issued_on, expires_on): (NaiveDate, Option<NaiveDate>),
        today: NaiveDate,
    ) -> Result<CertificateInput, ServiceError> {
        if issued_on > today {
            return Err(ServiceError::invalid(
                "issued_on",
                "发证日期不能晚于今天",
                "The issue date cannot be later than today",
            ));
        }
        if expires_on.is_some_and(|e| e < issued_on) {
            return Err(ServiceError::invalid(
                "expires_on",
                "有效期至不能早于发证日期",
                "The expiry is before the issue date",
            ));
        }
        Ok(CertificateInput {
            person_id,
            kind: required_text("certificate_type", kind, 40)?,
            number: required_text("number", number, 60)?,
            issuer: optional_text("issuer", issuer, 100)?,
            issued_on,
            expires_on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn reversed_dates_are_refused_wherever_they_appear() {
        let today = day("2026-11-30");
        let e = LeaveInput::parse(
            1,
            LeaveKind::Sick,
            day("2026-12-05"),
            day("2026-12-01"),
            "",
            today,
        )
        .unwrap_err();
        assert!(matches!(
            e,
            ServiceError::Invalid {
                field: "ends_on",
                ..
            }
        ));
        let e = CertificateInput::parse(
            1,
            "diving",
            "A1",
            "",
            (day("2026-01-01"), Some(day("2025-01-01"))),
            today,
        )
        .unwrap_err();
        assert!(matches!(
            e,
            ServiceError::Invalid {
                field: "expires_on",
                ..
            }
        ));
        let e = MemberInput::parse(
            1,
            MemberRole::Member,
            day("2026-01-01"),
            MemberStatus::Injured,
            Some(day("2026-02-01")),
            Some(day("2026-01-15")),
            "",
        )
        .unwrap_err();
        assert!(matches!(
            e,
            ServiceError::Invalid {
                field: "status_until",
                ..
            }
        ));
    }

    #[test]
    fn a_mistyped_year_is_caught_not_filed() {
        let today = day("2026-11-30");
        let leave =
            |from, to| LeaveInput::parse(1, LeaveKind::Annual, day(from), day(to), "", today);
        assert!(leave("2026-12-01", "2026-12-03").is_ok());
        assert!(
            leave("2025-12-01", "2025-12-03").is_ok(),
            "last winter's leave, filed late"
        );
        assert!(leave("2020-01-01", "2020-01-02").is_err());
        assert!(leave("2027-12-01", "2027-12-03").is_err());
        let cert =
            |issued| CertificateInput::parse(1, "diving", "A1", "", (day(issued), None), today);
        assert!(cert("2026-11-30").is_ok());
        assert!(cert("2027-11-01").is_err(), "not issued yet");
    }

    #[test]
    fn a_team_needs_a_duty_phone_a_sane_minimum_and_both_coordinates() {
        let parse = |pos, phone: &str, min| {
            TeamInput::parse(
                1,
                "防汛队",
                TeamKind::Professional,
                "",
                pos,
                phone,
                min,
                vec![],
            )
        };
        assert!(parse((None, None), "0512-1234", 3).is_ok());
        assert!(parse((Some(31.1), None), "0512-1234", 3).is_err());
        assert!(parse((Some(91.0), Some(120.0)), "0512-1234", 3).is_err());
        assert!(parse((None, None), "", 3).is_err());
        assert!(parse((None, None), "0512-1234", 0).is_err());
        let t = TeamInput::parse(
            1,
            "防汛队",
            TeamKind::Professional,
            "",
            (None, None),
            "0512-1234",
            3,
            vec![
                "water_rescue".into(),
                " flood".into(),
                "water_rescue".into(),
                "".into(),
            ],
        )
        .unwrap();
        assert_eq!(t.specialities, ["flood", "water_rescue"]);
    }
}
