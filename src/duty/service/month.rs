//! A month of a roster as the office's 值班表 on paper (XLSX or CSV): the title ("××单位2026年12月值班安排表"),
//! one row per published shift with 日期, 星期, 班次, 带班领导 (name and post), 值班人员, 联系电话 and 备注 from the
//! holiday calendar, then the duty phone, the rules, the issuing unit and date.

use chrono::{Datelike, NaiveDate};

use super::roster_for;
use crate::calendar::model::weekday_name;
use crate::calendar::store as calendar;
use crate::db::DbConn;
use crate::duty::model::{remark, DutyRole};
use crate::duty::store::shifts::{self as store, OnShift};
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::org::model::{mask_phone, Actor};
use crate::org::store as org_store;
use crate::sheets::{safe_name, Cell, Paper, Table};

/// The 值班表 of the roster's live shifts begun from `from` to `to` (a month), issued on `issued`. Phones
/// are masked for those who may not see them.
pub fn month_paper(
    conn: &mut DbConn,
    actor: &Actor,
    roster: i64,
    (from, to): (NaiveDate, NaiveDate),
    issued: NaiveDate,
) -> ServiceResult<Paper> {
    let lang = actor.lang;
    let r = roster_for(conn, roster)?;
    let shifts = store::live_on_days(conn, roster, from, to)?;
    let ids: Vec<i64> = shifts.iter().map(|s| s.id).collect();
    let holders = store::holders(conn, &ids)?;
    let cal = calendar::load(conn, from, to)?;
    let unit = org_store::find_unit(conn, r.unit_id)?
        .map(|u| u.name)
        .unwrap_or_default();
    let phone = |h: &OnShift| {
        if actor.sees_phones() {
            h.phone.clone()
        } else {
            mask_phone(&h.phone)
        }
    };
    let rows = shifts
        .iter()
        .map(|s| {
            let on = |role: DutyRole| {
                holders
                    .iter()
                    .filter(move |h| h.shift_id == s.id && h.role == role.code())
            };
            let leaders: Vec<String> = on(DutyRole::Leader)
                .map(|h| match (h.post.is_empty(), lang) {
                    (true, _) => h.name.clone(),
                    (false, Lang::Zh) => format!("{}（{}）", h.name, h.post),
                    (false, Lang::En) => format!("{} ({})", h.name, h.post),
                })
                .collect();
            let officers: Vec<String> = on(DutyRole::Officer).map(|h| h.name.clone()).collect();
            let phones: Vec<String> = on(DutyRole::Leader)
                .chain(on(DutyRole::Officer))
                .filter(|h| !h.phone.is_empty())
                .map(|h| format!("{} {}", h.name, phone(h)))
                .collect();
            vec![
                Cell::Date(Some(s.day)),
                Cell::Text(weekday_name(s.day).get(lang).to_string()),
                Cell::Text(r.pattern.shift_name(s.shift_no.max(0) as usize, lang)),
                Cell::Text(leaders.join("、")),
                Cell::Text(officers.join("、")),
                Cell::Text(phones.join("、")),
                Cell::Text(remark(&cal.day(s.day), lang)),
            ]
        })
        .collect();
    let colon = lang.t("colon");
    let mut notes = Vec::new();
    if !r.duty_phone.is_empty() {
        notes.push(format!(
            "{}{colon}{}",
            lang.t("duty.duty_phone"),
            r.duty_phone
        ));
    }
    notes.push(lang.t("duty.rules").to_string());
    notes.push(format!(
        "{}{colon}{unit}　{}{colon}{issued}",
        lang.t("duty.issued_by"),
        lang.t("duty.issued")
    ));
    let title = match lang {
        Lang::Zh => format!("{}{}年{}月值班安排表", r.name, from.year(), from.month()),
        Lang::En => format!("{}: duty roster, {}", r.name, from.format("%B %Y")),
    };
    Ok(Paper {
        table: Table {
            name: format!(
                "{}-{}-{}",
                safe_name(&r.name),
                lang.t("duty.roster_title"),
                from.format("%Y-%m")
            ),
            sheet: lang.t("duty.roster_title").to_string(),
            headers: [
                "duty.date",
                "duty.weekday",
                "duty.shift",
                "duty.leader",
                "duty.officers",
                "duty.phones",
                "duty.remark",
            ]
            .iter()
            .map(|k| lang.t(k).to_string())
            .collect(),
            rows,
        },
        title,
        notes,
    })
}
