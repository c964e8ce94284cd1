//! The holiday calendar through the API: the shipped 2024–2026 arrangements, an uncovered year, who may change
//! it, refusals that change nothing; the fixtures `calendar_imports` and `calendar_pages` share.

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{json, Value};

use crate::calendar_imports::import;
use crate::helpers::{spawn_app, TestApp};

/// A viewer's token (reads only).
pub(crate) fn viewer(app: &TestApp, admin: &str) -> String {
    app.create_account(admin, "viewer", None, &[("viewer", None)])
        .1
}

/// One date as the calendar has it.
pub(crate) fn day(app: &TestApp, token: &str, date: &str) -> Value {
    let r = app.get(
        &format!("/api/v1/calendar/days?from={date}&to={date}"),
        token,
    );
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["days"][0].clone()
}

pub(crate) fn kind(app: &TestApp, token: &str, date: &str) -> String {
    day(app, token, date)["kind"].as_str().unwrap().to_string()
}

pub(crate) fn year(app: &TestApp, token: &str, year: i32) -> Value {
    let r = app.get(&format!("/api/v1/calendar?year={year}"), token);
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

#[test]
fn the_shipped_arrangements_are_there_and_a_later_year_is_not_covered() {
    let app = spawn_app();
    let admin = app.admin_token();
    let token = viewer(&app, &admin);
    let cases = [
        ("2026-02-14", "adjusted_workday", "春节", false),
        ("2026-02-15", "holiday", "春节", true),
        ("2026-10-01", "holiday", "国庆节", true),
        ("2026-10-03", "holiday", "国庆节", true),
        ("2026-10-10", "adjusted_workday", "国庆节", false),
        ("2026-10-17", "weekend", "", true),
        ("2026-10-19", "workday", "", false),
        ("2024-06-08", "holiday", "端午节", true),
        ("2025-10-06", "holiday", "国庆节、中秋节", true),
    ];
    for (date, kind, name, rest) in cases {
        let d = day(&app, &token, date);
        assert_eq!(
            (d["kind"].as_str(), d["name"].as_str()),
            (Some(kind), Some(name)),
            "{date}"
        );
        assert_eq!(d["rest"], rest, "{date}");
    }
    let ordinary = day(&app, &token, "2026-10-17");
    assert_eq!(
        (ordinary["weekday"].as_i64(), ordinary["stored"].as_bool()),
        (Some(6), Some(false))
    );

    let y2026 = year(&app, &token, 2026);
    assert_eq!(
        (
            y2026["covered"].as_bool(),
            y2026["covered_through"].as_i64()
        ),
        (Some(true), Some(2026))
    );
    let names: Vec<&str> = y2026["festivals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "元旦",
            "春节",
            "清明节",
            "劳动节",
            "端午节",
            "中秋节",
            "国庆节"
        ]
    );
    assert_eq!(y2026["counts"]["holidays"], 33);
    assert_eq!(y2026["counts"]["adjusted_workdays"], 6);
    assert_eq!(
        y2026["counts"]["workdays"].as_i64().unwrap()
            + y2026["counts"]["rest_days"].as_i64().unwrap(),
        365
    );
    // Every shipped adjusted workday is a Saturday or Sunday; every year has its holidays.
    for y in 2024..=2026 {
        let v = year(&app, &token, y);
        assert_eq!(v["covered"], true, "{y}");
        for d in v["days"].as_array().unwrap() {
            let date: NaiveDate = d["date"].as_str().unwrap().parse().unwrap();
            assert_eq!(date.year(), y);
            if d["kind"] == "adjusted_workday" {
                assert!(
                    matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
                    "{date}"
                );
            }
        }
    }
    assert_eq!(year(&app, &token, 2024)["covered_through"], 2026);

    let y2027 = year(&app, &token, 2027);
    assert_eq!(
        (
            y2027["covered"].as_bool(),
            y2027["days"].as_array().unwrap().len()
        ),
        (Some(false), 0)
    );
    assert!(y2027["covered_through"].is_null());
    let span = app
        .get(
            "/api/v1/calendar/days?from=2026-12-01&to=2027-01-31",
            &token,
        )
        .json();
    assert_eq!(span["uncovered_years"], json!([2027]));
    assert_eq!(span["days"].as_array().unwrap().len(), 62);
    // 2027-01-01 is a Friday: without an arrangement it is only a workday.
    assert_eq!(span["days"][31]["kind"], "workday");
    assert_eq!(app.api("GET", "/api/v1/calendar", None, None).status, 401);
}

