//! The duty log and the signed handover of a shift, and the reminders the duty area sends through the
//! outbox: a shift starting soon (over real SMTP), a handover not signed in time.
//!
//! The test clock's today is Saturday 28 November 2026, 10:00 in the office's zone; shifts change at 08:30.

use chrono::Duration;
use serde_json::json;

use crate::duty::{generate, office, roster, shifts, step, token_of, Office};
use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use crate::smtp::SmtpServer;

pub(crate) fn published(app: &TestApp, o: &Office) -> Vec<(String, i64, Vec<(i64, String)>)> {
    let id = roster(app, o);
    let plan = generate(app, &o.leaders[0].token, id, "2026-11-28", "2026-12-10");
    assert_eq!(
        step(
            app,
            &o.leaders[0].token,
            plan["plan"]["id"].as_i64().unwrap(),
            "publish",
            ""
        )
        .status,
        200
    );
    shifts(&plan)
}

fn officer(people: &[(i64, String)]) -> i64 {
    people.iter().find(|(_, r)| r == "officer").unwrap().0
}

#[test]
fn a_matter_is_logged_handed_over_with_the_checklist_and_confirmed_by_the_next_shift() {
    let app = spawn_app();
    let o = office(&app);
    let s = published(&app, &o);
    let (today, next) = (&s[0], &s[1]);
    let me = officer(&today.2);
    let entry = json!({"caller_unit": "滨湖街道", "caller_name": "孙磊", "caller_phone": "13806250041",
        "summary": "太湖大堤K3+200处渗水", "notified": "建设局", "handling": "已通知防汛抢险队", "open": true});
    let stranger = o
        .officers
        .iter()
        .find(|w| w.person != me && w.person != officer(&next.2))
        .unwrap();
    assert_eq!(
        app.post(
            &format!("/api/v1/duty/shifts/{}/log", today.1),
            &stranger.token,
            entry.clone()
        )
        .status,
        403
    );
    let r = app.post(
        &format!("/api/v1/duty/shifts/{}/log", today.1),
        token_of(&o, me),
        entry,
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let bad = app.post(
        &format!("/api/v1/duty/shifts/{}/log", today.1),
        token_of(&o, me),
        json!({"summary": "  "}),
    );
    assert_eq!(bad.status, 422, "{}", bad.text);

    let checklist = json!(["通讯设备测试正常", "文件资料已移交"]);
    let early = app.post(
        &format!("/api/v1/duty/shifts/{}/handover", today.1),
        token_of(&o, me),
        json!({"checked": checklist}),
    );
    assert_eq!(
        early.status, 409,
        "22 hours before the changeover: {}",
        early.text
    );
    app.clock.advance(Duration::hours(22));
    let half = app.post(
        &format!("/api/v1/duty/shifts/{}/handover", today.1),
        token_of(&o, me),
        json!({"checked": ["通讯设备测试正常"]}),
    );
    assert_eq!(
        half.status, 422,
        "an unticked item needs a note: {}",
        half.text
    );
    let odd = app.post(
        &format!("/api/v1/duty/shifts/{}/handover", today.1),
        token_of(&o, me),
        json!({"checked": ["随便写的"], "note": "x"}),
    );
    assert_eq!(odd.status, 422, "{}", odd.text);
    let out = app.post(
        &format!("/api/v1/duty/shifts/{}/handover", today.1),
        token_of(&o, me),
        json!({"open_matters": "大堤渗水待建设局评估", "checked": checklist}),
    );
    assert_eq!(out.status, 201, "{}", out.text);
    assert_eq!(
        app.post(
            &format!("/api/v1/duty/shifts/{}/handover", today.1),
            token_of(&o, me),
            json!({"checked": checklist})
        )
        .status,
        409
    );

    assert_eq!(
        app.post(
            &format!("/api/v1/duty/shifts/{}/handover/confirm", today.1),
            token_of(&o, me),
            json!({})
        )
        .status,
        403,
        "the outgoing officer is not on the next shift"
    );
    app.clock.advance(Duration::minutes(40));
    let incoming = officer(&next.2);
    let r = app.post(
        &format!("/api/v1/duty/shifts/{}/handover/confirm", today.1),
        token_of(&o, incoming),
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json()["incoming_at"].is_string());
    assert_eq!(
        app.post(
            &format!("/api/v1/duty/shifts/{}/handover/confirm", today.1),
            token_of(&o, incoming),
            json!({})
        )
        .status,
        409
    );

    // The next shift sees the open matter carried over and closes it.
    let log = app
        .get(
            &format!("/api/v1/duty/shifts/{}/log", next.1),
            token_of(&o, incoming),
        )
        .json();
    assert_eq!(log["carried"][0]["summary"], "太湖大堤K3+200处渗水");
    let id = log["carried"][0]["id"].as_i64().unwrap();
    let closed = app.post(
        &format!("/api/v1/duty/log/{id}/close"),
        token_of(&o, incoming),
        json!({"handling": "建设局评估后已处置"}),
    );
    assert_eq!(closed.status, 200, "{}", closed.text);
    assert_eq!(closed.json()["open"], false);
    let log = app
        .get(&format!("/api/v1/duty/shifts/{}/log", next.1), &o.viewer)
        .json();
    assert_eq!(log["carried"], json!([]));
}

#[test]
fn a_shift_starting_soon_reaches_its_people_by_email_and_a_missing_handover_reaches_the_leaders() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(&[("STANDBY_SMTP_URL", &smtp.url())]);
    let o = office(&app);
    let s = published(&app, &o);
    let tomorrow = &s[1];

    // At 10:00 the shift of the 29th (08:30) is within its people's 24-hour lead; the 30th's is not.
    app.scan();
    let upcoming = crate::notify::notices(&app, &o.admin, "kind=duty_upcoming");
    let told: Vec<i64> = upcoming
        .iter()
        .flat_map(|n| {
            n["recipients"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["person_id"].as_i64().unwrap())
        })
        .collect();
    let mut expected: Vec<i64> = tomorrow.2.iter().map(|(p, _)| *p).collect();
    let mut got = told.clone();
    expected.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, expected);
    app.scan();
    assert_eq!(
        crate::notify::notices(&app, &o.admin, "kind=duty_upcoming").len(),
        upcoming.len(),
        "a scan twice tells once"
    );
    assert!(app.deliver().sent >= 2);
    let mails = smtp.wait_for(2, 5);
    let subject = mails
        .iter()
        .map(|m| m.parsed().subject().unwrap_or_default().to_string())
        .find(|s| s.starts_with("【值班提醒】"))
        .unwrap();
    assert!(subject.contains("区应急局总值班"), "{subject}");

    // Nobody signs the handover of the 28th: 30 minutes after the changeover the duty leaders hear of it.
    app.clock
        .advance(Duration::hours(22) + Duration::minutes(45));
    app.scan();
    assert_eq!(
        crate::notify::notices(&app, &o.admin, "kind=duty_handover_missing").len(),
        0,
        "15 minutes after the changeover is within the 30 allowed"
    );
    app.clock.advance(Duration::minutes(20));
    app.scan();
    let missing = crate::notify::notices(&app, &o.admin, "kind=duty_handover_missing");
    assert_eq!(missing.len(), 1, "{missing:?}");
    let addressed = crate::notify::addresses(&missing[0]);
    assert!(
        addressed.iter().filter(|a| a.starts_with("leader")).count() >= 3,
        "every duty leader of the unit: {addressed:?}"
    );
}

