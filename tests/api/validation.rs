//! Bad input: the right status, a readable message, and nothing written.

use serde_json::json;

use crate::helpers::spawn_app;

#[test]
fn bad_bodies_are_refused_with_the_right_status_and_change_nothing() {
    let app = spawn_app();
    let admin = app.admin_token();
    let office = app.create_unit(&admin, "区安委办", "office", None);
    let person = app.create_person(&admin, "陈静", office);
    let before_units = app.get("/api/v1/units?active=all", &admin).json()["total"].clone();
    let before_audit = app.audit_count(&admin);

    // (why, method, path, content type, body, status, code, field)
    let cases: Vec<(&str, &str, String, &str, String, u16, &str, Option<&str>)> = vec![
        ("not JSON at all", "POST", "/api/v1/units".into(), "application/json", "{\"name\":".into(), 400, "malformed_body", None),
        ("a form posted to a JSON endpoint", "POST", "/api/v1/units".into(), "application/x-www-form-urlencoded", "name=x".into(), 400, "malformed_body", None),
        ("a number where text belongs", "POST", "/api/v1/units".into(), "application/json", json!({"name": 5, "kind": "office"}).to_string(), 400, "malformed_body", None),
        ("an unknown field (a typo must not be ignored)", "POST", "/api/v1/units".into(), "application/json", json!({"name": "x", "kind": "office", "phnoe": "1"}).to_string(), 400, "malformed_body", None),
        ("a blank name", "POST", "/api/v1/units".into(), "application/json", json!({"name": "   ", "kind": "office"}).to_string(), 422, "invalid_value", Some("name")),
        ("no name at all (a required field)", "POST", "/api/v1/units".into(), "application/json", json!({"kind": "office"}).to_string(), 400, "malformed_body", None),
        ("an unknown kind", "POST", "/api/v1/units".into(), "application/json", json!({"name": "x", "kind": "spaceship"}).to_string(), 422, "invalid_value", Some("kind")),
        ("a name over 100 characters", "POST", "/api/v1/units".into(), "application/json", json!({"name": "长".repeat(101), "kind": "office"}).to_string(), 422, "invalid_value", Some("name")),
        ("a malformed contact address", "POST", "/api/v1/units".into(), "application/json", json!({"name": "x", "kind": "office", "contact_emails": ["not-an-address"]}).to_string(), 422, "invalid_value", Some("contact_emails")),
        ("a phone with letters", "POST", "/api/v1/units".into(), "application/json", json!({"name": "x", "kind": "office", "phone": "call me"}).to_string(), 422, "invalid_value", Some("phone")),
        ("a parent that does not exist", "POST", "/api/v1/units".into(), "application/json", json!({"name": "x", "kind": "office", "parent_id": 9999}).to_string(), 422, "invalid_value", Some("parent_id")),
        ("a person in a unit that does not exist", "POST", "/api/v1/people".into(), "application/json", json!({"name": "x", "unit_id": 9999}).to_string(), 422, "invalid_value", Some("unit_id")),
        ("a malformed e-mail", "PATCH", format!("/api/v1/people/{person}"), "application/json", json!({"email": "chen@"}).to_string(), 422, "invalid_value", Some("email")),
        ("a short password", "POST", "/api/v1/accounts".into(), "application/json", json!({"username": "chenjing", "password": "short"}).to_string(), 422, "invalid_value", Some("password")),
        ("a username with spaces", "POST", "/api/v1/accounts".into(), "application/json", json!({"username": "chen jing", "password": "long enough pw"}).to_string(), 422, "invalid_value", Some("username")),
        ("an unknown role", "POST", "/api/v1/accounts".into(), "application/json", json!({"username": "chenjing", "password": "long enough pw", "roles": [{"role": "root", "unit_id": null}]}).to_string(), 422, "invalid_value", Some("role")),
        ("a role in a unit that does not exist", "POST", "/api/v1/accounts".into(), "application/json", json!({"username": "chenjing", "password": "long enough pw", "roles": [{"role": "viewer", "unit_id": 9999}]}).to_string(), 422, "invalid_value", Some("unit_id")),
        ("an unknown language", "PATCH", "/api/v1/accounts/1".into(), "application/json", json!({"language": "fr"}).to_string(), 422, "invalid_value", Some("language")),
        ("fields by position instead of by name", "PATCH", format!("/api/v1/people/{person}"), "application/json", json!([null, "x"]).to_string(), 400, "malformed_body", None),
        ("a unit that does not exist", "PATCH", "/api/v1/units/9999".into(), "application/json", json!({"phone": "123"}).to_string(), 404, "not_found", None),
        ("an id that is not a number", "PATCH", "/api/v1/units/abc".into(), "application/json", json!({"phone": "123"}).to_string(), 404, "not_found", None),
    ];
    for (why, method, path, content_type, body, status, code, field) in cases {
        let r = app.api_raw(method, &path, &admin, content_type, &body);
        assert_eq!(r.status, status, "{why}: {}", r.text);
        let json = r.json();
        assert_eq!(json["error"]["code"], code, "{why}");
        assert!(
            !json["error"]["message"].as_str().unwrap().is_empty(),
            "{why}: a person needs a message"
        );
        assert_eq!(json["error"]["field"].as_str(), field, "{why}");
    }
    assert_eq!(
        app.get("/api/v1/units?active=all", &admin).json()["total"],
        before_units,
        "no unit was written"
    );
    assert_eq!(
        app.get("/api/v1/accounts?active=all", &admin).json()["total"],
        1,
        "no account was written"
    );
    assert_eq!(
        app.audit_count(&admin),
        before_audit,
        "nothing was audited because nothing changed"
    );
}

