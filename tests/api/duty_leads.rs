//! Each person's own reminder lead before a shift (班前提醒): as the roster sets it, none, or 1–72 hours, on
//! the API and on "my duty"; the shift-soon reminder honours it and never tells a shift twice when a person
//! changes their lead after being reminded.
//!
//! The test clock's today is Saturday 28 November 2026, 10:00 in the office's zone; shifts change at 08:30.

use chrono::Duration;
use serde_json::{json, Value};

use crate::duty::{office, Office};
use crate::duty_log::published;
use crate::helpers::{spawn_app, TestApp, PASSWORD};

const PATH: &str = "/api/v1/duty/mine/reminder";

/// The people each shift-soon reminder went to, one entry per reminder.
fn reminded(app: &TestApp, o: &Office) -> Vec<i64> {
    let mut told: Vec<i64> = crate::notify::notices(app, &o.admin, "kind=duty_upcoming")
        .iter()
        .flat_map(|n| {
            n["recipients"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["person_id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    told.sort_unstable();
    told
}

/// The login name of the office's leader or officer who is `person`.
fn username(o: &Office, person: i64) -> &'static str {
    let names = ["lzm", "zjg", "slh", "qxy", "whf", "lijun", "wangf"];
    let i = o
        .leaders
        .iter()
        .chain(&o.officers)
        .position(|w| w.person == person)
        .unwrap();
    names[i]
}

fn person_in(shift: &(String, i64, Vec<(i64, String)>), role: &str) -> i64 {
    shift.2.iter().find(|(_, r)| r == role).unwrap().0
}

#[test]
fn a_person_chooses_their_own_lead_and_bad_choices_change_nothing() {
    let app = spawn_app();
    let o = office(&app);
    let me = &o.officers[0];
    assert_eq!(
        app.get(PATH, &me.token).json(),
        json!({"lead": "roster", "hours": null}),
        "the roster's lead by default"
    );
    let audit = app.audit_count(&o.admin);
    for bad in [
        json!({"lead": "hours", "hours": 0}),
        json!({"lead": "hours", "hours": 73}),
        json!({"lead": "hours"}),
        json!({"lead": "none", "hours": 5}),
        json!({"lead": "soon"}),
    ] {
        let r = app.put(PATH, &me.token, bad.clone());
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
        assert_eq!(r.code(), "invalid_value", "{}", r.text);
    }
    assert_eq!(
        app.put(PATH, &me.token, json!({"lead": "none", "days": 1}))
            .status,
        400,
        "an unknown field"
    );
    assert_eq!(app.audit_count(&o.admin), audit, "nothing changed");
    assert_eq!(app.get(PATH, &me.token).json()["lead"], "roster");

    let r = app.put(PATH, &me.token, json!({"lead": "hours", "hours": 6}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json(), json!({"lead": "hours", "hours": 6}));
    let r = app.put(PATH, &me.token, json!({"lead": "none"}));
    assert_eq!(r.json(), json!({"lead": "none", "hours": null}));
    assert_eq!(app.get(PATH, &me.token).json()["lead"], "none");
    assert_eq!(
        app.get(PATH, &o.officers[1].token).json()["lead"],
        "roster",
        "each person their own"
    );
    let trail = app
        .get(
            &format!("/api/v1/audit?entity=duty_lead&entity_id={}", me.person),
            &o.admin,
        )
        .json();
    let items = trail["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{trail}");
    assert_eq!(items[1]["before"], json!({"lead": "roster", "hours": null}));
    assert_eq!(items[1]["after"], json!({"lead": "hours", "hours": 6}));

    // An account that is no person holds no duty, so it has no lead to choose.
    assert_eq!(app.get(PATH, &o.viewer).status, 409);
    assert_eq!(
        app.put(PATH, &o.viewer, json!({"lead": "none"})).status,
        409
    );

    // Documented in the OpenAPI spec, both ways.
    let spec: Value = app.get("/api/v1/openapi.json", &o.viewer).json();
    let path = &spec["paths"]["/api/v1/duty/mine/reminder"];
    assert!(path["get"].is_object() && path["put"].is_object(), "{path}");
}

#[test]
fn the_shift_soon_reminder_honours_each_persons_lead_and_tells_a_shift_once() {
    let app = spawn_app();
    let o = office(&app);
    let s = published(&app, &o);
    // The 29th's shift starts in 22.5 hours, the 30th's in 46.5 (the roster's lead is 24 hours).
    let (tomorrow, after) = (&s[1], &s[2]);
    let early = person_in(after, "officer");
    let follows = person_in(after, "leader");
    let silent = person_in(tomorrow, "officer");
    let late = person_in(tomorrow, "leader");
    let token = |p: i64| crate::duty::token_of(&o, p).to_string();
    assert_eq!(
        app.put(PATH, &token(early), json!({"lead": "hours", "hours": 48}))
            .status,
        200
    );
    assert_eq!(
        app.put(PATH, &token(silent), json!({"lead": "none"}))
            .status,
        200
    );

    // "Late" chooses two hours on their phone: the form refuses a missing number (shown again as chosen),
    // then saves.
    let mut phone = app.browser();
    phone.sign_in(username(&o, late), PASSWORD);
    let mine = phone.get("/duty/mine");
    assert!(mine.text.contains("班前提醒"), "{}", mine.text);
    assert!(mine.text.contains(r#"value="roster" checked"#));
    let r = phone.post("/duty/mine/reminder", &[("lead", "hours"), ("hours", "")]);
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.text.contains("提前提醒的小时数应为 1–72"), "{}", r.text);
    assert!(r.text.contains(r#"value="hours" checked"#));
    assert_eq!(app.get(PATH, &token(late)).json()["lead"], "roster");
    let r = phone.post("/duty/mine/reminder", &[("lead", "hours"), ("hours", "2")]);
    assert_eq!(r.status, 303);
    let mine = phone.get("/duty/mine");
    assert!(mine.text.contains("班前提醒已保存"), "{}", mine.text);
    assert!(mine.text.contains(r#"value="hours" checked"#));
    assert!(mine.text.contains(r#"value="2""#));
    assert_eq!(
        app.get(PATH, &token(late)).json(),
        json!({"lead": "hours", "hours": 2})
    );

    // 28th, 10:00: only the one who asked for 48 hours hears of the 30th; nobody of the 29th yet (one
    // asked for none, the other for two hours).
    app.scan();
    assert_eq!(reminded(&app, &o), vec![early]);

    // Reminded already, "early" now asks for two hours: that shift is not told again.
    assert_eq!(
        app.put(PATH, &token(early), json!({"lead": "hours", "hours": 2}))
            .status,
        200
    );
    // 29th, 06:30: two hours before the 29th's shift.
    app.clock
        .advance(Duration::hours(20) + Duration::minutes(30));
    app.scan();
    let mut expected = vec![early, late];
    expected.sort_unstable();
    assert_eq!(reminded(&app, &o), expected);

    // 30th, 06:30: the roster's 24 hours have come for the other on the 30th; "early" is not told twice.
    app.clock.advance(Duration::hours(24));
    app.scan();
    app.scan();
    let mut expected = vec![early, late, follows];
    expected.sort_unstable();
    assert_eq!(reminded(&app, &o), expected);
    assert!(!reminded(&app, &o).contains(&silent));
}
