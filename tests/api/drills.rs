//! Drills through the API: the plan registry (rules, sectors, plans and their files), annual plans approved
//! only by office staff, a drill from scheme to evaluation, corrective actions closed by someone else,
//! materials leaving and returning through the ledger, compliance and the calendar feed; permissions and bad
//! input throughout.

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Resp, TestApp};
use crate::inventory::{on_hand, receive, reserve, verify, Reserve};

/// The reserve of the inventory tests (建设局 with a warehouse, two keepers and a head; 滨湖街道), the office,
/// a hotel with its head, drill coordinator and a cook who owns corrective actions, and 文旅局 (the hotel's
/// supervising department, with a contact address).
pub(crate) struct Drills {
    pub(crate) r: Reserve,
    pub(crate) office: String,
    pub(crate) hotel: i64,
    pub(crate) hotel_head: String,
    pub(crate) coordinator: String,
    pub(crate) cook: String,
    pub(crate) cook_person: i64,
    pub(crate) tourism: i64,
}

pub(crate) fn setup(app: &TestApp) -> Drills {
    let r = reserve(app);
    let admin = r.admin.clone();
    let hotel = app.create_unit(&admin, "东太湖温泉大酒店", "enterprise", None);
    let tourism = app.create_unit(&admin, "文旅局", "department", None);
    assert_eq!(
        app.patch(
            &format!("/api/v1/units/{tourism}"),
            &admin,
            json!({"contact_emails": ["anquan@wlj.example.cn"]})
        )
        .status,
        200
    );
    let p_office = app.create_person(&admin, "沈丽华", r.unit);
    let (_, office) =
        app.create_account(&admin, "office1", Some(p_office), &[("office_staff", None)]);
    let p_head = app.create_person(&admin, "周海峰", hotel);
    let (_, hotel_head) = app.create_account(
        &admin,
        "hotelhead",
        Some(p_head),
        &[("unit_head", Some(hotel))],
    );
    let p_coord = app.create_person(&admin, "韩雪", hotel);
    let (_, coordinator) = app.create_account(
        &admin,
        "hanx",
        Some(p_coord),
        &[("drill_coordinator", Some(hotel))],
    );
    let cook_person = app.create_person(&admin, "王厨师", hotel);
    let (_, cook) = app.create_account(
        &admin,
        "cook",
        Some(cook_person),
        &[("viewer", Some(hotel))],
    );
    Drills {
        r,
        office,
        hotel,
        hotel_head,
        coordinator,
        cook,
        cook_person,
        tourism,
    }
}

pub(crate) fn classify_hotel(app: &TestApp, d: &Drills) {
    let r = app.put(
        &format!("/api/v1/drills/units/{}/profile", d.hotel),
        &d.office,
        json!({"sector": "hotel", "supervisor_unit_id": d.tourism}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
}

pub(crate) fn plan(app: &TestApp, token: &str, unit: i64, extra: Value) -> Resp {
    let mut body = json!({"unit_id": unit, "level": "enterprise_comprehensive", "title": "综合应急预案",
        "version": "2025版", "approved_on": "2025-11-01", "filed": true, "filing_no": "吴应急备〔2025〕18号"});
    if let Value::Object(m) = extra {
        for (k, v) in m {
            body[k] = v;
        }
    }
    app.post("/api/v1/drills/plans", token, body)
}

pub(crate) fn id(r: &Resp) -> i64 {
    r.json()["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {}", r.text))
}

/// A scheme for a plan, starting in `days` days at 09:30 Shanghai, two objectives, the cook taking part.
pub(crate) fn scheme(app: &TestApp, d: &Drills, plan: i64, days: i64) -> Resp {
    let start = app.clock_now() + Duration::days(days) - Duration::minutes(30);
    app.post(
        "/api/v1/drills",
        &d.coordinator,
        json!({"plan_id": plan, "title": "厨房火灾疏散演练", "content": "single", "form": "live",
            "starts_at": start.to_rfc3339(), "ends_at": (start + Duration::hours(2)).to_rfc3339(),
            "place": "酒店主楼", "scenario": "中餐厨房油锅起火，蔓延至排烟管道。\n需疏散二楼宴会厅宾客。",
            "timeline": "09:30 发现火情\n09:35 疏散", "roles": "总指挥：周海峰",
            "participants": "酒店义务消防队", "objectives": ["3 分钟内完成报警", "10 分钟内完成疏散"],
            "people": [d.cook_person]}),
    )
}

fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Resp {
    app.post(path, token, body)
}

#[test]
fn a_hotels_plans_default_to_every_half_year_and_the_office_edits_the_rule_table() {
    let app = spawn_app();
    let d = setup(&app);
    // Before classification an enterprise is a production unit: its comprehensive plan yearly.
    let p = plan(&app, &d.coordinator, d.hotel, json!({}));
    assert_eq!(p.status, 201, "{}", p.text);
    assert_eq!(p.json()["freq_months"], 12);
    classify_hotel(&app, &d);
    let profile = app.get(
        &format!("/api/v1/drills/units/{}/profile", d.hotel),
        &d.coordinator,
    );
    assert_eq!(profile.json()["sector"], "hotel");
    assert_eq!(profile.json()["supervisor_name"], "文旅局");
    assert_eq!(profile.json()["must_report"], true);
    let p = plan(
        &app,
        &d.coordinator,
        d.hotel,
        json!({"level": "onsite", "title": "厨房火灾现场处置方案"}),
    );
    assert_eq!(p.json()["freq_months"], 6);
    assert_eq!(p.json()["next_revision_on"], "2028-11-01");

    // The office sets a department's special plans to yearly; a unit head may not.
    let rule = json!({"sector": "government", "level": "special", "months": 12});
    assert_eq!(
        app.put("/api/v1/drills/rules", &d.r.head, rule.clone())
            .status,
        403
    );
    assert_eq!(
        app.put("/api/v1/drills/rules", &d.coordinator, rule.clone())
            .status,
        403
    );
    let bad = app.put(
        "/api/v1/drills/rules",
        &d.office,
        json!({"sector": "government", "level": "special", "months": 5}),
    );
    assert_eq!(bad.status, 422, "{}", bad.text);
    let r = app.put("/api/v1/drills/rules", &d.office, rule);
    assert_eq!(r.status, 200, "{}", r.text);
    let cell = |rows: &Value, s: &str, l: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|x| x["sector"] == s && x["level"] == l)
            .unwrap()
            .clone()
    };
    let c = cell(&r.json(), "government", "special");
    assert_eq!(
        (
            c["months"].as_i64(),
            c["default_months"].as_i64(),
            c["by_office"].as_bool()
        ),
        (Some(12), Some(36), Some(true))
    );
    let flood = plan(
        &app,
        &d.r.head,
        d.r.unit,
        json!({"level": "special", "title": "防汛专项应急预案"}),
    );
    assert_eq!(flood.status, 201, "{}", flood.text);
    assert_eq!(flood.json()["freq_months"], 12);
    // Back to the default.
    let r = app.put(
        "/api/v1/drills/rules",
        &d.office,
        json!({"sector": "government", "level": "special", "months": null}),
    );
    assert_eq!(cell(&r.json(), "government", "special")["months"], 36);
    // Only the office classifies units.
    let r = app.put(
        &format!("/api/v1/drills/units/{}/profile", d.hotel),
        &d.hotel_head,
        json!({"sector": "other"}),
    );
    assert_eq!(r.status, 403);
    let r = app.put(
        &format!("/api/v1/drills/units/{}/profile", d.hotel),
        &d.office,
        json!({"sector": "hotel", "supervisor_unit_id": d.hotel}),
    );
    assert_eq!(r.status, 422, "{}", r.text);
}

