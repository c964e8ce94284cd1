//! The annual plan and the compliance report as tables to download (XLSX or CSV) and print.

use chrono::NaiveDate;

use super::annual::DrillAnnualView;
use super::compliance::DrillComplianceReport;
use crate::i18n::Lang;
use crate::sheets::{Cell, Paper, Table};

/// An annual plan as a table with a title.
pub fn annual_paper(v: &DrillAnnualView, lang: Lang) -> Paper {
    let zh = lang == Lang::Zh;
    let h = |a: &str, b: &str| if zh { a.to_string() } else { b.to_string() };
    let rows = v
        .items
        .iter()
        .filter(|i| i.item.active)
        .map(|i| {
            vec![
                Cell::Text(i.item.month.to_string()),
                Cell::Text(i.plan_title.clone()),
                Cell::Text(i.item.content.label(lang).to_string()),
                Cell::Text(i.item.form.label(lang).to_string()),
                Cell::Text(i.item.organiser.clone()),
                Cell::Text(i.item.participants.clone()),
            ]
        })
        .collect();
    let mut notes = vec![format!(
        "{}{}",
        h("状态：", "State: "),
        v.annual.state.label(lang)
    )];
    notes.extend(
        v.changes
            .iter()
            .map(|c| format!("{} {}", c.changed_at.date(), c.what)),
    );
    Paper {
        table: Table {
            name: crate::sheets::safe_name(&format!(
                "{}-{}年度演练计划",
                v.unit_name, v.annual.year
            )),
            sheet: h("年度演练计划", "Annual drill plan"),
            headers: vec![
                h("月份", "Month"),
                h("预案", "Plan"),
                h("演练内容", "Content"),
                h("演练形式", "Form"),
                h("组织单位", "Organiser"),
                h("参演单位/队伍", "Participants"),
            ],
            rows,
        },
        title: format!(
            "{} {} {}",
            v.unit_name,
            v.annual.year,
            h("年度应急演练计划", "annual drill plan")
        ),
        notes,
    }
}

/// The compliance report as a table with a title, one row per plan (a unit with no plan: one row).
pub fn compliance_paper(r: &DrillComplianceReport, lang: Lang) -> Paper {
    let zh = lang == Lang::Zh;
    let h = |a: &str, b: &str| if zh { a.to_string() } else { b.to_string() };
    let date = |d: Option<NaiveDate>| Cell::Date(d);
    let mut rows = Vec::new();
    for u in &r.units {
        let verdict = if u.complies {
            h("达标", "Complies")
        } else {
            h("未达标", "Does not comply")
        };
        if u.plans.is_empty() {
            rows.push(vec![
                Cell::Text(u.unit_name.clone()),
                Cell::Text(u.sector.label(lang).to_string()),
                Cell::Text(verdict.clone()),
                Cell::Text(h("无预案", "No plan on file")),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                date(None),
                date(None),
                Cell::Text(String::new()),
            ]);
        }
        for p in &u.plans {
            rows.push(vec![
                Cell::Text(u.unit_name.clone()),
                Cell::Text(u.sector.label(lang).to_string()),
                Cell::Text(verdict.clone()),
                Cell::Text(p.title.clone()),
                Cell::Text(p.level.label(lang).to_string()),
                Cell::Text(format!("{}", p.freq_months)),
                Cell::Text(format!("{}/{}", p.compliance.done, p.compliance.required)),
                date(p.compliance.last_drill),
                date(Some(p.compliance.next_due)),
                Cell::Text(p.compliance.standing.label(lang).to_string()),
            ]);
        }
    }
    Paper {
        table: Table {
            name: crate::sheets::safe_name(&format!(
                "{}-{}",
                h("应急演练达标情况", "drill-compliance"),
                r.on
            )),
            sheet: h("达标情况", "Compliance"),
            headers: vec![
                h("单位", "Unit"),
                h("行业类别", "Sector"),
                h("单位达标", "Unit complies"),
                h("预案", "Plan"),
                h("级别", "Level"),
                h("频次（月）", "Every (months)"),
                h("本期完成/应完成", "Done/required this period"),
                h("最近演练", "Last drill"),
                h("下次到期", "Next due"),
                h("状态", "Standing"),
            ],
            rows,
        },
        title: format!(
            "{} {}（{}：{}，{}/{}）",
            h("应急演练达标情况", "Drill compliance"),
            r.on,
            h("达标率", "rate"),
            r.rate,
            r.units_complying,
            r.units_total
        ),
        notes: if r.without_plans.is_empty() {
            Vec::new()
        } else {
            vec![format!(
                "{}{}",
                h("无预案单位：", "Units with no plan: "),
                r.without_plans.join("、")
            )]
        },
    }
}
