//! What the teams area tells people, as a reminder source: a certificate reaching one of its leads before it
//! lapses (90/30/7 days by default), to its holder, the leaders of their teams and their unit.

use chrono::{DateTime, NaiveDate, Utc};

use crate::clock::today;
use crate::config::{ConfigError, Vars};
use crate::db::DbConn;
use crate::error::ServiceResult;
use crate::notify::model::{lead_reached, KindSpec, Mode, Reason};
use crate::notify::render::email_content;
use crate::notify::service::Outgoing;
use crate::notify::ReminderSource;
use crate::org::store as org_store;
use crate::teams::store::{
    certificates as cert_store, lists, members as member_store, teams as team_store,
};

/// A certificate about to lapse.
pub static CERTIFICATE_EXPIRY: KindSpec = KindSpec {
    code: "certificate_expiry",
    zh: "证书即将到期",
    en: "Certificate expiring",
    default_mode: Mode::Immediate,
    unit_choice: true,
    chat: true,
};

/// The person who holds the certificate.
pub static HOLDER: Reason = Reason {
    code: "certificate_holder",
    zh: "持证人",
    en: "Certificate holder",
};
/// A 队长 or 副队长 of a team the holder belongs to.
pub static TEAM_LEADER: Reason = Reason {
    code: "team_leader",
    zh: "队长/副队长",
    en: "Team leader",
};

static KINDS: [&KindSpec; 1] = [&CERTIFICATE_EXPIRY];
static REASONS: [&Reason; 2] = [&HOLDER, &TEAM_LEADER];

/// The teams area's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Days before a certificate lapses to remind, largest first, `STANDBY_CERTIFICATE_LEAD_DAYS`
    /// (`90,30,7`).
    pub certificate_lead_days: Vec<i64>,
}

impl Settings {
    /// Reads the section from the environment.
    pub fn from_vars(vars: &Vars) -> Result<Settings, ConfigError> {
        Ok(Settings {
            certificate_lead_days: vars.days("STANDBY_CERTIFICATE_LEAD_DAYS", &[90, 30, 7])?,
        })
    }
}

/// A certificate reaching a lead.
#[derive(Debug, Clone)]
pub struct CertificateExpiry {
    pub person: String,
    pub kind: String,
    pub kind_en: String,
    pub number: String,
    pub teams: String,
    pub expires_on: NaiveDate,
    pub days_left: i64,
}
email_content!(
    CertificateExpiry,
    "email/certificate_expiry/subject.txt",
    "email/certificate_expiry/body.txt",
    "email/certificate_expiry/body.html"
);

impl ReminderSource for super::Area {
    fn area(&self) -> &'static str {
        "teams"
    }

    fn kinds(&self) -> &'static [&'static KindSpec] {
        &KINDS
    }

    fn reasons(&self) -> &'static [&'static Reason] {
        &REASONS
    }

    fn findings(
        &self,
        conn: &mut DbConn,
        now: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> ServiceResult<Vec<Outgoing>> {
        let leads = &self.settings.certificate_lead_days;
        let day = today(now, tz);
        let widest = leads.first().copied().unwrap_or(0);
        let expiring = cert_store::expiring(conn, day, day + chrono::Duration::days(widest))?;
        if expiring.is_empty() {
            return Ok(Vec::new());
        }
        let types = lists::certificate_types(conn)?;
        let teams = team_store::all(conn)?;
        let mut out = Vec::new();
        for c in expiring {
            let (Some(expires_on), Some(lead)) = (
                c.expires_on,
                c.expires_on.and_then(|e| lead_reached(e, day, leads)),
            ) else {
                continue;
            };
            let Some(person) = org_store::find_person(conn, c.person_id)?.filter(|p| p.active)
            else {
                continue;
            };
            // Renewed under a new number: the old certificate lapses with nothing to do (as on the home page).
            let renewed = cert_store::of_people(conn, Some(&[person.id]))?
                .iter()
                .any(|o| {
                    o.id != c.id
                        && o.certificate_type == c.certificate_type
                        && o.expires_on.is_none_or(|x| x > expires_on)
                });
            if renewed {
                continue;
            }
            let mut people = vec![(person.id, &HOLDER)];
            let mut names = Vec::new();
            for t in member_store::teams_of(conn, person.id)? {
                let Some(team) = teams.iter().find(|x| x.id == t && x.active) else {
                    continue;
                };
                names.push(team.name.clone());
                for leader in member_store::leaders_of(conn, t)? {
                    if !people.iter().any(|(p, _)| *p == leader) {
                        people.push((leader, &TEAM_LEADER));
                    }
                }
            }
            let kind = types.iter().find(|t| t.code == c.certificate_type);
            out.push(Outgoing {
                kind: &CERTIFICATE_EXPIRY,
                key: format!("certificate_expiry:{}:{expires_on}:{lead}", c.id),
                unit_id: Some(person.unit_id),
                path: format!("/teams/people/{}", person.id),
                people,
                to_unit: true,
                addresses: Vec::new(),
                content: Box::new(CertificateExpiry {
                    person: person.name,
                    kind: kind.map_or_else(|| c.certificate_type.clone(), |k| k.name.clone()),
                    kind_en: kind.map_or_else(|| c.certificate_type.clone(), |k| k.name_en.clone()),
                    number: c.number,
                    teams: names.join("、"),
                    expires_on,
                    days_left: (expires_on - day).num_days(),
                }),
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_certificate_leads_name_their_variable() {
        assert_eq!(
            Settings::from_vars(&Vars::default())
                .unwrap()
                .certificate_lead_days,
            [90, 30, 7]
        );
        let vars = Vars::new(
            [(
                "STANDBY_CERTIFICATE_LEAD_DAYS".to_string(),
                "30,x".to_string(),
            )]
            .into(),
        );
        let e = Settings::from_vars(&vars).unwrap_err();
        assert_eq!(e.variable, "STANDBY_CERTIFICATE_LEAD_DAYS");
    }
}
