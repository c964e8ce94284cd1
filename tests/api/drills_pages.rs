//! The drills pages in a browser (no JavaScript): a coordinator registers a plan, writes a scheme and an annual
//! plan; the office approves; refused forms come back with what was typed; a double submit makes one record;
//! the report prints and downloads; the calendar and frequency table; English; another unit sees nothing.

use serde_json::json;

use crate::drills::{classify_hotel, id, plan, setup};
use crate::helpers::{multipart, spawn_app, Resp, PASSWORD};

fn ok(r: &Resp, what: &str) {
    assert_eq!(r.status, 200, "{what}: {}", r.text);
}

fn redirect(r: &Resp) -> String {
    assert_eq!(r.status, 303, "{}", r.text);
    r.header("location").unwrap().to_string()
}

fn once_token(page: &str) -> String {
    page.split(r#"name="form_token" value=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string()
}

#[test]
fn a_coordinator_registers_a_plan_and_writes_a_scheme_and_the_office_approves_the_annual_plan() {
    let app = spawn_app();
    let d = setup(&app);
    classify_hotel(&app, &d);
    let mut b = app.browser();
    b.sign_in("hanx", PASSWORD);
    let home = b.get("/drills");
    ok(&home, "overview");
    assert!(home.text.contains("达标率"));
    assert!(home.text.contains(r#"name="viewport""#));
    ok(&b.get("/drills/plans"), "plans");
    let form = b.get("/drills/plans/new");
    ok(&form, "new plan");
    assert!(form.text.contains("东太湖温泉大酒店"));
    assert!(
        !form.text.contains(">建设局<"),
        "only units the coordinator manages"
    );

    // A refused plan comes back with what was typed and the reason, nothing written.
    let unit = d.hotel.to_string();
    let bad = b.post(
        "/drills/plans/new",
        &[
            ("unit_id", &unit),
            ("level", "onsite"),
            ("title", "厨房火灾现场处置方案"),
            ("approved_on", "2026-12-31"),
            ("revision_months", "36"),
            ("freq_months", ""),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.text.contains("厨房火灾现场处置方案"));
    assert!(bad.text.contains("不能晚于今天"), "{}", bad.text);
    assert_eq!(app.get("/api/v1/drills/plans", &d.office).json(), json!([]));

    // Sent twice with the same form token, the plan is registered once.
    let form = b.get("/drills/plans/new");
    let token = once_token(&form.text);
    let csrf = b.csrf.clone().unwrap();
    let fields = [
        ("unit_id", unit.as_str()),
        ("level", "onsite"),
        ("title", "厨房火灾现场处置方案"),
        ("approved_on", "2026-03-01"),
        ("revision_months", "36"),
        ("freq_months", ""),
        ("csrf_token", csrf.as_str()),
        ("form_token", token.as_str()),
    ];
    let first = redirect(&b.post_raw("/drills/plans/new", &fields));
    let second = b.post_raw("/drills/plans/new", &fields);
    assert_eq!(redirect(&second), first);
    assert_eq!(
        app.get("/api/v1/drills/plans", &d.office)
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let page = b.get(&first);
    ok(&page, "plan page");
    assert!(page.text.contains("厨房火灾现场处置方案"));
    assert!(
        page.text.contains("6 个月"),
        "a hotel's plans every half year"
    );
    let plan_id = first.rsplit('/').next().unwrap().to_string();

    // The plan's file: a PDF is kept; a text file is refused and says why.
    let boundary = "XdrillsX";
    let body = multipart(
        boundary,
        &csrf,
        &[],
        Some(("file", "预案.pdf", b"%PDF-1.4\n%%EOF")),
    );
    let up = b.post_multipart(&format!("{first}/file"), boundary, &body);
    assert_eq!(redirect(&up), first);
    let shown = b.get(&first);
    assert!(shown.text.contains("预案.pdf"), "{}", shown.text);
    let body = multipart(
        boundary,
        &csrf,
        &[],
        Some(("file", "plan.txt", b"just text")),
    );
    redirect(&b.post_multipart(&format!("{first}/file"), boundary, &body));
    assert!(b.get(&first).text.contains("只接受 PDF、PNG 或 JPEG 文件"));

    // A scheme from the form (no JavaScript: a plain POST); an end before the start is refused.
    let f = b.get(&format!("/drills/new?plan_id={plan_id}"));
    ok(&f, "scheme form");
    let scheme = |end: &'static str| {
        vec![
            ("plan_id", plan_id.clone()),
            ("title", "厨房灭火演练".to_string()),
            ("content", "single".into()),
            ("form", "live".into()),
            ("starts_at", "2026-12-10T09:30".into()),
            ("ends_at", end.into()),
            ("place", "后厨".into()),
            ("scenario", "油锅起火".into()),
            ("objectives", "1 分钟内使用灭火毯\n3 分钟内报警".into()),
        ]
    };
    let bad: Vec<(&str, String)> = scheme("2026-12-10T08:00");
    let bad_fields: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = b.post("/drills/new", &bad_fields);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("厨房灭火演练"));
    let good = scheme("2026-12-10T10:30");
    let good_fields: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let drill = redirect(&b.post("/drills/new", &good_fields));
    let dp = b.get(&drill);
    ok(&dp, "drill page");
    assert!(dp.text.contains("1 分钟内使用灭火毯"));
    assert!(dp.text.contains("2026-12-10 09:30"), "shown in office time");
    redirect(&b.post(&format!("{drill}/step"), &[("step", "submit")]));
    assert!(b.get(&drill).text.contains("方案待审批"));
    let cal = b.get("/drills/calendar?year=2026&month=12");
    ok(&cal, "calendar");
    assert!(cal.text.contains("厨房灭火演练"));
    let (ics, bytes) = b.download("/drills/calendar.ics?year=2026");
    assert_eq!(ics.status, 200);
    assert!(String::from_utf8(bytes)
        .unwrap()
        .contains("SUMMARY:东太湖温泉大酒店：厨房灭火演练"));

    // The annual plan: started, a drill added, submitted; the office approves it on its page.
    let annual = redirect(&b.post("/drills/annual", &[("unit_id", &unit), ("year", "2027")]));
    redirect(&b.post(
        &format!("{annual}/items"),
        &[
            ("plan_id", &plan_id),
            ("content", "comprehensive"),
            ("form", "tabletop"),
            ("month", "4"),
            ("organiser", "安保部"),
        ],
    ));
    redirect(&b.post(&format!("{annual}/step"), &[("step", "submit")]));
    let mut office = app.browser();
    office.sign_in("office1", PASSWORD);
    let ap = office.get(&annual);
    ok(&ap, "annual plan, office");
    assert!(ap.text.contains(r#"value="approve""#));
    redirect(&office.post(&format!("{annual}/step"), &[("step", "approve")]));
    let after = b.get(&annual);
    assert!(after.text.contains("已批准"));
    assert!(
        !after.text.contains(r#"value="approve""#),
        "the unit cannot approve"
    );
    let (x, sheet) = b.download(&format!("{annual}/export.xlsx"));
    assert_eq!(x.status, 200);
    assert!(sheet.starts_with(b"PK"));
    let (c, csv) = b.download(&format!("{annual}/export.csv"));
    assert_eq!(c.status, 200);
    assert!(String::from_utf8_lossy(&csv).contains("安保部"));

    // Another unit's keeper sees none of it.
    let mut other = app.browser();
    other.sign_in("keeper1", PASSWORD);
    assert_eq!(other.get(&first).status, 404);
    assert_eq!(other.get(&drill).status, 404);
    assert!(!other
        .get("/drills/plans")
        .text
        .contains("厨房火灾现场处置方案"));
}

#[test]
fn the_office_prints_and_downloads_the_compliance_report_and_edits_the_frequency_table() {
    let app = spawn_app();
    let d = setup(&app);
    classify_hotel(&app, &d);
    id(&plan(
        &app,
        &d.coordinator,
        d.hotel,
        json!({"approved_on": "2025-12-01"}),
    ));
    let mut b = app.browser();
    b.sign_in("office1", PASSWORD);
    let r = b.get("/drills/compliance?on=2026-11-28");
    ok(&r, "report");
    assert!(r.text.contains("东太湖温泉大酒店"));
    assert!(r.text.contains("逾期未演练"));
    assert!(r.text.contains("0.0%"));
    let print = b.get("/drills/compliance?print=1&on=2026-11-28");
    assert!(print.text.contains(r#"class="print""#));
    let (x, bytes) = b.download("/drills/compliance.xlsx?on=2026-11-28");
    assert_eq!(x.status, 200);
    assert!(bytes.starts_with(b"PK"));
    let (c, csv) = b.download("/drills/compliance.csv?on=2026-11-28");
    assert_eq!(c.status, 200);
    let csv = String::from_utf8_lossy(&csv).to_string();
    assert!(
        csv.contains("东太湖温泉大酒店") && csv.contains("2026-05-31"),
        "{csv}"
    );

    let rules = b.get("/drills/rules");
    ok(&rules, "rules");
    assert!(rules.text.contains(r#"action="/drills/rules""#));
    redirect(&b.post(
        "/drills/rules",
        &[("sector", "hotel"), ("level", "onsite"), ("months", "12")],
    ));
    assert!(b.get("/drills/rules").text.contains("安委办设定"));
    redirect(&b.post(
        "/drills/rules",
        &[("sector", "hotel"), ("level", "onsite"), ("months", "7")],
    ));
    assert!(b.get("/drills/rules").text.contains("演练频次只能是"));
    let profile = b.get(&format!("/drills/units/{}/profile", d.hotel));
    ok(&profile, "profile");
    assert!(profile.text.contains("文旅局"));

    // In English.
    b.get("/drills/compliance");
    redirect(&b.post(
        "/language",
        &[("lang", "en"), ("next", "/drills/compliance")],
    ));
    let r = b.get("/drills/compliance?on=2026-11-28");
    assert!(r.text.contains("Drill compliance"), "{}", r.text);
    assert!(r.text.contains("Overdue"));

    // A coordinator may look at the table but not change it.
    let mut coord = app.browser();
    coord.sign_in("hanx", PASSWORD);
    assert!(!coord
        .get("/drills/rules")
        .text
        .contains(r#"action="/drills/rules""#));
    let r = coord.post(
        "/drills/rules",
        &[("sector", "hotel"), ("level", "onsite"), ("months", "6")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(
        app.get("/api/v1/drills/rules", &d.office)
            .json()
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["sector"] == "hotel" && c["level"] == "onsite")
            .unwrap()["months"],
        12
    );
}

#[test]
fn a_held_drill_is_run_from_a_phone_and_its_owner_submits_evidence_with_a_photo() {
    let app = spawn_app();
    let d = setup(&app);
    let p = id(&plan(&app, &d.coordinator, d.hotel, json!({})));
    let did = id(&crate::drills::scheme(&app, &d, p, 0));
    let base = format!("/api/v1/drills/{did}");
    assert_eq!(
        app.post(&format!("{base}/submit"), &d.coordinator, json!({}))
            .status,
        200
    );
    assert_eq!(
        app.post(
            &format!("{base}/decision"),
            &d.hotel_head,
            json!({"approve": true})
        )
        .status,
        200
    );
    let mut b = app.browser();
    b.sign_in("hanx", PASSWORD);
    let page = format!("/drills/{did}");
    let dp = b.get(&page);
    assert!(dp.text.contains(r#"name="present""#), "the attendance form");
    let cook = d.cook_person.to_string();
    redirect(&b.post(
        &format!("{page}/attendance"),
        &[("listed", &cook), ("present", &cook)],
    ));
    redirect(&b.post(&format!("{page}/log"), &[("text", "09:31 报警")]));
    let dp = b.get(&page);
    assert!(dp.text.contains("09:31 报警"));
    assert!(dp.text.contains("已实施"));
    // The evaluation with one objective unjudged is refused and nothing changes.
    let v = app.get(&base, &d.coordinator).json();
    let o: Vec<String> = v["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].to_string())
        .collect();
    let r0 = format!("result_{}", o[0]);
    let r1 = format!("result_{}", o[1]);
    redirect(&b.post(
        &format!("{page}/evaluation"),
        &[(&r0, "met"), ("grade", "good")],
    ));
    assert!(b.get(&page).text.contains("请对每个演练目标作出评价"));
    redirect(&b.post(
        &format!("{page}/evaluation"),
        &[
            (&r0, "met"),
            (&r1, "not_met"),
            ("grade", "fair"),
            ("problems", "灭火毯不足"),
        ],
    ));
    assert_eq!(app.get(&base, &d.coordinator).json()["state"], "evaluated");
    redirect(&b.post(
        &format!("{page}/actions"),
        &[
            ("problem", "补配灭火毯"),
            ("owner_person_id", &cook),
            ("due_on", "2026-12-20"),
        ],
    ));
    let action = app.get("/api/v1/drills/actions", &d.coordinator).json()[0]["id"]
        .as_i64()
        .unwrap();

    // The cook submits evidence with a photo from the phone; an oversized one is refused.
    let mut cook_b = app.browser();
    cook_b.sign_in("cook", PASSWORD);
    let apage = format!("/drills/actions/{action}");
    let ap = cook_b.get(&apage);
    assert!(ap.text.contains(r#"enctype="multipart/form-data""#));
    let csrf = cook_b.csrf.clone().unwrap();
    let boundary = "XevidenceX";
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(5 * 1024 * 1024 + 10, 0);
    let body = multipart(
        boundary,
        &csrf,
        &[("evidence", "已补配")],
        Some(("file", "big.png", &big)),
    );
    redirect(&cook_b.post_multipart(&format!("{apage}/evidence"), boundary, &body));
    assert!(cook_b.get(&apage).text.contains("5 MB"));
    assert_eq!(
        app.get(&format!("/api/v1/drills/actions/{action}"), &d.coordinator)
            .json()["state"],
        "open"
    );
    let body = multipart(
        boundary,
        &csrf,
        &[("evidence", "已补配 4 块灭火毯")],
        Some(("file", "毯.png", b"\x89PNG\r\n\x1a\nxx")),
    );
    redirect(&cook_b.post_multipart(&format!("{apage}/evidence"), boundary, &body));
    let ap = cook_b.get(&apage);
    assert!(ap.text.contains("待验证"));
    assert!(
        !ap.text.contains(r#"name="accept""#),
        "the owner does not verify"
    );
    let vp = b.get(&apage);
    assert!(vp.text.contains(r#"name="accept""#));
    redirect(&b.post(&format!("{apage}/verification"), &[("accept", "yes")]));
    assert!(b.get(&apage).text.contains("已销号"));
    let (f, bytes) = b.download(&format!("{apage}/file"));
    assert_eq!(f.status, 200);
    assert_eq!(bytes, b"\x89PNG\r\n\x1a\nxx");
}

/// The keeper takes back part of a drill's materials on its page: a shortfall without a word is refused and
/// changes nothing; with one, the return voucher carries what came back and the page shows what did not.
#[test]
fn a_keeper_takes_back_part_of_a_drills_materials_on_its_page() {
    let app = spawn_app();
    let d = setup(&app);
    crate::inventory::receive(&app, &d.r, d.r.sandbag_batch, "100");
    let p = id(&plan(&app, &d.coordinator, d.hotel, json!({})));
    let did = id(&crate::drills::scheme(&app, &d, p, 3));
    let api = |token: &str, path: &str, body: serde_json::Value| {
        app.post(&format!("/api/v1/drills/{did}{path}"), token, body)
    };
    let res = json!({"warehouse_id": d.r.warehouse, "item_id": d.r.sandbags, "qty": "10"});
    ok(&api(&d.r.keeper, "/materials", res), "reserve");
    ok(&api(&d.coordinator, "/submit", json!({})), "submit");
    ok(
        &api(&d.hotel_head, "/decision", json!({"approve": true})),
        "approve",
    );
    let mut b = app.browser();
    b.sign_in("keeper1", PASSWORD);
    let page = b.get(&format!("/drills/{did}"));
    assert!(page.text.contains(r#"value="issue""#), "the issue button");
    let w = d.r.warehouse.to_string();
    let issue = b.post(
        &format!("/drills/{did}/stock"),
        &[("warehouse_id", &w), ("step", "issue")],
    );
    redirect(&issue);
    let v = app
        .get(&format!("/api/v1/drills/{did}"), &d.r.keeper)
        .json();
    let (mat, out) = (
        v["materials"][0]["id"].as_i64().unwrap(),
        v["materials"][0]["issue_movement_id"].as_i64().unwrap(),
    );
    let sign = format!("/api/v1/movements/{out}/countersign");
    ok(
        &app.api("POST", &sign, Some(&d.r.keeper2), None),
        "countersign",
    );
    let page = b.get(&format!("/drills/{did}"));
    let field = format!("back_{mat}");
    assert!(
        page.text.contains(&format!(r#"name="{field}" value="10""#)),
        "{}",
        page.text
    );
    assert!(
        !page.text.contains(r#"value="issue""#),
        "nothing left to issue"
    );

    let back = |note: &'static str| {
        [
            ("warehouse_id", w.as_str()),
            ("step", "return"),
            (field.as_str(), "8"),
            ("loss_note", note),
        ]
    };
    let refused = b.post(&format!("/drills/{did}/stock"), &back(""));
    let shown = b.get(&redirect(&refused));
    assert!(shown.text.contains("有物资未归还"), "{}", shown.text);
    let v = app
        .get(&format!("/api/v1/drills/{did}"), &d.r.keeper)
        .json();
    assert!(v["materials"][0]["return_movement_id"].is_null(), "{v}");

    redirect(&b.post(&format!("/drills/{did}/stock"), &back("2 袋封堵管涌时用掉")));
    let page = b.get(&format!("/drills/{did}"));
    assert!(page.text.contains("2 袋封堵管涌时用掉"), "{}", page.text);
    assert!(!page.text.contains(&field), "nothing waits to come back");
    let v = app
        .get(&format!("/api/v1/drills/{did}"), &d.r.keeper)
        .json();
    assert_eq!(v["materials"][0]["returned_text"], "8", "{v}");
    assert_eq!(v["materials"][0]["lost_text"], "2", "{v}");
}
