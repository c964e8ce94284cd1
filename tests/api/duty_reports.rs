//! Duty on paper through the HTTP app: a month as the office's 值班表 (XLSX and CSV, published shifts only,
//! weekends and holidays marked), the year per person with its fairness flags, the contact directory
//! (phones masked for a viewer), an existing 值班表 imported as a draft (all or nothing), and the pages.
//!
//! The test clock's today is Saturday 28 November 2026, 10:00 in the office's zone (Asia/Shanghai).

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx};
use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{json, Value};

use crate::duty::{generate, office, roster, roster_body, shifts, step, Office};
use crate::helpers::{multipart, spawn_app, TestApp, PASSWORD};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The first sheet of a workbook as text, read with calamine (dates as `2026-12-01`).
fn sheet(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).unwrap();
    assert_eq!(range.start(), Some((0, 0)), "the sheet starts at A1");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::DateTime(_) => c.as_date().unwrap().to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Each of the office's people by id: their name.
fn names(o: &Office) -> HashMap<i64, &'static str> {
    let leaders = ["陆志明", "周建国", "沈丽华"];
    let officers = ["钱晓燕", "吴海峰", "李俊", "王芳"];
    o.leaders
        .iter()
        .zip(leaders)
        .chain(o.officers.iter().zip(officers))
        .map(|(w, n)| (w.person, n))
        .collect()
}

fn set_person(app: &TestApp, admin: &str, person: i64, post: &str, phone: &str) {
    let r = app.patch(
        &format!("/api/v1/people/{person}"),
        admin,
        json!({"post": post, "phone": phone}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
}

fn is_weekend(day: &str) -> bool {
    let d: NaiveDate = day.parse().unwrap();
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

#[test]
fn a_published_month_prints_as_the_offices_roster_with_weekends_and_holidays_marked() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    set_person(&app, &o.admin, o.leaders[0].person, "副局长", "13806250001");
    let h = app.put(
        "/api/v1/calendar/days/2027-01-01",
        &o.office.token,
        json!({"kind": "holiday", "name": "元旦"}),
    );
    assert_eq!(h.status, 200, "{}", h.text);
    let plan = generate(&app, &o.leaders[0].token, id, "2026-12-01", "2027-01-03");
    let plan_id = plan["plan"]["id"].as_i64().unwrap();
    let december = format!("/api/v1/duty/rosters/{id}/month/2026-12/export?format=xlsx");
    let (r, bytes) = app.download(&december, &o.viewer);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        sheet(&bytes).len(),
        2 + 3,
        "a draft prints no shift: title, header and the three notes"
    );
    for (token, what) in [
        (&o.leaders[0].token, "submit"),
        (&o.office.token, "approve"),
        (&o.leaders[0].token, "publish"),
    ] {
        let r = step(&app, token, plan_id, what, "");
        assert_eq!(r.status, 200, "{what}: {}", r.text);
    }

    let (r, bytes) = app.download(&december, &o.leaders[1].token);
    assert!(
        r.header("content-type").is_some_and(|t| t == XLSX),
        "{:?}",
        r.headers
    );
    assert!(
        r.header("content-disposition")
            .is_some_and(|d| d.contains("2026-12.xlsx")),
        "{:?}",
        r.headers
    );
    let rows = sheet(&bytes);
    assert_eq!(rows[0][0], "区应急局总值班2026年12月值班安排表");
    assert_eq!(
        rows[1],
        [
            "日期",
            "星期",
            "班次",
            "带班领导",
            "值班人员",
            "联系电话",
            "备注"
        ]
    );
    assert_eq!(rows.len(), 2 + 31 + 3, "one row per shift, then the notes");
    let name = names(&o);
    for (i, (day, _, people)) in shifts(&plan).iter().take(31).enumerate() {
        let row = &rows[2 + i];
        assert_eq!(row[0], *day);
        assert_eq!(row[2], "24小时班");
        let leader = people.iter().find(|(_, r)| r == "leader").unwrap().0;
        let officers: Vec<&str> = people
            .iter()
            .filter(|(_, r)| r == "officer")
            .map(|(p, _)| name[p])
            .collect();
        if leader == o.leaders[0].person {
            assert_eq!(row[3], "陆志明（副局长）", "name and post");
            assert!(row[5].contains("陆志明 13806250001"), "{row:?}");
        } else {
            assert_eq!(row[3], name[&leader]);
        }
        assert_eq!(row[4], officers.join("、"), "{day}");
        let remark = if is_weekend(day) { "休息日" } else { "" };
        assert_eq!(row[6], remark, "{day}");
    }
    assert_eq!(rows[2][1], "星期二", "1 December 2026 is a Tuesday");
    assert_eq!(rows[33][0], "值班电话：0512-63980110");
    assert!(rows[34][0].contains("24小时在岗"), "{:?}", rows[34]);
    assert_eq!(
        rows[35][0],
        "制表单位：吴江区应急管理局　制表日期：2026-11-28"
    );

    // The viewer's CSV has the same rows with phones masked; January marks New Year's Day.
    let (_, csv) = app.download(
        &format!("/api/v1/duty/rosters/{id}/month/2026-12/export?format=csv"),
        &o.viewer,
    );
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.contains("陆志明 138****0001") && !csv.contains("13806250001"),
        "{csv}"
    );
    let (_, january) = app.download(
        &format!("/api/v1/duty/rosters/{id}/month/2027-01/export?format=csv"),
        &o.viewer,
    );
    let january = String::from_utf8(january).unwrap();
    let new_year = january
        .lines()
        .find(|l| l.starts_with("2027-01-01,"))
        .unwrap();
    assert!(
        new_year.starts_with("2027-01-01,星期五,24小时班,") && new_year.ends_with(",元旦"),
        "{new_year}"
    );
    assert_eq!(
        january
            .lines()
            .filter(|l| l.starts_with("2027-01-"))
            .count(),
        3
    );
    let bad = app.get(
        &format!("/api/v1/duty/rosters/{id}/month/2026-13/export"),
        &o.viewer,
    );
    assert_eq!((bad.status, bad.code()), (422, "invalid_value".into()));
}

