//! Presence checks (查岗): the office, or a roster's schedule of unannounced checks (随机查岗), asks the people
//! on the shift under way; each gets an email with a link that works without signing in, whose page confirms
//! only with its button; the answer is kept per shift and a miss reaches the duty leaders.
//!
//! The test clock's today is Saturday 28 November 2026, 10:00 in the office's zone; shifts change at 08:30.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};
use standby::duty::model::{check_times, CheckKey, PresencePlan};

use crate::duty::{generate, office, roster, roster_body, shifts, step};
use crate::helpers::{spawn_app, spawn_app_with, TestApp, PASSWORD, SECRET};
use crate::smtp::SmtpServer;

#[test]
fn the_people_on_duty_confirm_through_the_emailed_link_and_a_miss_reaches_the_leaders() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(&[("STANDBY_SMTP_URL", &smtp.url())]);
    let o = office(&app);
    let id = roster(&app, &o);
    let plan = generate(&app, &o.leaders[0].token, id, "2026-11-28", "2026-12-05");
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
    let s = shifts(&plan);
    let (today, tomorrow) = (s[0].1, s[1].1);

    // Only a shift under way, only a manager, a sensible limit.
    let path = |shift: i64| format!("/api/v1/duty/shifts/{shift}/presence");
    assert_eq!(
        app.post(&path(tomorrow), &o.office.token, json!({"minutes": 15}))
            .status,
        409
    );
    assert_eq!(
        app.post(&path(today), &o.officers[0].token, json!({"minutes": 15}))
            .status,
        403
    );
    assert_eq!(
        app.post(&path(today), &o.office.token, json!({"minutes": 1}))
            .status,
        422
    );
    let asked = app.post(&path(today), &o.office.token, json!({"minutes": 15}));
    assert_eq!(asked.status, 201, "{}", asked.text);
    assert_eq!(
        asked.json().as_array().unwrap().len(),
        2,
        "the leader and the officer on the shift"
    );

    assert!(app.deliver().sent >= 2);
    let mails = smtp.wait_for(2, 5);
    let body = mails
        .iter()
        .map(|m| m.parsed().body_text(0).unwrap_or_default().to_string())
        .find(|b| b.contains("/duty/presence/"))
        .unwrap();
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/duty/presence/"))
        .unwrap();
    let link = &link[link.find("/duty/presence/").unwrap()..];

    // Opening the link confirms nothing (mail gateways follow links); its button does, without signing in.
    let mut phone = app.browser();
    let page = phone.get(link);
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("确认在岗"));
    let before = app.get(&path(today), &o.viewer).json();
    assert!(before
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["confirmed_at"].is_null()));
    let done = phone.post(link, &[]);
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(done.text.contains("已确认在岗"), "{}", done.text);
    let again = phone.post(link, &[]);
    assert_eq!(again.status, 409, "confirmed once");
    let after = app.get(&path(today), &o.viewer).json();
    assert_eq!(
        after
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["confirmed_at"].is_string())
            .count(),
        1
    );
    assert_eq!(phone.get("/duty/presence/not-a-real-token").status, 404);

    // The other one never answers: 20 minutes on, the duty leaders hear of it, once.
    app.clock.advance(Duration::minutes(20));
    app.scan();
    app.scan();
    let missed = crate::notify::notices(&app, &o.admin, "kind=duty_presence_missed");
    assert_eq!(missed.len(), 1, "{missed:?}");
    let addressed = crate::notify::addresses(&missed[0]);
    assert!(
        addressed.iter().filter(|a| a.starts_with("leader")).count() >= 2,
        "{addressed:?}"
    );
}

/// Moves the test clock forward to `t`.
fn clock_to(app: &TestApp, t: DateTime<Utc>) {
    let by = t - app.clock_now();
    assert!(by >= Duration::zero(), "the clock only moves forward");
    app.clock.advance(by);
}

/// Runs the unannounced checks' job at the test clock's time; returns how many people it asked.
fn run_checks(app: &TestApp) -> usize {
    let report = app.job("presence");
    report.split(' ').next().unwrap().parse().unwrap()
}

fn checks_of(app: &TestApp, token: &str, shift: i64) -> Vec<Value> {
    let r = app.get(&format!("/api/v1/duty/shifts/{shift}/presence"), token);
    assert_eq!(r.status, 200, "{}", r.text);
    r.json().as_array().unwrap().clone()
}

