//! A roster's year per person (published shifts only): shifts in each month, weekends, holidays, hours and
//! the total; and fairness: the mean per person of weekend and holiday shifts among those on the same place,
//! each person's difference from it, and who carried more than one shift above it.

use chrono::NaiveDate;
use serde::Serialize;

use super::{names, roster_for};
use crate::calendar::model::check_year;
use crate::db::DbConn;
use crate::duty::model::{
    hours_text, hundredths_text, month_label, tally, DutyRole, Mean, Served, Tally,
};
use crate::duty::store::rosters as roster_store;
use crate::duty::store::shifts as store;
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::sheets::{safe_name, Cell, Table};

/// One person on one place over the year (a person who served as leader and as officer has a line for each).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportLine {
    pub person_id: i64,
    pub name: String,
    pub role: DutyRole,
    /// Shifts begun in each month, January first.
    pub months: Vec<u32>,
    pub weekend: u32,
    pub holiday: u32,
    pub total: u32,
    /// Time on duty, from each shift's start and end.
    pub minutes: i64,
    /// The same in hours (`24`, `23.5`).
    pub hours: String,
    /// Weekend shifts above (+) or below (-) the mean of the place (`+1.25`).
    pub weekend_difference: String,
    pub holiday_difference: String,
    /// The differences in hundredths, for a spreadsheet's numbers.
    #[serde(skip)]
    differences: (i64, i64),
    /// Carried more than one weekend or holiday shift above the mean of the place.
    pub carried_more: bool,
}

/// The mean per person on a place.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlaceMean {
    pub role: DutyRole,
    /// How many people it is shared among (those who served, and the roster's eligible people).
    pub people: u32,
    /// Weekend shifts per person (`2.33`).
    pub weekend: String,
    pub holiday: String,
}

/// A roster's year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DutyReport {
    pub roster_id: i64,
    pub roster_name: String,
    pub year: i32,
    pub means: Vec<PlaceMean>,
    /// Leaders first, then officers.
    pub lines: Vec<ReportLine>,
}

/// The roster's year, counted from its published shifts begun in it.
pub fn report(conn: &mut DbConn, roster: i64, year: i32) -> ServiceResult<DutyReport> {
    check_year("year", year)?;
    let r = roster_for(conn, roster)?;
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    );
    let shifts = store::live_on_days(conn, roster, from, to)?;
    let ids: Vec<i64> = shifts.iter().map(|s| s.id).collect();
    let places = store::places(conn, &ids)?;
    let served: Vec<Served> = shifts
        .iter()
        .flat_map(|s| {
            let minutes = (s.ends_at - s.starts_at).num_minutes();
            places
                .get(&s.id)
                .into_iter()
                .flatten()
                .map(move |(person, role)| Served {
                    person: *person,
                    role: *role,
                    day: s.day,
                    class: s.class(),
                    minutes,
                })
        })
        .collect();
    let tallies = tally(&served, &roster_store::eligible(conn, roster)?);
    let names = names(conn)?;
    let mut means = Vec::new();
    let mut lines = Vec::new();
    for role in DutyRole::ALL {
        let on: Vec<&Tally> = tallies.iter().filter(|t| t.role == *role).collect();
        if on.is_empty() {
            continue;
        }
        let weekend = Mean::of(on.iter().map(|t| t.weekend));
        let holiday = Mean::of(on.iter().map(|t| t.holiday));
        means.push(PlaceMean {
            role: *role,
            people: weekend.people,
            weekend: hundredths_text(weekend.hundredths(), false),
            holiday: hundredths_text(holiday.hundredths(), false),
        });
        lines.extend(on.iter().map(|t| {
            let differences = (weekend.difference(t.weekend), holiday.difference(t.holiday));
            ReportLine {
                person_id: t.person,
                name: names.get(&t.person).cloned().unwrap_or_default(),
                role: t.role,
                months: t.months.to_vec(),
                weekend: t.weekend,
                holiday: t.holiday,
                total: t.total,
                minutes: t.minutes,
                hours: hours_text(t.minutes),
                weekend_difference: hundredths_text(differences.0, true),
                holiday_difference: hundredths_text(differences.1, true),
                differences,
                carried_more: weekend.exceeded_by_more_than_one(t.weekend)
                    || holiday.exceeded_by_more_than_one(t.holiday),
            }
        }));
    }
    Ok(DutyReport {
        roster_id: r.id,
        roster_name: r.name,
        year,
        means,
        lines,
    })
}

/// The report as a table: one row per line, the months as columns, the flag in words.
pub fn report_table(report: &DutyReport, lang: Lang) -> Table {
    let mut headers: Vec<String> = ["field.name", "duty.place"]
        .iter()
        .map(|k| lang.t(k).to_string())
        .collect();
    headers.extend((1..=12).map(|m| month_label(m, lang)));
    headers.extend(
        [
            "duty.total",
            "duty.weekend_shifts",
            "duty.vs_mean",
            "duty.holiday_shifts",
            "duty.vs_mean",
            "duty.hours",
            "duty.fairness",
        ]
        .iter()
        .map(|k| lang.t(k).to_string()),
    );
    // Numbers, so that a spreadsheet sums and sorts them.
    let count = |n: u32| Cell::Qty(i64::from(n) * 1000);
    let hundredths = |n: i64| Cell::Qty(n * 10);
    let rows = report
        .lines
        .iter()
        .map(|l| {
            let mut row = vec![
                Cell::Text(l.name.clone()),
                Cell::Text(l.role.label(lang).to_string()),
            ];
            row.extend(l.months.iter().map(|n| count(*n)));
            row.extend([
                count(l.total),
                count(l.weekend),
                hundredths(l.differences.0),
                count(l.holiday),
                hundredths(l.differences.1),
                Cell::Qty(l.minutes * 1000 / 60),
                Cell::Text(if l.carried_more {
                    lang.t("duty.carried_more").to_string()
                } else {
                    String::new()
                }),
            ]);
            row
        })
        .collect();
    Table {
        name: format!(
            "{}-{}-{}",
            safe_name(&report.roster_name),
            lang.t("duty.report"),
            report.year
        ),
        sheet: lang.t("duty.report").to_string(),
        headers,
        rows,
    }
}
