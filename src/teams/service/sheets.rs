//! Spreadsheets of the teams area: a team's roster (花名册) imported all or nothing; rosters, the
//! certificate register and training hours exported.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{managed_team, phone_for, team_for};
use crate::audit::{model::Change, service as audit};
use crate::clock::today;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::{Lang, Text};
use crate::org::model::{Actor, PersonPatch};
use crate::org::service::people as org_people;
use crate::sheets::{safe_name, Cell, Table};
use crate::teams::model::{certificate_valid, parse_roster, person_rights, MemberInput};
use crate::teams::store::members as member_store;
use crate::teams::store::{certificates as cert_store, lists};

/// What a roster import did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RosterSummary {
    pub rows: usize,
    /// People who joined the team.
    pub added: usize,
    /// Members whose role, status or skills were brought up to date.
    pub updated: usize,
    /// People created in the team's unit (not found by phone or name).
    pub people_created: usize,
}

/// Imports a roster into a team the actor manages: each row is matched to a person by phone, else by name
/// within the team's unit (a person not found is created there, when the actor may add people to it);
/// new people join, members are brought up to date. All or nothing: any bad row refuses the whole file.
pub fn import_roster(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    team_id: i64,
    file: &[u8],
) -> ServiceResult<RosterSummary> {
    let team = managed_team(conn, actor, team_id)?;
    let grid = crate::sheets::read_grid(file)?;
    let rows = parse_roster(&grid).map_err(ServiceError::InvalidRows)?;
    let day = today(now, tz);
    write_tx(conn, |c| {
        let people = member_store::active_people(c)?;
        let members = member_store::of_teams(c, Some(&[team_id]))?;
        let mut errors = Vec::new();
        let mut summary = RosterSummary {
            rows: rows.len(),
            added: 0,
            updated: 0,
            people_created: 0,
        };
        for r in &rows {
            let by_phone: Vec<_> = people
                .iter()
                .filter(|p| !r.phone.is_empty() && p.2 == r.phone)
                .collect();
            let by_name: Vec<_> = people
                .iter()
                .filter(|p| p.1 == r.name && p.3 == team.unit_id)
                .collect();
            let person = match (by_phone.as_slice(), by_name.as_slice()) {
                ([p], _) => p.0,
                ([], [p]) => p.0,
                ([], []) => {
                    let patch = PersonPatch::parse(
                        Some(team.unit_id),
                        Some(&r.name),
                        Some("队员"),
                        Some(&r.phone),
                        Some(""),
                        None,
                    )?;
                    match org_people::create(c, actor, now, patch) {
                        Ok(p) => {
                            summary.people_created += 1;
                            p.id
                        }
                        Err(ServiceError::Forbidden) => {
                            errors.push((
                                r.row,
                                "姓名".to_string(),
                                Text::new(
                                    "找不到此人，您也无权在本单位新建人员；请先请单位登记此人",
                                    "No such person, and you may not add people to the unit; ask the unit to record them first",
                                ),
                            ));
                            continue;
                        }
                        Err(e) => return Err(e),
                    }
                }
                _ => {
                    errors.push((
                        r.row,
                        "手机".to_string(),
                        Text::new(
                            "同名或同号的人员不止一位，请填写手机号以区分",
                            "More than one person matches; give the phone number to tell them apart",
                        ),
                    ));
                    continue;
                }
            };
            let existing = members.iter().find(|m| m.person_id == person);
            let input = MemberInput::parse(
                person,
                r.role,
                r.joined_on.or(existing.map(|m| m.joined_on)).unwrap_or(day),
                r.status,
                existing
                    .filter(|m| m.status == r.status)
                    .map(|m| m.status_since)
                    .or(Some(day)),
                None,
                &r.skills,
            );
            let input = match input {
                Ok(i) => i,
                Err(e) => {
                    errors.push((
                        r.row,
                        "入队日期".into(),
                        Text::new(e.message(Lang::Zh), e.message(Lang::En)),
                    ));
                    continue;
                }
            };
            match existing {
                Some(m) => {
                    member_store::update(c, m.id, &input, db_time(now))?;
                    summary.updated += 1;
                }
                None => {
                    member_store::insert(c, team_id, &input, db_time(now))?;
                    summary.added += 1;
                }
            }
        }
        if !errors.is_empty() {
            return Err(ServiceError::InvalidRows(errors));
        }
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("team", team_id, Some(team.unit_id), None, Some(&summary)).action("import"),
        )?;
        Ok(summary)
    })
}

