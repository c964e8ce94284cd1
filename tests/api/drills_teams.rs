//! A drill's scheme names its rescue teams from the teams register: kept as records (`team_ids`) and linked on
//! the drill's page; an unknown or stood-down team is refused naming the field and nothing is written; the
//! free text stays for outside participants.

use chrono::Duration;
use serde_json::{json, Value};

use crate::drills::{id, plan, setup};
use crate::helpers::{spawn_app, TestApp, PASSWORD};
use crate::teams::{create_team, team_body};

fn scheme_body(app: &TestApp, plan: i64, teams: Value) -> Value {
    let start = app.clock_now() + Duration::days(12);
    json!({"plan_id": plan, "title": "酒店与消防站联合疏散演练", "content": "comprehensive", "form": "live",
        "starts_at": start.to_rfc3339(), "ends_at": (start + Duration::hours(2)).to_rfc3339(),
        "scenario": "宴会厅起火，需疏散宾客。", "objectives": ["10 分钟内完成疏散"],
        "participants": "东太湖社区志愿者", "team_ids": teams})
}

#[test]
fn a_scheme_names_teams_from_the_register_and_refuses_unknown_ones() {
    let app = spawn_app();
    let d = setup(&app);
    let admin = d.r.admin.clone();
    let fire = create_team(
        &app,
        &admin,
        team_body(d.hotel, "酒店微型消防站", 4, &["fire"], None),
    );
    let flood = create_team(
        &app,
        &admin,
        team_body(d.r.unit, "度假区防汛抢险队", 6, &["flood"], None),
    );
    let p = id(&plan(&app, &d.coordinator, d.hotel, json!({})));
    let before = app
        .get("/api/v1/drills?from=2026-01-01", &d.coordinator)
        .json();

    // Unknown, and stood down: refused, naming the field, nothing written.
    let bad = app.post(
        "/api/v1/drills",
        &d.coordinator,
        scheme_body(&app, p, json!([fire, 99_999])),
    );
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.json()["error"]["field"], "team_ids", "{}", bad.text);
    assert!(bad.text.contains("#99999"), "{}", bad.text);
    let mut down = team_body(d.r.unit, "度假区防汛抢险队", 6, &["flood"], None);
    down["active"] = json!(false);
    assert_eq!(
        app.put(&format!("/api/v1/teams/{flood}"), &admin, down)
            .status,
        200
    );
    let stood_down = app.post(
        "/api/v1/drills",
        &d.coordinator,
        scheme_body(&app, p, json!([flood])),
    );
    assert_eq!(stood_down.status, 422, "{}", stood_down.text);
    assert_eq!(stood_down.json()["error"]["field"], "team_ids");
    let not_ids = app.post(
        "/api/v1/drills",
        &d.coordinator,
        scheme_body(&app, p, json!(["消防站"])),
    );
    assert_eq!(not_ids.status, 400, "{}", not_ids.text);
    assert_eq!(
        app.get("/api/v1/drills?from=2026-01-01", &d.coordinator)
            .json(),
        before,
        "nothing written"
    );

    // Kept as records, in the API and on the page with a link to the team.
    let r = app.post(
        "/api/v1/drills",
        &d.coordinator,
        scheme_body(&app, p, json!([fire, fire])),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let drill = r.json();
    assert_eq!(drill["team_ids"], json!([fire]));
    assert_eq!(drill["teams"][0]["name"], "酒店微型消防站");
    assert_eq!(drill["participants"], "东太湖社区志愿者");
    let again = app.get(&format!("/api/v1/drills/{}", drill["id"]), &d.coordinator);
    assert_eq!(again.json()["team_ids"], json!([fire]));
    let mut b = app.browser();
    b.sign_in("hanx", PASSWORD);
    let page = b.get(&format!("/drills/{}", drill["id"]));
    assert_eq!(page.status, 200);
    assert!(
        page.text
            .contains(&format!(r#"<a href="/teams/{fire}">酒店微型消防站</a>"#)),
        "{}",
        page.text
    );
    assert!(page.text.contains("东太湖社区志愿者"));
}

#[test]
fn the_scheme_form_offers_active_teams_as_checkboxes_and_keeps_them_when_refused() {
    let app = spawn_app();
    let d = setup(&app);
    let admin = d.r.admin.clone();
    let fire = create_team(
        &app,
        &admin,
        team_body(d.hotel, "酒店微型消防站", 4, &["fire"], None),
    );
    let p = id(&plan(&app, &d.coordinator, d.hotel, json!({})));
    let mut b = app.browser();
    b.sign_in("hanx", PASSWORD);
    let form = b.get(&format!("/drills/new?plan_id={p}"));
    assert_eq!(form.status, 200);
    let boxed = format!(r#"name="team_ids" value="{fire}""#);
    assert!(form.text.contains(&boxed), "{}", form.text);
    let fire_s = fire.to_string();
    let pid = p.to_string();
    let fields = [
        ("plan_id", pid.as_str()),
        ("title", "联合疏散演练"),
        ("content", "comprehensive"),
        ("form", "live"),
        ("starts_at", "2026-12-10T09:30"),
        ("ends_at", "2026-12-10T09:00"),
        ("scenario", "宴会厅起火"),
        ("objectives", "10 分钟内完成疏散"),
        ("team_ids", fire_s.as_str()),
    ];
    let refused = b.post("/drills/new", &fields);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains(&format!("{boxed} checked")),
        "the chosen team stays ticked"
    );
    let mut good = fields.to_vec();
    good[5] = ("ends_at", "2026-12-10T11:30");
    let r = b.post("/drills/new", &good);
    assert_eq!(r.status, 303, "{}", r.text);
    let page = b.get(r.header("location").unwrap());
    assert!(page.text.contains(&format!(r#"href="/teams/{fire}""#)));
    // A forged id on the form: refused naming the teams.
    let mut forged = good.clone();
    forged[8] = ("team_ids", "424242");
    b.get(&format!("/drills/new?plan_id={p}"));
    let r = b.post("/drills/new", &forged);
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.text.contains("#424242"), "{}", r.text);
}
