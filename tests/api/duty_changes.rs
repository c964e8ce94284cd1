//! Swaps (换班) and substitutions (替班) on a published roster: asked, agreed, approved by someone party to
//! neither side, applied and told; made at once by a manager; refused when they no longer fit.
//!
//! The test clock's today is Saturday 28 November 2026, 10:00 in the office's zone.

use serde_json::{json, Value};

use crate::duty::{generate, office, roster, shifts, step, token_of, Office};
use crate::helpers::{spawn_app, TestApp};
use crate::teams::approved_leave;

/// A published December roster; returns it with its shifts `(day, shift, people)`.
fn published(app: &TestApp, o: &Office) -> (i64, Vec<(String, i64, Vec<(i64, String)>)>) {
    let id = roster(app, o);
    let plan = generate(app, &o.leaders[0].token, id, "2026-12-01", "2026-12-31");
    assert_eq!(
        step(
            app,
            &o.leaders[0].token,
            plan["plan"]["id"].as_i64().unwrap(),
            "publish",
            ""
        )
        .status,
        200
    );
    (id, shifts(&plan))
}

fn holder(people: &[(i64, String)], role: &str) -> i64 {
    people.iter().find(|(_, r)| r == role).unwrap().0
}

fn on(app: &TestApp, token: &str, roster: i64, shift: i64) -> Vec<i64> {
    let r = app
        .get(&format!("/api/v1/duty/rosters/{roster}"), token)
        .json();
    let plan = r["plans"][0]["id"].as_i64().unwrap();
    let p = app.get(&format!("/api/v1/duty/plans/{plan}"), token).json();
    shifts(&p)
        .into_iter()
        .find(|(_, s, _)| *s == shift)
        .unwrap()
        .2
        .into_iter()
        .map(|(p, _)| p)
        .collect()
}

fn act(app: &TestApp, token: &str, change: i64, what: &str, note: &str) -> crate::helpers::Resp {
    app.post(
        &format!("/api/v1/duty/changes/{change}/{what}"),
        token,
        json!({"note": note}),
    )
}

#[test]
fn two_leaders_swap_and_neither_may_approve_it_but_a_third_does() {
    let app = spawn_app();
    let o = office(&app);
    let (id, s) = published(&app, &o);
    let (a, b) = (&s[2], &s[3]);
    let (giver, taker) = (holder(&a.2, "leader"), holder(&b.2, "leader"));
    let r = app.post("/api/v1/duty/changes", token_of(&o, giver),
        json!({"kind": "swap", "shift_id": a.1, "giver_id": giver, "taker_id": taker, "taker_shift_id": b.1, "reason": "孩子生病"}));
    assert_eq!(r.status, 201, "{}", r.text);
    let change: Value = r.json();
    assert_eq!(change["state"], "asked");
    let c = change["id"].as_i64().unwrap();

    // The giver cannot agree for the taker; the taker agrees; neither party approves, though both are duty leaders.
    assert_eq!(act(&app, token_of(&o, giver), c, "agree", "").status, 403);
    let third = o
        .leaders
        .iter()
        .find(|w| w.person != giver && w.person != taker)
        .unwrap();
    assert_eq!(
        act(&app, &third.token, c, "approve", "").status,
        409,
        "nothing to approve before the taker agrees"
    );
    assert_eq!(
        act(&app, token_of(&o, taker), c, "agree", "").json()["state"],
        "agreed"
    );
    assert_eq!(act(&app, token_of(&o, giver), c, "approve", "").status, 403);
    assert_eq!(act(&app, token_of(&o, taker), c, "approve", "").status, 403);
    let before = crate::notify::notices(&app, &o.admin, "kind=duty_changed").len();
    let done = act(&app, &third.token, c, "approve", "");
    assert_eq!(done.json()["state"], "applied", "{}", done.text);
    assert!(
        on(&app, &o.viewer, id, a.1).contains(&taker)
            && !on(&app, &o.viewer, id, a.1).contains(&giver)
    );
    assert!(
        on(&app, &o.viewer, id, b.1).contains(&giver)
            && !on(&app, &o.viewer, id, b.1).contains(&taker)
    );
    assert_eq!(
        crate::notify::notices(&app, &o.admin, "kind=duty_changed").len() - before,
        2,
        "both are told"
    );
    assert_eq!(
        act(&app, &third.token, c, "approve", "").status,
        409,
        "applied once"
    );
    let listed = app
        .get(&format!("/api/v1/duty/changes?roster_id={id}"), &o.viewer)
        .json();
    assert_eq!(listed[0]["id"], c, "every change is visible on the roster");
}