#[test]
fn an_enterprise_sees_only_its_own_plans() {
    let app = spawn_app();
    let d = setup(&app);
    let hotel_plan = id(&plan(&app, &d.coordinator, d.hotel, json!({})));
    let flood = id(&plan(
        &app,
        &d.r.head,
        d.r.unit,
        json!({"level": "special", "title": "防汛专项应急预案"}),
    ));
    let mine = app.get("/api/v1/drills/plans", &d.coordinator).json();
    let titles: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["综合应急预案"]);
    assert_eq!(
        app.get(&format!("/api/v1/drills/plans/{flood}"), &d.coordinator)
            .status,
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/drills/plans/{hotel_plan}"), &d.r.head)
            .status,
        404
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/drills/plans?unit_id={}", d.r.unit),
            &d.coordinator
        )
        .json(),
        json!([])
    );
    // The office sees both.
    assert_eq!(
        app.get("/api/v1/drills/plans", &d.office)
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // A keeper of the department sees its plans but may not register one; nobody registers for another unit.
    assert_eq!(
        app.get("/api/v1/drills/plans", &d.r.keeper)
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(plan(&app, &d.r.keeper, d.r.unit, json!({})).status, 403);
    assert_eq!(plan(&app, &d.r.head, d.hotel, json!({})).status, 403);
    assert_eq!(plan(&app, &d.cook, d.hotel, json!({})).status, 403);
    let r = app.put(&format!("/api/v1/drills/plans/{hotel_plan}"), &d.r.head,
        json!({"unit_id": d.hotel, "level": "enterprise_comprehensive", "title": "改", "approved_on": "2025-11-01"}));
    assert_eq!(r.status, 404);
}

#[test]
fn bad_plan_input_is_refused_and_changes_nothing() {
    let app = spawn_app();
    let d = setup(&app);
    let cases = [
        (json!({"approved_on": "2026-12-30"}), 422, "approved_on"),
        (json!({"filed": true, "filing_no": ""}), 422, "filing_no"),
        (json!({"title": "  "}), 422, "title"),
        (json!({"freq_months": 7}), 422, "freq_months"),
        (json!({"revision_months": 0}), 422, "revision_months"),
        (json!({"level": "national"}), 400, ""),
        (json!({"unit_id": 999999}), 422, "unit_id"),
    ];
    for (extra, status, field) in cases {
        let r = plan(&app, &d.coordinator, d.hotel, extra.clone());
        assert_eq!(r.status, status, "{extra}: {}", r.text);
        if !field.is_empty() {
            assert!(r.text.contains(field), "{extra}: {}", r.text);
        }
    }
    assert_eq!(app.get("/api/v1/drills/plans", &d.office).json(), json!([]));
}

#[test]
fn a_plan_file_is_checked_kept_and_served_only_to_those_who_see_the_plan() {
    let app = spawn_app();
    let d = setup(&app);
    let p = id(&plan(&app, &d.coordinator, d.hotel, json!({})));
    let path = format!("/api/v1/drills/plans/{p}/file");
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let r = app.put_file(
        &path,
        &d.coordinator,
        "application/pdf",
        "综合应急预案.pdf",
        &pdf,
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["content_type"], "application/pdf");
    let (got, bytes) = app.download(&path, &d.hotel_head);
    assert_eq!(got.status, 200);
    assert_eq!(bytes, pdf);
    assert_eq!(got.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(app.download(&path, &d.r.head).0.status, 404);
    // Only those who manage the unit attach; a document that is not a PDF or picture is refused, as is one
    // over 5 MB, and the kept file stays.
    assert_eq!(
        app.put_file(&path, &d.cook, "application/pdf", "x.pdf", &pdf)
            .status,
        403
    );
    let word = app.put_file(
        &path,
        &d.coordinator,
        "application/pdf",
        "plan.pdf",
        b"PK\x03\x04word",
    );
    assert_eq!(word.status, 422, "{}", word.text);
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(5 * 1024 * 1024 + 1, b' ');
    let r = app.put_file(&path, &d.coordinator, "application/pdf", "big.pdf", &big);
    assert_eq!(r.status, 413, "{}", r.text);
    assert_eq!(app.download(&path, &d.coordinator).1, pdf);
}

#[test]
fn only_office_staff_approve_an_annual_plan_and_changes_after_approval_are_recorded() {
    let app = spawn_app();
    let d = setup(&app);
    let p = id(&plan(&app, &d.coordinator, d.hotel, json!({})));
    let item = json!({"plan_id": p, "content": "comprehensive", "form": "live", "month": 6, "organiser": "酒店安全部", "participants": "义务消防队"});
    let body = json!({"unit_id": d.hotel, "year": 2027, "items": [item]});
    assert_eq!(
        app.post("/api/v1/drills/annual", &d.cook, body.clone())
            .status,
        403
    );
    let bad = app.post("/api/v1/drills/annual", &d.coordinator, json!({"unit_id": d.hotel, "year": 2027, "items": [{"plan_id": p, "content": "comprehensive", "form": "live", "month": 13, "organiser": "x"}]}));
    assert_eq!(bad.status, 422, "{}", bad.text);
    let a = app.post("/api/v1/drills/annual", &d.coordinator, body.clone());
    assert_eq!(a.status, 201, "{}", a.text);
    let aid = id(&a);
    assert_eq!(a.json()["state"], "draft");
    let again = app.post("/api/v1/drills/annual", &d.coordinator, body);
    assert_eq!(again.status, 409, "{}", again.text);
    let base = format!("/api/v1/drills/annual/{aid}");
    let decide = |token: &str, approve: bool, note: &str| {
        post(
            &app,
            token,
            &format!("{base}/decision"),
            json!({"approve": approve, "note": note}),
        )
    };
    assert_eq!(decide(&d.office, true, "").status, 409, "not submitted yet");
    assert_eq!(
        post(&app, &d.coordinator, &format!("{base}/submit"), json!({})).status,
        200
    );
    // Adding while it waits is refused.
    let wait = post(
        &app,
        &d.coordinator,
        &format!("{base}/items"),
        json!({"plan_id": p, "content": "single", "form": "tabletop", "month": 9, "organiser": "安全部"}),
    );
    assert_eq!(wait.status, 409, "{}", wait.text);
    for token in [&d.hotel_head, &d.coordinator, &d.r.admin] {
        assert_eq!(decide(token, true, "").status, 403);
    }
    assert_eq!(
        decide(&d.r.head, true, "").status,
        404,
        "another unit's head does not see it"
    );
    assert_eq!(decide(&d.office, false, " ").status, 422);
    let back = decide(&d.office, false, "请补充一次桌面演练");
    assert_eq!(back.json()["state"], "draft");
    assert_eq!(back.json()["decision_note"], "请补充一次桌面演练");
    assert_eq!(
        post(&app, &d.coordinator, &format!("{base}/submit"), json!({})).status,
        200
    );
    let ok = decide(&d.office, true, "");
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json()["state"], "approved");
    // After approval a change needs a reason and is recorded.
    let add = json!({"plan_id": p, "content": "single", "form": "tabletop", "month": 9, "organiser": "安全部"});
    assert_eq!(
        post(&app, &d.coordinator, &format!("{base}/items"), add.clone()).status,
        422
    );
    let mut with_reason = add;
    with_reason["reason"] = json!("按审批意见增加桌面演练");
    let r = post(&app, &d.coordinator, &format!("{base}/items"), with_reason);
    assert_eq!(r.status, 200, "{}", r.text);
    let changes = r.json()["changes"].clone();
    assert_eq!(changes.as_array().unwrap().len(), 1);
    assert!(
        changes[0]["what"]
            .as_str()
            .unwrap()
            .contains("按审批意见增加桌面演练"),
        "{changes}"
    );
    let first = r.json()["items"][0]["id"].as_i64().unwrap();
    let w = post(
        &app,
        &d.coordinator,
        &format!("{base}/items/{first}/withdraw"),
        json!({"reason": "与消防部门联合演练合并"}),
    );
    assert_eq!(w.status, 200, "{}", w.text);
    assert_eq!(w.json()["changes"].as_array().unwrap().len(), 2);
    assert_eq!(w.json()["items"][0]["active"], false);
    let pubd = post(&app, &d.coordinator, &format!("{base}/publish"), json!({}));
    assert_eq!(pubd.json()["state"], "published");
    // Another unit's staff do not see it; the office lists it by year.
    assert_eq!(app.get(&base, &d.r.head).status, 404);
    assert_eq!(
        app.get("/api/v1/drills/annual?year=2027", &d.office)
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.get("/api/v1/drills/annual?year=2026", &d.office).json(),
        json!([])
    );
}

#[test]
fn a_drill_goes_from_scheme_to_evaluation_and_its_corrective_actions_close_only_through_someone_else(
) {
    let app = spawn_app();
    let d = setup(&app);
    classify_hotel(&app, &d);
    let p = id(&plan(&app, &d.coordinator, d.hotel, json!({})));
    // Bad schemes change nothing.
    let start = app.clock_now() + Duration::days(1);
    let bad = app.post("/api/v1/drills", &d.coordinator, json!({"plan_id": p, "title": "x", "content": "single", "form": "live",
        "starts_at": start.to_rfc3339(), "ends_at": start.to_rfc3339(), "scenario": "x", "objectives": ["a"]}));
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.text.contains("ends_at"));
    let s = scheme(&app, &d, p, 1);
    assert_eq!(s.status, 201, "{}", s.text);
    let v = s.json();
    let did = id(&s);
    assert_eq!(v["state"], "draft");
    assert_eq!(v["objectives"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["scenario"],
        "中餐厨房油锅起火，蔓延至排烟管道。\n需疏散二楼宴会厅宾客。"
    );
    let base = format!("/api/v1/drills/{did}");
    assert_eq!(app.get(&base, &d.r.head).status, 404);
    assert_eq!(
        post(&app, &d.coordinator, &format!("{base}/submit"), json!({})).status,
        200
    );
    // The author may not approve; nor someone without the head's role; the head may.
    let decide = |t: &str| {
        post(
            &app,
            t,
            &format!("{base}/decision"),
            json!({"approve": true}),
        )
    };
    assert_eq!(decide(&d.cook).status, 403);
    assert_eq!(decide(&d.r.head).status, 404);
    let ok = decide(&d.hotel_head);
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json()["state"], "approved");
    // Attendance waits for the day.
    let mark = json!({"marks": [{"person_id": d.cook_person, "present": true}]});
    let early = post(
        &app,
        &d.coordinator,
        &format!("{base}/attendance"),
        mark.clone(),
    );
    assert_eq!(early.status, 409, "{}", early.text);
    app.clock.advance(Duration::days(1));
    let stranger = post(
        &app,
        &d.coordinator,
        &format!("{base}/attendance"),
        json!({"marks": [{"person_id": 999999, "present": true}]}),
    );
    assert_eq!(stranger.status, 422);
    let m = post(&app, &d.coordinator, &format!("{base}/attendance"), mark);
    assert_eq!(m.status, 200, "{}", m.text);
    assert_eq!(m.json()["state"], "held");
    assert_eq!(m.json()["people"][0]["present"], true);
    let l = post(
        &app,
        &d.coordinator,
        &format!("{base}/log"),
        json!({"text": "09:31 厨房报警，消防控制室确认火情"}),
    );
    assert_eq!(l.status, 201, "{}", l.text);
    let future = post(
        &app,
        &d.coordinator,
        &format!("{base}/log"),
        json!({"text": "x", "at": (app.clock_now() + Duration::hours(2)).to_rfc3339()}),
    );
    assert_eq!(future.status, 422);
    // The evaluation judges every objective.
    let objectives: Vec<i64> = m.json()["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    let partial = post(
        &app,
        &d.coordinator,
        &format!("{base}/evaluation"),
        json!({"grade": "good", "objectives": [{"objective_id": objectives[0], "result": "met"}]}),
    );
    assert_eq!(partial.status, 422, "{}", partial.text);
    let e = post(
        &app,
        &d.coordinator,
        &format!("{base}/evaluation"),
        json!({"grade": "good", "went_well": "报警及时",
        "problems": "二楼疏散指示灯不亮", "objectives": [{"objective_id": objectives[0], "result": "met"},
        {"objective_id": objectives[1], "result": "partly", "note": "用时 13 分钟"}]}),
    );
    assert_eq!(e.status, 200, "{}", e.text);
    assert_eq!(e.json()["state"], "evaluated");
    assert_eq!(e.json()["objectives"][1]["result"], "partly");
    assert_eq!(
        post(
            &app,
            &d.coordinator,
            &format!("{base}/evaluation"),
            json!({"grade": "good", "objectives": []})
        )
        .status,
        409
    );

    // Corrective actions: the cook owns one; evidence goes in, the cook cannot close it, the coordinator can.
    let due = (app.clock_now() + Duration::days(20))
        .date_naive()
        .to_string();
    let past = (app.clock_now() - Duration::days(1))
        .date_naive()
        .to_string();
    let act = |body: Value| post(&app, &d.coordinator, &format!("{base}/actions"), body);
    assert_eq!(
        act(json!({"problem": "更换疏散指示灯", "owner_person_id": d.cook_person, "due_on": past}))
            .status,
        422
    );
    assert_eq!(
        post(
            &app,
            &d.cook,
            &format!("{base}/actions"),
            json!({"problem": "x", "owner_person_id": d.cook_person, "due_on": due})
        )
        .status,
        403
    );
    let a = act(
        json!({"problem": "更换二楼疏散指示灯", "owner_person_id": d.cook_person, "due_on": due}),
    );
    assert_eq!(a.status, 201, "{}", a.text);
    let aid = id(&a);
    assert_eq!(a.json()["state"], "open");
    let apath = format!("/api/v1/drills/actions/{aid}");
    // The owner sees their action, even as a viewer, and attaches a photo; a text file is refused.
    assert_eq!(app.get(&apath, &d.cook).status, 200);
    let png = b"\x89PNG\r\n\x1a\n0000".to_vec();
    assert_eq!(
        app.put_file(
            &format!("{apath}/file"),
            &d.cook,
            "text/plain",
            "a.txt",
            b"hello"
        )
        .status,
        422
    );
    let f = app.put_file(
        &format!("{apath}/file"),
        &d.cook,
        "image/png",
        "灯.png",
        &png,
    );
    assert_eq!(f.status, 200, "{}", f.text);
    assert_eq!(
        post(
            &app,
            &d.cook,
            &format!("{apath}/evidence"),
            json!({"evidence": " "})
        )
        .status,
        422
    );
    let s = post(
        &app,
        &d.cook,
        &format!("{apath}/evidence"),
        json!({"evidence": "已更换 6 盏指示灯"}),
    );
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(s.json()["state"], "submitted");
    assert_eq!(
        post(
            &app,
            &d.cook,
            &format!("{apath}/evidence"),
            json!({"evidence": "再次"})
        )
        .status,
        409
    );
    assert_eq!(
        post(
            &app,
            &d.cook,
            &format!("{apath}/verification"),
            json!({"accept": true})
        )
        .status,
        403
    );
    assert_eq!(
        post(
            &app,
            &d.coordinator,
            &format!("{apath}/verification"),
            json!({"accept": false})
        )
        .status,
        422
    );
    let rej = post(
        &app,
        &d.coordinator,
        &format!("{apath}/verification"),
        json!({"accept": false, "note": "照片看不清型号"}),
    );
    assert_eq!(rej.status, 200, "{}", rej.text);
    assert_eq!(rej.json()["state"], "open");
    assert_eq!(rej.json()["rejections"], 1);
    assert_eq!(rej.json()["reject_note"], "照片看不清型号");
    assert_eq!(
        post(
            &app,
            &d.cook,
            &format!("{apath}/evidence"),
            json!({"evidence": "补拍照片"})
        )
        .status,
        200
    );
    let closed = post(
        &app,
        &d.coordinator,
        &format!("{apath}/verification"),
        json!({"accept": true}),
    );
    assert_eq!(closed.json()["state"], "closed", "{}", closed.text);
    assert_eq!(
        app.download(&format!("{apath}/file"), &d.coordinator).1,
        png
    );

    // The coordinator's own evidence for an action they own must be verified by someone else: the head.
    let coord_person = crate::notify::person_id(&app, &d.r.admin, "韩雪");
    let own = id(&act(
        json!({"problem": "修订疏散预案", "owner_person_id": coord_person, "due_on": due, "revise_plan": true}),
    ));
    let opath = format!("/api/v1/drills/actions/{own}");
    assert_eq!(
        post(
            &app,
            &d.coordinator,
            &format!("{opath}/evidence"),
            json!({"evidence": "已修订"})
        )
        .status,
        200
    );
    let selfie = post(
        &app,
        &d.coordinator,
        &format!("{opath}/verification"),
        json!({"accept": true}),
    );
    assert_eq!(selfie.status, 409, "{}", selfie.text);
    // It calls for revising the plan: closing waits for the revision in the registry.
    let early = post(
        &app,
        &d.hotel_head,
        &format!("{opath}/verification"),
        json!({"accept": true}),
    );
    assert_eq!(early.status, 409, "{}", early.text);
    assert!(early.text.contains("修订"));
    assert_eq!(
        app.get(&format!("/api/v1/drills/plans/{p}"), &d.coordinator)
            .json()["revisions_asked"],
        1
    );
    app.clock.advance(Duration::minutes(5));
    let rev = app.put(&format!("/api/v1/drills/plans/{p}"), &d.coordinator, json!({"unit_id": d.hotel,
        "level": "enterprise_comprehensive", "title": "综合应急预案", "version": "2026版", "approved_on": "2026-11-29",
        "filed": true, "filing_no": "吴应急备〔2026〕3号"}));
    assert_eq!(rev.status, 200, "{}", rev.text);
    let done = post(
        &app,
        &d.hotel_head,
        &format!("{opath}/verification"),
        json!({"accept": true}),
    );
    assert_eq!(done.json()["state"], "closed", "{}", done.text);
    assert_eq!(
        app.get(&format!("/api/v1/drills/plans/{p}"), &d.coordinator)
            .json()["revisions_asked"],
        0
    );

    // The drill counts for its plan; the cook, a viewer, sees it; listed by year.
    let pv = app
        .get(&format!("/api/v1/drills/plans/{p}"), &d.cook)
        .json();
    assert_eq!(pv["compliance"]["standing"], "done", "{pv}");
    let list = app
        .get("/api/v1/drills?from=2026-11-01&to=2026-12-31", &d.cook)
        .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["unit_name"], "东太湖温泉大酒店");
    assert_eq!(
        app.get("/api/v1/drills?from=2026-11-01&to=2026-12-31", &d.r.head)
            .json(),
        json!([])
    );
    let acts = app.get("/api/v1/drills/actions", &d.cook).json();
    assert_eq!(acts.as_array().unwrap().len(), 2, "{acts}");
    assert_eq!(
        app.get("/api/v1/drills/actions?open=true", &d.cook).json(),
        json!([])
    );
    assert_eq!(
        app.get("/api/v1/drills/actions", &d.r.head).json(),
        json!([])
    );
}

