//! Rescue teams through the API: creating and editing teams and their members, who may manage which team,
//! equipment from the reserves; the fixtures the other `teams_*` files share. Readiness and the search are in
//! `teams_readiness`, leave and certificates in `teams_people`, training and reminders in `teams_training`.
//!
//! The test clock's today is Saturday 28 November 2026 in the office's zone.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, Resp, TestApp, PASSWORD};
use crate::inventory::{receive, reserve};

/// A team's body: a professional team with the given speciality codes and position.
pub(crate) fn team_body(
    unit: i64,
    name: &str,
    min_ready: i64,
    specialities: &[&str],
    at: Option<(f64, f64)>,
) -> Value {
    json!({
        "unit_id": unit,
        "name": name,
        "kind": "professional",
        "address": "吴江区松陵街道开平路",
        "latitude": at.map(|p| p.0),
        "longitude": at.map(|p| p.1),
        "duty_phone": "0512-63412119",
        "min_ready": min_ready,
        "specialities": specialities,
    })
}

pub(crate) fn create_team(app: &TestApp, token: &str, body: Value) -> i64 {
    let r = app.post("/api/v1/teams", token, body);
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["id"].as_i64().unwrap()
}

/// Adds a person to a team (joined in March 2025); returns the membership's id.
pub(crate) fn join(
    app: &TestApp,
    token: &str,
    team: i64,
    person: i64,
    role: &str,
    status: &str,
) -> i64 {
    let r = app.post(
        &format!("/api/v1/teams/{team}/members"),
        token,
        json!({"person_id": person, "role": role, "joined_on": "2025-03-01", "status": status}),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["id"].as_i64().unwrap()
}

/// A certificate issued on 1 January 2024; returns its id.
pub(crate) fn certify(
    app: &TestApp,
    token: &str,
    person: i64,
    kind: &str,
    number: &str,
    expires_on: Option<&str>,
) -> i64 {
    let r = app.post(
        "/api/v1/certificates",
        token,
        json!({"person_id": person, "certificate_type": kind, "number": number,
               "issuer": "苏州市应急管理局", "issued_on": "2024-01-01", "expires_on": expires_on}),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["id"].as_i64().unwrap()
}

pub(crate) fn ask_leave(app: &TestApp, token: &str, person: i64, from: &str, to: &str) -> Resp {
    app.post(
        "/api/v1/leaves",
        token,
        json!({"person_id": person, "kind": "annual", "starts_on": from, "ends_on": to, "reason": "探亲"}),
    )
}

/// Asks for and approves a leave (as the district administrator); returns its id.
pub(crate) fn approved_leave(app: &TestApp, admin: &str, person: i64, from: &str, to: &str) -> i64 {
    let r = ask_leave(app, admin, person, from, to);
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json()["id"].as_i64().unwrap();
    let a = app.post(&format!("/api/v1/leaves/{id}/approve"), admin, json!({}));
    assert_eq!(a.status, 200, "{}", a.text);
    id
}

/// `GET /teams/{id}` (must succeed).
pub(crate) fn team(app: &TestApp, token: &str, id: i64) -> Value {
    let r = app.get(&format!("/api/v1/teams/{id}"), token);
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

/// (state, short_by, members, available, qualified) of a team's readiness.
pub(crate) fn readiness(v: &Value) -> (String, i64, i64, i64, i64) {
    let r = &v["readiness"];
    (
        r["state"].as_str().unwrap().to_string(),
        r["short_by"].as_i64().unwrap(),
        r["members"].as_i64().unwrap(),
        r["available"].as_i64().unwrap(),
        r["qualified"].as_i64().unwrap(),
    )
}

/// A person with an account linked to them.
pub(crate) struct Who {
    pub person: i64,
    pub account: i64,
    pub token: String,
}

/// A person of `unit` and their account, with the given roles (none: what they may do comes from their place
/// in teams) and language.
pub(crate) fn who(
    app: &TestApp,
    admin: &str,
    username: &str,
    name: &str,
    unit: i64,
    roles: &[(&str, Option<i64>)],
    language: &str,
) -> Who {
    let person = app.create_person(admin, name, unit);
    let roles: Vec<Value> = roles
        .iter()
        .map(|(r, u)| json!({"role": r, "unit_id": u}))
        .collect();
    let r = app.post(
        "/api/v1/accounts",
        admin,
        json!({"username": username, "password": PASSWORD, "person_id": person,
               "language": language, "roles": roles}),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    Who {
        person,
        account: r.json()["id"].as_i64().unwrap(),
        token: app.token(username, PASSWORD),
    }
}

/// Two units, each with a water-rescue team:
/// 吴江区应急管理局 (A) ── 吴江区水域救援队 (team A: its captain, two members; a unit head)
/// 松陵街道 (B) ── 松陵街道应急救援队 (team B: its captain)
pub(crate) struct Crew {
    pub admin: String,
    pub unit_a: i64,
    pub unit_b: i64,
    pub team_a: i64,
    pub team_b: i64,
    pub body_a: Value,
    pub body_b: Value,
    pub captain: Who,
    pub member: Who,
    pub teammate: Who,
    pub captain_b: Who,
    pub head_a: String,
}

pub(crate) fn crew(app: &TestApp) -> Crew {
    let admin = app.admin_token();
    let unit_a = app.create_unit(&admin, "吴江区应急管理局", "department", None);
    let unit_b = app.create_unit(&admin, "松陵街道", "street", None);
    let body_a = team_body(
        unit_a,
        "吴江区水域救援队",
        2,
        &["water_rescue"],
        Some((31.16, 120.64)),
    );
    let body_b = team_body(
        unit_b,
        "松陵街道应急救援队",
        2,
        &["water_rescue"],
        Some((31.17, 120.63)),
    );
    let team_a = create_team(app, &admin, body_a.clone());
    let team_b = create_team(app, &admin, body_b.clone());
    let captain = who(app, &admin, "shenjh", "沈建华", unit_a, &[], "zh");
    let member = who(app, &admin, "zhoumin", "周敏", unit_a, &[], "zh");
    let teammate = who(app, &admin, "zhuli", "朱丽", unit_a, &[], "zh");
    let captain_b = who(app, &admin, "qianwei", "钱伟", unit_b, &[], "zh");
    join(app, &admin, team_a, captain.person, "captain", "in_post");
    join(app, &admin, team_a, member.person, "member", "in_post");
    join(app, &admin, team_a, teammate.person, "member", "in_post");
    join(app, &admin, team_b, captain_b.person, "captain", "in_post");
    let (_, head_a) = app.create_account(&admin, "head_a", None, &[("unit_head", Some(unit_a))]);
    Crew {
        admin,
        unit_a,
        unit_b,
        team_a,
        team_b,
        body_a,
        body_b,
        captain,
        member,
        teammate,
        captain_b,
        head_a,
    }
}

fn board_size(app: &TestApp, token: &str) -> usize {
    let r = app.get("/api/v1/teams", token);
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["teams"].as_array().unwrap().len()
}

#[test]
fn a_team_is_created_read_and_updated_through_the_api() {
    let app = spawn_app();
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "吴江区应急管理局", "department", None);
    let audit = app.audit_count(&admin);

    let mut body = team_body(
        unit,
        "吴江区水域救援队",
        3,
        &["water_rescue", " flood", "water_rescue"],
        Some((31.1390, 120.6450)),
    );
    let r = app.post("/api/v1/teams", &admin, body.clone());
    assert_eq!(r.status, 201, "{}", r.text);
    let created = r.json();
    assert_eq!(created["name"], "吴江区水域救援队");
    assert_eq!(created["kind"], "professional");
    assert_eq!(created["unit_id"], unit);
    assert_eq!(created["min_ready"], 3);
    assert_eq!(created["duty_phone"], "0512-63412119");
    assert_eq!(
        (created["latitude"].as_f64(), created["longitude"].as_f64()),
        (Some(31.1390), Some(120.6450))
    );
    assert_eq!(created["active"], true);
    assert_eq!(
        app.audit_count(&admin),
        audit + 1,
        "the creation is audited"
    );
    let id = created["id"].as_i64().unwrap();

    let v = team(&app, &admin, id);
    assert_eq!(v["team"]["name"], "吴江区水域救援队");
    assert_eq!(
        v["specialities"],
        json!(["flood", "water_rescue"]),
        "trimmed, sorted, once each"
    );
    assert_eq!(v["members"], json!([]));
    assert_eq!(v["equipment"], json!([]));
    assert_eq!(v["manageable"], true);
    assert_eq!(
        readiness(&v),
        ("not_ready".to_string(), 3, 0, 0, 0),
        "nobody to turn out yet"
    );
    assert!(
        v["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "队长、副队长均不在岗"),
        "{}",
        v["reasons"]
    );
    let board = app.get("/api/v1/teams", &admin).json();
    assert_eq!(board["day"], "2026-11-28");
    assert_eq!(board["summary"]["not_ready"], 1);
    assert_eq!(board["teams"][0]["team"]["id"], id);

    body["name"] = json!("吴江区水上应急救援队");
    body["min_ready"] = json!(5);
    body["specialities"] = json!(["medical"]);
    body["latitude"] = Value::Null;
    body["longitude"] = Value::Null;
    let r = app.put(&format!("/api/v1/teams/{id}"), &admin, body.clone());
    assert_eq!(r.status, 200, "{}", r.text);
    let v = team(&app, &admin, id);
    assert_eq!(v["team"]["name"], "吴江区水上应急救援队");
    assert_eq!(v["team"]["min_ready"], 5);
    assert_eq!(v["team"]["latitude"], Value::Null);
    assert_eq!(v["specialities"], json!(["medical"]));
    assert_eq!(app.audit_count(&admin), audit + 2, "the change is audited");

    // Members: once each, a person who exists, dates in order; a membership changes only through its team.
    let person = app.create_person(&admin, "沈建华", unit);
    let member =
        |team: i64, body: Value| app.post(&format!("/api/v1/teams/{team}/members"), &admin, body);
    let joined = member(
        id,
        json!({"person_id": person, "role": "captain", "joined_on": "2025-03-01"}),
    );
    assert_eq!(joined.status, 201, "{}", joined.text);
    let joined = joined.json();
    assert_eq!(
        (
            joined["name"].as_str(),
            joined["status"].as_str(),
            joined["status_since"].as_str()
        ),
        (Some("沈建华"), Some("in_post"), Some("2025-03-01")),
        "in post since joining unless told otherwise"
    );
    let other = create_team(
        &app,
        &admin,
        team_body(unit, "平望镇防汛抢险队", 1, &["flood"], None),
    );
    // (why, team, body, status)
    let cases: Vec<(&str, i64, Value, u16)> = vec![
        (
            "the same person again",
            id,
            json!({"person_id": person, "role": "member", "joined_on": "2025-03-01"}),
            409,
        ),
        (
            "a person who does not exist",
            id,
            json!({"person_id": 9999, "role": "member", "joined_on": "2025-03-01"}),
            422,
        ),
        (
            "a status before joining",
            id,
            json!({"person_id": app.create_person(&admin, "陆晓峰", unit), "role": "member",
            "joined_on": "2025-03-01", "status_since": "2025-02-01"}),
            422,
        ),
        (
            "an unknown role",
            id,
            json!({"person_id": person, "role": "mascot", "joined_on": "2025-03-01"}),
            400,
        ),
        (
            "a team that does not exist",
            9999,
            json!({"person_id": person, "role": "member", "joined_on": "2025-03-01"}),
            404,
        ),
    ];
    for (why, team, body, status) in cases {
        let r = member(team, body);
        assert_eq!(r.status, status, "{why}: {}", r.text);
    }
    let through_other = app.put(
        &format!("/api/v1/teams/{other}/members/{}", joined["id"]),
        &admin,
        json!({"person_id": person, "role": "member", "joined_on": "2025-03-01"}),
    );
    assert_eq!(through_other.status, 404, "{}", through_other.text);
    let v = team(&app, &admin, id);
    assert_eq!(v["members"].as_array().unwrap().len(), 1);
    assert_eq!(v["leaders"][0]["person_id"], person);
    assert_eq!(v["members"][0]["role"], "captain");
    assert_eq!(app.get("/api/v1/teams/9999", &admin).status, 404);

    body["active"] = json!(false);
    let r = app.put(&format!("/api/v1/teams/{id}"), &admin, body);
    assert_eq!(r.status, 200, "{}", r.text);
    let board = app.get("/api/v1/teams", &admin).json();
    assert_eq!(
        board["teams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["team"]["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [other],
        "a team stood down leaves the board"
    );
}

#[test]
fn a_bad_team_is_refused_with_the_json_error_and_nothing_is_written() {
    let app = spawn_app();
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "吴江区应急管理局", "department", None);
    let good = || team_body(unit, "吴江区水域救援队", 3, &["water_rescue"], None);
    let with = |field: &str, value: Value| {
        let mut b = good();
        b[field] = value;
        b
    };
    let at = |lat: Option<f64>, lon: Option<f64>| {
        let mut b = good();
        b["latitude"] = json!(lat);
        b["longitude"] = json!(lon);
        b
    };
    let existing = create_team(
        &app,
        &admin,
        team_body(unit, "平望镇防汛抢险队", 2, &["flood"], None),
    );
    let audit = app.audit_count(&admin);

    // (why, body, status, code, field)
    let cases: Vec<(&str, Value, u16, &str, Option<&str>)> = vec![
        (
            "an unknown speciality",
            with("specialities", json!(["water_rescue", "ballooning"])),
            422,
            "invalid_value",
            Some("specialities"),
        ),
        (
            "latitude and longitude swapped",
            at(Some(120.64), Some(31.16)),
            422,
            "invalid_value",
            Some("latitude"),
        ),
        (
            "a latitude without a longitude",
            at(Some(31.16), None),
            422,
            "invalid_value",
            Some("longitude"),
        ),
        (
            "a longitude off the globe",
            at(Some(31.16), Some(200.0)),
            422,
            "invalid_value",
            Some("latitude"),
        ),
        (
            "nobody need turn out",
            with("min_ready", json!(0)),
            422,
            "invalid_value",
            Some("min_ready"),
        ),
        (
            "a minimum above 10,000",
            with("min_ready", json!(10_001)),
            422,
            "invalid_value",
            Some("min_ready"),
        ),
        (
            "an empty duty phone",
            with("duty_phone", json!("")),
            422,
            "invalid_value",
            Some("duty_phone"),
        ),
        (
            "a blank duty phone",
            with("duty_phone", json!("   ")),
            422,
            "invalid_value",
            Some("duty_phone"),
        ),
        (
            "a duty phone with letters",
            with("duty_phone", json!("call the captain")),
            422,
            "invalid_value",
            Some("duty_phone"),
        ),
        (
            "a blank name",
            with("name", json!("  ")),
            422,
            "invalid_value",
            Some("name"),
        ),
        (
            "a unit that does not exist",
            with("unit_id", json!(9999)),
            422,
            "invalid_value",
            Some("unit_id"),
        ),
        (
            "an unknown field (a typo must not be ignored)",
            with("min_redy", json!(3)),
            400,
            "malformed_body",
            None,
        ),
        (
            "no name at all",
            {
                let mut b = good();
                b.as_object_mut().unwrap().remove("name");
                b
            },
            400,
            "malformed_body",
            None,
        ),
        (
            "an unknown kind",
            with("kind", json!("mercenary")),
            400,
            "malformed_body",
            None,
        ),
        (
            "a speciality given as one string",
            with("specialities", json!("water_rescue")),
            400,
            "malformed_body",
            None,
        ),
    ];
    for (why, body, status, code, field) in cases {
        for (method, path) in [
            ("POST", "/api/v1/teams".to_string()),
            ("PUT", format!("/api/v1/teams/{existing}")),
        ] {
            let r = app.api(method, &path, Some(&admin), Some(body.clone()));
            assert_eq!(r.status, status, "{why} ({method}): {}", r.text);
            let e = r.json();
            assert_eq!(e["error"]["code"], code, "{why} ({method})");
            assert_eq!(e["error"]["field"].as_str(), field, "{why} ({method})");
            assert!(
                !e["error"]["message"].as_str().unwrap().is_empty(),
                "{why}: a person needs a message"
            );
        }
    }
    assert_eq!(board_size(&app, &admin), 1, "no team was written");
    let v = team(&app, &admin, existing);
    assert_eq!(
        (v["team"]["name"].as_str(), v["specialities"].clone()),
        (Some("平望镇防汛抢险队"), json!(["flood"])),
        "the existing team is unchanged"
    );
    assert_eq!(app.audit_count(&admin), audit, "nothing was audited");

    // Names are unique: a second team of the same name, or a rename onto one, is a conflict.
    let first = app.post("/api/v1/teams", &admin, good());
    assert_eq!(first.status, 201, "{}", first.text);
    let again = app.post("/api/v1/teams", &admin, good());
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(again.code(), "conflict");
    let rename = app.put(&format!("/api/v1/teams/{existing}"), &admin, good());
    assert_eq!(rename.status, 409, "{}", rename.text);
    assert_eq!(board_size(&app, &admin), 2);
    assert_eq!(app.audit_count(&admin), audit + 1);
}

#[test]
fn a_captain_manages_only_their_own_team_and_a_viewer_only_reads() {
    let app = spawn_app();
    let c = crew(&app);
    let admin = c.admin.clone();
    let (_, office) = app.create_account(&admin, "office1", None, &[("office_staff", None)]);
    let (_, head_b) = app.create_account(&admin, "head_b", None, &[("unit_head", Some(c.unit_b))]);
    let (_, viewer) = app.create_account(&admin, "viewer1", None, &[("viewer", None)]);
    // (who, token)
    let callers: Vec<(&str, &str)> = vec![
        ("district administrator", admin.as_str()),
        ("office staff", office.as_str()),
        ("head of unit A", c.head_a.as_str()),
        ("captain of team A", c.captain.token.as_str()),
        ("head of unit B", head_b.as_str()),
        ("viewer", viewer.as_str()),
        ("member of team A", c.member.token.as_str()),
    ];
    for (person, phone) in [
        (c.captain.person, "13812345678"),
        (c.teammate.person, "13987654321"),
    ] {
        let r = app.patch(
            &format!("/api/v1/people/{person}"),
            &admin,
            json!({"phone": phone}),
        );
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let (a, b) = (c.team_a, c.team_b);
    for (i, (label, token)) in callers.iter().enumerate() {
        let newcomer_a = app.create_person(&admin, &format!("新队员甲{i}"), c.unit_a);
        let newcomer_b = app.create_person(&admin, &format!("新队员乙{i}"), c.unit_b);
        let mut edit_a = c.body_a.clone();
        edit_a["duty_phone"] = json!(format!("0512-6341211{i}"));
        let mut edit_b = c.body_b.clone();
        edit_b["duty_phone"] = json!(format!("0512-6341212{i}"));
        let member = |p: i64| json!({"person_id": p, "role": "member", "joined_on": "2026-11-01"});
        let training = |p: i64| {
            json!({"held_on": "2026-11-20", "hours": "2", "subject": "急流救援",
                                        "attendance": [{"person_id": p, "status": "present"}]})
        };
        // (what, method, path, body, who may: indexes into `callers`)
        let calls: Vec<(&str, &str, String, Value, Vec<usize>)> = vec![
            (
                "create a team in unit A",
                "POST",
                "/api/v1/teams".into(),
                team_body(c.unit_a, &format!("新建救援队{i}"), 2, &["flood"], None),
                vec![0, 1, 2],
            ),
            (
                "edit team A",
                "PUT",
                format!("/api/v1/teams/{a}"),
                edit_a,
                vec![0, 1, 2, 3],
            ),
            (
                "edit team B",
                "PUT",
                format!("/api/v1/teams/{b}"),
                edit_b,
                vec![0, 1, 4],
            ),
            (
                "add a member to team A",
                "POST",
                format!("/api/v1/teams/{a}/members"),
                member(newcomer_a),
                vec![0, 1, 2, 3],
            ),
            (
                "add a member to team B",
                "POST",
                format!("/api/v1/teams/{b}/members"),
                member(newcomer_b),
                vec![0, 1, 4],
            ),
            (
                "record training of team A",
                "POST",
                format!("/api/v1/teams/{a}/trainings"),
                training(c.captain.person),
                vec![0, 1, 2, 3],
            ),
            (
                "record training of team B",
                "POST",
                format!("/api/v1/teams/{b}/trainings"),
                training(c.captain_b.person),
                vec![0, 1, 4],
            ),
            (
                "add a certificate of a team A member",
                "POST",
                "/api/v1/certificates".into(),
                json!({"person_id": c.teammate.person, "certificate_type": "first_aid", "number": format!("JJ-{i}"), "issued_on": "2026-01-01"}),
                vec![0, 1, 2, 3],
            ),
        ];
        for (what, method, path, body, may) in calls {
            let audit = app.audit_count(&admin);
            let r = app.api(method, &path, Some(token), Some(body));
            if may.contains(&i) {
                assert!(
                    r.status == 200 || r.status == 201,
                    "{label} may {what}: {} {}",
                    r.status,
                    r.text
                );
                assert!(
                    app.audit_count(&admin) > audit,
                    "{label}: {what} is audited"
                );
            } else {
                assert_eq!(r.status, 403, "{label} may not {what}: {}", r.text);
                assert_eq!(r.code(), "forbidden", "{label}: {what}");
                assert_eq!(
                    app.audit_count(&admin),
                    audit,
                    "{label}: {what} wrote nothing"
                );
            }
        }
        // Everyone signed in reads the board, a team, the search and its training.
        for path in [
            "/api/v1/teams".to_string(),
            format!("/api/v1/teams/{a}"),
            "/api/v1/teams/search?speciality=water_rescue".into(),
            format!("/api/v1/teams/{a}/trainings?year=2026"),
            "/api/v1/team-lists".into(),
        ] {
            let r = app.get(&path, token);
            assert_eq!(r.status, 200, "{label} reads {path}: {}", r.text);
        }
        let v = team(&app, token, a);
        assert_eq!(
            v["manageable"],
            [0, 1, 2, 3].contains(&i),
            "{label}: whether team A's forms are offered"
        );
        // A read-only viewer and a member without a role see phone numbers masked; those who work with them,
        // the team's own captain among them, do not.
        let masked = [5, 6].contains(&i);
        let (leader, teammate) = if masked {
            ("138****5678", "139****4321")
        } else {
            ("13812345678", "13987654321")
        };
        assert_eq!(v["leaders"][0]["phone"], leader, "{label}");
        let row = v["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["person_id"] == c.teammate.person)
            .unwrap()
            .clone();
        assert_eq!(row["phone"], teammate, "{label}");
    }

    // Leading a team is not a role over its unit: its captain cannot move it away or stand it down.
    let mut moved = c.body_a.clone();
    moved["unit_id"] = json!(c.unit_b);
    let mut stood_down = c.body_a.clone();
    stood_down["active"] = json!(false);
    for body in [moved, stood_down] {
        let r = app.put(&format!("/api/v1/teams/{a}"), &c.captain.token, body);
        assert_eq!(r.status, 403, "{}", r.text);
    }
    let v = team(&app, &admin, a);
    assert_eq!(
        (v["team"]["unit_id"].as_i64(), v["team"]["active"].as_bool()),
        (Some(c.unit_a), Some(true))
    );
    // A captain who has left the team no longer manages it.
    let membership = team(&app, &admin, a)["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["person_id"] == c.captain.person)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = app.put(
        &format!("/api/v1/teams/{a}/members/{membership}"),
        &admin,
        json!({"person_id": c.captain.person, "role": "captain", "joined_on": "2025-03-01",
               "status": "left", "status_since": "2026-11-28"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = app.put(
        &format!("/api/v1/teams/{a}"),
        &c.captain.token,
        c.body_a.clone(),
    );
    assert_eq!(r.status, 403, "{}", r.text);
    // Without a sign-in there is nothing to read.
    assert_eq!(app.api("GET", "/api/v1/teams", None, None).status, 401);
}

#[test]
fn a_team_carries_equipment_from_the_reserves_and_shows_what_the_book_holds() {
    let app = spawn_app();
    let r = reserve(&app);
    receive(&app, &r, r.sandbag_batch, "200");
    let t = create_team(
        &app,
        &r.admin,
        team_body(r.unit, "建设局防汛抢险队", 2, &["flood"], None),
    );
    let captain = who(&app, &r.admin, "captain1", "沈建华", r.unit, &[], "zh");
    join(&app, &r.admin, t, captain.person, "captain", "in_post");
    let link =
        |token: &str, body: Value| app.post(&format!("/api/v1/teams/{t}/equipment"), token, body);

    let whole = link(
        &r.admin,
        json!({"warehouse_id": r.warehouse, "note": "随队调用"}),
    );
    assert_eq!(whole.status, 201, "{}", whole.text);
    let whole = whole.json()["id"].as_i64().unwrap();
    let bags = link(
        &captain.token,
        json!({"warehouse_id": r.warehouse, "item_id": r.sandbags}),
    );
    assert_eq!(
        bags.status, 201,
        "its captain links equipment too: {}",
        bags.text
    );
    let bags = bags.json()["id"].as_i64().unwrap();

    let v = team(&app, &r.head, t);
    let equipment = v["equipment"].as_array().unwrap();
    assert_eq!(equipment.len(), 2);
    assert_eq!(equipment[0]["id"], whole);
    assert_eq!(equipment[0]["warehouse"], "建设局防汛物资仓库");
    assert_eq!(equipment[0]["item"], Value::Null);
    assert_eq!(equipment[0]["note"], "随队调用");
    assert_eq!(equipment[0]["on_hand"], "1 种物资");
    assert_eq!(equipment[1]["item"], "SB-50 防汛沙袋");
    assert_eq!(equipment[1]["on_hand"], "200 条");
    let theirs = team(&app, &captain.token, t);
    assert_eq!(
        theirs["equipment"][1]["on_hand"],
        Value::Null,
        "a captain without a role over the warehouse does not see its book"
    );

    // (why, body, status)
    let audit = app.audit_count(&r.admin);
    let cases: Vec<(&str, Value, u16)> = vec![
        (
            "the warehouse again",
            json!({"warehouse_id": r.warehouse}),
            409,
        ),
        (
            "the item again",
            json!({"warehouse_id": r.warehouse, "item_id": r.sandbags}),
            409,
        ),
        (
            "a warehouse that does not exist",
            json!({"warehouse_id": 9999}),
            422,
        ),
        (
            "an item that does not exist",
            json!({"warehouse_id": r.warehouse, "item_id": 9999}),
            422,
        ),
        (
            "an unknown field",
            json!({"warehouse_id": r.warehouse, "qty": 3}),
            400,
        ),
    ];
    for (why, body, status) in cases {
        let resp = link(&r.admin, body);
        assert_eq!(resp.status, status, "{why}: {}", resp.text);
    }
    assert_eq!(app.audit_count(&r.admin), audit, "nothing was linked");
    let other = who(&app, &r.admin, "captain2", "钱伟", r.unit, &[], "zh");
    let other_team = create_team(
        &app,
        &r.admin,
        team_body(r.unit, "建设局抢修队", 1, &["power"], None),
    );
    join(
        &app,
        &r.admin,
        other_team,
        other.person,
        "captain",
        "in_post",
    );
    let theirs = link(&other.token, json!({"warehouse_id": r.other_warehouse}));
    assert_eq!(
        theirs.status, 403,
        "another team's captain: {}",
        theirs.text
    );
    let gone = app.api(
        "DELETE",
        &format!("/api/v1/teams/{t}/equipment/{whole}"),
        Some(&other.token),
        None,
    );
    assert_eq!(gone.status, 403, "{}", gone.text);

    let gone = app.api(
        "DELETE",
        &format!("/api/v1/teams/{t}/equipment/{whole}"),
        Some(&captain.token),
        None,
    );
    assert_eq!(gone.status, 204, "{}", gone.text);
    let v = team(&app, &r.admin, t);
    assert_eq!(
        v["equipment"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [bags]
    );
    let again = app.api(
        "DELETE",
        &format!("/api/v1/teams/{t}/equipment/{whole}"),
        Some(&r.admin),
        None,
    );
    assert_eq!(again.status, 404, "{}", again.text);
    let elsewhere = app.api(
        "DELETE",
        &format!("/api/v1/teams/{other_team}/equipment/{bags}"),
        Some(&r.admin),
        None,
    );
    assert_eq!(
        elsewhere.status, 404,
        "a link is removed only through its own team: {}",
        elsewhere.text
    );
    assert_eq!(
        team(&app, &r.admin, t)["equipment"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
