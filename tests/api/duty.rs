//! Duty rosters through the API: a roster with its people, generation (fair, around leave and
//! unavailability), the office's approval of holiday rosters, publication and who hears of it, who is on
//! duty now, edits that tell exactly the people they move, gaps ahead, permissions and bad input.
//!
//! The test clock's today is Saturday 28 November 2026, 10:00 in the office's zone (Asia/Shanghai).

use std::collections::HashMap;

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};
use crate::teams::{approved_leave, who, Who};

/// The duty office of a district: its unit, three leaders and four officers (each with an address), the
/// office's staff, a duty leader of the unit, an officer's account, a viewer, a duty leader elsewhere.
pub(crate) struct Office {
    pub admin: String,
    pub unit: i64,
    pub leaders: Vec<Who>,
    pub officers: Vec<Who>,
    pub office: Who,
    pub viewer: String,
    pub leader_elsewhere: String,
}

pub(crate) fn office(app: &TestApp) -> Office {
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "吴江区应急管理局", "department", None);
    let other_unit = app.create_unit(&admin, "松陵街道", "street", None);
    let mut leaders = Vec::new();
    for (i, (user, name)) in [("lzm", "陆志明"), ("zjg", "周建国"), ("slh", "沈丽华")]
        .iter()
        .enumerate()
    {
        let w = who(
            app,
            &admin,
            user,
            name,
            unit,
            &[("duty_leader", Some(unit))],
            "zh",
        );
        set_email(app, &admin, w.person, &format!("leader{i}@yjj.example.cn"));
        leaders.push(w);
    }
    let mut officers = Vec::new();
    for (i, (user, name)) in [
        ("qxy", "钱晓燕"),
        ("whf", "吴海峰"),
        ("lijun", "李俊"),
        ("wangf", "王芳"),
    ]
    .iter()
    .enumerate()
    {
        let w = who(
            app,
            &admin,
            user,
            name,
            unit,
            &[("duty_officer", Some(unit))],
            "zh",
        );
        set_email(app, &admin, w.person, &format!("officer{i}@yjj.example.cn"));
        officers.push(w);
    }
    let office = who(
        app,
        &admin,
        "office",
        "顾敏",
        unit,
        &[("office_staff", None)],
        "zh",
    );
    set_email(app, &admin, office.person, "office@yjj.example.cn");
    let (_, viewer) = app.create_account(&admin, "viewer", None, &[("viewer", None)]);
    let (_, leader_elsewhere) = app.create_account(
        &admin,
        "sl_leader",
        None,
        &[("duty_leader", Some(other_unit))],
    );
    Office {
        admin,
        unit,
        leaders,
        officers,
        office,
        viewer,
        leader_elsewhere,
    }
}

/// The token of the office's leader or officer who is `person`.
pub(crate) fn token_of(o: &Office, person: i64) -> &str {
    o.leaders
        .iter()
        .chain(&o.officers)
        .find(|w| w.person == person)
        .map(|w| w.token.as_str())
        .unwrap()
}

