//! Calendar feeds of duty: a secret address per person or roster, fetched with no credential as RFC 5545 in
//! the office's zone, one event per shift under a stable UID that follows a substitution from the giver's
//! feed to the taker's; revoked at once; made only by the person, their unit's duty managers or a roster's;
//! the pages that make, show once and revoke them.
//!
//! The test clock's today is Saturday 28 November 2026, 10:00 in the office's zone (Asia/Shanghai).

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::duty::{generate, office, roster, shifts, step, Office};
use crate::helpers::{spawn_app, Resp, TestApp, PASSWORD};

type Shifts = Vec<(String, i64, Vec<(i64, String)>)>;

/// A published December roster; returns it with its shifts `(day, shift, people)`.
fn published(app: &TestApp, o: &Office) -> (i64, Shifts) {
    let id = roster(app, o);
    let plan = generate(app, &o.leaders[0].token, id, "2026-12-01", "2026-12-31");
    let plan_id = plan["plan"]["id"].as_i64().unwrap();
    assert_eq!(
        step(app, &o.leaders[0].token, plan_id, "publish", "").status,
        200
    );
    (id, shifts(&plan))
}

fn make(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app.post("/api/v1/duty/feeds", token, body);
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()
}

/// Fetches a feed's address with no credential at all.
fn fetch(app: &TestApp, url: &str) -> Resp {
    let path = &url[url.find("/duty/feeds/").expect("a feed address")..];
    app.api("GET", path, None, None)
}

/// The content lines, unfolded.
fn lines(ics: &str) -> Vec<String> {
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn uids(ics: &str) -> BTreeSet<String> {
    lines(ics)
        .iter()
        .filter_map(|l| l.strip_prefix("UID:").map(str::to_string))
        .collect()
}

/// A feed as served: 200, the calendar type, cached privately, CRLF lines of 75 octets at most.
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
    assert!(r
        .text
        .split("\r\n")
        .all(|l| l.len() <= 75 && !l.contains('\n')));
    r.text
}

fn held_by(s: &Shifts, person: i64) -> Vec<i64> {
    s.iter()
        .filter(|(_, _, people)| people.iter().any(|(p, _)| *p == person))
        .map(|(_, id, _)| *id)
        .collect()
}

