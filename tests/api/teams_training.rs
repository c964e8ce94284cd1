//! Training hours through the API, and the certificate-expiry reminder over a real SMTP server.
//!
//! The test clock's today is Saturday 28 November 2026 in the office's zone.

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::spawn_app;
use crate::notify::{addresses, notices, smtp_app};
use crate::smtp::SmtpServer;
use crate::teams::{certify, crew};

#[test]
fn training_hours_add_up_per_member_for_the_year() {
    let app = spawn_app();
    let c = crew(&app);
    let path = format!("/api/v1/teams/{}/trainings", c.team_a);
    // (recorded by, held on, hours, subject, attendance)
    let sessions: Vec<(&str, &str, &str, &str, Value)> = vec![
        (
            c.captain.token.as_str(),
            "2026-11-20",
            "2.5",
            "急流救援",
            json!([
            {"person_id": c.captain.person, "status": "present"},
            {"person_id": c.member.person, "status": "present"},
            {"person_id": c.teammate.person, "status": "absent"}]),
        ),
        (
            c.head_a.as_str(),
            "2026-10-10",
            "1.5",
            "心肺复苏",
            json!([
            {"person_id": c.captain.person, "status": "present"},
            {"person_id": c.member.person, "status": "leave"}]),
        ),
        (
            c.captain.token.as_str(),
            "2025-12-20",
            "3",
            "冰面救援",
            json!([
            {"person_id": c.captain.person, "status": "present"}]),
        ),
    ];
    for (token, day, hours, subject, attendance) in sessions {
        let r = app.post(&path, token, json!({"held_on": day, "hours": hours, "subject": subject,
                                             "trainer": "沈建华", "place": "东太湖训练基地", "attendance": attendance}));
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let year = |q: &str| {
        let r = app.get(&format!("{path}{q}"), &c.teammate.token);
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
    };
    let hours = |v: &Value| -> Vec<(String, i64, i64, i64, i64)> {
        let mut m: Vec<_> = v["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["name"].as_str().unwrap().to_string(),
                    m["minutes"].as_i64().unwrap(),
                    m["present"].as_i64().unwrap(),
                    m["absent"].as_i64().unwrap(),
                    m["leave"].as_i64().unwrap(),
                )
            })
            .collect();
        m.sort();
        m
    };
    let this = year("?year=2026");
    assert_eq!(
        (this["from"].as_str(), this["to"].as_str()),
        (Some("2026-01-01"), Some("2026-12-31"))
    );
    assert_eq!(this["minutes"], 240);
    let sessions = this["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(
        (
            sessions[0]["held_on"].as_str(),
            sessions[0]["minutes"].as_i64(),
            sessions[0]["present"].as_i64(),
            sessions[0]["absent"].as_i64()
        ),
        (Some("2026-11-20"), Some(150), Some(2), Some(1)),
        "newest first"
    );
    assert_eq!(sessions[0]["created_by"], c.captain.account);
    assert_eq!(
        hours(&this),
        [
            ("周敏".to_string(), 150, 1, 0, 1),
            ("朱丽".to_string(), 0, 0, 1, 0),
            ("沈建华".to_string(), 240, 2, 0, 0),
        ]
    );
    assert_eq!(year("")["minutes"], 240, "this year by default");
    let last = year("?year=2025");
    assert_eq!(last["minutes"], 180);
    assert!(hours(&last).contains(&("沈建华".to_string(), 180, 1, 0, 0)));
    let record = app
        .get(
            &format!("/api/v1/people/{}/team-record", c.member.person),
            &c.member.token,
        )
        .json();
    assert_eq!(
        record["training"],
        json!({"year": 2026, "minutes": 150, "sessions": 1})
    );

    let audit = app.audit_count(&c.admin);
    let session = |hours: &str, subject: &str, attendance: Value| json!({"held_on": "2026-11-27", "hours": hours, "subject": subject, "attendance": attendance});
    let present = |p: i64| json!([{"person_id": p, "status": "present"}]);
    // (why, body, status, field)
    let bad: Vec<(&str, Value, u16, Option<&str>)> = vec![
        (
            "someone who is not in the team",
            session("2", "急流救援", present(c.captain_b.person)),
            422,
            Some("attendance"),
        ),
        (
            "no hours",
            session("0", "急流救援", present(c.member.person)),
            422,
            Some("hours"),
        ),
        (
            "more than a day",
            session("25", "急流救援", present(c.member.person)),
            422,
            Some("hours"),
        ),
        (
            "hours with a decimal comma",
            session("1,5", "急流救援", present(c.member.person)),
            422,
            Some("hours"),
        ),
        (
            "negative hours",
            session("-2", "急流救援", present(c.member.person)),
            422,
            Some("hours"),
        ),
        (
            "the same member twice",
            session(
                "2",
                "急流救援",
                json!([
            {"person_id": c.member.person, "status": "present"},
            {"person_id": c.member.person, "status": "absent"}]),
            ),
            422,
            Some("attendance"),
        ),
        (
            "a blank subject",
            session("2", " ", present(c.member.person)),
            422,
            Some("subject"),
        ),
        (
            "an unknown attendance",
            session(
                "2",
                "急流救援",
                json!([{"person_id": c.member.person, "status": "late"}]),
            ),
            400,
            None,
        ),
        (
            "hours as a number",
            json!({"held_on": "2026-11-27", "hours": 2, "subject": "急流救援"}),
            400,
            None,
        ),
    ];
    for (why, body, status, field) in bad {
        let r = app.post(&path, &c.captain.token, body);
        assert_eq!(r.status, status, "{why}: {}", r.text);
        assert_eq!(r.json()["error"]["field"].as_str(), field, "{why}");
    }
    assert_eq!(app.audit_count(&c.admin), audit, "nothing was written");
    assert_eq!(year("?year=2026")["sessions"].as_array().unwrap().len(), 2);
    for (q, status) in [("?year=1999", 422), ("?year=twenty", 400)] {
        assert_eq!(
            app.get(&format!("{path}{q}"), &c.admin).status,
            status,
            "{q}"
        );
    }
    assert_eq!(
        app.get("/api/v1/teams/9999/trainings", &c.admin).status,
        404
    );
}