fn set_email(app: &TestApp, admin: &str, person: i64, email: &str) {
    let r = app.patch(
        &format!("/api/v1/people/{person}"),
        admin,
        json!({"email": email}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
}

pub(crate) fn roster_body(unit: i64, name: &str, starts: &str) -> Value {
    json!({"unit_id": unit, "name": name, "shift_starts": starts,
           "workday": {"leaders": 1, "officers": 1}, "weekend": {"leaders": 1, "officers": 1},
           "holiday": {"leaders": 1, "officers": 2}, "duty_phone": "0512-63980110",
           "checklist": ["通讯设备测试正常", "文件资料已移交"]})
}

/// A 24-hour roster of the office with every leader and officer on it; returns its id.
pub(crate) fn roster(app: &TestApp, o: &Office) -> i64 {
    let r = app.post(
        "/api/v1/duty/rosters",
        &o.leaders[0].token,
        roster_body(o.unit, "区应急局总值班", "08:30"),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json()["id"].as_i64().unwrap();
    let people = json!({"leaders": o.leaders.iter().map(|w| w.person).collect::<Vec<_>>(),
                        "officers": o.officers.iter().map(|w| w.person).collect::<Vec<_>>()});
    let p = app.put(
        &format!("/api/v1/duty/rosters/{id}/people"),
        &o.leaders[0].token,
        people,
    );
    assert_eq!(p.status, 200, "{}", p.text);
    id
}

/// Generates a range (must succeed); returns the plan.
pub(crate) fn generate(app: &TestApp, token: &str, roster: i64, from: &str, to: &str) -> Value {
    let r = app.post(
        &format!("/api/v1/duty/rosters/{roster}/plans"),
        token,
        json!({"from": from, "to": to}),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()
}

pub(crate) fn step(
    app: &TestApp,
    token: &str,
    plan: i64,
    what: &str,
    note: &str,
) -> crate::helpers::Resp {
    app.post(
        &format!("/api/v1/duty/plans/{plan}/{what}"),
        token,
        json!({"note": note}),
    )
}

/// The people of each shift of a plan: `(day, shift id, [(person, role)])`.
pub(crate) fn shifts(plan: &Value) -> Vec<(String, i64, Vec<(i64, String)>)> {
    let mut out = Vec::new();
    for d in plan["days"].as_array().unwrap() {
        for s in d["shifts"].as_array().unwrap() {
            let mut people = Vec::new();
            for role in ["leaders", "officers"] {
                for h in s[role].as_array().unwrap() {
                    people.push((
                        h["person_id"].as_i64().unwrap(),
                        h["role"].as_str().unwrap().to_string(),
                    ));
                }
            }
            out.push((
                d["day"].as_str().unwrap().to_string(),
                s["shift_id"].as_i64().unwrap(),
                people,
            ));
        }
    }
    out
}

fn notice_count(app: &TestApp, admin: &str, kind: &str) -> usize {
    crate::notify::notices(app, admin, &format!("kind={kind}")).len()
}

#[test]
fn a_month_is_generated_fairly_published_and_everyone_on_it_told() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    let plan = generate(&app, &o.leaders[0].token, id, "2026-12-01", "2026-12-31");
    assert_eq!(plan["plan"]["state"], "draft");
    assert_eq!(
        plan["plan"]["holiday"], false,
        "December 2026 holds no public holiday"
    );
    assert_eq!(plan["findings"], json!([]), "{}", plan["findings"]);
    let s = shifts(&plan);
    assert_eq!(s.len(), 31);
    let mut load: HashMap<i64, usize> = HashMap::new();
    for (i, (day, _, people)) in s.iter().enumerate() {
        assert_eq!(
            people.iter().filter(|(_, r)| r == "leader").count(),
            1,
            "{day}"
        );
        assert_eq!(
            people.iter().filter(|(_, r)| r == "officer").count(),
            1,
            "{day}"
        );
        if i > 0 {
            assert!(
                people.iter().all(|p| !s[i - 1].2.contains(p)),
                "nobody twice in a row: {day}"
            );
        }
        for (p, _) in people {
            *load.entry(*p).or_default() += 1;
        }
    }
    let leaders: Vec<usize> = o.leaders.iter().map(|w| load[&w.person]).collect();
    assert!(
        leaders.iter().max().unwrap() - leaders.iter().min().unwrap() <= 1,
        "{leaders:?}"
    );
    let officers: Vec<usize> = o.officers.iter().map(|w| load[&w.person]).collect();
    assert!(
        officers.iter().max().unwrap() - officers.iter().min().unwrap() <= 1,
        "{officers:?}"
    );

    // Nobody hears of a draft; publishing tells each of the seven people their shifts.
    assert_eq!(notice_count(&app, &o.admin, "duty_published"), 0);
    let p = step(
        &app,
        &o.leaders[0].token,
        plan["plan"]["id"].as_i64().unwrap(),
        "publish",
        "",
    );
    assert_eq!(p.status, 200, "{}", p.text);
    assert_eq!(p.json()["plan"]["state"], "published");
    let told = crate::notify::notices(&app, &o.admin, "kind=duty_published");
    let addressed: Vec<String> = told.iter().flat_map(crate::notify::addresses).collect();
    assert_eq!(addressed.len(), 7, "{addressed:?}");
    assert!(addressed.contains(&"officer3@yjj.example.cn".to_string()));

    // On 1 December at 09:00 the first shift is on; at 08:00 on the 2nd still the same one.
    app.clock.advance(Duration::hours(71));
    let now = app.get("/api/v1/duty/now", &o.viewer).json();
    let office_now = now
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["roster_id"] == id)
        .unwrap();
    assert_eq!(office_now["current"]["shift_id"], s[0].1);
    assert_eq!(office_now["next"]["shift_id"], s[1].1);
    let phone = office_now["current"]["leaders"][0]["phone"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        phone.is_empty() || phone.contains('*'),
        "a viewer sees phones masked: {phone}"
    );
    app.clock.advance(Duration::hours(23));
    let now = app
        .get(
            &format!("/api/v1/duty/now?unit_id={}", o.unit),
            &o.officers[0].token,
        )
        .json();
    assert_eq!(
        now[0]["current"]["shift_id"], s[0].1,
        "the 24-hour shift runs until 08:30"
    );

    // A change to the shift under way shows at once; at 08:30 the next shift is on.
    let leader = s[0].2.iter().find(|(_, r)| r == "leader").unwrap().0;
    let stand_in = o
        .leaders
        .iter()
        .map(|w| w.person)
        .find(|p| *p != leader)
        .unwrap();
    let r = app.put(
        &format!("/api/v1/duty/shifts/{}", s[0].1),
        &o.office.token,
        json!({"places": [{"person_id": stand_in, "role": "leader"}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let now = app.get("/api/v1/duty/now", &o.officers[0].token).json();
    let office_now = now
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["roster_id"] == id)
        .unwrap();
    assert_eq!(office_now["current"]["leaders"][0]["person_id"], stand_in);
    assert_eq!(office_now["current"]["officers"], json!([]));
    app.clock.advance(Duration::minutes(31));
    let now = app.get("/api/v1/duty/now", &o.officers[0].token).json();
    let office_now = now
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["roster_id"] == id)
        .unwrap();
    assert_eq!(office_now["current"]["shift_id"], s[1].1);
}

#[test]
fn leave_and_unavailability_keep_people_off_the_days_they_are_away() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    approved_leave(
        &app,
        &o.admin,
        o.officers[0].person,
        "2026-12-05",
        "2026-12-12",
    );
    let u = app.post(
        "/api/v1/duty/unavailable",
        &o.officers[1].token,
        json!({"person_id": o.officers[1].person, "starts_on": "2026-12-01", "ends_on": "2026-12-04", "reason": "外出培训"}),
    );
    assert_eq!(u.status, 201, "{}", u.text);
    let twice = app.post(
        "/api/v1/duty/unavailable",
        &o.officers[1].token,
        json!({"person_id": o.officers[1].person, "starts_on": "2026-12-03", "ends_on": "2026-12-03"}),
    );
    assert_eq!(twice.status, 409, "days already recorded: {}", twice.text);
    let other = app.post(
        "/api/v1/duty/unavailable",
        &o.officers[1].token,
        json!({"person_id": o.officers[2].person, "starts_on": "2026-12-01", "ends_on": "2026-12-04"}),
    );
    assert_eq!(
        other.status, 403,
        "an officer speaks only for themselves: {}",
        other.text
    );
    let plan = generate(&app, &o.leaders[1].token, id, "2026-12-01", "2026-12-20");
    for (day, _, people) in shifts(&plan) {
        let on = |w: &Who| people.iter().any(|(p, _)| *p == w.person);
        if ("2026-12-05".."2026-12-13").contains(&day.as_str()) {
            assert!(!on(&o.officers[0]), "on leave {day}");
        }
        if day.as_str() < "2026-12-05" {
            assert!(!on(&o.officers[1]), "unavailable {day}");
        }
    }
}

#[test]
fn a_holiday_roster_is_approved_by_the_office_before_it_is_published() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    // The office enters New Year's Day 2027 (the year is not covered yet).
    let h = app.put(
        "/api/v1/calendar/days/2027-01-01",
        &o.office.token,
        json!({"kind": "holiday", "name": "元旦"}),
    );
    assert_eq!(h.status, 200, "{}", h.text);
    let period = json!({"kind": "holiday", "name": "元旦假期", "starts_on": "2026-12-31", "ends_on": "2027-01-02", "leaders": 1, "officers": 2});
    let p = app.post(
        &format!("/api/v1/duty/rosters/{id}/periods"),
        &o.leaders[0].token,
        period,
    );
    assert_eq!(p.status, 201, "{}", p.text);
    let plan = generate(&app, &o.leaders[0].token, id, "2026-12-31", "2027-01-02");
    assert_eq!(
        plan["days"][0]["holiday"], "元旦假期",
        "a period names its days where the calendar does not"
    );
    let plan_id = plan["plan"]["id"].as_i64().unwrap();
    assert_eq!(plan["plan"]["holiday"], true);
    assert_eq!(plan["uncovered_years"], json!([2027]));
    let jan1 = &plan["days"][1];
    assert_eq!(
        (jan1["class"].as_str(), jan1["holiday"].as_str()),
        (Some("holiday"), Some("元旦"))
    );
    assert_eq!(
        jan1["shifts"][0]["officers"].as_array().unwrap().len(),
        2,
        "holidays: 1 leader + 2 officers"
    );
    assert_eq!(
        plan["days"][2]["class"], "weekend",
        "2 January 2027 is a Saturday"
    );

    let r = step(&app, &o.leaders[0].token, plan_id, "publish", "");
    assert_eq!((r.status, r.code()), (409, "conflict".into()), "{}", r.text);
    assert_eq!(
        step(&app, &o.leaders[0].token, plan_id, "submit", "").status,
        200
    );
    assert_eq!(notice_count(&app, &o.admin, "duty_approval_waiting"), 1);
    assert_eq!(
        step(&app, &o.leaders[1].token, plan_id, "approve", "").status,
        403,
        "a duty leader does not approve"
    );
    let r = step(&app, &o.office.token, plan_id, "refuse", " ");
    assert_eq!(r.status, 422, "sending back needs a reason: {}", r.text);
    let r = step(
        &app,
        &o.office.token,
        plan_id,
        "refuse",
        "元旦当天请安排局领导带班",
    );
    assert_eq!(r.json()["plan"]["state"], "draft");
    assert_eq!(
        step(&app, &o.leaders[0].token, plan_id, "submit", "").status,
        200
    );
    let r = step(&app, &o.office.token, plan_id, "approve", "");
    assert_eq!(r.json()["plan"]["state"], "approved", "{}", r.text);
    let r = step(&app, &o.leaders[0].token, plan_id, "publish", "");
    assert_eq!(r.json()["plan"]["state"], "published", "{}", r.text);
    assert_eq!(
        step(&app, &o.leaders[0].token, plan_id, "discard", "").status,
        409,
        "a published roster is edited, not discarded"
    );
}

#[test]
fn editing_a_published_shift_tells_exactly_the_people_it_moves_and_gaps_show_ahead() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    let plan = generate(&app, &o.leaders[0].token, id, "2026-11-28", "2026-12-27");
    assert_eq!(
        step(
            &app,
            &o.leaders[0].token,
            plan["plan"]["id"].as_i64().unwrap(),
            "publish",
            ""
        )
        .status,
        200
    );
    let gaps = app.get(
        &format!("/api/v1/duty/rosters/{id}/gaps?days=31"),
        &o.viewer,
    );
    assert_eq!(gaps.status, 200, "{}", gaps.text);
    assert_eq!(
        gaps.json(),
        json!([{"kind": "not_rostered", "day": "2026-12-28"}])
    );

    let s = shifts(&plan);
    let (_, shift, people) = &s[5];
    let leader = people.iter().find(|(_, r)| r == "leader").unwrap().0;
    let officer = people.iter().find(|(_, r)| r == "officer").unwrap().0;
    let newcomer = o
        .officers
        .iter()
        .map(|w| w.person)
        .find(|p| {
            *p != officer
                && !s[4].2.iter().any(|(q, _)| q == p)
                && !s[6].2.iter().any(|(q, _)| q == p)
        })
        .unwrap();
    let before = notice_count(&app, &o.admin, "duty_changed");
    let r = app.put(&format!("/api/v1/duty/shifts/{shift}"), &o.leaders[1].token,
        json!({"places": [{"person_id": leader, "role": "leader"}, {"person_id": newcomer, "role": "officer"}]}));
    assert_eq!(r.status, 200, "{}", r.text);
    let changed = crate::notify::notices(&app, &o.admin, "kind=duty_changed");
    assert_eq!(
        changed.len() - before,
        2,
        "the officer taken off and the one put on, not the leader"
    );
    let told: Vec<i64> = changed
        .iter()
        .flat_map(|n| {
            n["recipients"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["person_id"].as_i64().unwrap())
        })
        .collect();
    assert!(
        told.contains(&officer) && told.contains(&newcomer) && !told.contains(&leader),
        "{told:?}"
    );

    // Taking the officer off leaves the shift short, which the gap scan reports.
    let r = app.put(
        &format!("/api/v1/duty/shifts/{shift}"),
        &o.leaders[1].token,
        json!({"places": [{"person_id": leader, "role": "leader"}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let gaps = app
        .get(
            &format!("/api/v1/duty/rosters/{id}/gaps"),
            &o.leaders[0].token,
        )
        .json();
    assert!(
        gaps.as_array().unwrap().contains(
            &json!({"kind": "short_of_officers", "day": s[5].0, "no": 0, "have": 0, "need": 1})
        ),
        "{gaps}"
    );
    app.scan();
    let metrics = app.api("GET", "/metrics", None, None).text;
    let gauge = r#"standby_duty_findings{roster="区应急局总值班",kind="short_of_officers"} 1"#;
    assert!(metrics.contains(gauge), "{metrics}");
    let page = app
        .get(
            &format!("/api/v1/duty/plans/{}", plan["plan"]["id"]),
            &o.viewer,
        )
        .json();
    assert!(
        page["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f.as_str().unwrap().contains("值班员 0/1")),
        "{}",
        page["findings"]
    );
}

#[test]
fn another_units_roster_is_read_only_and_bad_input_changes_nothing() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    let audit = app.audit_count(&o.admin);
    let body = roster_body(o.unit, "另一张表", "08:30");
    // (who, method, path, body, status)
    let cases: Vec<(&str, &str, String, Value, u16)> = vec![
        (
            "officer",
            "POST",
            "/api/v1/duty/rosters".into(),
            body.clone(),
            403,
        ),
        (
            "elsewhere",
            "POST",
            "/api/v1/duty/rosters".into(),
            body.clone(),
            403,
        ),
        (
            "elsewhere",
            "POST",
            format!("/api/v1/duty/rosters/{id}/plans"),
            json!({"from": "2026-12-01", "to": "2026-12-31"}),
            403,
        ),
        (
            "elsewhere",
            "PUT",
            format!("/api/v1/duty/rosters/{id}/people"),
            json!({"leaders": [], "officers": []}),
            403,
        ),
        (
            "leader",
            "POST",
            "/api/v1/duty/rosters".into(),
            json!({"unit_id": o.unit, "name": "x", "shift_starts": "8点", "workday": {"leaders": 1, "officers": 1}, "weekend": {"leaders": 1, "officers": 1}, "holiday": {"leaders": 1, "officers": 1}}),
            422,
        ),
        (
            "leader",
            "POST",
            "/api/v1/duty/rosters".into(),
            json!({"unit_id": o.unit, "name": "x", "shift_starts": "08:30", "workday": {"leaders": 0, "officers": 0}, "weekend": {"leaders": 1, "officers": 1}, "holiday": {"leaders": 1, "officers": 1}}),
            422,
        ),
        (
            "leader",
            "POST",
            "/api/v1/duty/rosters".into(),
            roster_body(o.unit, "区应急局总值班", "08:30"),
            409,
        ),
        (
            "leader",
            "PUT",
            format!("/api/v1/duty/rosters/{id}/people"),
            json!({"leaders": [99999], "officers": []}),
            422,
        ),
        (
            "leader",
            "POST",
            format!("/api/v1/duty/rosters/{id}/plans"),
            json!({"from": "2026-12-01", "to": "2027-06-30"}),
            422,
        ),
        (
            "leader",
            "POST",
            format!("/api/v1/duty/rosters/{id}/plans"),
            json!({"from": "2026-10-01", "to": "2026-10-31"}),
            422,
        ),
        (
            "leader",
            "POST",
            format!("/api/v1/duty/rosters/{id}/plans"),
            json!({"from": "2026-12-31", "to": "2026-12-01"}),
            422,
        ),
        (
            "leader",
            "POST",
            format!("/api/v1/duty/rosters/{id}/periods"),
            json!({"kind": "flood", "name": "汛期", "starts_on": "2027-06-01", "ends_on": "2027-05-01", "leaders": 1, "officers": 2}),
            422,
        ),
        (
            "leader",
            "POST",
            format!("/api/v1/duty/rosters/{id}/periods"),
            json!({"kind": "monsoon", "name": "汛期", "starts_on": "2027-06-01", "ends_on": "2027-09-30", "leaders": 1, "officers": 2}),
            400,
        ),
        (
            "leader",
            "GET",
            "/api/v1/duty/rosters/999".into(),
            Value::Null,
            404,
        ),
    ];
    for (who, method, path, body, status) in cases {
        let token = match who {
            "officer" => &o.officers[0].token,
            "elsewhere" => &o.leader_elsewhere,
            _ => &o.leaders[0].token,
        };
        let r = app.api(
            method,
            &path,
            Some(token),
            (!body.is_null()).then_some(body.clone()),
        );
        assert_eq!(r.status, status, "{who} {method} {path} {body}: {}", r.text);
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{}",
            r.text
        );
    }
    assert_eq!(
        app.audit_count(&o.admin),
        audit,
        "nothing refused was written"
    );
    let seen = app.get(&format!("/api/v1/duty/rosters/{id}"), &o.leader_elsewhere);
    assert_eq!(seen.status, 200, "another unit's roster is readable");
    assert_eq!(seen.json()["manage"], false);

    // A flood season overlapping another is refused; the generated plan of a range already planned too.
    let flood = json!({"kind": "flood", "name": "2027年汛期", "starts_on": "2027-06-01", "ends_on": "2027-09-30", "leaders": 1, "officers": 2});
    assert_eq!(
        app.post(
            &format!("/api/v1/duty/rosters/{id}/periods"),
            &o.leaders[0].token,
            flood.clone()
        )
        .status,
        201
    );
    let again = app.post(&format!("/api/v1/duty/rosters/{id}/periods"), &o.leaders[0].token, json!({"kind": "important", "name": "重要时段", "starts_on": "2027-09-30", "ends_on": "2027-10-07", "leaders": 1, "officers": 2}));
    assert_eq!(again.status, 409, "{}", again.text);
    let first = generate(&app, &o.leaders[0].token, id, "2026-12-01", "2026-12-10");
    let r = app.post(
        &format!("/api/v1/duty/rosters/{id}/plans"),
        &o.leaders[0].token,
        json!({"from": "2026-12-10", "to": "2026-12-20"}),
    );
    assert_eq!(r.status, 409, "{}", r.text);
    // A draft thrown away frees its days.
    let gone = step(
        &app,
        &o.leaders[0].token,
        first["plan"]["id"].as_i64().unwrap(),
        "discard",
        "",
    );
    assert_eq!(gone.status, 200, "{}", gone.text);
    assert_eq!(gone.json()["plan"]["state"], "discarded");
    generate(&app, &o.leaders[0].token, id, "2026-12-10", "2026-12-20");
}