#[test]
fn a_person_subscribes_and_a_substitution_moves_the_event_to_the_takers_feed() {
    let app = spawn_app();
    let o = office(&app);
    let (_, s) = published(&app, &o);
    let (_, shift, people) = &s[10];
    let giver = people.iter().find(|(_, r)| r == "officer").unwrap().0;
    let near: Vec<i64> = s[9].2.iter().chain(&s[11].2).map(|(p, _)| *p).collect();
    let who = |p: i64| o.officers.iter().find(|w| w.person == p).unwrap();
    let taker = o
        .officers
        .iter()
        .map(|w| w.person)
        .find(|p| *p != giver && !near.contains(p))
        .unwrap();

    let mine = make(&app, &who(giver).token, json!({"person_id": giver}));
    let url = mine["url"].as_str().unwrap();
    assert!(
        url.contains("/duty/feeds/") && url.ends_with(".ics"),
        "{url}"
    );
    assert_eq!(mine["person_id"], giver);
    let name = app.get(&format!("/api/v1/people/{giver}"), &o.admin).json()["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(mine["name"], name.as_str());
    let listed = app.get("/api/v1/duty/feeds", &who(giver).token);
    assert_eq!(listed.json()[0]["id"], mine["id"]);
    let secret = &url[url.rfind('/').unwrap() + 1..url.len() - 4];
    assert!(!listed.text.contains(secret), "the secret is shown once");

    let ics = served(&app, url);
    let expected: BTreeSet<String> = held_by(&s, giver)
        .iter()
        .map(|id| format!("duty-shift-{id}-{giver}@standby"))
        .collect();
    assert_eq!(uids(&ics), expected, "one event per shift held");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), expected.len());
    let l = lines(&ics);
    assert!(l.contains(&format!("X-WR-CALNAME:值班 · {name}")));
    for must in [
        "CALSCALE:GREGORIAN",
        "X-WR-TIMEZONE:Asia/Shanghai",
        "TZID:Asia/Shanghai",
        "TZOFFSETTO:+0800",
        "SUMMARY:值班：区应急局总值班（值班员）",
        "LOCATION:吴江区应急管理局",
    ] {
        assert!(l.iter().any(|x| x == must), "{must} in {ics}");
    }
    let day = s[10].0.replace('-', "");
    assert!(l.contains(&format!("DTSTART;TZID=Asia/Shanghai:{day}T083000")));
    assert!(l
        .iter()
        .any(|x| x.starts_with("DESCRIPTION:") && x.contains("值班电话：0512-63980110")));
    assert_eq!(
        uids(&served(&app, url)),
        expected,
        "the same UIDs on every fetch"
    );

    // The office substitutes at once: the event leaves the giver's feed and appears in the taker's.
    let r = app.post("/api/v1/duty/changes", &o.office.token,
        json!({"kind": "substitution", "shift_id": shift, "giver_id": giver, "taker_id": taker, "apply_now": true, "reason": "本人突发疾病"}));
    assert_eq!(r.status, 201, "{}", r.text);
    let after = uids(&served(&app, url));
    let moved = format!("duty-shift-{shift}-{giver}@standby");
    assert!(!after.contains(&moved));
    assert_eq!(after.len(), expected.len() - 1);
    let theirs = make(&app, &who(taker).token, json!({"person_id": taker}));
    let their_ics = served(&app, theirs["url"].as_str().unwrap());
    let taken = format!("duty-shift-{shift}-{taker}@standby");
    assert!(uids(&their_ics).contains(&taken));
    let event: Vec<String> = lines(&their_ics)
        .into_iter()
        .skip_while(|x| *x != format!("UID:{taken}"))
        .take_while(|x| x != "END:VEVENT")
        .collect();
    assert!(event.contains(&"SEQUENCE:1".to_string()), "{event:?}");
}

#[test]
fn feeds_are_made_by_the_right_people_revoked_at_once_and_a_tampered_secret_finds_nothing() {
    let app = spawn_app();
    let o = office(&app);
    let (id, s) = published(&app, &o);
    let (a, b) = (&o.officers[0], &o.officers[1]);
    let audit = app.audit_count(&o.admin);
    // (token, body, status)
    let refused: Vec<(&str, Value, u16)> = vec![
        (a.token.as_str(), json!({"person_id": b.person}), 403),
        (
            o.leader_elsewhere.as_str(),
            json!({"person_id": b.person}),
            403,
        ),
        (a.token.as_str(), json!({"roster_id": id}), 403),
        (o.viewer.as_str(), json!({"roster_id": id}), 403),
        (
            a.token.as_str(),
            json!({"person_id": a.person, "roster_id": id}),
            422,
        ),
        (a.token.as_str(), json!({}), 422),
        (a.token.as_str(), json!({"person_id": 99999}), 404),
        (
            o.leaders[0].token.as_str(),
            json!({"roster_id": 99999}),
            404,
        ),
    ];
    for (token, body, status) in refused {
        let r = app.post("/api/v1/duty/feeds", token, body.clone());
        assert_eq!(r.status, status, "{body}: {}", r.text);
    }
    assert_eq!(
        app.audit_count(&o.admin),
        audit,
        "nothing refused was written"
    );

    // A duty leader of the unit makes an officer's feed; the officer sees it among theirs and revokes it.
    let theirs = make(&app, &o.leaders[0].token, json!({"person_id": b.person}));
    let url = theirs["url"].as_str().unwrap();
    served(&app, url);
    let listed = app.get("/api/v1/duty/feeds", &b.token).json();
    assert_eq!(listed[0]["id"], theirs["id"]);
    let (head, last) = url.split_at(url.len() - 5);
    let tampered = format!(
        "{head}{}.ics",
        if last.starts_with('A') { 'B' } else { 'A' }
    );
    assert_eq!(fetch(&app, &tampered).status, 404);
    assert_eq!(fetch(&app, "/duty/feeds/nothing.ics").status, 404);
    let gone = format!("/api/v1/duty/feeds/{}", theirs["id"]);
    assert_eq!(app.api("DELETE", &gone, Some(&a.token), None).status, 403);
    let r = app.api("DELETE", &gone, Some(&b.token), None);
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json()["revoked_at"].is_string());
    assert_eq!(fetch(&app, url).status, 404, "revoked at once");
    assert_eq!(app.api("DELETE", &gone, Some(&b.token), None).status, 404);
    assert_eq!(app.get("/api/v1/duty/feeds", &b.token).json(), json!([]));

    // A roster's feed: every shift under the shift's own UID, who is on it in the summary.
    let feed = make(&app, &o.leaders[0].token, json!({"roster_id": id}));
    let ics = served(&app, feed["url"].as_str().unwrap());
    let all: BTreeSet<String> = s
        .iter()
        .map(|(_, shift, _)| format!("duty-shift-{shift}@standby"))
        .collect();
    assert_eq!(uids(&ics), all);
    assert!(lines(&ics)
        .iter()
        .any(|l| l.starts_with("SUMMARY:带班：") && l.contains("；值班：")));
    let of_roster = app.get(
        &format!("/api/v1/duty/feeds?roster_id={id}"),
        &o.leaders[1].token,
    );
    assert_eq!(of_roster.json()[0]["id"], feed["id"]);
    let not_theirs = app.get(&format!("/api/v1/duty/feeds?roster_id={id}"), &a.token);
    assert_eq!(not_theirs.status, 403);

    // Ten live feeds of a person at most.
    for _ in 0..10 {
        make(&app, &a.token, json!({"person_id": a.person}));
    }
    let r = app.post(
        "/api/v1/duty/feeds",
        &a.token,
        json!({"person_id": a.person}),
    );
    assert_eq!(r.status, 409, "{}", r.text);
}

