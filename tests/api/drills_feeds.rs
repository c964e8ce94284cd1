//! Calendar subscriptions of drills: a secret address fetched without signing in that shows what its maker's
//! account may see at the time of the fetch (60 days back to 365 ahead, cancelled drills marked), under the
//! drills' stable UIDs; revoked at once; a closed account's feeds end; at most 10 live per account; made and
//! revoked on the calendar page too.
//!
//! The test clock's today is Saturday 28 November 2026, 10:00 in the office's zone (Asia/Shanghai).

use serde_json::{json, Value};

use crate::drills::{id, plan, scheme, setup, Drills};
use crate::helpers::{spawn_app, Resp, TestApp, PASSWORD};

fn make(app: &TestApp, token: &str) -> Value {
    let r = app.post("/api/v1/drills/feeds", token, json!({}));
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()
}

/// The feed's path from its address.
fn path(url: &str) -> &str {
    &url[url.find("/drills/feeds/").expect("a feed address")..]
}

/// Fetches a feed with no credential at all.
fn fetch(app: &TestApp, url: &str) -> Resp {
    app.api("GET", path(url), None, None)
}

/// A feed as served: 200, the calendar type, cached privately, no session, CRLF lines of 75 octets at most.
fn served(app: &TestApp, url: &str) -> String {
    let r = fetch(app, url);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert_eq!(r.header("cache-control"), Some("private, max-age=300"));
    assert!(r.header("set-cookie").is_none(), "no session for a feed");
    assert!(r.text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(r.text.ends_with("END:VCALENDAR\r\n"));
    assert!(r.text.split("\r\n").all(|l| l.len() <= 75));
    r.text.replace("\r\n ", "")
}

/// A hotel drill in 12 days and a 建设局 drill in 20 days; their ids.
fn two_units_drills(app: &TestApp, d: &Drills) -> (i64, i64) {
    let p = id(&plan(app, &d.coordinator, d.hotel, json!({})));
    let hotel = id(&scheme(app, d, p, 12));
    let flood = id(&plan(
        app,
        &d.r.head,
        d.r.unit,
        json!({"level": "special", "title": "防汛专项应急预案"}),
    ));
    let start = app.clock_now() + chrono::Duration::days(20);
    let r = app.post(
        "/api/v1/drills",
        &d.r.head,
        json!({"plan_id": flood, "title": "防汛抢险桌面推演", "content": "single", "form": "tabletop",
            "starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(2)).to_rfc3339(),
            "place": "建设局三楼会议室", "scenario": "太湖水位超警戒，城区内涝。", "objectives": ["30 分钟内完成抢险队集结"]}),
    );
    (hotel, id(&r))
}

#[test]
fn a_coordinator_subscribes_without_signing_in_and_a_cancelled_drill_stays_marked() {
    let app = spawn_app();
    let d = setup(&app);
    let (hotel, flood) = two_units_drills(&app, &d);
    let feed = make(&app, &d.coordinator);
    let url = feed["url"].as_str().unwrap();
    assert!(
        url.contains("/drills/feeds/") && url.ends_with(".ics"),
        "{url}"
    );
    let listed = app.get("/api/v1/drills/feeds", &d.coordinator);
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json()[0]["id"], feed["id"]);
    let secret = &url[url.rfind('/').unwrap() + 1..url.len() - 4];
    assert!(!listed.text.contains(secret), "the secret is shown once");
    assert!(listed.json()[0]["revoked_at"].is_null());

    let ics = served(&app, url);
    assert!(
        ics.contains(&format!("UID:drill-{hotel}@standby\r\n")),
        "{ics}"
    );
    assert!(
        !ics.contains(&format!("UID:drill-{flood}@standby")),
        "another unit's drill is not in the coordinator's feed"
    );
    assert!(ics.contains("X-WR-CALNAME:应急演练 · 韩雪\r\n"), "{ics}");
    assert!(ics.contains("X-WR-TIMEZONE:Asia/Shanghai\r\n"));
    assert!(ics.contains("SUMMARY:东太湖温泉大酒店：厨房火灾疏散演练\r\n"));
    assert!(ics.contains("DTSTART:20261210T013000Z\r\n"));
    assert_eq!(served(&app, url), ics, "the same feed on every fetch");

    // Cancelled: still there under the same UID, marked for calendar programs and for people.
    let c = app.post(
        &format!("/api/v1/drills/{hotel}/cancel"),
        &d.coordinator,
        json!({}),
    );
    assert_eq!(c.status, 200, "{}", c.text);
    let after = served(&app, url);
    assert!(after.contains(&format!("UID:drill-{hotel}@standby\r\n")));
    assert!(after.contains("STATUS:CANCELLED\r\n"), "{after}");
    assert!(after.contains("SUMMARY:【已取消】东太湖温泉大酒店：厨房火灾疏散演练\r\n"));

    // A wrong secret, or a signed-in API caller without one, gets nothing.
    assert_eq!(
        app.api("GET", "/drills/feeds/not-a-secret.ics", None, None)
            .status,
        404
    );
    assert_eq!(
        app.api("GET", "/api/v1/drills/feeds", None, None).status,
        401
    );
}