#[test]
fn reserved_materials_leave_and_return_through_countersigned_vouchers_and_the_ledger_stays_true() {
    let app = spawn_app();
    let d = setup(&app);
    receive(&app, &d.r, d.r.sandbag_batch, "300");
    let p = id(&plan(&app, &d.coordinator, d.hotel, json!({})));
    let did = id(&scheme(&app, &d, p, 3));
    let base = format!("/api/v1/drills/{did}");
    let res = json!({"warehouse_id": d.r.warehouse, "item_id": d.r.sandbags, "qty": "40"});
    // Only the warehouse's keepers hold its stock; not more than is there.
    assert_eq!(
        post(
            &app,
            &d.coordinator,
            &format!("{base}/materials"),
            res.clone()
        )
        .status,
        403
    );
    assert_eq!(
        post(
            &app,
            &d.r.other_keeper,
            &format!("{base}/materials"),
            res.clone()
        )
        .status,
        403
    );
    let much = post(
        &app,
        &d.r.keeper,
        &format!("{base}/materials"),
        json!({"warehouse_id": d.r.warehouse, "item_id": d.r.sandbags, "qty": "301"}),
    );
    assert_eq!(much.status, 409, "{}", much.text);
    assert_eq!(
        post(
            &app,
            &d.r.keeper,
            &format!("{base}/materials"),
            json!({"warehouse_id": d.r.warehouse, "item_id": d.r.sandbags, "qty": "-1"})
        )
        .status,
        422
    );
    let r = post(&app, &d.r.keeper, &format!("{base}/materials"), res);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["materials"][0]["qty_text"], "40");
    // The keeper now sees the drill; the stock shows 40 reserved and an ordinary issue cannot take them.
    assert_eq!(app.get(&base, &d.r.keeper).status, 200);
    let stock = app
        .get(
            &format!("/api/v1/warehouses/{}/stock", d.r.warehouse),
            &d.r.keeper,
        )
        .json();
    assert_eq!(stock[0]["reserved"], "40", "{stock}");
    let grab = crate::inventory::movement(
        &app,
        &d.r.keeper,
        d.r.warehouse,
        "use",
        json!([{"batch_id": d.r.sandbag_batch, "qty": "261"}]),
        json!({}),
    );
    assert_eq!(grab.status, 409, "{}", grab.text);
    // Issued only once the scheme is approved.
    let w = json!({"warehouse_id": d.r.warehouse});
    assert_eq!(
        post(&app, &d.r.keeper, &format!("{base}/issue"), w.clone()).status,
        409
    );
    assert_eq!(
        post(&app, &d.coordinator, &format!("{base}/submit"), json!({})).status,
        200
    );
    assert_eq!(
        post(
            &app,
            &d.hotel_head,
            &format!("{base}/decision"),
            json!({"approve": true})
        )
        .status,
        200
    );
    let issued = post(&app, &d.r.keeper, &format!("{base}/issue"), w.clone());
    assert_eq!(issued.status, 200, "{}", issued.text);
    let line = issued.json()["materials"][0].clone();
    assert_eq!(line["issued_text"], "40");
    let out = line["issue_movement_id"].as_i64().unwrap();
    assert_eq!(
        post(&app, &d.r.keeper, &format!("{base}/issue"), w.clone()).status,
        409
    );
    // Nothing comes back before the loan voucher is countersigned.
    let early = post(&app, &d.r.keeper, &format!("{base}/return"), w.clone());
    assert_eq!(early.status, 409, "{}", early.text);
    let voucher = app
        .get(&format!("/api/v1/movements/{out}"), &d.r.keeper)
        .json();
    assert_eq!(voucher["kind"], "loan");
    assert_eq!(voucher["state"], "pending");
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/movements/{out}/countersign"),
            Some(&d.r.keeper2),
            None
        )
        .status,
        200
    );
    assert_eq!(
        on_hand(&app, &d.r.keeper, d.r.warehouse, d.r.sandbag_batch),
        260_000
    );
    let stock = app
        .get(
            &format!("/api/v1/warehouses/{}/stock", d.r.warehouse),
            &d.r.keeper,
        )
        .json();
    assert_eq!(stock[0]["reserved"], "0", "{stock}");
    let back = post(&app, &d.r.keeper, &format!("{base}/return"), w.clone());
    assert_eq!(back.status, 200, "{}", back.text);
    let ret = back.json()["materials"][0]["return_movement_id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        post(&app, &d.r.keeper, &format!("{base}/return"), w).status,
        409
    );
    assert_eq!(
        app.api(
            "POST",
            &format!("/api/v1/movements/{ret}/countersign"),
            Some(&d.r.keeper2),
            None
        )
        .status,
        200
    );
    assert_eq!(
        on_hand(&app, &d.r.keeper, d.r.warehouse, d.r.sandbag_batch),
        300_000
    );
    let report = verify(&app, &d.r.admin);
    for part in ["differences", "chain_breaks", "reservation_differences"] {
        assert!(report[part].as_array().unwrap().is_empty(), "{report}");
    }
    assert!(app.verify().ok(), "ledger verify");
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_standby"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("STANDBY_LOG", "error")
        .env("STANDBY_DATABASE_URL", &app.database_url)
        .env("STANDBY_DATA_DIR", &app.data_dir)
        .args(["ledger", "verify"])
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    assert!(String::from_utf8_lossy(&cli.stderr).contains("the books match"));

    // A cancelled drill lets its reservation go.
    let other = id(&scheme(&app, &d, p, 10));
    let obase = format!("/api/v1/drills/{other}");
    assert_eq!(
        post(
            &app,
            &d.r.keeper,
            &format!("{obase}/materials"),
            json!({"warehouse_id": d.r.warehouse, "item_id": d.r.sandbags, "qty": "25"})
        )
        .status,
        200
    );
    assert_eq!(
        post(&app, &d.cook, &format!("{obase}/cancel"), json!({})).status,
        403
    );
    let c = post(&app, &d.coordinator, &format!("{obase}/cancel"), json!({}));
    assert_eq!(c.json()["state"], "cancelled", "{}", c.text);
    let stock = app
        .get(
            &format!("/api/v1/warehouses/{}/stock", d.r.warehouse),
            &d.r.keeper,
        )
        .json();
    assert_eq!(stock[0]["reserved"], "0", "{stock}");
    assert_eq!(
        post(&app, &d.coordinator, &format!("{obase}/cancel"), json!({})).status,
        409
    );
}

