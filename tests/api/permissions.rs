//! The permission matrix: every changing endpoint against every role, including another unit's records.

use serde_json::json;

use crate::helpers::{spawn_app, TestApp};

/// The district used by the matrix:
/// office ─┬─ dept_a ── team_a
///         └─ street_b
struct District {
    office: i64,
    dept_a: i64,
    team_a: i64,
    street_b: i64,
    person_a: i64,
    person_b: i64,
    account_a: i64,
    account_b: i64,
}

fn district(app: &TestApp, admin: &str) -> District {
    let office = app.create_unit(admin, "区安委办", "office", None);
    let dept_a = app.create_unit(admin, "经济发展局", "department", Some(office));
    let team_a = app.create_unit(admin, "企业专职救援队", "rescue_team", Some(dept_a));
    let street_b = app.create_unit(admin, "滨湖街道", "street", Some(office));
    let person_a = app.create_person(admin, "王芳", dept_a);
    let person_b = app.create_person(admin, "刘洋", street_b);
    let (account_a, _) = app.create_account(
        admin,
        "wangfang",
        Some(person_a),
        &[("viewer", Some(dept_a))],
    );
    let (account_b, _) = app.create_account(
        admin,
        "liuyang",
        Some(person_b),
        &[("viewer", Some(street_b))],
    );
    District {
        office,
        dept_a,
        team_a,
        street_b,
        person_a,
        person_b,
        account_a,
        account_b,
    }
}

#[test]
fn every_role_gets_exactly_the_rights_of_its_scope() {
    let app = spawn_app();
    let admin = app.admin_token();
    let d = district(&app, &admin);

    // (role label, grants)
    let roles: Vec<(&str, Vec<(&str, Option<i64>)>)> = vec![
        ("district admin", vec![("administrator", None)]),
        ("admin of dept A", vec![("administrator", Some(d.dept_a))]),
        ("office staff", vec![("office_staff", Some(d.office))]),
        ("head of dept A", vec![("unit_head", Some(d.dept_a))]),
        (
            "keeper of dept A",
            vec![("warehouse_keeper", Some(d.dept_a))],
        ),
        ("duty officer", vec![("duty_officer", None)]),
        ("viewer", vec![("viewer", None)]),
        ("no role", vec![]),
    ];

    // (endpoint, which roles may: indexes into `roles`)
    type Call<'a> = (&'a str, &'a str, String, serde_json::Value, Vec<usize>);
    let mut n = 0;
    let mut unique = move || {
        n += 1;
        n
    };
    for (i, (label, grants)) in roles.iter().enumerate() {
        let (_, token) = app.create_account(&admin, &format!("user{i}"), None, grants);
        let calls: Vec<Call> = vec![
            (
                "create a top-level unit",
                "POST",
                "/api/v1/units".into(),
                json!({"name": format!("顶级单位{}", unique()), "kind": "other"}),
                vec![0],
            ),
            (
                "create a unit under dept A",
                "POST",
                "/api/v1/units".into(),
                json!({"name": format!("A下属{}", unique()), "kind": "other", "parent_id": d.dept_a}),
                vec![0, 1, 2],
            ),
            (
                "edit team A (below dept A)",
                "PATCH",
                format!("/api/v1/units/{}", d.team_a),
                json!({"phone": "0512-1234"}),
                vec![0, 1, 2],
            ),
            (
                "edit street B",
                "PATCH",
                format!("/api/v1/units/{}", d.street_b),
                json!({"phone": "0512-1234"}),
                vec![0, 2],
            ),
            (
                "add a person to team A",
                "POST",
                "/api/v1/people".into(),
                json!({"name": "新人", "unit_id": d.team_a}),
                vec![0, 1, 2, 3],
            ),
            (
                "edit a person of dept A",
                "PATCH",
                format!("/api/v1/people/{}", d.person_a),
                json!({"post": "科员"}),
                vec![0, 1, 2, 3],
            ),
            (
                "edit a person of street B",
                "PATCH",
                format!("/api/v1/people/{}", d.person_b),
                json!({"post": "科员"}),
                vec![0, 2],
            ),
            (
                "create an account in dept A",
                "POST",
                "/api/v1/accounts".into(),
                json!({"username": format!("new{}", unique()), "password": "long enough pw", "person_id": d.person_a, "roles": [{"role": "viewer", "unit_id": d.dept_a}]}),
                vec![0, 1],
            ),
            (
                "create an account with a district role",
                "POST",
                "/api/v1/accounts".into(),
                json!({"username": format!("new{}", unique()), "password": "long enough pw", "roles": [{"role": "viewer", "unit_id": null}]}),
                vec![0],
            ),
            (
                "edit an account of dept A",
                "PATCH",
                format!("/api/v1/accounts/{}", d.account_a),
                json!({"language": "en"}),
                vec![0, 1],
            ),
            (
                "edit an account of street B",
                "PATCH",
                format!("/api/v1/accounts/{}", d.account_b),
                json!({"language": "en"}),
                vec![0],
            ),
            (
                "list accounts",
                "GET",
                "/api/v1/accounts".into(),
                json!(null),
                vec![0, 1],
            ),
            (
                "read an account of street B",
                "GET",
                format!("/api/v1/accounts/{}", d.account_b),
                json!(null),
                vec![0],
            ),
            (
                "read the audit trail",
                "GET",
                "/api/v1/audit".into(),
                json!(null),
                vec![0, 1],
            ),
            (
                "read the unit directory",
                "GET",
                "/api/v1/units".into(),
                json!(null),
                (0..roles.len()).collect(),
            ),
            (
                "read the people directory",
                "GET",
                "/api/v1/people".into(),
                json!(null),
                (0..roles.len()).collect(),
            ),
        ];
        for (what, method, path, body, allowed) in calls {
            let body = if body.is_null() { None } else { Some(body) };
            let r = app.api(method, &path, Some(&token), body);
            let expect_ok = allowed.contains(&i);
            if expect_ok {
                assert!(
                    (200..300).contains(&r.status),
                    "{label} should be able to {what}: {} {}",
                    r.status,
                    r.text
                );
            } else {
                assert_eq!(r.status, 403, "{label} must not {what}: {}", r.text);
                assert_eq!(r.code(), "forbidden");
            }
        }
    }
}

