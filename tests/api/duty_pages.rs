//! The duty pages' answers to mistakes: a refused form comes back with what was typed and why (4xx), a
//! back-to-back across two plans is found, a change that clashes warns whoever applies it (page and API),
//! and a link with a bad id is the ordinary 404 page in the page's language.
//!
//! The test clock's today is Saturday 28 November 2026, 10:00 in the office's zone (Asia/Shanghai).

use serde_json::{json, Value};

use crate::duty::{generate, office, roster, shifts, step, token_of, Office};
use crate::helpers::{multipart, spawn_app, Resp, TestApp, PASSWORD};
use crate::teams::who;

type Shifts = Vec<(String, i64, Vec<(i64, String)>)>;

/// A roster published from `from` to the end of December; returns it with its shifts `(day, shift, people)`.
fn published(app: &TestApp, o: &Office, from: &str) -> (i64, Shifts) {
    let id = roster(app, o);
    let plan = generate(app, &o.leaders[0].token, id, from, "2026-12-31");
    let plan_id = plan["plan"]["id"].as_i64().unwrap();
    assert_eq!(
        step(app, &o.leaders[0].token, plan_id, "publish", "").status,
        200
    );
    (id, shifts(&plan))
}

fn holder(people: &[(i64, String)], role: &str) -> i64 {
    people.iter().find(|(_, r)| r == role).unwrap().0
}

fn username(o: &Office, person: i64) -> &'static str {
    let leaders = ["lzm", "zjg", "slh"];
    let officers = ["qxy", "whf", "lijun", "wangf"];
    match o.leaders.iter().position(|w| w.person == person) {
        Some(i) => leaders[i],
        None => officers[o.officers.iter().position(|w| w.person == person).unwrap()],
    }
}