/// A drill uses up or loses part of what it borrowed: the keeper takes back what comes, says how the rest
/// went, and the drill keeps that record; the loan voucher already took it all off the book, so the ledger
/// stays true without a write-off.
#[test]
fn materials_come_back_in_part_and_the_drill_keeps_what_did_not() {
    let app = spawn_app();
    let d = setup(&app);
    receive(&app, &d.r, d.r.sandbag_batch, "300");
    let p = id(&plan(&app, &d.coordinator, d.hotel, json!({})));
    let did = id(&scheme(&app, &d, p, 3));
    let base = format!("/api/v1/drills/{did}");
    let wh = d.r.warehouse;
    let res = json!({"warehouse_id": wh, "item_id": d.r.sandbags, "qty": "40"});
    assert_eq!(
        post(&app, &d.r.keeper, &format!("{base}/materials"), res).status,
        200
    );
    assert_eq!(
        post(&app, &d.coordinator, &format!("{base}/submit"), json!({})).status,
        200
    );
    let yes = json!({"approve": true});
    assert_eq!(
        post(&app, &d.hotel_head, &format!("{base}/decision"), yes).status,
        200
    );
    let issued = post(
        &app,
        &d.r.keeper,
        &format!("{base}/issue"),
        json!({"warehouse_id": wh}),
    );
    let line = issued.json()["materials"][0].clone();
    let mat = line["id"].as_i64().unwrap();
    let out = line["issue_movement_id"].as_i64().unwrap();
    let countersign = |m: i64| {
        let path = format!("/api/v1/movements/{m}/countersign");
        app.api("POST", &path, Some(&d.r.keeper2), None).status
    };
    assert_eq!(countersign(out), 200);
    let give_back = |body: Value| post(&app, &d.r.keeper, &format!("{base}/return"), body);
    let back = |returned: &str, note: &str| json!({"warehouse_id": wh, "lines": [{"material_id": mat, "returned": returned}], "loss_note": note});
    // More than was lent, a line not lent, a shortfall not explained, a quantity that is not one: refused,
    // each naming its field, and nothing comes back.
    let stranger =
        json!({"warehouse_id": wh, "lines": [{"material_id": mat + 999, "returned": "1"}]});
    for (body, field) in [
        (back("41", ""), "lines"),
        (back("-1", "x"), "returned"),
        (stranger, "lines"),
        (back("37", "  "), "loss_note"),
        (back("三十", ""), "returned"),
    ] {
        let r = give_back(body);
        assert_eq!(r.status, 422, "{}", r.text);
        assert_eq!(r.json()["error"]["field"], field, "{}", r.text);
    }
    assert_eq!(on_hand(&app, &d.r.keeper, wh, d.r.sandbag_batch), 260_000);
    let now = app.get(&base, &d.r.keeper).json();
    assert!(now["materials"][0]["return_movement_id"].is_null(), "{now}");

    let r = give_back(back("37", "3 袋堵漏时破损，现场丢弃"));
    assert_eq!(r.status, 200, "{}", r.text);
    let m = &r.json()["materials"][0];
    assert_eq!(
        (m["returned_text"].as_str(), m["lost_text"].as_str()),
        (Some("37"), Some("3"))
    );
    assert_eq!(m["loss_note"], "3 袋堵漏时破损，现场丢弃");
    let ret = m["return_movement_id"].as_i64().unwrap();
    let voucher = app
        .get(&format!("/api/v1/movements/{ret}"), &d.r.keeper)
        .json();
    assert_eq!(voucher["kind"], "return");
    assert!(
        voucher["reason"]
            .as_str()
            .unwrap()
            .contains("3 袋堵漏时破损"),
        "{voucher}"
    );
    assert_eq!(
        give_back(json!({"warehouse_id": wh})).status,
        409,
        "settled once"
    );
    assert_eq!(countersign(ret), 200);
    assert_eq!(on_hand(&app, &d.r.keeper, wh, d.r.sandbag_batch), 297_000);
    let report = verify(&app, &d.r.admin);
    for part in ["differences", "chain_breaks", "reservation_differences"] {
        assert!(report[part].as_array().unwrap().is_empty(), "{report}");
    }
    assert!(app.verify().ok(), "ledger verify");
}