#[test]
fn my_duty_page_makes_a_feed_shows_its_address_once_and_revokes_it() {
    let app = spawn_app();
    let o = office(&app);
    let (id, _) = published(&app, &o);
    let mut browser = app.browser();
    browser.sign_in("qxy", PASSWORD);
    let page = browser.get("/duty/mine");
    assert!(page.text.contains("日历订阅") && page.text.contains("还没有订阅链接"));
    let person = o.officers[0].person.to_string();
    let made = browser.post("/duty/feeds", &[("person_id", &person)]);
    assert_eq!(made.status, 200, "{}", made.text);
    assert!(made.text.contains("只显示这一次") && made.text.contains("webcal://"));
    let start = made.text.find("/duty/feeds/").unwrap();
    let end = start + made.text[start..].find(".ics").unwrap() + 4;
    served(&app, &made.text[start..end]);

    let page = browser.get("/duty/mine");
    assert!(!page.text.contains(&made.text[start..end]), "shown once");
    let feed = app.get("/api/v1/duty/feeds", &o.officers[0].token).json()[0]["id"]
        .as_i64()
        .unwrap();
    let r = browser.post(
        &format!("/duty/feeds/{feed}/revoke"),
        &[("next", "/duty/mine")],
    );
    assert_eq!((r.status, r.header("location")), (303, Some("/duty/mine")));
    assert_eq!(fetch(&app, &made.text[start..end]).status, 404);

    // Someone else's feed is refused on the page too, and the roster's managers get a roster feed.
    let other = o.officers[1].person.to_string();
    assert_eq!(
        browser.post("/duty/feeds", &[("person_id", &other)]).status,
        403
    );
    let mut leader = app.browser();
    leader.sign_in("lzm", PASSWORD);
    let roster_page = leader.get(&format!("/duty/rosters/{id}"));
    assert!(roster_page.text.contains("生成本值班表的订阅链接"));
    let roster_id = id.to_string();
    let made = leader.post("/duty/feeds", &[("roster_id", &roster_id)]);
    assert_eq!(made.status, 200, "{}", made.text);
    let seen = browser.get(&format!("/duty/rosters/{id}"));
    assert!(
        !seen.text.contains("生成本值班表的订阅链接"),
        "only for managers"
    );
}