#[test]
fn a_manager_substitutes_at_once_and_bad_changes_are_refused() {
    let app = spawn_app();
    let o = office(&app);
    let (id, s) = published(&app, &o);
    let (day, shift, people) = &s[10];
    let officer = holder(people, "officer");
    let near: Vec<i64> = s[9].2.iter().chain(&s[11].2).map(|(p, _)| *p).collect();
    let stand_in = o
        .officers
        .iter()
        .map(|w| w.person)
        .find(|p| *p != officer && !near.contains(p))
        .unwrap();
    let audit = app.audit_count(&o.admin);
    // (token, body, status)
    let bad: Vec<(&str, Value, u16)> = vec![
        (
            token_of(&o, officer),
            json!({"kind": "substitution", "shift_id": shift, "giver_id": officer, "taker_id": officer}),
            422,
        ),
        (
            token_of(&o, officer),
            json!({"kind": "swap", "shift_id": shift, "giver_id": officer, "taker_id": stand_in}),
            422,
        ),
        (
            token_of(&o, officer),
            json!({"kind": "substitution", "shift_id": shift, "giver_id": officer, "taker_id": 99999}),
            422,
        ),
        (
            token_of(&o, stand_in),
            json!({"kind": "substitution", "shift_id": shift, "giver_id": officer, "taker_id": stand_in}),
            403,
        ),
        (
            token_of(&o, officer),
            json!({"kind": "substitution", "shift_id": shift, "giver_id": officer, "taker_id": stand_in, "apply_now": true}),
            403,
        ),
        (
            token_of(&o, officer),
            json!({"kind": "substitution", "shift_id": 99999, "giver_id": officer, "taker_id": stand_in}),
            404,
        ),
    ];
    for (token, body, status) in bad {
        let r = app.post("/api/v1/duty/changes", token, body.clone());
        assert_eq!(r.status, status, "{body}: {}", r.text);
    }
    assert_eq!(
        app.audit_count(&o.admin),
        audit,
        "nothing refused was written"
    );

    // The taker on leave that day: the change cannot be approved.
    let ask = app.post("/api/v1/duty/changes", token_of(&o, officer), json!({"kind": "substitution", "shift_id": shift, "giver_id": officer, "taker_id": stand_in}));
    assert_eq!(ask.status, 201, "{}", ask.text);
    let c = ask.json()["id"].as_i64().unwrap();
    let twice = app.post("/api/v1/duty/changes", token_of(&o, officer), json!({"kind": "substitution", "shift_id": shift, "giver_id": officer, "taker_id": stand_in}));
    assert_eq!(
        twice.status, 409,
        "one open change per shift and person: {}",
        twice.text
    );
    let leader = holder(people, "leader");
    let already = app.post(
        "/api/v1/duty/changes",
        token_of(&o, officer),
        json!({"kind": "substitution", "shift_id": shift, "giver_id": officer, "taker_id": leader}),
    );
    assert_eq!(
        already.status, 409,
        "the leader is on that shift already: {}",
        already.text
    );
    assert_eq!(
        act(&app, token_of(&o, stand_in), c, "agree", "").status,
        200
    );
    approved_leave(&app, &o.admin, stand_in, day, day);
    let r = act(&app, &o.office.token, c, "approve", "");
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(
        act(&app, &o.office.token, c, "refuse", "").status,
        422,
        "a refusal says why"
    );
    assert_eq!(
        act(&app, &o.office.token, c, "refuse", "接班人当天请假").json()["state"],
        "refused"
    );

    // The office makes a substitution directly for someone else: applied at once, once it has heard that the
    // officer taking over, on duty the day before or after, gets no rest.
    let other = o
        .officers
        .iter()
        .map(|w| w.person)
        .find(|p| *p != officer && near.contains(p))
        .unwrap();
    let direct = json!({"kind": "substitution", "shift_id": shift, "giver_id": officer, "taker_id": other, "apply_now": true, "reason": "本人突发疾病"});
    let r = app.post("/api/v1/duty/changes", &o.office.token, direct.clone());
    assert_eq!(
        (r.status, r.json()["error"]["field"].as_str()),
        (422, Some("despite_clashes")),
        "{}",
        r.text
    );
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("连续值班"));
    assert!(
        on(&app, &o.viewer, id, *shift).contains(&officer),
        "nothing moved"
    );
    let mut despite = direct;
    despite["despite_clashes"] = json!(true);
    let r = app.post("/api/v1/duty/changes", &o.office.token, despite);
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["state"], "applied");
    let now_on = on(&app, &o.viewer, id, *shift);
    assert!(
        now_on.contains(&other) && !now_on.contains(&officer),
        "{now_on:?}"
    );
}