#[test]
fn compliance_puts_overdue_units_first_counts_the_rate_and_names_units_without_plans() {
    let app = spawn_app();
    let d = setup(&app);
    classify_hotel(&app, &d);
    // The hotel's plan, approved a year ago, every half year, never drilled: overdue since 31 May 2026.
    let hp = id(&plan(
        &app,
        &d.coordinator,
        d.hotel,
        json!({"approved_on": "2025-12-01"}),
    ));
    // The department's flood plan, approved this year: due.
    plan(
        &app,
        &d.r.head,
        d.r.unit,
        json!({"level": "special", "title": "防汛专项应急预案", "approved_on": "2026-03-01", "filed": false, "filing_no": ""}),
    );
    // A street the office classified, with no plan on file.
    let street = app.get("/api/v1/units", &d.r.admin).json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "滨湖街道")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        app.put(
            &format!("/api/v1/drills/units/{street}/profile"),
            &d.office,
            json!({"sector": "government"})
        )
        .status,
        200
    );
    let r = app.get("/api/v1/drills/compliance?on=2026-11-28", &d.office);
    assert_eq!(r.status, 200, "{}", r.text);
    let rep = r.json();
    assert_eq!(rep["units_total"], 3, "{rep}");
    assert_eq!(rep["units_complying"], 1);
    assert_eq!(rep["rate"], "33.3%");
    assert_eq!(rep["without_plans"], json!(["滨湖街道"]));
    assert_eq!(rep["units"][0]["unit_name"], "东太湖温泉大酒店");
    let hotel_plan = &rep["units"][0]["plans"][0];
    assert_eq!(hotel_plan["standing"], "overdue");
    assert_eq!(hotel_plan["next_due"], "2026-05-31");
    assert_eq!(hotel_plan["overdue_days"], 181);
    assert_eq!(rep["units"][0]["must_report"], true);
    let flood = rep["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_name"] == "建设局")
        .unwrap();
    assert_eq!(flood["complies"], true);
    assert_eq!(flood["plans"][0]["standing"], "due");
    assert_eq!(flood["plans"][0]["next_due"], "2029-02-28");
    // On a day before the hotel's first period ended it was merely due.
    let then = app
        .get("/api/v1/drills/compliance?on=2026-05-31", &d.office)
        .json();
    assert_eq!(then["units_complying"], 2, "{then}");
    // The hotel's coordinator sees only the hotel.
    let mine = app.get("/api/v1/drills/compliance", &d.coordinator).json();
    assert_eq!(mine["units_total"], 1);
    assert_eq!(mine["rate"], "0.0%");
    assert_eq!(
        app.get("/api/v1/drills/compliance?on=2026-13-01", &d.office)
            .status,
        400
    );
    // An evaluated drill brings the hotel into line.
    let did = id(&scheme(&app, &d, hp, 0));
    let base = format!("/api/v1/drills/{did}");
    assert_eq!(
        post(&app, &d.coordinator, &format!("{base}/submit"), json!({})).status,
        200
    );
    assert_eq!(
        post(
            &app,
            &d.hotel_head,
            &format!("{base}/decision"),
            json!({"approve": true})
        )
        .status,
        200
    );
    let v = post(
        &app,
        &d.coordinator,
        &format!("{base}/attendance"),
        json!({"marks": [{"person_id": d.cook_person, "present": false}]}),
    );
    assert_eq!(v.status, 200, "{}", v.text);
    let objectives: Vec<Value> = v.json()["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| json!({"objective_id": o["id"], "result": "met"}))
        .collect();
    assert_eq!(
        post(
            &app,
            &d.coordinator,
            &format!("{base}/evaluation"),
            json!({"grade": "excellent", "objectives": objectives})
        )
        .status,
        200
    );
    let now = app.get("/api/v1/drills/compliance", &d.office).json();
    assert_eq!(now["units_complying"], 2, "{now}");
    assert_eq!(now["units"][0]["unit_name"], "滨湖街道");
}

#[test]
fn the_calendar_feed_lists_the_drills_a_caller_may_see() {
    let app = spawn_app();
    let d = setup(&app);
    let p = id(&plan(&app, &d.coordinator, d.hotel, json!({})));
    scheme(&app, &d, p, 12);
    let (r, body) = app.download("/api/v1/drills/calendar.ics?year=2026", &d.coordinator);
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("text/calendar"));
    let text = String::from_utf8(body).unwrap();
    assert!(text.contains("BEGIN:VEVENT"), "{text}");
    assert!(
        text.contains("SUMMARY:东太湖温泉大酒店：厨房火灾疏散演练"),
        "{text}"
    );
    assert!(text.contains("DTSTART:20261210T013000Z"), "{text}");
    let (_, other) = app.download("/api/v1/drills/calendar.ics?year=2026", &d.r.head);
    assert!(!String::from_utf8(other).unwrap().contains("VEVENT"));
    let (_, next) = app.download("/api/v1/drills/calendar.ics?year=2027", &d.coordinator);
    assert!(!String::from_utf8(next).unwrap().contains("VEVENT"));
    assert_eq!(
        app.api("GET", "/api/v1/drills/calendar.ics", None, None)
            .status,
        401
    );
}