#[test]
fn the_duty_pages_work_for_an_officer_on_a_phone_and_a_leader_at_a_desk() {
    let app = spawn_app();
    let o = office(&app);
    let s = published(&app, &o);
    let (today, _) = (&s[0], &s[1]);
    let me = officer(&today.2);
    let username =
        ["qxy", "whf", "lijun", "wangf"][o.officers.iter().position(|w| w.person == me).unwrap()];

    let mut phone = app.browser();
    phone.sign_in(username, crate::helpers::PASSWORD);
    let wall = phone.get("/duty/now");
    assert_eq!(wall.status, 200);
    assert!(
        wall.text.contains(r#"http-equiv="refresh""#) && wall.text.contains("tel:0512-63980110")
    );
    assert!(phone.get("/duty").text.contains("区应急局总值班"));
    assert_eq!(phone.get("/duty/mine").status, 200);
    let shift = format!("/duty/shifts/{}", today.1);
    let page = phone.get(&shift);
    assert!(
        page.text.contains("/log\"") && !page.text.contains("/handover\""),
        "the log form, not yet the handover's"
    );
    let r = phone.post(
        &format!("{shift}/log"),
        &[
            ("summary", "<b>大堤渗水</b>"),
            ("caller_phone", "13806250041"),
            ("open", "1"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text);
    let page = phone.get(&shift);
    assert!(
        page.text.contains("大堤渗水") && !page.text.contains("<b>大堤渗水"),
        "escaped"
    );
    let refused = phone.post(
        &format!("{shift}/log"),
        &[("summary", "x"), ("caller_phone", "abc")],
    );
    assert_eq!(refused.status, 422);
    assert!(
        refused.text.contains("flash error") && refused.text.contains(r#"value="abc""#),
        "a refusal is said on the page, with what was typed"
    );
    assert_eq!(
        phone
            .get(&format!("/duty/shifts/{}/places", today.1))
            .status,
        403,
        "an officer edits no shift"
    );

    let mut desk = app.browser();
    desk.sign_in("lzm", crate::helpers::PASSWORD);
    let roster = desk.get("/duty/rosters/1");
    assert_eq!(roster.status, 200);
    let r = desk.post(
        "/duty/rosters/1/plans",
        &[("from", "2026-12-11"), ("to", "2026-12-20")],
    );
    assert_eq!(r.status, 303, "{}", r.text);
    let plan = desk.get(r.header("location").unwrap());
    assert!(
        plan.text.contains("值班安排表") && plan.text.contains("发布"),
        "{}",
        plan.text
    );
}