#[test]
fn a_roster_sets_its_unannounced_checks_within_limits_on_the_api_and_its_page() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    let url = format!("/api/v1/duty/rosters/{id}");
    let view = app.get(&url, &o.viewer).json();
    assert_eq!(
        (
            &view["roster"]["presence_checks"],
            &view["roster"]["presence_minutes"]
        ),
        (&json!(0), &json!(15)),
        "none by default"
    );

    // 0–3 checks, 5–120 minutes: anything else is refused, naming the field, and changes nothing.
    let audit = app.audit_count(&o.admin);
    for (checks, minutes, field) in [
        (4, 15, "presence_checks"),
        (-1, 15, "presence_checks"),
        (2, 4, "presence_minutes"),
        (2, 121, "presence_minutes"),
    ] {
        let mut body = roster_body(o.unit, "区应急局总值班", "08:30");
        body["presence_checks"] = json!(checks);
        body["presence_minutes"] = json!(minutes);
        let r = app.put(&url, &o.leaders[0].token, body);
        assert_eq!(r.status, 422, "{checks}/{minutes}: {}", r.text);
        assert!(r.text.contains(field), "{}", r.text);
    }
    assert_eq!(app.audit_count(&o.admin), audit);
    assert_eq!(
        app.get(&url, &o.viewer).json()["roster"]["presence_checks"],
        0
    );

    let mut body = roster_body(o.unit, "区应急局总值班", "08:30");
    body["presence_checks"] = json!(2);
    body["presence_minutes"] = json!(20);
    let r = app.put(&url, &o.leaders[0].token, body.clone());
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        (&r.json()["presence_checks"], &r.json()["presence_minutes"]),
        (&json!(2), &json!(20))
    );
    let listed = app.get("/api/v1/duty/rosters", &o.viewer).json();
    assert_eq!(listed[0]["presence_checks"], 2);
    assert_eq!(
        app.put(&url, &o.officers[0].token, body).status,
        403,
        "an officer cannot change it"
    );

    // The page shows the setting and its form changes it (a bad number is refused with its reason).
    let mut leader = app.browser();
    leader.sign_in("lzm", PASSWORD);
    let page = leader.get(&format!("/duty/rosters/{id}"));
    assert!(
        page.text.contains("随机查岗：2 次/班 · 20 分钟内确认"),
        "{}",
        page.text
    );
    assert!(page
        .text
        .contains(r#"name="presence_checks" min="0" max="3" value="2""#));
    let form = |checks: &'static str| {
        vec![
            ("name", "区应急局总值班"),
            ("shift_starts", "08:30"),
            ("workday_leaders", "1"),
            ("workday_officers", "1"),
            ("weekend_leaders", "1"),
            ("weekend_officers", "1"),
            ("holiday_leaders", "1"),
            ("holiday_officers", "2"),
            ("duty_phone", "0512-63980110"),
            ("handover_minutes", "30"),
            ("checklist", "通讯设备测试正常"),
            ("remind_hours", "24"),
            ("presence_checks", checks),
            ("presence_minutes", "30"),
            ("active", "1"),
        ]
    };
    let again = leader.post(&format!("/duty/rosters/{id}"), &form("5"));
    assert_eq!(again.status, 422);
    assert!(
        again.text.contains("每班随机查岗次数应为 0–3")
            && again
                .text
                .contains(r#"name="presence_checks" min="0" max="3" value="5""#),
        "refused, and shown again as typed: {}",
        again.text
    );
    assert_eq!(
        app.get(&url, &o.viewer).json()["roster"]["presence_checks"],
        2
    );
    let r = leader.post(&format!("/duty/rosters/{id}"), &form("0"));
    assert_eq!(r.status, 303);
    let off = leader.get(&format!("/duty/rosters/{id}"));
    assert!(off.text.contains("随机查岗：未开启"), "{}", off.text);
    let roster = app.get(&url, &o.viewer).json()["roster"].clone();
    assert_eq!(
        (&roster["presence_checks"], &roster["presence_minutes"]),
        (&json!(0), &json!(30))
    );
}

#[test]
fn unannounced_checks_ask_the_people_on_duty_once_per_planned_time_across_reruns_and_instances() {
    let app = spawn_app();
    let o = office(&app);
    let id = roster(&app, &o);
    let plan = generate(&app, &o.leaders[0].token, id, "2026-11-28", "2026-12-05");
    let published = step(
        &app,
        &o.leaders[0].token,
        plan["plan"]["id"].as_i64().unwrap(),
        "publish",
        "",
    );
    assert_eq!(published.status, 200, "{}", published.text);
    let s = shifts(&plan);
    assert_eq!(
        run_checks(&app),
        0,
        "a roster without unannounced checks is never asked"
    );

    let mut body = roster_body(o.unit, "区应急局总值班", "08:30");
    body["presence_checks"] = json!(3);
    body["presence_minutes"] = json!(20);
    let r = app.put(
        &format!("/api/v1/duty/rosters/{id}"),
        &o.leaders[0].token,
        body,
    );
    assert_eq!(r.status, 200, "{}", r.text);

    // Tomorrow's shift, 29 November 08:30 to 30 November 08:30 in Shanghai. Its times come from the
    // server's secret and the shift: nothing stored says when they are.
    let shift = s[1].1;
    let (starts, ends) = (
        Utc.with_ymd_and_hms(2026, 11, 29, 0, 30, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 11, 30, 0, 30, 0).unwrap(),
    );
    let plan = PresencePlan {
        checks: 3,
        minutes: 20,
    };
    let times = check_times(&CheckKey::from_secret(SECRET), shift, (starts, ends), plan);
    assert_eq!(times.len(), 3);
    assert_ne!(
        times,
        check_times(
            &CheckKey::from_secret("another secret"),
            shift,
            (starts, ends),
            plan
        ),
        "another server secret, other times"
    );

    // A minute early nobody is asked; at the time, both people on the shift; a rerun asks nobody again.
    clock_to(&app, times[0] - Duration::minutes(1));
    assert_eq!(run_checks(&app), 0);
    assert!(checks_of(&app, &o.viewer, shift).is_empty());
    clock_to(&app, times[0]);
    assert_eq!(run_checks(&app), 2, "the leader and the officer");
    assert_eq!(run_checks(&app), 0, "a rerun asks nobody twice");
    let planned = times[0].format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let asked = checks_of(&app, &o.viewer, shift);
    assert_eq!(asked.len(), 2);
    let mut people: Vec<i64> = asked
        .iter()
        .map(|c| c["person_id"].as_i64().unwrap())
        .collect();
    let mut on_shift: Vec<i64> = s[1].2.iter().map(|(p, _)| *p).collect();
    people.sort_unstable();
    on_shift.sort_unstable();
    assert_eq!(people, on_shift);
    for c in &asked {
        assert_eq!(c["planned_at"], planned.as_str());
        assert_eq!(c["asked_by"], 0, "asked by the schedule, not a person");
        assert_eq!(c["asked_at"], planned.as_str());
        let due = (times[0] + Duration::minutes(20))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        assert_eq!(c["due_at"], due.as_str());
    }
    clock_to(&app, times[0] + Duration::minutes(9));
    assert_eq!(run_checks(&app), 0, "still the same planned time");

    // Two instances at the same moment: each person is asked once.
    let second = app.another_instance(&[]);
    clock_to(&app, times[1]);
    let job = |a: &TestApp| {
        let job = a.areas.jobs.find("presence").unwrap().clone();
        let (state, now) = (a.state.clone(), times[1]);
        a.spawn(async move { standby::jobs::run(&state, &job, now).await })
    };
    let (one, two) = (job(&app), job(&second));
    let reports: Vec<String> = [one, two]
        .into_iter()
        .map(|h| app.block_on(h).unwrap().unwrap())
        .collect();
    let total: usize = reports
        .iter()
        .map(|r| r.split(' ').next().unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, 2, "{reports:?}");
    assert_eq!(checks_of(&app, &o.viewer, shift).len(), 4);

    // Each check was mailed once and audited as the system's; a check by hand sits beside them.
    assert_eq!(
        crate::notify::notices(&app, &o.admin, "kind=duty_presence").len(),
        4
    );
    let trail = app
        .get(
            &format!("/api/v1/audit?entity=duty_presence&entity_id={shift}"),
            &o.admin,
        )
        .json();
    let items = trail["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{trail}");
    assert!(items
        .iter()
        .all(|i| i["actor_name"] == "system" && i["actor_id"].is_null()));
    let by_hand = app.post(
        &format!("/api/v1/duty/shifts/{shift}/presence"),
        &o.office.token,
        json!({"minutes": 15}),
    );
    assert_eq!(by_hand.status, 201, "{}", by_hand.text);
    assert!(by_hand.json()[0]["planned_at"].is_null());

    // The shift's page tells the schedule's checks from the one by hand.
    let mut desk = app.browser();
    desk.sign_in("office", PASSWORD);
    let page = desk.get(&format!("/duty/shifts/{shift}"));
    assert_eq!(page.status, 200);
    let at = |t: DateTime<Utc>| {
        t.with_timezone(&chrono_tz::Asia::Shanghai)
            .format("%m-%d %H:%M")
            .to_string()
    };
    assert_eq!(
        page.text.matches(" · 随机查岗</span>").count(),
        4,
        "{}",
        page.text
    );
    assert_eq!(
        page.text
            .matches(&format!(" · {} · 随机查岗</span>", at(times[0])))
            .count(),
        2
    );
    assert_eq!(
        page.text
            .matches(&format!(" · {}</span>", at(times[1])))
            .count(),
        2,
        "by hand"
    );

    // Nobody answers: once the limits pass, the duty leaders hear of each unanswered check, once.
    clock_to(&app, times[1] + Duration::minutes(21));
    app.scan();
    app.scan();
    let missed = crate::notify::notices(&app, &o.admin, "kind=duty_presence_missed");
    assert_eq!(missed.len(), 6, "four unannounced, two by hand: {missed:?}");
}