#[test]
fn bad_query_parameters_get_400() {
    let app = spawn_app();
    let admin = app.admin_token();
    let r = app.get("/api/v1/units?page=first", &admin);
    assert_eq!((r.status, r.code().as_str()), (400, "invalid_query"));
    let r = app.get("/api/v1/audit?from=yesterday", &admin);
    assert_eq!(r.status, 400);
    // What the document states as a range or a choice is refused, not quietly bent into one.
    let r = app.get("/api/v1/people?active=maybe", &admin);
    assert_eq!((r.status, r.code().as_str()), (400, "invalid_query"));
    for (query, field) in [
        ("per_page=0", "per_page"),
        ("per_page=201", "per_page"),
        ("page=0", "page"),
    ] {
        let r = app.get(&format!("/api/v1/units?{query}"), &admin);
        assert_eq!(r.status, 422, "{query}");
        assert_eq!(r.json()["error"]["field"], field);
    }
    assert_eq!(app.get("/api/v1/units?per_page=200", &admin).status, 200);
}

#[test]
fn errors_speak_the_callers_language() {
    let app = spawn_app();
    let admin = app.admin_token();
    let me = app.get("/api/v1/me", &admin).json()["id"].as_i64().unwrap();
    let zh = app.post(
        "/api/v1/units",
        &admin,
        json!({"name": "x", "kind": "spaceship"}),
    );
    assert!(zh.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("未知的取值"));
    app.patch(
        &format!("/api/v1/accounts/{me}"),
        &admin,
        json!({"language": "en"}),
    );
    let en = app.post(
        "/api/v1/units",
        &admin,
        json!({"name": "x", "kind": "spaceship"}),
    );
    assert!(
        en.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Unknown value"),
        "{}",
        en.text
    );
}

#[test]
fn invisible_characters_are_refused_in_names_and_rare_ideographs_accepted() {
    let app = spawn_app();
    let admin = app.admin_token();
    let office = app.create_unit(&admin, "区安委办", "office", None);
    let before = app.audit_count(&admin);
    for name in [
        "\u{200b}",
        "\u{202e}evil",
        "\u{feff}王",
        "\u{e000}",
        "\u{ffff}",
    ] {
        let r = app.post(
            "/api/v1/people",
            &admin,
            json!({"name": name, "unit_id": office}),
        );
        assert_eq!(r.status, 422, "{name:?}: {}", r.text);
        assert_eq!(r.json()["error"]["field"], "name");
    }
    assert_eq!(app.audit_count(&admin), before, "nothing written");
    for name in ["王𠮷", "𠀋", "𪜀强", "𫠠", "李𰀀"] {
        let r = app.post(
            "/api/v1/people",
            &admin,
            json!({"name": name, "unit_id": office}),
        );
        assert_eq!(r.status, 201, "{name:?}: {}", r.text);
        let id = r.json()["id"].as_i64().unwrap();
        assert_eq!(
            app.get(&format!("/api/v1/people/{id}"), &admin).json()["name"],
            name
        );
    }
}

#[test]
fn every_api_refusal_is_the_json_error_body_wrong_methods_and_oversized_bodies_included() {
    let app = spawn_app();
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "区安委办", "office", None);
    let wrong = app.api(
        "DELETE",
        &format!("/api/v1/units/{unit}"),
        Some(&admin),
        None,
    );
    assert_eq!(wrong.status, 405, "{}", wrong.text);
    assert_eq!(wrong.code(), "method_not_allowed");
    assert_eq!(wrong.header("allow"), Some("GET, PATCH"));
    let nowhere = app.api("GET", "/api/v1/nothing-here", Some(&admin), None);
    assert_eq!(
        (nowhere.status, nowhere.code()),
        (404, "not_found".to_string())
    );
    let huge = "x".repeat(10 * 1024 * 1024 + 1);
    let r = app.api_raw("POST", "/api/v1/imports", &admin, "text/csv", &huge);
    assert_eq!(r.status, 413);
    assert_eq!(r.code(), "payload_too_large", "{}", r.text);
    let big_json = format!("{{\"name\": \"{}\"}}", "x".repeat(2 << 20));
    let r = app.api_raw(
        "POST",
        "/api/v1/units",
        &admin,
        "application/json",
        &big_json,
    );
    assert_eq!((r.status, r.code()), (413, "payload_too_large".to_string()));
}