#[test]
fn the_year_counts_published_shifts_per_person_and_flags_who_carried_more_weekends() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    let plan = generate(&app, &o.leaders[0].token, id, "2026-12-01", "2026-12-31");
    let report = || {
        let r = app.get(
            &format!("/api/v1/duty/rosters/{id}/report?year=2026"),
            &o.viewer,
        );
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
    };
    let draft = report();
    let lines = draft["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 7, "every eligible person has a line");
    assert!(
        lines.iter().all(|l| l["total"] == 0),
        "a draft counts nothing"
    );
    let p = step(
        &app,
        &o.leaders[0].token,
        plan["plan"]["id"].as_i64().unwrap(),
        "publish",
        "",
    );
    assert_eq!(p.status, 200, "{}", p.text);
    // Officer 0 is put on every weekend of December (8 days): 2 a head would have been fair.
    let heavy = o.officers[0].person;
    for (day, shift, people) in shifts(&plan).iter().filter(|s| is_weekend(&s.0)) {
        let leader = people.iter().find(|(_, r)| r == "leader").unwrap().0;
        let r = app.put(
            &format!("/api/v1/duty/shifts/{shift}"),
            &o.leaders[0].token,
            json!({"places": [{"person_id": leader, "role": "leader"}, {"person_id": heavy, "role": "officer"}]}),
        );
        assert_eq!(r.status, 200, "{day}: {}", r.text);
    }

    let r = report();
    let line = |person: i64| {
        r["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["person_id"] == person)
            .unwrap()
            .clone()
    };
    let officers = r["means"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "officer")
        .unwrap();
    assert_eq!(
        (
            &officers["people"],
            &officers["weekend"],
            &officers["holiday"]
        ),
        (&json!(4), &json!("2"), &json!("0"))
    );
    let h = line(heavy);
    assert_eq!(
        (&h["weekend"], &h["weekend_difference"], &h["carried_more"]),
        (&json!(8), &json!("+6"), &json!(true)),
        "{h}"
    );
    for w in &o.officers[1..] {
        let l = line(w.person);
        assert_eq!(
            (&l["weekend"], &l["weekend_difference"], &l["carried_more"]),
            (&json!(0), &json!("-2"), &json!(false)),
            "{l}"
        );
    }
    let mut shifts_total = 0;
    for l in r["lines"].as_array().unwrap() {
        let total = l["total"].as_i64().unwrap();
        let months = l["months"].as_array().unwrap();
        assert_eq!(months.len(), 12);
        assert_eq!(months[11], total, "every shift is in December: {l}");
        assert_eq!(l["hours"], (total * 24).to_string(), "24 hours a shift");
        assert_eq!(l["holiday"], 0);
        if l["role"] == "leader" {
            assert_eq!(
                l["carried_more"], false,
                "the generator shared weekends fairly: {l}"
            );
            shifts_total += total;
        }
    }
    assert_eq!(shifts_total, 31, "one leader a day");
    let next = app.get(
        &format!("/api/v1/duty/rosters/{id}/report?year=2027"),
        &o.viewer,
    );
    assert!(next.json()["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["total"] == 0));

    // The page marks the heavy officer in colour and in words; the download holds the same table.
    let mut viewer = app.browser();
    viewer.sign_in("viewer", PASSWORD);
    let page = viewer.get(&format!("/duty/rosters/{id}/report?year=2026"));
    assert_eq!(page.status, 200, "{}", page.text);
    let row = page
        .text
        .split("<tr")
        .find(|r| r.contains("钱晓燕"))
        .unwrap();
    assert!(
        row.contains(r#"class="carried""#)
            && row.contains("高于平均 1 班以上")
            && row.contains("+6"),
        "{row}"
    );
    let (x, bytes) = viewer.download(&format!("/duty/rosters/{id}/report.xlsx?year=2026"));
    assert_eq!(x.status, 200);
    let rows = sheet(&bytes);
    assert_eq!(rows[0][..3], ["名称/姓名", "岗位", "1月"]);
    let heavy_row = rows.iter().find(|r| r[0] == "钱晓燕").unwrap();
    assert_eq!(heavy_row.last().unwrap(), "高于平均 1 班以上");
    assert!(heavy_row.contains(&"6".to_string()), "{heavy_row:?}");
}

#[test]
fn the_directory_lists_who_leads_each_units_duty_and_masks_phones_for_a_viewer() {
    let app = spawn_app();
    let o = office(&app);
    roster(&app, &o);
    set_person(&app, &o.admin, o.leaders[0].person, "副局长", "13806250001");
    let head = crate::teams::who(
        &app,
        &o.admin,
        "head",
        "张卫国",
        o.unit,
        &[("unit_head", Some(o.unit))],
        "zh",
    );
    set_person(&app, &o.admin, head.person, "局长", "13806250009");
    let u = app.patch(
        &format!("/api/v1/units/{}", o.unit),
        &o.admin,
        json!({"phone": "0512-63000000"}),
    );
    assert_eq!(u.status, 200, "{}", u.text);

    let entry = |token: &str| -> Value {
        let r = app.get("/api/v1/duty/directory", token);
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["unit_id"] == o.unit)
            .unwrap()
            .clone()
    };
    let e = entry(&o.officers[0].token);
    assert_eq!(e["phone"], "0512-63000000");
    assert_eq!(e["duty_phones"][0]["phone"], "0512-63980110");
    let leads: Vec<(&str, &Value, &str)> = e["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["name"].as_str().unwrap(),
                &l["roles"],
                l["phone"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        leads[0],
        ("张卫国", &json!(["unit_head"]), "13806250009"),
        "the unit head first"
    );
    assert!(
        leads.contains(&("陆志明", &json!(["duty_leader"]), "13806250001")),
        "{leads:?}"
    );
    assert_eq!(
        leads.len(),
        4,
        "the head and three duty leaders, no officer"
    );
    let masked = entry(&o.viewer);
    let phones: Vec<&str> = masked["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["phone"].as_str().unwrap())
        .collect();
    assert!(phones.contains(&"138****0001"), "{phones:?}");
    assert_eq!(
        masked["phone"], "0512-63000000",
        "the unit's phone is an office line"
    );

    let mut viewer = app.browser();
    viewer.sign_in("viewer", PASSWORD);
    let page = viewer.get("/duty/directory");
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains("吴江区应急管理局")
            && page.text.contains("138****0001")
            && !page.text.contains("13806250001"),
        "{}",
        page.text
    );
    let (x, bytes) = viewer.download("/duty/directory.xlsx");
    assert_eq!(x.status, 200);
    let rows = sheet(&bytes);
    assert_eq!(rows[0][0], "应急值班通讯录");
    let lead = rows
        .iter()
        .find(|r| r.get(3).is_some_and(|n| n == "陆志明"))
        .unwrap();
    assert_eq!(
        lead[..3],
        [
            "吴江区应急管理局",
            "0512-63000000",
            "区应急局总值班 0512-63980110"
        ]
    );
    assert_eq!(lead[4..], ["副局长", "带班领导", "138****0001"]);
}

/// A 值班表 as an office keeps it: a title, the header, one row a day, the duty phone below.
fn paper(rows: &[[&str; 3]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, "区应急局2026年12月值班安排表")
        .unwrap();
    for (c, h) in ["日期", "星期", "带班领导", "值班人员"].iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    for (i, [day, leader, officers]) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        sheet.write_string(r, 0, *day).unwrap();
        sheet.write_string(r, 2, *leader).unwrap();
        sheet.write_string(r, 3, *officers).unwrap();
    }
    sheet
        .write_string(rows.len() as u32 + 3, 0, "值班电话：0512-63980110")
        .unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn an_existing_roster_is_imported_as_a_draft_all_or_nothing() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    let path = format!("/api/v1/duty/rosters/{id}/import");
    let plans = |app: &TestApp| {
        app.get(&format!("/api/v1/duty/rosters/{id}"), &o.admin)
            .json()["plans"]
            .as_array()
            .unwrap()
            .len()
    };
    let unknown = paper(&[
        ["2026-12-01", "陆志明（副局长）", "钱晓燕、吴海峰"],
        ["2026-12-02", "周建国", "李俊、无名氏"],
    ]);
    let r = app.post_file(&path, &o.leaders[0].token, XLSX, &unknown);
    assert_eq!(
        (r.status, r.code()),
        (422, "invalid_rows".into()),
        "{}",
        r.text
    );
    let rows = r.json()["error"]["rows"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(
        (&rows[0]["row"], &rows[0]["column"]),
        (&json!(4), &json!("值班人员")),
        "{rows}"
    );
    assert!(
        rows[0]["message"].as_str().unwrap().contains("无名氏"),
        "{rows}"
    );
    assert_eq!(plans(&app), 0, "nothing was created");
    let viewer = app.post_file(&path, &o.viewer, XLSX, &unknown);
    assert_eq!(viewer.status, 403, "{}", viewer.text);
    let hostile = crate::inventory_sheets::corner_to_corner_xlsx();
    let r = app.post_file(&path, &o.leaders[0].token, XLSX, &hostile);
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.json()["error"]["field"], "file", "{}", r.text);

    let good = paper(&[
        ["2026-12-01", "陆志明（副局长）", "钱晓燕、吴海峰"],
        ["2026-12-02", "周建国", "李俊,王芳"],
        ["2026-12-03", "沈丽华", "钱晓燕"],
    ]);
    let r = app.post_file(&path, &o.leaders[0].token, XLSX, &good);
    assert_eq!(r.status, 201, "{}", r.text);
    let plan = r.json();
    assert_eq!(
        (
            &plan["plan"]["state"],
            &plan["plan"]["starts_on"],
            &plan["plan"]["ends_on"]
        ),
        (&json!("draft"), &json!("2026-12-01"), &json!("2026-12-03"))
    );
    let s = shifts(&plan);
    let person = |i: usize, role: &str| -> Vec<i64> {
        s[i].2
            .iter()
            .filter(|(_, r)| r == role)
            .map(|(p, _)| *p)
            .collect()
    };
    assert_eq!(person(0, "leader"), [o.leaders[0].person]);
    let mut first = person(0, "officer");
    first.sort_unstable();
    let mut want = vec![o.officers[0].person, o.officers[1].person];
    want.sort_unstable();
    assert_eq!(first, want);
    assert_eq!(person(2, "officer"), [o.officers[0].person]);
    assert_eq!(plan["days"][0]["shifts"][0]["leaders"][0]["name"], "陆志明");
    let again = app.post_file(&path, &o.leaders[0].token, XLSX, &good);
    assert_eq!(
        (again.status, again.code()),
        (409, "conflict".into()),
        "{}",
        again.text
    );

    // A day and night roster names its people per shift: the file is refused with the reason.
    let split = app.post(
        "/api/v1/duty/rosters",
        &o.leaders[0].token,
        roster_body(o.unit, "白夜班", "08:30 20:30"),
    );
    let r = app.post_file(
        &format!("/api/v1/duty/rosters/{}/import", split.json()["id"]),
        &o.leaders[0].token,
        XLSX,
        &good,
    );
    assert_eq!(r.status, 409, "{}", r.text);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("24小时班"),
        "{}",
        r.text
    );
}

#[test]
fn the_roster_and_plan_pages_link_the_paper_and_take_a_file() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    let plan = generate(&app, &o.leaders[0].token, id, "2026-12-01", "2026-12-31");
    let plan_id = plan["plan"]["id"].as_i64().unwrap();
    assert_eq!(
        step(&app, &o.leaders[0].token, plan_id, "publish", "").status,
        200
    );
    let mut leader = app.browser();
    leader.sign_in("lzm", PASSWORD);
    let roster_page = leader.get(&format!("/duty/rosters/{id}"));
    assert_eq!(roster_page.status, 200);
    let month = format!("/duty/rosters/{id}/month/2026-12.xlsx");
    for link in [
        month.as_str(),
        &format!("/duty/rosters/{id}/report"),
        &format!("/duty/rosters/{id}/import"),
    ] {
        assert!(roster_page.text.contains(link), "{link}");
    }
    let plan_page = leader.get(&format!("/duty/plans/{plan_id}"));
    assert!(plan_page.text.contains(&month));
    let (x, bytes) = leader.download(&month);
    assert_eq!(x.status, 200);
    assert_eq!(sheet(&bytes)[0][0], "区应急局总值班2026年12月值班安排表");
    assert_eq!(
        leader
            .get(&format!("/duty/rosters/{id}/month/2026-12.pdf"))
            .status,
        404
    );

    // An upload naming someone unknown shows every error by row and column; a good one makes a draft.
    leader.get(&format!("/duty/rosters/{id}"));
    let csrf = leader.csrf.clone().unwrap();
    let csv = "日期,带班领导,值班人员\n2027-01-04,陆志明,钱晓燕\n2027-01-05,无名氏,李俊\n";
    let body = multipart(
        "B0UND",
        &csrf,
        &[],
        Some(("file", "值班表.csv", csv.as_bytes())),
    );
    let refused = leader.post_multipart(&format!("/duty/rosters/{id}/import"), "B0UND", &body);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains("<td>3</td><td>带班领导</td>"),
        "{}",
        refused.text
    );
    leader.get(&format!("/duty/rosters/{id}"));
    let csrf = leader.csrf.clone().unwrap();
    let csv = "日期,带班领导,值班人员\n2027-01-04,陆志明,钱晓燕\n2027-01-05,周建国,李俊\n";
    let body = multipart(
        "B0UND",
        &csrf,
        &[],
        Some(("file", "值班表.csv", csv.as_bytes())),
    );
    let done = leader.post_multipart(&format!("/duty/rosters/{id}/import"), "B0UND", &body);
    assert_eq!(done.status, 303, "{}", done.text);
    let to = done.header("location").unwrap().to_string();
    assert!(to.starts_with("/duty/plans/"), "{to}");
    let draft = leader.get(&to);
    assert!(
        draft.text.contains("已导入 2027-01-04 至 2027-01-05"),
        "{}",
        draft.text
    );
}