#[test]
fn a_unit_keepers_feed_shows_only_that_units_drills() {
    let app = spawn_app();
    let d = setup(&app);
    let (hotel, flood) = two_units_drills(&app, &d);
    let ics = served(&app, make(&app, &d.r.keeper)["url"].as_str().unwrap());
    assert!(
        ics.contains(&format!("UID:drill-{flood}@standby\r\n")),
        "{ics}"
    );
    assert!(
        ics.contains("SUMMARY:建设局：防汛抢险桌面推演\r\n"),
        "{ics}"
    );
    assert!(
        !ics.contains(&format!("UID:drill-{hotel}@standby")),
        "{ics}"
    );
    // The office sees the district.
    let all = served(&app, make(&app, &d.office)["url"].as_str().unwrap());
    assert!(all.contains(&format!("UID:drill-{hotel}@standby")));
    assert!(all.contains(&format!("UID:drill-{flood}@standby")));
}

#[test]
fn a_revoked_feed_and_a_closed_accounts_feed_answer_404() {
    let app = spawn_app();
    let d = setup(&app);
    let (hotel, _) = two_units_drills(&app, &d);
    let feed = make(&app, &d.coordinator);
    let url = feed["url"].as_str().unwrap().to_string();
    let fid = feed["id"].as_i64().unwrap();
    served(&app, &url);
    // Someone else cannot revoke it (nor learn that it exists).
    assert_eq!(
        app.api(
            "DELETE",
            &format!("/api/v1/drills/feeds/{fid}"),
            Some(&d.hotel_head),
            None
        )
        .status,
        404
    );
    let r = app.api(
        "DELETE",
        &format!("/api/v1/drills/feeds/{fid}"),
        Some(&d.coordinator),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json()["revoked_at"].is_string());
    assert_eq!(fetch(&app, &url).status, 404);
    let again = app.api(
        "DELETE",
        &format!("/api/v1/drills/feeds/{fid}"),
        Some(&d.coordinator),
        None,
    );
    assert_eq!(again.status, 404);
    assert_eq!(
        app.get("/api/v1/drills/feeds", &d.coordinator).json(),
        json!([])
    );

    // A viewer of the hotel subscribes; their account is closed: the feed ends with it.
    let p = app.create_person(&d.r.admin, "李前台", d.hotel);
    let (account, viewer) = app.create_account(
        &d.r.admin,
        "frontdesk",
        Some(p),
        &[("viewer", Some(d.hotel))],
    );
    let url = make(&app, &viewer)["url"].as_str().unwrap().to_string();
    assert!(served(&app, &url).contains(&format!("UID:drill-{hotel}@standby")));
    let closed = app.patch(
        &format!("/api/v1/accounts/{account}"),
        &d.r.admin,
        json!({"active": false}),
    );
    assert_eq!(closed.status, 200, "{}", closed.text);
    assert_eq!(fetch(&app, &url).status, 404);
}

#[test]
fn an_account_keeps_at_most_ten_live_feeds() {
    let app = spawn_app();
    let d = setup(&app);
    let made: Vec<i64> = (0..10)
        .map(|_| make(&app, &d.coordinator)["id"].as_i64().unwrap())
        .collect();
    let r = app.post("/api/v1/drills/feeds", &d.coordinator, json!({}));
    assert_eq!(r.status, 409, "{}", r.text);
    assert!(r.text.contains("10"), "{}", r.text);
    // Another account is not held back by the coordinator's ten.
    make(&app, &d.hotel_head);
    // Revoking one makes room for one.
    let del = app.api(
        "DELETE",
        &format!("/api/v1/drills/feeds/{}", made[0]),
        Some(&d.coordinator),
        None,
    );
    assert_eq!(del.status, 200);
    make(&app, &d.coordinator);
    assert_eq!(
        app.post("/api/v1/drills/feeds", &d.coordinator, json!({}))
            .status,
        409
    );
}

#[test]
fn the_calendar_page_makes_a_link_shown_once_and_revokes_it() {
    let app = spawn_app();
    let d = setup(&app);
    let (hotel, _) = two_units_drills(&app, &d);
    let mut b = app.browser();
    b.sign_in("hanx", PASSWORD);
    let cal = b.get("/drills/calendar");
    assert_eq!(cal.status, 200);
    assert!(cal.text.contains("订阅演练日历"));
    assert!(cal.text.contains("还没有订阅链接"));
    let made = b.post("/drills/feeds", &[]);
    assert_eq!(made.status, 200, "{}", made.text);
    assert!(made.text.contains("它只显示这一次"));
    let url = made
        .text
        .split("webcal://")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    assert!(url.ends_with(".ics"), "{url}");
    let ics = served(&app, &format!("http://{url}"));
    assert!(ics.contains(&format!("UID:drill-{hotel}@standby")));

    let cal = b.get("/drills/calendar");
    let revoke = cal
        .text
        .split("action=\"/drills/feeds/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let secret = &url[url.rfind('/').unwrap() + 1..url.len() - 4];
    assert!(
        !cal.text.contains(secret),
        "the calendar page never shows the secret"
    );
    let r = b.post(&format!("/drills/feeds/{revoke}"), &[]);
    assert_eq!(r.status, 303, "{}", r.text);
    assert!(b
        .get("/drills/calendar")
        .text
        .contains("演练日历订阅已撤销"));
    assert_eq!(fetch(&app, &format!("http://{url}")).status, 404);
}
