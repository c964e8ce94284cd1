//! A drill early in the office's morning is dated by the office's day: 07:00 on 1 January 2027 in Shanghai is
//! 23:00 on 31 December in UTC, and it counts on 1 January — in the period that begins that day — on the plan
//! pages and in the compliance report.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::drills::{classify_hotel, id, plan, setup};
use crate::helpers::PASSWORD;

#[test]
fn a_drill_before_eight_in_the_morning_counts_on_the_office_day_across_a_period_boundary() {
    let app = crate::helpers::spawn_app();
    let d = setup(&app);
    classify_hotel(&app, &d);
    // Half-yearly from 1 July 2026: periods [2026-07-01, 2026-12-31] and [2027-01-01, 2027-06-30].
    let p = id(&plan(
        &app,
        &d.coordinator,
        d.hotel,
        json!({"approved_on": "2026-07-01"}),
    ));
    let r = app.post(
        "/api/v1/drills",
        &d.coordinator,
        json!({"plan_id": p, "title": "元旦清晨疏散演练", "content": "single", "form": "live",
            "starts_at": "2027-01-01T07:00:00+08:00", "ends_at": "2027-01-01T08:30:00+08:00",
            "scenario": "清晨客房区火警。", "objectives": ["5 分钟内完成疏散"], "people": [d.cook_person]}),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        r.json()["starts_at"],
        "2026-12-31T23:00:00Z",
        "stored in UTC"
    );
    let base = format!("/api/v1/drills/{}", id(&r));
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
    // 2 January 2027, 09:00 in Shanghai: the drill was held and is evaluated.
    let then: DateTime<Utc> = "2027-01-02T01:00:00Z".parse().unwrap();
    app.clock.advance(then - app.clock_now());
    let v = app.post(
        &format!("{base}/attendance"),
        &d.coordinator,
        json!({"marks": [{"person_id": d.cook_person, "present": true}]}),
    );
    assert_eq!(v.status, 200, "{}", v.text);
    let judged: Vec<Value> = v.json()["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| json!({"objective_id": o["id"], "result": "met"}))
        .collect();
    let e = app.post(
        &format!("{base}/evaluation"),
        &d.coordinator,
        json!({"grade": "good", "objectives": judged}),
    );
    assert_eq!(e.status, 200, "{}", e.text);

    // The compliance report: done in the period that began on 1 January, next due at the end of the one after.
    let report = app.get("/api/v1/drills/compliance", &d.coordinator).json();
    let hotel = report["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == d.hotel)
        .unwrap()
        .clone();
    let c = &hotel["plans"][0];
    assert_eq!(c["period_from"], "2027-01-01", "{c}");
    assert_eq!(c["last_drill"], "2027-01-01", "{c}");
    assert_eq!(c["done"], 1, "{c}");
    assert_eq!(c["standing"], "done", "{c}");
    assert_eq!(c["next_due"], "2027-12-31", "{c}");
    // On the last day of the first period (31 December), the drill had not happened yet in the office's day.
    let before = app
        .get("/api/v1/drills/compliance?on=2026-12-31", &d.coordinator)
        .json();
    let first = before["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == d.hotel)
        .unwrap()["plans"][0]
        .clone();
    assert_eq!(first["done"], 0, "{first}");
    assert!(first["last_drill"].is_null(), "{first}");

    // The plan in the API and on its page says the same.
    let plan = app
        .get(&format!("/api/v1/drills/plans/{p}"), &d.coordinator)
        .json();
    assert_eq!(plan["compliance"]["last_drill"], "2027-01-01", "{plan}");
    assert_eq!(plan["compliance"]["standing"], "done", "{plan}");
    let mut b = app.browser();
    b.sign_in("hanx", PASSWORD);
    let page = b.get(&format!("/drills/plans/{p}"));
    assert_eq!(page.status, 200);
    assert!(page.text.contains("2027-01-01"), "{}", page.text);
    let list = b.get("/drills/plans");
    assert!(
        list.text.contains("2027-12-31"),
        "next due on the plans page"
    );
    let report = b.get("/drills/compliance");
    assert!(report.text.contains("2027-01-01"));
}