/// A refused form's answer: its status, the page's message, and the typed values shown again.
fn shows_again(r: &Resp, status: u16, message: &str, typed: &[&str]) {
    assert_eq!(r.status, status, "{}", r.text);
    assert!(
        r.text.contains(r#"<div class="flash error"#) && r.text.contains(message),
        "the refusal is said: {message}\n{}",
        r.text
    );
    for t in typed {
        assert!(r.text.contains(t), "what was typed comes back: {t}");
    }
    assert!(
        r.text.contains("<header>") && r.text.contains(r#"name="csrf_token""#),
        "the page itself, with its forms, not an error page"
    );
}

#[test]
fn a_refused_roster_form_comes_back_with_what_was_typed_and_why() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    let unit = o.unit.to_string();
    let mut b = app.browser();
    b.sign_in("lzm", PASSWORD);

    b.get("/duty");
    let new = [
        ("unit_id", unit.as_str()),
        ("name", "防汛值班表"),
        ("shift_starts", "25:00"),
        ("workday_leaders", "1"),
        ("workday_officers", "3"),
        ("weekend_leaders", "1"),
        ("weekend_officers", "1"),
        ("holiday_leaders", "1"),
        ("holiday_officers", "2"),
        ("duty_phone", "0512-63980119"),
    ];
    shows_again(
        &b.post("/duty/rosters", &new),
        422,
        "交接班时间",
        &[
            r#"<details class="card" open>"#,
            r#"value="防汛值班表""#,
            r#"value="25:00""#,
            r#"name="workday_officers" value="3""#,
            r#"value="0512-63980119""#,
        ],
    );
    let mut bad_number = new.to_vec();
    bad_number[1] = ("name", "第二张表");
    bad_number[2] = ("shift_starts", "08:30");
    bad_number[4] = ("workday_officers", "两");
    shows_again(
        &b.post("/duty/rosters", &bad_number),
        422,
        "工作日值班员人数：请填写整数",
        &[
            r#"value="第二张表""#,
            r#"name="workday_officers" value="两""#,
        ],
    );

    let page = format!("/duty/rosters/{id}");
    b.get(&page);
    let settings = [
        ("name", "改名后的总值班"),
        ("shift_starts", "08:30"),
        ("workday_leaders", "1"),
        ("workday_officers", "1"),
        ("weekend_leaders", "1"),
        ("weekend_officers", "1"),
        ("holiday_leaders", "1"),
        ("holiday_officers", "2"),
        ("duty_phone", "0512-63980110"),
        ("handover_minutes", "半小时"),
        ("remind_hours", "24"),
        ("checklist", "通讯设备测试正常\n新加的一项"),
        ("active", "1"),
    ];
    shows_again(
        &b.post(&page, &settings),
        422,
        "交接班签字时限（分钟）：请填写整数",
        &[
            r#"value="改名后的总值班""#,
            r#"value="半小时""#,
            "新加的一项</textarea>",
        ],
    );
    assert!(
        app.get(&format!("/api/v1/duty/rosters/{id}"), &o.viewer)
            .json()["roster"]["name"]
            == "区应急局总值班",
        "nothing was saved"
    );

    b.get(&page);
    shows_again(
        &b.post(
            &format!("{page}/periods"),
            &[
                ("kind", "flood"),
                ("name", "2027年汛期"),
                ("starts_on", "2027-06-01"),
                ("ends_on", "2027-05-01"),
                ("leaders", "1"),
                ("officers", "3"),
            ],
        ),
        422,
        "",
        &[
            r#"value="2027年汛期""#,
            r#"value="2027-06-01""#,
            r#"name="officers" value="3""#,
        ],
    );

    b.get(&page);
    shows_again(
        &b.post(
            &format!("{page}/plans"),
            &[("from", "2026-12-31"), ("to", "2026-12-01")],
        ),
        422,
        "",
        &[r#"value="2026-12-31""#, r#"value="2026-12-01""#],
    );

    // A file form cannot be filled in again, but its refusal is said beside it on the roster's page.
    b.get(&page);
    let csrf = b.csrf.clone().unwrap();
    let body = multipart("B0UND", &csrf, &[], None);
    shows_again(
        &b.post_multipart(&format!("{page}/import"), "B0UND", &body),
        422,
        "文件",
        &[r#"action="/duty/rosters/1/import""#],
    );
}

#[test]
fn refused_forms_of_a_shift_a_change_and_my_duty_come_back_with_what_was_typed() {
    let app = spawn_app();
    let o = office(&app);
    let (_, s) = published(&app, &o, "2026-11-28");
    let (_, today, people) = &s[0];
    let officer = holder(people, "officer");
    let mut phone = app.browser();
    phone.sign_in(username(&o, officer), PASSWORD);

    let shift = format!("/duty/shifts/{today}");
    phone.get(&shift);
    shows_again(
        &phone.post(
            &format!("{shift}/log"),
            &[
                ("summary", "大堤渗水，已报水利站"),
                ("caller_unit", "松陵街道"),
                ("caller_phone", "abc"),
                ("open", "1"),
            ],
        ),
        422,
        "来电号码",
        &[
            "大堤渗水，已报水利站</textarea>",
            r#"value="松陵街道""#,
            r#"value="abc""#,
            r#"name="open" value="1" checked"#,
        ],
    );

    let person = officer.to_string();
    phone.get("/duty/mine");
    shows_again(
        &phone.post(
            "/duty/unavailable",
            &[
                ("person_id", &person),
                ("starts_on", "2026-12-20"),
                ("ends_on", "2026-12-10"),
                ("reason", "家中有事"),
            ],
        ),
        422,
        "",
        &[r#"value="家中有事""#, r#"value="2026-12-20""#],
    );

    let mine = s
        .iter()
        .skip(3)
        .find(|(_, _, p)| p.iter().any(|(q, _)| *q == officer))
        .unwrap();
    phone.get(&format!("/duty/shifts/{}/change", mine.1));
    let sub = [
        ("kind", "substitution"),
        ("shift_id", &mine.1.to_string()),
        ("giver_id", &person),
        ("taker_id", ""),
        ("reason", "孩子生病"),
    ];
    shows_again(
        &phone.post("/duty/changes", &sub),
        422,
        "接替人",
        &[r#"value="孩子生病""#],
    );

    let mut leader = app.browser();
    leader.sign_in("lzm", PASSWORD);
    leader.get(&shift);
    shows_again(
        &leader.post(&format!("{shift}/presence"), &[("minutes", "一刻钟")]),
        422,
        "确认时限（分钟）",
        &[r#"value="一刻钟""#],
    );
    let places = format!("/duty/shifts/{}/places", s[20].1);
    leader.get(&places);
    let twice = format!("role_{officer}");
    shows_again(
        &leader.post(&places, &[(&twice, "leader"), (&twice, "officer")]),
        422,
        "同一人在一个班次中只能出现一次",
        &[&format!(r#"<select name="{twice}">"#)],
    );
    let plan = app.get("/api/v1/duty/rosters/1", &o.viewer).json()["plans"][0]["id"]
        .as_i64()
        .unwrap();
    leader.get(&format!("/duty/plans/{plan}"));
    shows_again(
        &leader.post(
            &format!("/duty/plans/{plan}"),
            &[("step", "refuse"), ("note", "")],
        ),
        422,
        "退回时请写明理由",
        &[],
    );
}

#[test]
fn a_shift_right_after_one_of_the_plan_before_or_after_is_found_on_both_plans() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    let lead = &o.leaders[0].token;
    let first = generate(&app, lead, id, "2026-12-01", "2026-12-15");
    let first_id = first["plan"]["id"].as_i64().unwrap();
    assert_eq!(step(&app, lead, first_id, "publish", "").status, 200);
    let second = generate(&app, lead, id, "2026-12-16", "2026-12-31");
    let second_id = second["plan"]["id"].as_i64().unwrap();
    let (last, next) = (
        shifts(&first).last().unwrap().clone(),
        shifts(&second)[0].clone(),
    );
    assert_eq!(
        (last.0.as_str(), next.0.as_str()),
        ("2026-12-15", "2026-12-16")
    );
    let tired = holder(&last.2, "leader");
    assert!(
        !next.2.iter().any(|(p, _)| *p == tired),
        "generation left a rest after the published plan"
    );
    let findings = |plan: i64| -> Vec<String> {
        app.get(&format!("/api/v1/duty/plans/{plan}"), &o.viewer)
            .json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect()
    };
    let name = app.get(&format!("/api/v1/people/{tired}"), &o.admin).json()["name"]
        .as_str()
        .unwrap()
        .to_string();
    let said = format!("2026-12-16 {name} 连续值班，中间没有休息");
    assert!(!findings(second_id).contains(&said));

    // The leader of 15 December is put on the 16th too, the first shift of the next plan.
    let mut places: Vec<Value> = next
        .2
        .iter()
        .filter(|(_, r)| r != "leader")
        .map(|(p, r)| json!({"person_id": p, "role": r}))
        .collect();
    places.push(json!({"person_id": tired, "role": "leader"}));
    let r = app.put(
        &format!("/api/v1/duty/shifts/{}", next.1),
        lead,
        json!({ "places": places }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(
        findings(second_id).contains(&said),
        "{:?}",
        findings(second_id)
    );
    assert!(
        findings(first_id).contains(&said),
        "the plan before shows it too: {:?}",
        findings(first_id)
    );
    let mut b = app.browser();
    b.sign_in("lzm", PASSWORD);
    assert!(b
        .get(&format!("/duty/plans/{second_id}"))
        .text
        .contains(&said));

    // Published, the roster's gaps ahead find it across the two plans as well.
    assert_eq!(step(&app, lead, second_id, "publish", "").status, 200);
    let ahead = app.get(
        &format!("/api/v1/duty/rosters/{id}/gaps?days=30"),
        &o.viewer,
    );
    assert!(
        ahead
            .json()
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "back_to_back"
                && f["person_id"] == tired
                && f["day"] == "2026-12-16"),
        "{}",
        ahead.text
    );
}

#[test]
fn approving_a_change_that_leaves_someone_no_rest_warns_first_and_applies_only_on_purpose() {
    let app = spawn_app();
    let o = office(&app);
    let (_, s) = published(&app, &o, "2026-12-01");
    // An officer of 6 December hands the shift to the officer of 7 December, who would then get no rest.
    let (giver, taker) = (holder(&s[5].2, "officer"), holder(&s[6].2, "officer"));
    assert_ne!(giver, taker);
    let r = app.post(
        "/api/v1/duty/changes",
        token_of(&o, giver),
        json!({"kind": "substitution", "shift_id": s[5].1, "giver_id": giver, "taker_id": taker, "reason": "出差"}),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let change = r.json()["id"].as_i64().unwrap();
    let agreed = app.post(
        &format!("/api/v1/duty/changes/{change}/agree"),
        token_of(&o, taker),
        json!({}),
    );
    assert_eq!(agreed.json()["state"], "agreed", "{}", agreed.text);
    let approver = &o.leaders[1];

    // The API refuses the approval, naming the clash and the field that overrides it.
    let refused = app.post(
        &format!("/api/v1/duty/changes/{change}/approve"),
        &approver.token,
        json!({}),
    );
    assert_eq!(refused.status, 422, "{}", refused.text);
    let body = refused.json();
    assert_eq!(body["error"]["field"], "despite_clashes");
    let taker_name = app.get(&format!("/api/v1/people/{taker}"), &o.admin).json()["name"]
        .as_str()
        .unwrap()
        .to_string();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&taker_name)
            && message.contains("2026-12-06")
            && message.contains("连续值班"),
        "{message}"
    );
    let still: Value = app
        .get("/api/v1/duty/changes?roster_id=1", &o.viewer)
        .json();
    assert_eq!(still[0]["state"], "agreed", "nothing applied");

    // The approver's queue shows the clash before anyone decides, and refuses an approval without the box.
    let mut b = app.browser();
    b.sign_in(username(&o, approver.person), PASSWORD);
    let queue = b.get("/duty/changes");
    assert!(
        queue.text.contains("执行后将造成") && queue.text.contains("连续值班"),
        "{}",
        queue.text
    );
    assert!(queue.text.contains(r#"name="despite_clashes""#));
    let act = format!("/duty/changes/{change}");
    shows_again(
        &b.post(
            &act,
            &[
                ("action", "approve"),
                ("note", "人手紧张"),
                ("next", "/duty/changes"),
            ],
        ),
        422,
        "仍然执行",
        &[r#"value="人手紧张""#],
    );
    b.get("/duty/changes");
    let done = b.post(
        &act,
        &[
            ("action", "approve"),
            ("note", "人手紧张"),
            ("despite_clashes", "1"),
            ("next", "/duty/changes"),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.text);
    let after: Value = app
        .get("/api/v1/duty/changes?roster_id=1", &o.viewer)
        .json();
    assert_eq!(after[0]["state"], "applied", "applied on purpose");
}

#[test]
fn a_duty_link_with_a_bad_id_is_the_ordinary_not_found_page_in_the_pages_language() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    let paths = [
        "/duty/rosters/abc".to_string(),
        "/duty/rosters/99999999999999999999".to_string(),
        "/duty/plans/abc".to_string(),
        "/duty/shifts/abc".to_string(),
        "/duty/shifts/abc/change".to_string(),
        "/duty/shifts/abc/places".to_string(),
        "/duty/rosters/abc/report".to_string(),
        "/duty/rosters/abc/month/2026-12.xlsx".to_string(),
        format!("/duty/rosters/{id}/record/abc"),
    ];
    let mut zh = app.browser();
    zh.sign_in("lzm", PASSWORD);
    for path in &paths {
        let r = zh.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(
            r.text.contains(r#"<html lang="zh-CN">"#) && r.text.contains("找不到"),
            "{path}: {}",
            r.text
        );
        assert!(!r.text.contains("Not Found") && !r.text.contains("no such"));
    }
    let r = zh.post("/duty/changes/abc", &[("action", "approve")]);
    assert!(
        r.status == 404 && r.text.contains("找不到这个页面"),
        "{}",
        r.text
    );
    let r = zh.get("/duty/now?unit=abc");
    assert_eq!(r.status, 400);
    assert!(
        r.text.contains("查询参数有误") && !r.text.contains("deserialize"),
        "no parser's English on a Chinese page: {}",
        r.text
    );

    who(
        &app,
        &o.admin,
        "reader_en",
        "Reader",
        o.unit,
        &[("viewer", None)],
        "en",
    );
    let mut en = app.browser();
    en.sign_in("reader_en", PASSWORD);
    let r = en.get("/duty/rosters/abc");
    assert_eq!(r.status, 404);
    assert!(
        r.text.contains(r#"<html lang="en">"#) && r.text.contains("There is no such page"),
        "{}",
        r.text
    );
}
