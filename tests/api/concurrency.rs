//! Concurrent requests: no lost update, no duplicate, no "database is locked".

use std::sync::Barrier;

use serde_json::json;

use crate::helpers::{spawn_app, PASSWORD};

#[test]
fn racing_to_take_one_username_creates_exactly_one_account() {
    let app = spawn_app();
    let admin = app.admin_token();
    let barrier = Barrier::new(10);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..10)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    app.post(
                        "/api/v1/accounts",
                        &admin,
                        json!({"username": "racer", "password": PASSWORD}),
                    )
                    .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    assert_eq!(
        app.get("/api/v1/accounts?q=racer", &admin).json()["total"],
        1
    );
}

#[test]
fn parallel_writers_all_succeed() {
    let app = spawn_app();
    let admin = app.admin_token();
    let barrier = Barrier::new(16);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..16)
            .map(|i| {
                let (app, admin, barrier) = (&app, &admin, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    app.post(
                        "/api/v1/units",
                        admin,
                        json!({"name": format!("单位{i}"), "kind": "other"}),
                    )
                    .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(app.get("/api/v1/units", &admin).json()["total"], 16);
    assert_eq!(
        app.get("/api/v1/audit?entity=unit", &admin).json()["total"],
        16,
        "one audit row per change"
    );
}

#[test]
fn racing_leave_requests_for_the_same_days_file_exactly_one() {
    let app = spawn_app();
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "度假区防汛抢险队", "rescue_team", None);
    let person = app.create_person(&admin, "孙海涛", unit);
    let barrier = Barrier::new(8);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let (barrier, app, admin) = (&barrier, &app, &admin);
                s.spawn(move || {
                    barrier.wait();
                    // Overlapping days, asked at once (a double tap, two people asking for the same member).
                    app.post(
                        "/api/v1/leaves",
                        admin,
                        json!({"person_id": person, "kind": "annual",
                               "starts_on": format!("2026-12-0{}", 1 + i % 3), "ends_on": "2026-12-05"}),
                    )
                    .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    let filed = app
        .get(&format!("/api/v1/leaves?person_id={person}"), &admin)
        .json();
    assert_eq!(filed.as_array().unwrap().len(), 1, "{filed}");
}

#[test]
fn racing_drafts_and_swaps_of_one_roster_make_exactly_one_each() {
    let app = spawn_app();
    let o = crate::duty::office(&app);
    let id = crate::duty::roster(&app, &o);
    // Overlapping ranges generated at once (two managers, a double tap): one draft, the others refused.
    let barrier = Barrier::new(6);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let (barrier, app, token) = (&barrier, &app, &o.leaders[i % 3].token);
                s.spawn(move || {
                    barrier.wait();
                    app.post(
                        &format!("/api/v1/duty/rosters/{id}/plans"),
                        token,
                        json!({"from": format!("2026-12-0{}", 1 + i % 3), "to": "2026-12-20"}),
                    )
                    .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    let roster = app
        .get(&format!("/api/v1/duty/rosters/{id}"), &o.viewer)
        .json();
    let plan = roster["plans"][0]["id"].as_i64().unwrap();
    assert_eq!(roster["plans"].as_array().unwrap().len(), 1);
    assert_eq!(
        crate::duty::step(&app, &o.leaders[0].token, plan, "publish", "").status,
        200
    );

    // The same substitution asked at once: one open request.
    let p = app
        .get(&format!("/api/v1/duty/plans/{plan}"), &o.viewer)
        .json();
    let (_, shift, people) = crate::duty::shifts(&p)[5].clone();
    let officer = people.iter().find(|(_, r)| r == "officer").unwrap().0;
    let taker = o
        .officers
        .iter()
        .map(|w| w.person)
        .find(|p| *p != officer)
        .unwrap();
    let barrier = Barrier::new(4);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (barrier, app, token) = (&barrier, &app, crate::duty::token_of(&o, officer));
                s.spawn(move || {
                    barrier.wait();
                    app.post(
                        "/api/v1/duty/changes",
                        token,
                        json!({"kind": "substitution", "shift_id": shift, "giver_id": officer, "taker_id": taker}),
                    )
                    .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
}