#[test]
fn administrators_and_office_staff_edit_the_calendar_others_are_refused_and_nothing_changes() {
    let app = spawn_app();
    let admin = app.admin_token();
    let token = viewer(&app, &admin);
    let unit = app.create_unit(&admin, "安委办", "office", None);
    let (_, unit_office) =
        app.create_account(&admin, "unit_office", None, &[("office_staff", Some(unit))]);
    let (_, office) = app.create_account(&admin, "office", None, &[("office_staff", None)]);
    let audit = app.audit_count(&admin);
    let body = json!({"kind": "adjusted_workday", "name": "春节"});
    for refused in [&token, &unit_office] {
        assert_eq!(
            app.put("/api/v1/calendar/days/2027-02-06", refused, body.clone())
                .status,
            403
        );
        assert_eq!(
            app.api(
                "DELETE",
                "/api/v1/calendar/days/2026-10-01",
                Some(refused),
                None
            )
            .status,
            403
        );
        assert_eq!(
            app.put(
                "/api/v1/calendar/years/2026",
                refused,
                json!({"covered": false})
            )
            .status,
            403
        );
        assert_eq!(
            import(
                &app,
                refused,
                "",
                "text/csv",
                "日期,类型,名称\n2027-01-01,法定节假日,元旦\n"
            )
            .status,
            403
        );
    }
    assert_eq!(app.audit_count(&admin), audit, "nothing was recorded");
    assert_eq!(kind(&app, &token, "2027-02-06"), "weekend");
    assert_eq!(kind(&app, &token, "2026-10-01"), "holiday");
    assert_eq!(year(&app, &token, 2026)["covered"], true);

    let set = app.put("/api/v1/calendar/days/2027-02-06", &admin, body);
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(
        (set.json()["kind"].as_str(), set.json()["stored"].as_bool()),
        (Some("adjusted_workday"), Some(true))
    );
    assert_eq!(day(&app, &token, "2027-02-06")["name"], "春节");
    let holiday = app.put(
        "/api/v1/calendar/days/2027-02-10",
        &office,
        json!({"kind": "holiday", "name": "春节"}),
    );
    assert_eq!(holiday.status, 200, "{}", holiday.text);
    assert_eq!(app.audit_count(&admin), audit + 2);

    let cleared = app.api(
        "DELETE",
        "/api/v1/calendar/days/2027-02-06",
        Some(&office),
        None,
    );
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert_eq!(
        (
            cleared.json()["kind"].as_str(),
            cleared.json()["stored"].as_bool()
        ),
        (Some("weekend"), Some(false))
    );
    // Setting a date to what its weekday makes it stores nothing, and clearing twice records nothing more.
    let usual = app.put(
        "/api/v1/calendar/days/2027-02-08",
        &office,
        json!({"kind": "workday"}),
    );
    assert_eq!(usual.json()["stored"], false);
    app.api(
        "DELETE",
        "/api/v1/calendar/days/2027-02-06",
        Some(&office),
        None,
    );
    assert_eq!(app.audit_count(&admin), audit + 3);

    let marked = app.put(
        "/api/v1/calendar/years/2027",
        &admin,
        json!({"covered": true, "note": "国办发明电〔2026〕X号"}),
    );
    assert_eq!(marked.status, 200, "{}", marked.text);
    assert_eq!(
        (
            marked.json()["covered"].as_bool(),
            marked.json()["mark"]["note"].as_str()
        ),
        (Some(true), Some("国办发明电〔2026〕X号"))
    );
    assert_eq!(year(&app, &token, 2026)["covered_through"], 2027);
    let unmarked = app.put(
        "/api/v1/calendar/years/2027",
        &office,
        json!({"covered": false}),
    );
    assert_eq!(unmarked.json()["covered"], false);
    // A year without a single public holiday cannot be marked covered.
    let empty = app.put(
        "/api/v1/calendar/years/2028",
        &admin,
        json!({"covered": true}),
    );
    assert_eq!((empty.status, empty.code()), (409, "conflict".to_string()));
    assert!(empty.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("2028"));
}

