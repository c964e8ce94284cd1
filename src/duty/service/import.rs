//! An existing 值班表 brought in from a spreadsheet as a draft plan, exactly as generation would make one (the
//! holiday calendar's kinds of day, what each shift needs, holiday duty for the office to approve), but
//! with the people the file names. All or nothing: every unknown or ambiguous name is refused by its row
//! and column, and nothing is stored.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::drafts::{open_range, slots_of, store_draft};
use super::managed_roster;
use super::plan_view::PlanView;
use crate::clock::today;
use crate::db::{write_tx, DbConn};
use crate::duty::model::{check_range, read_paper, DutyRole, PaperRoster, Place};
use crate::duty::store::rosters::{self as roster_store, Roster};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Text;
use crate::org::model::Actor;
use crate::sheets::{read_grid, RowError};

/// Imports a 值班表 (XLSX or CSV: 日期, 带班领导, 值班人员) into a draft of the days it covers, on a roster of one
/// 24-hour shift a day that the actor manages. Names are matched among the roster's eligible people and the
/// unit's people; a range sharing a day with another plan is refused.
pub fn import(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: Tz,
    roster: i64,
    file: &[u8],
) -> ServiceResult<PlanView> {
    // Who may not import, or onto this roster, is told so before the file is opened.
    one_shift_a_day(&managed_roster(conn, actor, roster)?)?;
    let paper = read_paper(read_grid(file)?).map_err(ServiceError::InvalidRows)?;
    let range = paper.range;
    check_range(range.0, range.1, today(now, tz))?;
    let plan = write_tx(conn, |c| {
        let r = open_range(c, actor, roster, range)?;
        one_shift_a_day(&r)?;
        let places = match_people(c, r.unit_id, roster, &paper)?;
        let (slots, holiday) = slots_of(c, &r, range, tz)?;
        store_draft(c, actor, now, &r, range, holiday, &slots, places, "import")
    })?;
    super::plan_view::view(conn, actor, plan)
}

/// Refuses a roster of more than one shift a day: a 值班表 names each day's people once.
fn one_shift_a_day(r: &Roster) -> ServiceResult<()> {
    if r.pattern.is_24_hour() {
        return Ok(());
    }
    Err(ServiceError::conflict(
        format!(
            "该值班表每天 {} 班（{}），只能导入一天一班（24小时班）的值班表；请生成排班后逐班调整",
            r.pattern.len(),
            r.shift_starts
        ),
        format!(
            "This roster has {} shifts a day ({}); only a roster of one 24-hour shift a day can be imported. Generate a draft and edit its shifts instead",
            r.pattern.len(),
            r.shift_starts
        ),
    ))
}

/// The places of each day, the names matched to people; every name that matches nobody or more than one
/// person, and anyone named twice on a day, is refused by row and column.
fn match_people(
    c: &mut DbConn,
    unit: i64,
    roster: i64,
    paper: &PaperRoster,
) -> ServiceResult<Vec<Vec<Place>>> {
    let columns = &paper.columns;
    let mut ids: Vec<i64> = roster_store::eligible(c, roster)?
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    ids.extend(
        roster_store::people_of_unit(c, unit)?
            .into_iter()
            .map(|(p, _)| p),
    );
    ids.sort_unstable();
    ids.dedup();
    let mut by_name: HashMap<String, Vec<i64>> = HashMap::new();
    for p in crate::duty::store::directory::active_people(c, &ids)? {
        by_name.entry(p.name).or_default().push(p.id);
    }
    let mut errors: Vec<RowError> = Vec::new();
    let mut out = Vec::with_capacity(paper.days.len());
    for d in &paper.days {
        let mut places: Vec<Place> = Vec::new();
        for (field, role, names) in [
            ("leaders", DutyRole::Leader, &d.leaders),
            ("officers", DutyRole::Officer, &d.officers),
        ] {
            for name in names {
                let refuse =
                    |zh: String, en: String| (d.row, columns.column(field), Text::new(zh, en));
                match by_name.get(name).map(Vec::as_slice) {
                    Some([p]) if places.iter().any(|(q, _)| q == p) => errors.push(refuse(
                        format!("“{name}”在这一天出现了两次"),
                        format!("“{name}” is named twice on this day"),
                    )),
                    Some([p]) => places.push((*p, role)),
                    Some(many) if many.len() > 1 => errors.push(refuse(
                        format!("有 {} 位人员名为“{name}”，无法区分，请先在人员中区分后再导入", many.len()),
                        format!("{} people are called “{name}”; tell them apart in the people list first", many.len()),
                    )),
                    _ => errors.push(refuse(
                        format!("找不到“{name}”：须是本值班表的值班人员或本单位的在用人员"),
                        format!("No “{name}” among the roster's people or the unit's active people"),
                    )),
                }
            }
        }
        out.push(places);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ServiceError::InvalidRows(errors))
    }
}
