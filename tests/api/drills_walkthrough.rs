//! Faults found walking through the drills pages: bad query values get a clear message (and signed-out
//! visitors go to sign in first), the overview links each drill, a unit's profile is linked from the
//! compliance report and the plans, and the frequency table is laid out for a phone.

use serde_json::json;

use crate::drills::{classify_hotel, id, plan, scheme, setup};
use crate::helpers::{spawn_app, PASSWORD};

#[test]
fn bad_query_values_are_named_on_the_page_and_signed_out_visitors_sign_in_first() {
    let app = spawn_app();
    let _ = setup(&app);
    let mut anon = app.browser();
    for path in [
        "/drills/calendar?month=abc",
        "/drills/compliance?date=abc",
        "/drills/compliance?on=abc",
    ] {
        let r = anon.get(path);
        assert_eq!(r.status, 303, "{path}: {}", r.text);
        assert!(
            r.header("location").unwrap().starts_with("/login"),
            "{path}"
        );
    }
    let mut b = app.browser();
    b.sign_in("hanx", PASSWORD);
    let cal = b.get("/drills/calendar?month=abc");
    assert_eq!(cal.status, 200, "{}", cal.text);
    assert!(cal.text.contains("无法识别的年月“abc”"), "{}", cal.text);
    assert!(
        cal.text.contains("2026 年 11 月"),
        "falls back to this month"
    );
    let cal = b.get("/drills/calendar?year=1999&month=12");
    assert!(cal.text.contains("无法识别的年月“1999 12”"), "{}", cal.text);
    let fine = b.get("/drills/calendar?year=2027&month=1");
    assert!(fine.text.contains("2027 年 1 月") && !fine.text.contains("无法识别"));
    for path in [
        "/drills/compliance?date=abc",
        "/drills/compliance?on=2026-13-01",
    ] {
        let r = b.get(path);
        assert_eq!(r.status, 400, "{path}: {}", r.text);
        assert!(r.text.contains("无法识别日期"), "{path}: {}", r.text);
    }
    let r = b.get("/drills/compliance.xlsx?on=abc");
    assert_eq!(r.status, 400);
    let on = b.get("/drills/compliance?date=2026-12-01");
    assert_eq!(on.status, 200);
    assert!(on.text.contains("2026-12-01"));
}

#[test]
fn the_overview_links_each_drill_and_units_link_to_their_profile() {
    let app = spawn_app();
    let d = setup(&app);
    classify_hotel(&app, &d);
    let p = id(&plan(&app, &d.coordinator, d.hotel, json!({})));
    let past = id(&scheme(&app, &d, p, 0));
    let ahead = id(&scheme(&app, &d, p, 20));
    let mut b = app.browser();
    b.sign_in("hanx", PASSWORD);
    let home = b.get("/drills");
    assert_eq!(home.status, 200);
    assert!(home.text.contains("近期演练"));
    assert!(
        home.text.contains(&format!(r#"href="/drills/{past}""#)),
        "{}",
        home.text
    );
    assert!(home.text.contains(&format!(r#"href="/drills/{ahead}""#)));
    let profile = format!(r#"href="/drills/units/{}/profile""#, d.hotel);
    assert!(home.text.contains(&profile));
    let report = b.get("/drills/compliance");
    assert!(report.text.contains(&profile), "{}", report.text);
    assert!(report.text.contains(&format!(r#"id="unit-{}""#, d.hotel)));
    assert!(b.get("/drills/plans").text.contains(&profile));
    let page = b.get(&format!("/drills/units/{}/profile", d.hotel));
    assert_eq!(page.status, 200);

    let mut office = app.browser();
    office.sign_in("office1", PASSWORD);
    let rules = office.get("/drills/rules");
    assert_eq!(rules.status, 200);
    assert!(rules.text.contains(r#"<table class="responsive rules">"#));
    assert!(
        !rules.text.contains("overflow-x:auto"),
        "no sideways scrolling box"
    );
    assert!(rules.text.contains(r#"<td data-label=""#));
}
