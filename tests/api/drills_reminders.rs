//! The drills area's reminders through the real SMTP test server with a fixed clock: a drill overdue, a
//! scheme and an annual plan awaiting approval, a corrective action due and then escalating from its owner
//! to the owner's unit head and the office, and a drill's report to the supervising department.

use chrono::Duration;
use serde_json::{json, Value};

use crate::drills::{classify_hotel, id, plan, scheme, setup};
use crate::notify::{addresses, notices, person_id, smtp_app};
use crate::smtp::SmtpServer;

fn email(app: &crate::helpers::TestApp, admin: &str, name: &str, address: &str) {
    let p = person_id(app, admin, name);
    let r = app.patch(
        &format!("/api/v1/people/{p}"),
        admin,
        json!({"email": address}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
}

fn to(app: &crate::helpers::TestApp, admin: &str, query: &str) -> Vec<Vec<String>> {
    notices(app, admin, query).iter().map(addresses).collect()
}

#[test]
fn reminders_tell_the_right_people_once_and_overdue_actions_escalate_to_head_and_office() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp);
    let d = setup(&app);
    let admin = d.r.admin.clone();
    for (name, address) in [
        ("韩雪", "hanx@hotel.example.cn"),
        ("王厨师", "cook@hotel.example.cn"),
        ("周海峰", "zhouhf@hotel.example.cn"),
        ("沈丽华", "shenlh@ajw.example.cn"),
    ] {
        email(&app, &admin, name, address);
    }
    classify_hotel(&app, &d);
    // A plan never drilled since December 2025 (every half year): overdue.
    let p = id(&plan(
        &app,
        &d.coordinator,
        d.hotel,
        json!({"approved_on": "2025-12-01"}),
    ));
    // An annual plan submitted to the office; a scheme submitted to the head.
    let a = app.post("/api/v1/drills/annual", &d.coordinator, json!({"unit_id": d.hotel, "year": 2027,
        "items": [{"plan_id": p, "content": "comprehensive", "form": "live", "month": 5, "organiser": "安全部"}]}));
    assert_eq!(
        app.post(
            &format!("/api/v1/drills/annual/{}/submit", id(&a)),
            &d.coordinator,
            json!({})
        )
        .status,
        200
    );
    let did = id(&scheme(&app, &d, p, 0));
    let base = format!("/api/v1/drills/{did}");
    assert_eq!(
        app.post(&format!("{base}/submit"), &d.coordinator, json!({}))
            .status,
        200
    );
    app.scan();
    // The unit's coordinator and head (the hotel has no contact address).
    assert_eq!(
        to(&app, &admin, "kind=drill_due"),
        [["hanx@hotel.example.cn", "zhouhf@hotel.example.cn"]]
    );
    let mut waiting = to(&app, &admin, "kind=drill_waiting");
    waiting.sort();
    assert_eq!(
        waiting,
        [["shenlh@ajw.example.cn"], ["zhouhf@hotel.example.cn"]]
    );
    // Scanning again tells nobody twice.
    app.scan();
    assert_eq!(notices(&app, &admin, "kind=drill_due").len(), 1);
    assert_eq!(notices(&app, &admin, "kind=drill_waiting").len(), 2);

    // The drill is held and evaluated; an action is due in ten days.
    assert_eq!(
        app.post(
            &format!("{base}/decision"),
            &d.hotel_head,
            json!({"approve": true})
        )
        .status,
        200
    );
    let v = app.post(
        &format!("{base}/attendance"),
        &d.coordinator,
        json!({"marks": [{"person_id": d.cook_person, "present": true}]}),
    );
    let objectives: Vec<Value> = v.json()["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| json!({"objective_id": o["id"], "result": "partly"}))
        .collect();
    assert_eq!(
        app.post(
            &format!("{base}/evaluation"),
            &d.coordinator,
            json!({"grade": "fair", "problems": "灭火器过期", "objectives": objectives})
        )
        .status,
        200
    );
    let due = (app.clock_now() + Duration::days(10))
        .date_naive()
        .to_string();
    let action = app.post(
        &format!("{base}/actions"),
        &d.coordinator,
        json!({"problem": "更换过期灭火器", "owner_person_id": d.cook_person, "due_on": due}),
    );
    assert_eq!(action.status, 201, "{}", action.text);
    app.scan();
    assert!(notices(&app, &admin, "kind=drill_action_due").is_empty());
    let step = |days: i64| {
        app.clock.advance(Duration::days(days));
        app.scan();
        let mut all = to(&app, &admin, "kind=drill_action_due");
        all.sort();
        all
    };
    // Three days before: the owner.
    assert_eq!(step(7), [["cook@hotel.example.cn"]]);
    // A day late: the owner again, told it is overdue.
    assert_eq!(step(4).len(), 2);
    // A week and a day late: the owner's unit head too; after two weeks the office.
    let head = step(7);
    assert_eq!(head.len(), 3);
    assert!(
        head.contains(&vec![
            "cook@hotel.example.cn".to_string(),
            "zhouhf@hotel.example.cn".to_string()
        ]),
        "{head:?}"
    );
    let office = step(7);
    assert_eq!(office.len(), 4);
    assert!(
        office.contains(&vec![
            "cook@hotel.example.cn".to_string(),
            "shenlh@ajw.example.cn".to_string(),
            "zhouhf@hotel.example.cn".to_string()
        ]),
        "{office:?}"
    );
    assert_eq!(step(1).len(), 4, "each stage is told once");

    // The report goes to the supervising department's contact address.
    let r = app.post(&format!("{base}/report"), &d.cook, json!({}));
    assert_eq!(r.status, 403);
    let r = app.post(&format!("{base}/report"), &d.coordinator, json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json()["reported_at"].is_string());
    assert_eq!(
        to(&app, &admin, "kind=drill_report"),
        [["anquan@wlj.example.cn"]]
    );

    app.deliver();
    let mails = smtp.wait_for(10, 10);
    let subjects: Vec<String> = mails
        .iter()
        .map(|m| m.parsed().subject().unwrap_or_default().to_string())
        .collect();
    assert!(
        subjects.iter().any(|s| s.contains("演练整改逾期")),
        "{subjects:?}"
    );
    assert!(
        subjects.iter().any(|s| s.contains("应急演练逾期")),
        "{subjects:?}"
    );
    let report = mails
        .iter()
        .find(|m| {
            m.parsed()
                .subject()
                .unwrap_or_default()
                .contains("演练情况报告")
        })
        .expect("the report was sent");
    let body = report.parsed().body_text(0).unwrap_or_default().to_string();
    assert!(body.contains("灭火器过期"), "{body}");
    assert!(body.contains("东太湖温泉大酒店"), "{body}");
}

/// A drill held now with its objectives judged; returns its API path.
fn evaluated(app: &crate::helpers::TestApp, d: &crate::drills::Drills, plan: i64) -> String {
    let did = id(&scheme(app, d, plan, 0));
    let base = format!("/api/v1/drills/{did}");
    for (who, path, body) in [
        (&d.coordinator, "submit", json!({})),
        (&d.hotel_head, "decision", json!({"approve": true})),
    ] {
        let r = app.post(&format!("{base}/{path}"), who, body);
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let v = app.post(
        &format!("{base}/attendance"),
        &d.coordinator,
        json!({"marks": [{"person_id": d.cook_person, "present": true}]}),
    );
    let judged: Vec<Value> = v.json()["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| json!({"objective_id": o["id"], "result": "partly"}))
        .collect();
    let r = app.post(
        &format!("{base}/evaluation"),
        &d.coordinator,
        json!({"grade": "fair", "problems": "灭火器过期", "objectives": judged}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    base
}

#[test]
fn evidence_awaiting_verification_stops_the_escalation_and_reminds_the_verifiers_after_three_days()
{
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp);
    let d = setup(&app);
    let admin = d.r.admin.clone();
    for (name, address) in [
        ("韩雪", "hanx@hotel.example.cn"),
        ("王厨师", "cook@hotel.example.cn"),
        ("周海峰", "zhouhf@hotel.example.cn"),
        ("沈丽华", "shenlh@ajw.example.cn"),
    ] {
        email(&app, &admin, name, address);
    }
    let p = id(&plan(&app, &d.coordinator, d.hotel, json!({})));
    let base = evaluated(&app, &d, p);
    let due = (app.clock_now() + Duration::days(2))
        .date_naive()
        .to_string();
    let action = app.post(
        &format!("{base}/actions"),
        &d.coordinator,
        json!({"problem": "更换过期灭火器", "owner_person_id": d.cook_person, "due_on": due}),
    );
    assert_eq!(action.status, 201, "{}", action.text);
    let apath = format!("/api/v1/drills/actions/{}", id(&action));
    app.scan();
    // Two days late the owner has been told it is overdue; then the evidence comes in.
    app.clock.advance(Duration::days(4));
    app.scan();
    assert_eq!(
        to(&app, &admin, "kind=drill_action_due").len(),
        2,
        "due soon, then overdue"
    );
    let s = app.post(
        &format!("{apath}/evidence"),
        &d.cook,
        json!({"evidence": "已更换 6 具灭火器，见照片"}),
    );
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(
        s.json()["overdue"],
        false,
        "awaiting verification is not the owner's delay"
    );
    // Two days of waiting: nobody is told anything new.
    app.clock.advance(Duration::days(2));
    app.scan();
    assert_eq!(to(&app, &admin, "kind=drill_action_due").len(), 2);
    assert!(to(&app, &admin, "kind=drill_action_verify").is_empty());
    // Three days: the verifiers (the hotel's coordinator and head), not the owner who submitted it.
    app.clock.advance(Duration::days(1));
    app.scan();
    let mut verify = to(&app, &admin, "kind=drill_action_verify");
    verify.iter_mut().for_each(|v| v.sort());
    assert_eq!(
        verify,
        [["hanx@hotel.example.cn", "zhouhf@hotel.example.cn"]]
    );
    // Well past the deadline, the owner's unit head and the office are never told of the owner: once.
    app.clock.advance(Duration::days(14));
    app.scan();
    app.scan();
    assert_eq!(
        to(&app, &admin, "kind=drill_action_due").len(),
        2,
        "no escalation against an owner whose evidence awaits verification"
    );
    assert_eq!(to(&app, &admin, "kind=drill_action_verify").len(), 1);

    app.deliver();
    let mails = smtp.wait_for(4, 10);
    let verify_mail = mails
        .iter()
        .find(|m| {
            m.parsed()
                .subject()
                .unwrap_or_default()
                .contains("演练整改待验证")
        })
        .expect("the verifiers were emailed");
    let body = verify_mail
        .parsed()
        .body_text(0)
        .unwrap_or_default()
        .to_string();
    assert!(body.contains("更换过期灭火器"), "{body}");
    assert!(body.contains("已等待 3 天"), "{body}");

    // Rejected: the action is open again and its lateness counts against the owner once more.
    let r = app.post(
        &format!("{apath}/verification"),
        &d.coordinator,
        json!({"accept": false, "note": "照片看不清型号"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    app.scan();
    let mut again = to(&app, &admin, "kind=drill_action_due");
    again.sort();
    assert_eq!(again.len(), 3, "{again:?}");
    assert!(
        again
            .iter()
            .any(|a| a.contains(&"shenlh@ajw.example.cn".to_string())),
        "now 19 days late: the office hears of it"
    );
}