fn headers(lang: Lang, zh: &[&str], en: &[&str]) -> Vec<String> {
    match lang {
        Lang::Zh => zh.iter().map(|s| s.to_string()).collect(),
        Lang::En => en.iter().map(|s| s.to_string()).collect(),
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// A team's roster: members with their role, status, phone (as the actor may see it) and certificates.
pub fn roster_table(
    conn: &mut DbConn,
    actor: &Actor,
    team_id: i64,
    lang: Lang,
    day: NaiveDate,
) -> ServiceResult<Table> {
    let team = team_for(conn, team_id)?;
    let members = member_store::of_teams(conn, Some(&[team_id]))?;
    let ids: Vec<i64> = members.iter().map(|m| m.person_id).collect();
    let types = type_names(conn, lang)?;
    let mut held: HashMap<i64, Vec<String>> = HashMap::new();
    for c in cert_store::of_people(conn, Some(&ids))? {
        if certificate_valid(c.issued_on, c.expires_on, day) {
            held.entry(c.person_id).or_default().push(
                types
                    .get(&c.certificate_type)
                    .cloned()
                    .unwrap_or(c.certificate_type),
            );
        }
    }
    Ok(Table {
        name: format!("{}-{}-{day}", safe_name(&team.name), lang.t("teams.roster")),
        sheet: lang.t("teams.roster").to_string(),
        headers: headers(
            lang,
            &[
                "姓名",
                "队内职务",
                "状态",
                "状态开始",
                "入队日期",
                "手机",
                "技能特长",
                "有效证书",
            ],
            &[
                "Name",
                "Role",
                "Status",
                "Since",
                "Joined on",
                "Phone",
                "Skills",
                "Valid certificates",
            ],
        ),
        rows: members
            .iter()
            .map(|m| {
                vec![
                    text(&m.name),
                    text(m.role.label(lang)),
                    text(m.status.label(lang)),
                    Cell::Date(Some(m.status_since)),
                    Cell::Date(Some(m.joined_on)),
                    text(phone_for(actor, &m.phone)),
                    text(&m.skills),
                    text(
                        held.get(&m.person_id)
                            .map(|v| v.join("、"))
                            .unwrap_or_default(),
                    ),
                ]
            })
            .collect(),
    })
}

fn type_names(conn: &mut DbConn, lang: Lang) -> ServiceResult<HashMap<String, String>> {
    Ok(lists::certificate_types(conn)?
        .into_iter()
        .map(|t| {
            let name = if lang == Lang::Zh { t.name } else { t.name_en };
            (t.code, name)
        })
        .collect())
}

/// The certificate register: every certificate of the people whose records the actor may see (their units'
/// people for managers, their team's members for 队长/副队长, their own), with validity on `day`.
pub fn certificates_table(
    conn: &mut DbConn,
    actor: &Actor,
    lang: Lang,
    day: NaiveDate,
) -> ServiceResult<Table> {
    let people = member_store::active_people(conn)?;
    let tree = crate::org::store::tree_of(conn, actor)?;
    let led = match actor.person_id {
        Some(p) => member_store::teams_led_by(conn, p)?,
        None => Vec::new(),
    };
    let led_members: std::collections::HashSet<i64> = member_store::of_teams(conn, Some(&led))?
        .iter()
        .filter(|m| m.status != crate::teams::model::MemberStatus::Left)
        .map(|m| m.person_id)
        .collect();
    let visible: Vec<i64> = people
        .iter()
        .filter(|p| person_rights(actor, p.0, p.3, led_members.contains(&p.0), &tree).view)
        .map(|p| p.0)
        .collect();
    let names: HashMap<i64, &String> = people.iter().map(|p| (p.0, &p.1)).collect();
    let types = type_names(conn, lang)?;
    let rows = cert_store::of_people(conn, Some(&visible))?
        .into_iter()
        .map(|c| {
            let valid = certificate_valid(c.issued_on, c.expires_on, day);
            vec![
                text(
                    names
                        .get(&c.person_id)
                        .map(|n| n.as_str())
                        .unwrap_or_default(),
                ),
                text(
                    types
                        .get(&c.certificate_type)
                        .cloned()
                        .unwrap_or(c.certificate_type),
                ),
                text(c.number),
                text(c.issuer),
                Cell::Date(Some(c.issued_on)),
                Cell::Date(c.expires_on),
                text(if valid {
                    lang.t("teams.valid")
                } else {
                    lang.t("teams.invalid")
                }),
            ]
        })
        .collect();
    Ok(Table {
        name: format!("{}-{day}", lang.t("teams.certificates_export")),
        sheet: lang.t("teams.certificates").to_string(),
        headers: headers(
            lang,
            &[
                "姓名",
                "证书类型",
                "证书编号",
                "发证机关",
                "发证日期",
                "有效期至",
                "是否有效",
            ],
            &[
                "Name",
                "Type",
                "Number",
                "Issued by",
                "Issued on",
                "Valid until",
                "Valid",
            ],
        ),
        rows,
    })
}

/// A team's training hours per member in a year.
pub fn training_table(
    conn: &mut DbConn,
    team_id: i64,
    year: i32,
    lang: Lang,
) -> ServiceResult<Table> {
    let team = team_for(conn, team_id)?;
    let (from, to) = crate::teams::model::year_span(year)?;
    let summary = super::training::summary(conn, team_id, from, to)?;
    Ok(Table {
        name: format!(
            "{}-{}-{year}",
            safe_name(&team.name),
            lang.t("teams.training")
        ),
        sheet: lang.t("teams.training").to_string(),
        headers: headers(
            lang,
            &["姓名", "学时", "出勤次数", "缺勤次数", "请假次数"],
            &["Name", "Hours", "Present", "Absent", "On leave"],
        ),
        rows: summary
            .members
            .iter()
            .map(|m| {
                vec![
                    text(&m.name),
                    // Numbers, so that a spreadsheet sums them: hours to three decimals, counts whole.
                    Cell::Qty(m.minutes * 1000 / 60),
                    Cell::Qty(m.present * 1000),
                    Cell::Qty(m.absent * 1000),
                    Cell::Qty(m.leave * 1000),
                ]
            })
            .collect(),
    })
}