#[test]
fn a_scoped_administrator_sees_only_their_units_accounts_and_audit() {
    let app = spawn_app();
    let admin = app.admin_token();
    let d = district(&app, &admin);
    let (_, scoped) =
        app.create_account(&admin, "scoped", None, &[("administrator", Some(d.dept_a))]);
    let accounts = app.get("/api/v1/accounts?per_page=200", &scoped).json();
    let names: Vec<&str> = accounts["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["wangfang"]);
    let audit = app.get("/api/v1/audit?per_page=200", &scoped).json();
    assert!(audit["total"].as_i64().unwrap() > 0);
    for row in audit["items"].as_array().unwrap() {
        let unit = row["unit_id"].as_i64();
        assert!(
            unit == Some(d.dept_a) || unit == Some(d.team_a),
            "saw a record of unit {unit:?}"
        );
    }
    let grab = app.patch(
        &format!("/api/v1/accounts/{}", d.account_a),
        &scoped,
        json!({"roles": [{"role": "administrator", "unit_id": null}]}),
    );
    assert_eq!(grab.status, 403, "cannot hand out a district-wide role");
    let take = app.patch(
        &format!("/api/v1/accounts/{}", d.account_b),
        &scoped,
        json!({"roles": []}),
    );
    assert_eq!(take.status, 403, "cannot strip roles in another unit");
    let above = app.post(
        "/api/v1/units",
        &scoped,
        json!({"name": "越权单位", "kind": "other", "parent_id": d.office}),
    );
    assert_eq!(
        above.status, 403,
        "an administrator of dept A does not manage units above it"
    );
}
