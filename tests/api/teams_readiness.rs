//! Readiness through the API end to end (leave, injury, a lapsed certificate, no leader; then put right),
//! and the search by capability: who can do it now, ready and nearest first.
//!
//! The test clock's today is Saturday 28 November 2026 in the office's zone.

use serde_json::{json, Value};

use crate::helpers::spawn_app;
use crate::teams::{approved_leave, certify, create_team, join, readiness, team, team_body, who};

#[test]
fn readiness_counts_only_members_who_can_turn_out_and_says_why_in_the_callers_language() {
    let app = spawn_app();
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "吴江区应急管理局", "department", None);
    let t = create_team(
        &app,
        &admin,
        team_body(
            unit,
            "吴江区水域救援队",
            4,
            &["water_rescue", "flood"],
            None,
        ),
    );
    // (name, role, status, water-rescue certificate expiring on: None = does not lapse)
    let crew: Vec<(&str, &str, &str, Option<&str>)> = vec![
        ("沈建华", "captain", "in_post", None),
        ("陆晓峰", "member", "in_post", Some("2026-11-27")), // lapsed yesterday
        ("周敏", "member", "in_post", Some("2028-06-30")),   // on approved leave today
        ("吴刚", "driver", "injured", Some("2028-06-30")),
        ("朱丽", "medic", "in_post", Some("2026-11-28")), // valid through today
        ("钱伟", "member", "left", None),
    ];
    let mut ids = Vec::new();
    for (n, (name, role, status, expires)) in crew.iter().enumerate() {
        let p = app.create_person(&admin, name, unit);
        let m = join(&app, &admin, t, p, role, status);
        let cert = certify(
            &app,
            &admin,
            p,
            "water_rescue",
            &format!("SJ-{n}"),
            *expires,
        );
        ids.push((p, m, cert));
    }
    let leave = approved_leave(&app, &admin, ids[2].0, "2026-11-27", "2026-11-30");
    let en = who(
        &app,
        &admin,
        "duty_en",
        "Duty Officer",
        unit,
        &[("duty_officer", None)],
        "en",
    );

    let v = team(&app, &en.token, t);
    assert_eq!(
        readiness(&v),
        ("short".to_string(), 2, 5, 3, 2),
        "five still in the team, three available (not the one on leave nor the injured), two of them qualified"
    );
    assert_eq!(v["readiness"]["min_ready"], 4);
    assert_eq!(
        v["reasons"],
        json!([
            "1 on leave",
            "1 injured or ill",
            "1 without a valid Water rescue certificate",
            "2 can turn out of the 4 required: short by 2"
        ])
    );
    let zh = team(&app, &admin, t);
    assert_eq!(
        zh["reasons"],
        json!([
            "1 人休假或请假",
            "1 人伤病",
            "1 人无有效水域救援证",
            "可出动 2 人，最低 4 人，差 2 人"
        ]),
        "the administrator's account speaks Chinese"
    );
    assert_eq!(zh["leaders"][0]["name"], "沈建华");
    assert_eq!(zh["leaders"][0]["available"], true);
    let board = app.get("/api/v1/teams", &en.token).json();
    assert_eq!(
        (
            board["summary"]["short"].as_i64(),
            board["summary"]["qualified"].as_i64()
        ),
        (Some(1), Some(2))
    );
    assert_eq!(board["teams"][0]["reasons"], v["reasons"]);

    // The lapsed certificate is renewed.
    let (lapsed_person, _, lapsed_cert) = ids[1];
    let r = app.put(
        &format!("/api/v1/certificates/{lapsed_cert}"),
        &admin,
        json!({"person_id": lapsed_person, "certificate_type": "water_rescue", "number": "SJ-1",
               "issuer": "苏州市应急管理局", "issued_on": "2026-11-28", "expires_on": "2029-11-27"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let v = team(&app, &en.token, t);
    assert_eq!(readiness(&v), ("short".to_string(), 1, 5, 3, 3));
    assert!(
        !v["reasons"].to_string().contains("certificate"),
        "{}",
        v["reasons"]
    );

    // The member on leave is called back.
    let r = app.post(
        &format!("/api/v1/leaves/{leave}/cancel"),
        &admin,
        json!({"note": "防汛应急响应，召回"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["state"], "cancelled");
    let v = team(&app, &en.token, t);
    assert_eq!(readiness(&v), ("ready".to_string(), 0, 5, 4, 4));
    assert_eq!(v["reasons"], json!([]));

    // Enough hands but nobody to lead them: the captain falls ill.
    let (captain, membership, _) = ids[0];
    let r = app.put(
        &format!("/api/v1/teams/{t}/members/{membership}"),
        &admin,
        json!({"person_id": captain, "role": "captain", "joined_on": "2025-03-01",
               "status": "injured", "status_since": "2026-11-28", "status_until": "2026-12-10"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let v = team(&app, &en.token, t);
    assert_eq!(readiness(&v), ("not_ready".to_string(), 1, 5, 3, 3));
    assert!(v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == "Neither the captain nor a deputy is available"));
    assert_eq!(v["leaders"][0]["available"], false);

    // Tomorrow the certificate valid through today has lapsed.
    app.clock.advance(chrono::Duration::days(1));
    let v = team(&app, &en.token, t);
    assert_eq!(v["readiness"]["qualified"], 2, "{}", v["readiness"]);
}

#[test]
fn the_search_lists_teams_that_can_do_it_now_ready_and_nearest_first() {
    let app = spawn_app();
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "吴江区应急管理局", "department", None);
    let incident = (31.0, 120.6);
    // Due north of the incident: 0.018° ≈ 2 km, 0.045° ≈ 5 km, 0.18° ≈ 20 km.
    let near_ready = create_team(
        &app,
        &admin,
        team_body(
            unit,
            "太湖水上救援队",
            2,
            &["water_rescue"],
            Some((31.045, 120.6)),
        ),
    );
    let far_ready = create_team(
        &app,
        &admin,
        team_body(
            unit,
            "吴淞江救援队",
            2,
            &["water_rescue", "flood"],
            Some((31.18, 120.6)),
        ),
    );
    let near_short = create_team(
        &app,
        &admin,
        team_body(
            unit,
            "松陵水域救援队",
            3,
            &["water_rescue"],
            Some((31.018, 120.6)),
        ),
    );
    let nowhere = create_team(
        &app,
        &admin,
        team_body(unit, "平望水域救援队", 1, &["water_rescue"], None),
    );
    let flood_only = create_team(
        &app,
        &admin,
        team_body(unit, "防汛抢险突击队", 1, &["flood"], Some(incident)),
    );
    let mut n = 0;
    let mut member = |team: i64, name: &str, role: &str, cert: Option<Option<&str>>| {
        n += 1;
        let p = app.create_person(&admin, name, unit);
        join(&app, &admin, team, p, role, "in_post");
        if let Some(expires) = cert {
            certify(&app, &admin, p, "water_rescue", &format!("SS-{n}"), expires);
        }
        p
    };
    member(near_ready, "顾海", "captain", Some(None));
    member(near_ready, "顾洋", "member", Some(Some("2027-06-30")));
    member(far_ready, "陈涛", "captain", Some(None));
    member(far_ready, "陈波", "member", Some(None));
    let lapsed = member(far_ready, "陈浪", "member", Some(Some("2026-10-31")));
    member(near_short, "蒋平", "captain", Some(None));
    let away = member(near_short, "蒋安", "member", Some(None));
    member(near_short, "蒋宁", "member", None);
    member(nowhere, "徐江", "captain", None);
    member(flood_only, "许河", "captain", None);
    approved_leave(&app, &admin, away, "2026-11-28", "2026-12-02");

    let search = |query: &str| {
        let r = app.get(&format!("/api/v1/teams/search?{query}"), &admin);
        assert_eq!(r.status, 200, "{}", r.text);
        r.json().as_array().unwrap().clone()
    };
    let found = search("speciality=water_rescue&lat=31.0&lon=120.6");
    let row = |c: &Value| {
        (
            c["team"]["id"].as_i64().unwrap(),
            c["readiness"]["state"].as_str().unwrap().to_string(),
            c["capable"].as_i64().unwrap(),
            c["distance_km"].as_f64(),
        )
    };
    assert_eq!(
        found.iter().map(row).collect::<Vec<_>>(),
        vec![
            (near_ready, "ready".to_string(), 2, Some(5.0)),
            (far_ready, "ready".to_string(), 2, Some(20.0)),
            (near_short, "short".to_string(), 1, Some(2.0)),
            (nowhere, "not_ready".to_string(), 0, None),
        ],
        "ready first, nearer first among equals; a team without the speciality is not listed"
    );
    assert!(!found.iter().any(|c| c["team"]["id"] == flood_only));
    let holders = |c: &Value| -> Vec<(String, bool)> {
        let mut h: Vec<(String, bool)> = c["holders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["name"].as_str().unwrap().to_string(),
                    h["available"].as_bool().unwrap(),
                )
            })
            .collect();
        h.sort();
        h
    };
    assert_eq!(
        holders(&found[1]),
        [("陈波".to_string(), true), ("陈涛".to_string(), true)],
        "a lapsed certificate does not make a holder"
    );
    assert!(found[1]["holders"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["person_id"] != lapsed));
    assert_eq!(
        holders(&found[2]),
        [("蒋安".to_string(), false), ("蒋平".to_string(), true)],
        "a holder on leave is listed but cannot be called today"
    );
    assert_eq!(found[0]["leaders"][0]["name"], "顾海");
    assert_eq!(found[0]["team"]["duty_phone"], "0512-63412119");

    let board = app.get("/api/v1/teams", &admin).json();
    assert_eq!(
        board["summary"],
        json!({"ready": 3, "short": 1, "not_ready": 1, "qualified": 6})
    );
    assert_eq!(
        (
            board["teams"][0]["team"]["id"].as_i64(),
            board["teams"][1]["team"]["id"].as_i64()
        ),
        (Some(nowhere), Some(near_short)),
        "the board shows first the teams that cannot turn out in full"
    );

    let ready = search("speciality=water_rescue&lat=31.0&lon=120.6&ready_only=true");
    assert_eq!(
        ready
            .iter()
            .map(|c| c["team"]["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [near_ready, far_ready]
    );
    let anywhere = search("speciality=water_rescue");
    assert!(anywhere.iter().all(|c| c["distance_km"].is_null()));
    assert_eq!(anywhere.len(), 4);
    let flood = search("speciality=flood");
    assert_eq!(
        flood
            .iter()
            .map(|c| c["team"]["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [far_ready, flood_only],
        "among ready teams the one with more hands comes first"
    );
    assert_eq!(
        flood[0]["capable"], 3,
        "a speciality that needs no certificate: every available member can do it"
    );
    assert_eq!(flood[0]["holders"], json!([]));

    // (why, query, status, field)
    let bad: Vec<(&str, &str, u16, Option<&str>)> = vec![
        (
            "an unknown speciality",
            "speciality=ballooning",
            422,
            Some("speciality"),
        ),
        (
            "a latitude without a longitude",
            "speciality=water_rescue&lat=31.0",
            422,
            Some("longitude"),
        ),
        (
            "a point off the globe",
            "speciality=water_rescue&lat=95&lon=120",
            422,
            Some("latitude"),
        ),
        ("no speciality", "lat=31.0&lon=120.6", 400, None),
        (
            "a latitude that is not a number",
            "speciality=water_rescue&lat=north&lon=120.6",
            400,
            None,
        ),
    ];
    for (why, query, status, field) in bad {
        let r = app.get(&format!("/api/v1/teams/search?{query}"), &admin);
        assert_eq!(r.status, status, "{why}: {}", r.text);
        assert_eq!(r.json()["error"]["field"].as_str(), field, "{why}");
    }
}
