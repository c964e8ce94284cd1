//! Team pages: the district's readiness board and the search by capability (made for a phone), a team with
//! its members, equipment and training, a person's certificates and leave, the leave queue, the lists.

mod board;
mod decisions;
mod people;
mod sheets;
mod team;
mod team_forms;
mod training;

use actix_web::web;

use crate::error::ServiceError;
use crate::i18n::Lang;
use crate::teams::service::lists::Lists;
use crate::teams::service::readiness::TeamStatus;

/// Registers the pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    board::routes(cfg);
    sheets::routes(cfg);
    team_forms::routes(cfg);
    training::routes(cfg);
    people::routes(cfg);
    decisions::routes(cfg);
    // Last: `/teams/{id}` would otherwise take `/teams/leaves` and the like.
    team::routes(cfg);
}

/// Speciality and certificate-type names in `lang`, by code.
struct Names {
    specialities: Vec<(String, String)>,
    certificates: Vec<(String, String)>,
}

impl Names {
    fn of(lists: &Lists, lang: Lang) -> Names {
        let pick = |zh: &str, en: &str| match lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
        };
        Names {
            specialities: lists
                .specialities
                .iter()
                .filter(|s| s.speciality.active)
                .map(|s| {
                    (
                        s.speciality.code.clone(),
                        pick(&s.speciality.name, &s.speciality.name_en),
                    )
                })
                .collect(),
            certificates: lists
                .certificate_types
                .iter()
                .filter(|t| t.active)
                .map(|t| (t.code.clone(), pick(&t.name, &t.name_en)))
                .collect(),
        }
    }

    fn speciality(&self, code: &str) -> String {
        find(&self.specialities, code)
    }

    fn certificate(&self, code: &str) -> String {
        find(&self.certificates, code)
    }
}

fn find(list: &[(String, String)], code: &str) -> String {
    list.iter()
        .find(|(c, _)| c == code)
        .map_or_else(|| code.to_string(), |(_, n)| n.clone())
}

/// A team's line on the board and in search results.
struct StatusRow {
    id: i64,
    name: String,
    kind: &'static str,
    state: &'static str,
    /// `ok`, `short` or `off`: how the state is marked.
    mark: &'static str,
    qualified: i64,
    min_ready: i64,
    available: i64,
    specialities: Vec<String>,
    leaders: Vec<(String, String, bool)>,
    duty_phone: String,
    reasons: Vec<String>,
}

fn status_row(s: &TeamStatus, names: &Names, lang: Lang) -> StatusRow {
    use crate::teams::model::ReadyState;
    StatusRow {
        id: s.team.id,
        name: s.team.name.clone(),
        kind: s.team.kind.label(lang),
        state: s.readiness.state.label(lang),
        mark: match s.readiness.state {
            ReadyState::Ready => "ok",
            ReadyState::Short => "short",
            ReadyState::NotReady => "off",
        },
        qualified: s.readiness.qualified,
        min_ready: s.readiness.min_ready,
        available: s.readiness.available,
        specialities: s.specialities.iter().map(|c| names.speciality(c)).collect(),
        leaders: s
            .leaders
            .iter()
            .map(|l| (l.name.clone(), l.phone.clone(), l.available))
            .collect(),
        duty_phone: s.team.duty_phone.clone(),
        reasons: s.reasons.clone(),
    }
}

/// A coordinate typed on the page (blank: none).
pub(super) fn coordinate(field: &'static str, v: &str) -> Result<Option<f64>, ServiceError> {
    match v.trim() {
        "" => Ok(None),
        v => v
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| {
                ServiceError::invalid(
                    field,
                    "经纬度应为数字，例如 31.139",
                    "A coordinate is a number, e.g. 31.139",
                )
            }),
    }
}

/// Where the teams pages find a refused field's label: `teams.{field}`, else `af.{field}`.
const LABELS: &[&str] = &["teams", "af"];

/// A leave as the lists show it.
struct LeaveLine {
    id: i64,
    who: String,
    kind: &'static str,
    /// First and last day, and how many days.
    days: String,
    reason: String,
    state: &'static str,
    /// Requested or approved: it can still be withdrawn.
    open: bool,
    note: String,
}

fn leave_line(l: &crate::teams::store::leaves::Leave, who: String, lang: Lang) -> LeaveLine {
    use crate::teams::model::LeaveState;
    let n = (l.ends_on - l.starts_on).num_days() + 1;
    LeaveLine {
        id: l.id,
        who,
        kind: l.kind.label(lang),
        days: match lang {
            Lang::Zh => format!("{} → {}，共 {n} 天", l.starts_on, l.ends_on),
            Lang::En => format!("{} → {}, {n} day(s)", l.starts_on, l.ends_on),
        },
        reason: l.reason.clone(),
        state: l.state.label(lang),
        open: matches!(l.state, LeaveState::Requested | LeaveState::Approved),
        note: l.decision_note.clone(),
    }
}