#[test]
fn bad_input_is_refused_with_a_message_a_person_understands_and_nothing_changes() {
    let app = spawn_app();
    let admin = app.admin_token();
    let audit = app.audit_count(&admin);
    let put =
        |date: &str, body: Value| app.put(&format!("/api/v1/calendar/days/{date}"), &admin, body);

    let wednesday = put(
        "2026-10-07",
        json!({"kind": "adjusted_workday", "name": "国庆节"}),
    );
    assert_eq!(
        (
            wednesday.status,
            wednesday.json()["error"]["field"].as_str()
        ),
        (422, Some("kind"))
    );
    assert!(
        wednesday.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("星期三"),
        "{}",
        wednesday.text
    );
    let unknown = put("2026-10-07", json!({"kind": "festival", "name": "国庆节"}));
    assert_eq!(unknown.status, 400, "{}", unknown.text);
    assert!(
        unknown.text.contains("adjusted_workday"),
        "the accepted kinds are named: {}",
        unknown.text
    );
    for bad in ["2026-13-01", "2026-02-30", "tomorrow"] {
        let r = put(bad, json!({"kind": "holiday", "name": "国庆节"}));
        assert_eq!(
            (r.status, r.json()["error"]["field"].as_str()),
            (422, Some("date")),
            "{bad}: {}",
            r.text
        );
    }
    let nameless = put("2026-10-08", json!({"kind": "holiday"}));
    assert_eq!(
        (nameless.status, nameless.json()["error"]["field"].as_str()),
        (422, Some("name"))
    );
    let too_long = put(
        "2026-10-08",
        json!({"kind": "holiday", "name": "节".repeat(41)}),
    );
    assert_eq!(too_long.status, 422);
    assert_eq!(
        put("1999-10-01", json!({"kind": "holiday", "name": "国庆节"})).status,
        422
    );
    assert_eq!(
        app.put(
            "/api/v1/calendar/years/2101",
            &admin,
            json!({"covered": false})
        )
        .status,
        422
    );
    assert_eq!(
        app.put(
            "/api/v1/calendar/years/2027",
            &admin,
            json!({"covered": "yes"})
        )
        .status,
        400
    );
    let backwards = app.get(
        "/api/v1/calendar/days?from=2026-10-02&to=2026-10-01",
        &admin,
    );
    assert_eq!(
        (
            backwards.status,
            backwards.json()["error"]["field"].as_str()
        ),
        (422, Some("to"))
    );
    assert_eq!(
        app.get(
            "/api/v1/calendar/days?from=2026-01-01&to=2027-02-05",
            &admin
        )
        .status,
        422
    );
    assert_eq!(
        app.get(
            "/api/v1/calendar/days?from=2026-01-01&to=2027-02-04",
            &admin
        )
        .status,
        200
    );
    assert_eq!(
        app.get("/api/v1/calendar/days?from=2026-01-01", &admin)
            .status,
        400
    );
    assert_eq!(app.get("/api/v1/calendar?year=abc", &admin).status, 400);

    assert_eq!(app.audit_count(&admin), audit, "nothing was written");
    assert_eq!(kind(&app, &admin, "2026-10-07"), "holiday");
    assert_eq!(kind(&app, &admin, "2026-10-08"), "workday");
}