const HOLDER: &str = "zhoumin@wjyj.example.cn";
const CAPTAIN: &str = "shenjh@wjyj.example.cn";
const TEAMMATE: &str = "zhuli@wjyj.example.cn";
const CONTACT: &str = "yjglj@wjyj.example.cn";

#[test]
fn a_certificate_about_to_lapse_reaches_its_holder_and_captain_over_smtp_once_per_lead() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp);
    let c = crew(&app);
    for (person, email) in [
        (c.member.person, HOLDER),
        (c.captain.person, CAPTAIN),
        (c.teammate.person, TEAMMATE),
    ] {
        let r = app.patch(
            &format!("/api/v1/people/{person}"),
            &c.admin,
            json!({"email": email}),
        );
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let u = app.patch(
        &format!("/api/v1/units/{}", c.unit_a),
        &c.admin,
        json!({"contact_emails": [CONTACT]}),
    );
    assert_eq!(u.status, 200, "{}", u.text);
    // 25 days left; the others lapse far off or never, or were renewed under a new number.
    certify(
        &app,
        &c.admin,
        c.member.person,
        "water_rescue",
        "WR-2023-0042",
        Some("2026-12-23"),
    );
    certify(
        &app,
        &c.admin,
        c.teammate.person,
        "first_aid",
        "JJ-2025-0007",
        Some("2027-06-30"),
    );
    certify(
        &app,
        &c.admin,
        c.teammate.person,
        "water_rescue",
        "WR-2021-0009",
        Some("2026-12-18"),
    );
    certify(
        &app,
        &c.admin,
        c.teammate.person,
        "water_rescue",
        "WR-2026-0131",
        Some("2029-12-17"),
    );
    certify(
        &app,
        &c.admin,
        c.captain.person,
        "water_rescue",
        "WR-2020-0001",
        None,
    );

    assert_eq!(
        app.scan(),
        1,
        "one notice, everyone reading Chinese; nothing about a certificate already renewed"
    );
    let found = notices(&app, &c.admin, "kind=certificate_expiry");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(addresses(&found[0]), [CAPTAIN, CONTACT, HOLDER]);
    let reason = |address: &str| {
        found[0]["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == address)
            .unwrap()["reason"]
            .clone()
    };
    assert_eq!(reason(HOLDER), "certificate_holder");
    assert_eq!(reason(CAPTAIN), "team_leader");
    assert_eq!(reason(CONTACT), "contact");

    assert_eq!(app.deliver().sent, 1);
    let got = smtp.wait_for(1, 5);
    assert_eq!(got.len(), 1);
    let mut to = got[0].to.clone();
    to.sort();
    assert_eq!(to, [CAPTAIN, CONTACT, HOLDER]);
    let mail = got[0].parsed();
    let subject = mail.subject().unwrap();
    assert!(
        subject
            .starts_with("【证书到期】周敏 的水域救援证（WR-2023-0042）2026-12-23 到期，剩 25 天"),
        "{subject}"
    );

    assert_eq!(app.scan(), 0, "scanning again enqueues nothing new");
    assert_eq!(app.deliver().sent, 0);
    app.clock.advance(Duration::days(1));
    assert_eq!(app.scan(), 0, "still within the 30-day lead already told");
    assert_eq!(smtp.received().len(), 1);

    // A week before, the next lead.
    app.clock.advance(Duration::days(17));
    assert_eq!(app.scan(), 1, "the 7-day reminder");
    assert_eq!(app.deliver().sent, 1);
    assert_eq!(smtp.wait_for(2, 5).len(), 2);
}
