//! Presence checks (查岗): the office asks the people on the shift under way; each gets an email with a link
//! that works without signing in, whose page confirms only with its button; the answer is kept per shift and a
//! miss reaches the duty leaders.
//!
//! The test clock's today is Saturday 28 November 2026, 10:00 in the office's zone; shifts change at 08:30.

use chrono::Duration;
use serde_json::json;

use crate::duty::{generate, office, roster, shifts, step};
use crate::helpers::spawn_app_with;
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
